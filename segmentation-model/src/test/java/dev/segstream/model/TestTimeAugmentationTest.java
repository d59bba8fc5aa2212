package dev.segstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.RgbImage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Flip averaging: the mean of the two passes, symmetric for symmetric frames, padding kept right. */
class TestTimeAugmentationTest {

    private static final UNetSpec SPEC = new UNetSpec(UNetVariant.VANILLA, 3, 4, 5);

    /** A frame whose column x equals column w - 1 - x. */
    private static RgbImage mirroredFrame(int w, int h, long seed) {
        Random rng = new Random(seed);
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < (w + 1) / 2; x++) {
                for (int c = 0; c < 3; c++) {
                    byte v = (byte) rng.nextInt(256);
                    px[(y * w + x) * 3 + c] = v;
                    px[(y * w + w - 1 - x) * 3 + c] = v;
                }
            }
        }
        return new RgbImage(w, h, px);
    }

    private static boolean symmetric(ClassMask m) {
        int w = m.width();
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < w / 2; x++) {
                if (m.classes()[y * w + x] != m.classes()[y * w + w - 1 - x]) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void shouldMirrorOnlyTheValidWidthWhenFramesArePadded() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(6f).reshape(1, 1, 1, 6);
            assertThat(TestTimeAugmentation.mirror(x, 4).toFloatArray()).containsExactly(3, 2, 1, 0, 4, 5);
            assertThat(TestTimeAugmentation.mirror(x, 6).toFloatArray()).containsExactly(5, 4, 3, 2, 1, 0);
        }
    }

    @Test
    void shouldEqualTheMeanOfTheFrameAndMirroredBackMirrorLogitsWhenFlipping() {
        try (Model model = ModelArtifacts.newModel(SPEC, ai.djl.Device.cpu());
             NDManager m = model.getNDManager().newSubManager()) {
            GradMode.disable();
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(2, 3, 16, 32));
            int valid = 27;
            NDArray flipped = TestTimeAugmentation.FLIP.forward(model.getBlock(), ps, x, valid, false);
            NDArray plain = TestTimeAugmentation.NONE.forward(model.getBlock(), ps, x, valid, false);
            NDArray mirrorPass = model.getBlock().forward(ps, new NDList(TestTimeAugmentation.mirror(x, valid)), false)
                    .head();
            NDArray expected = plain.add(TestTimeAugmentation.mirror(mirrorPass, valid)).div(2);
            assertThat(flipped.getShape()).isEqualTo(new Shape(2, 5, 16, 32));
            assertThat(flipped.sub(expected).abs().max().getFloat()).isLessThan(1e-4f);
            // and it is not the single pass
            assertThat(flipped.sub(plain).abs().max().getFloat()).isGreaterThan(1e-3f);
        }
    }

    @Test
    void shouldPredictMirrorSymmetricMasksWhenTheFrameIsSymmetricAndFlipAveraging() {
        // 30 wide: padded to 32, so the mirror must leave the padding on the right
        List<RgbImage> frames = List.of(mirroredFrame(30, 20, 1), mirroredFrame(30, 20, 2));
        try (SegmentationModel model = ModelArtifacts.untrained(SPEC, 11, "tta", "cpu");
             MaskPredictor flip = model.newPredictor(TestTimeAugmentation.FLIP);
             MaskPredictor plain = model.newPredictor()) {
            for (ClassMask mask : flip.predict(frames)) {
                assertThat(mask.width()).isEqualTo(30);
                assertThat(symmetric(mask)).isTrue();
            }
            // the single pass of an untrained net is not symmetric, so the check above can fail
            assertThat(plain.predict(frames).stream().allMatch(TestTimeAugmentationTest::symmetric)).isFalse();
        }
    }

    @Test
    void shouldNameTheValidValuesWhenParsingAnUnknownOne() {
        assertThat(TestTimeAugmentation.parse(" Flip ")).isEqualTo(TestTimeAugmentation.FLIP);
        assertThatThrownBy(() -> TestTimeAugmentation.parse("rotate")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("none, flip");
    }
}
