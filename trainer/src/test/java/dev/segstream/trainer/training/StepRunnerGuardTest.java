package dev.segstream.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.PyTorch;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import dev.segstream.model.numerics.MemoryFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The step guard: non-finite losses or gradients never reach the weights or the BatchNorm statistics. */
class StepRunnerGuardTest {

    private static final UNetSpec SPEC = new UNetSpec(UNetVariant.RESIDUAL, 2, 4, CamVidClasses.COUNT);
    private static final MaskedCrossEntropy CE = new MaskedCrossEntropy(CamVidClasses.VOID, null);

    /** Cross-entropy plus {@code 0 * sum(sqrt(p - p))}: the value stays finite, every gradient becomes NaN. */
    private static final Loss NAN_GRADIENT = new Loss("nan-gradient") {
        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray p = predictions.head();
            return CE.evaluate(labels, predictions).add(p.sub(p).sqrt().sum().mul(0));
        }
    };

    private static Model model() {
        PyTorch.seed(3);
        return ModelArtifacts.newModel(SPEC, Device.cpu());
    }

    private static NDArray[] batch(NDManager m, float poison) {
        Random rng = new Random(1);
        float[] x = new float[2 * 3 * 8 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        x[17] = poison;
        long[] y = new long[2 * 8 * 8];
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextInt(CamVidClasses.COUNT);
        }
        return new NDArray[] {m.create(x, new Shape(2, 3, 8, 8)), m.create(y, new Shape(2, 8, 8))};
    }

    private static Map<String, float[]> parameters(Model model) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            values.put(p.getKey(), p.getValue().getArray().toType(DataType.FLOAT32, false).toFloatArray());
        }
        return values;
    }

    private static void assertSameParameters(Map<String, float[]> a, Map<String, float[]> b) {
        assertThat(b.keySet()).isEqualTo(a.keySet());
        a.forEach((k, v) -> assertThat(b.get(k)).as(k).containsExactly(v));
    }

    @Test
    void shouldSkipStepAndKeepWeightsAndStatisticsWhenInputHoldsNaN() {
        try (Model model = model();
             StepRunner runner = new StepRunner(model, CE, 1e-2f, 0f, 10, MemoryFormat.AUTO, Device.cpu());
             NDManager m = runner.manager().newSubManager()) {
            NDArray[] good = batch(m, 0.5f);
            runner.step(good[0], good[1], null);
            Map<String, float[]> before = parameters(model);

            NDArray[] poisoned = batch(m, Float.NaN);
            StepRunner.Outcome outcome = runner.step(poisoned[0], poisoned[1], null);

            assertThat(outcome.skipped()).isTrue();
            assertThat(outcome.loss()).isNaN();
            assertThat(runner.skippedSteps()).isEqualTo(1);
            assertSameParameters(before, parameters(model));
            // the next good step still trains
            StepRunner.Outcome next = runner.step(good[0], good[1], null);
            assertThat(next.skipped()).isFalse();
            assertThat(parameters(model).get(before.keySet().iterator().next()))
                    .isNotEqualTo(before.values().iterator().next());
        }
    }

    @Test
    void shouldSkipStepWhenLossIsFiniteButGradientsAreNot() {
        try (Model model = model();
             StepRunner runner = new StepRunner(model, NAN_GRADIENT, 1e-2f, 0f, 10, MemoryFormat.AUTO, Device.cpu());
             NDManager m = runner.manager().newSubManager()) {
            Map<String, float[]> before = parameters(model);
            NDArray[] good = batch(m, 0.5f);
            StepRunner.Outcome outcome = runner.step(good[0], good[1], null);

            assertThat(Float.isFinite(outcome.loss())).isTrue();
            assertThat(outcome.skipped()).isTrue();
            assertSameParameters(before, parameters(model));
        }
    }

    @Test
    void shouldStopWithOneLineNamingStepAndCauseWhenTooManyStepsInARowAreNotFinite() {
        try (Model model = model();
             StepRunner runner = new StepRunner(model, CE, 1e-2f, 0f, 3, MemoryFormat.AUTO, Device.cpu());
             NDManager m = runner.manager().newSubManager()) {
            NDArray[] poisoned = batch(m, Float.POSITIVE_INFINITY);
            NDArray[] good = batch(m, 0.5f);
            runner.step(poisoned[0], poisoned[1], null);
            runner.step(good[0], good[1], null);
            runner.step(poisoned[0], poisoned[1], null);
            runner.step(poisoned[0], poisoned[1], null);
            assertThatThrownBy(() -> runner.step(poisoned[0], poisoned[1], null))
                    .isInstanceOf(NonFiniteTrainingException.class)
                    .hasMessageContaining("3 steps in a row")
                    .hasMessageContaining("step 5 has a non-finite loss")
                    .hasMessageContaining("learning rate too high")
                    .hasMessageContaining("oneDNN")
                    .hasMessageNotContaining("\n");
            assertThat(runner.skippedSteps()).isEqualTo(4);
        }
    }
}
