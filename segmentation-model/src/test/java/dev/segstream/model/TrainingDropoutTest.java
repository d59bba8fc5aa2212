package dev.segstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Dropout at the U-Net's centre: active in training forward passes only. */
class TrainingDropoutTest {

    private static final Shape INPUT = new Shape(2, 3, 32, 48);

    @ParameterizedTest
    @EnumSource(UNetVariant.class)
    void shouldChangeOnlyTrainingForwardPassesWhenDropoutIsSet(UNetVariant variant) {
        PyTorch.seed(3);
        try (Model model = ModelArtifacts.newModel(new UNetSpec(variant, 3, 8, 11), Device.cpu());
             NDManager m = model.getNDManager().newSubManager()) {
            GradMode.disable();
            UNetBase net = (UNetBase) model.getBlock();
            NDArray x = m.randomNormal(INPUT);
            float[] evalPlain = forward(net, m, x, false);
            net.setTrainingDropout(0.5f);
            assertThat(forward(net, m, x, false)).as("evaluation ignores dropout").containsExactly(evalPlain);

            // training passes update BatchNorm's running statistics, not their own output
            net.setTrainingDropout(0f);
            float[] trainPlain = forward(net, m, x, true);
            assertThat(forward(net, m, x, true)).as("no dropout: a training pass repeats").containsExactly(trainPlain);
            net.setTrainingDropout(0.5f);
            float[] dropped = forward(net, m, x, true);
            assertThat(dropped).as("dropout changes a training pass").isNotEqualTo(trainPlain);
            assertThat(forward(net, m, x, true)).as("with fresh masks each pass").isNotEqualTo(dropped);
        }
    }

    @Test
    void shouldRejectRatesOutsideZeroToOne() {
        try (Model model = ModelArtifacts.newModel(new UNetSpec(UNetVariant.VANILLA, 2, 4, 11), Device.cpu())) {
            UNetBase net = (UNetBase) model.getBlock();
            assertThatThrownBy(() -> net.setTrainingDropout(1f)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[0, 1)");
            assertThatThrownBy(() -> net.setTrainingDropout(-0.1f)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> net.setTrainingDropout(Float.NaN)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static float[] forward(UNetBase net, NDManager m, NDArray x, boolean training) {
        try (NDManager scope = m.newSubManager()) {
            NDList out = net.forward(new ParameterStore(scope, false), new NDList(x), training);
            float[] values = out.head().toFloatArray();
            out.close();
            return values;
        }
    }
}
