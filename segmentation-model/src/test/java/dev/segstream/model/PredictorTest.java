package dev.segstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PredictorTest {

    static RgbImage randomImage(int w, int h, long seed) {
        byte[] px = new byte[w * h * 3];
        new Random(seed).nextBytes(px);
        return new RgbImage(w, h, px);
    }

    static List<RgbImage> batch(int n, int w, int h) {
        List<RgbImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(randomImage(w, h, i));
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"vanilla,128,96", "noskip,97,75", "residual,33,17", "attention,97,75", "vanilla,33,17", "attention,1,1"})
    void shouldReturnMasksOfFrameSizeWithValidClassesWhenFramesHaveAnySize(String variant, int w, int h) {
        int classes = 11;
        try (SegmentationModel model = ModelArtifacts.untrained(
                new UNetSpec(UNetVariant.parse(variant), 4, 4, classes), 7, "test", "cpu");
             MaskPredictor p = model.newPredictor()) {
            List<ClassMask> masks = p.predict(batch(3, w, h));
            assertThat(masks).hasSize(3);
            for (ClassMask mask : masks) {
                assertThat(mask.width()).isEqualTo(w);
                assertThat(mask.height()).isEqualTo(h);
                for (byte b : mask.classes()) {
                    assertThat(b & 0xff).isLessThan(classes);
                }
            }
        }
    }

    @Test
    void shouldGiveIdenticalMasksWhenUntrainedModelsShareASeed() {
        UNetSpec spec = new UNetSpec(UNetVariant.VANILLA, 3, 4, 5);
        List<RgbImage> frames = batch(2, 40, 24);
        try (SegmentationModel a = ModelArtifacts.untrained(spec, 3, "a", "cpu");
             SegmentationModel b = ModelArtifacts.untrained(spec, 3, "b", "cpu");
             MaskPredictor pa = a.newPredictor(); MaskPredictor pb = b.newPredictor()) {
            List<ClassMask> ma = pa.predict(frames);
            List<ClassMask> mb = pb.predict(frames);
            for (int i = 0; i < ma.size(); i++) {
                assertThat(ma.get(i).classes()).isEqualTo(mb.get(i).classes());
            }
            assertThat(a.descriptor().variant()).isEqualTo("vanilla");
            assertThat(a.device()).isEqualTo("cpu()");
        }
    }

    @Test
    void shouldLeaveNoNativeArraysBehindWhenPredictingRepeatedly() {
        try (SegmentationModel model = ModelArtifacts.untrained(
                new UNetSpec(UNetVariant.ATTENTION, 3, 4, 11), 1, "t", "cpu");
             MaskPredictor p = model.newPredictor()) {
            ai.djl.ndarray.NDManager manager = ((DjlSegmentationModel) model).djlModel().getNDManager();
            p.predict(batch(2, 30, 20));
            int before = manager.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                p.predict(batch(2, 30 + i, 20));
            }
            assertThat(manager.getManagedArrays().size()).isEqualTo(before);
        }
    }

    @Test
    void shouldRejectBatchWhenFramesDifferInSizeOrBatchIsEmpty() {
        try (SegmentationModel model = ModelArtifacts.untrained(
                new UNetSpec(UNetVariant.VANILLA, 2, 4, 3), 1, "t", "cpu");
             MaskPredictor p = model.newPredictor()) {
            assertThatThrownBy(() -> p.predict(List.of(randomImage(8, 8, 1), randomImage(9, 8, 2))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share a size");
            assertThatThrownBy(() -> p.predict(List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        }
    }

    @Test
    void shouldParseDeviceStringsWhenValidAndRejectOthers() {
        assertThat(Devices.parse("cpu")).isEqualTo(ai.djl.Device.cpu());
        assertThat(Devices.parse("auto")).isNotNull();
        assertThatThrownBy(() -> Devices.parse("tpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto, cpu, gpu or gpu:N");
        assertThatThrownBy(() -> Devices.parse("gpu:x")).isInstanceOf(IllegalArgumentException.class);
    }
}
