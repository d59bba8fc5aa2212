package dev.segstream.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.segstream.model.PyTorch;
import org.junit.jupiter.api.Test;

/** The masked cross-entropy: void ignored, and the hard-pixel (bootstrapped) average. */
class MaskedCrossEntropyTest {

    private static final int VOID = 2;

    /**
     * One row of 8 pixels, 2 classes. Pixel i's logits are (0, z_i) with label 0, so its loss is
     * log(1 + e^z_i): larger z, harder pixel. Pixels 6 and 7 are void, with the hardest logits.
     */
    private static final float[] Z = {-2f, 3f, 0f, 1f, -1f, 2f, 9f, 8f};
    private static final long[] LABELS = {0, 0, 0, 0, 0, 0, VOID, VOID};

    private static double pixelLoss(float z) {
        return Math.log(1 + Math.exp(z));
    }

    private static NDArray logits(NDManager m, float[] z) {
        float[] v = new float[2 * z.length];
        System.arraycopy(z, 0, v, z.length, z.length); // class 0 logits 0, class 1 logits z
        return m.create(v, new Shape(1, 2, 1, z.length));
    }

    private static double loss(MaskedCrossEntropy ce, NDArray logits, NDArray labels) {
        return ce.evaluate(new NDList(labels), new NDList(logits)).getFloat();
    }

    @Test
    void shouldAverageOnlyTheHardestValidPixelsWhenTheFractionIsBelowOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray labels = m.create(LABELS, new Shape(1, 1, Z.length)); // (N, H, W)
            // half of the 6 valid pixels: z = 3, 2, 1; the void ones (z = 9, 8) never count
            double hardHalf = (pixelLoss(3) + pixelLoss(2) + pixelLoss(1)) / 3;
            assertThat(loss(new MaskedCrossEntropy(VOID, null, 0.5f), logits(m, Z), labels))
                    .isCloseTo(hardHalf, within(1e-5));
            double all = 0;
            for (int i = 0; i < 6; i++) {
                all += pixelLoss(Z[i]);
            }
            assertThat(loss(new MaskedCrossEntropy(VOID, null, 1f), logits(m, Z), labels))
                    .isCloseTo(all / 6, within(1e-5));
            // a fraction that is not a whole number of pixels rounds up: ceil(0.4 * 6) = 3
            assertThat(loss(new MaskedCrossEntropy(VOID, null, 0.4f), logits(m, Z), labels))
                    .isCloseTo(hardHalf, within(1e-5));
        }
    }

    @Test
    void shouldCountOnlyValidPixelsWhenTheNetIsCertainOfThem() {
        try (NDManager m = NDManager.newBaseManager()) {
            // every valid pixel has loss exactly 0 in float: ignored ones must still not be picked
            float[] certain = {-200f, -200f, -200f, -200f, -200f, -200f, 0f, 0f};
            NDArray labels = m.create(LABELS, new Shape(1, 1, Z.length)); // (N, H, W)
            NDArray[] sw = new MaskedCrossEntropy(VOID, null, 0.99f).hardest(logits(m, certain), labels);
            assertThat(sw[1].getFloat()).isEqualTo(6f);
            assertThat(sw[0].getFloat()).isEqualTo(0f);
        }
    }

    @Test
    void shouldSendGradientOnlyToThePickedPixelsWhenTrainingOnTheHardest() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = logits(m, Z);
            x.setRequiresGradient(true);
            NDArray labels = m.create(LABELS, new Shape(1, 1, Z.length)); // (N, H, W)
            try (GradientCollector gc = PyTorch.engine().newGradientCollector()) {
                gc.backward(new MaskedCrossEntropy(VOID, null, 0.5f).evaluate(new NDList(labels), new NDList(x)));
            }
            float[] g = x.getGradient().toFloatArray(); // class 0 row then class 1 row
            for (int i = 0; i < Z.length; i++) {
                boolean picked = i == 1 || i == 3 || i == 5;
                assertThat(g[Z.length + i] != 0f).as("gradient at pixel %d", i).isEqualTo(picked);
            }
        }
    }

    @Test
    void shouldRefuseWhenTheFractionIsOutsideZeroToOne() {
        for (float bad : new float[] {0f, -0.5f, 1.5f, Float.NaN}) {
            assertThatThrownBy(() -> new MaskedCrossEntropy(VOID, null, bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(0, 1]");
        }
    }
}
