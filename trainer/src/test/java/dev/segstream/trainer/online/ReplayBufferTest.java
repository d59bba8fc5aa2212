package dev.segstream.trainer.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.trainer.data.TrainingSample;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {

    private static TrainingSample sample(int w, int h, int tag) {
        return new TrainingSample(w, h, new float[3 * w * h], new byte[] {(byte) tag});
    }

    @Test
    void shouldBatchOnlySameSizedSamplesWhenSizesMix() {
        ReplayBuffer buffer = new ReplayBuffer(10, 1);
        buffer.add(sample(16, 16, 1));
        buffer.add(sample(32, 16, 2));
        buffer.add(sample(16, 16, 3));
        assertThat(buffer.sample(3)).isEmpty();
        List<TrainingSample> batch = buffer.sample(2).orElseThrow();
        assertThat(batch).allSatisfy(s -> assertThat(s.sizeKey()).isEqualTo("16x16"));
    }

    @Test
    void shouldKeepOnlyNewestWhenCapacityExceeded() {
        ReplayBuffer buffer = new ReplayBuffer(2, 1);
        for (int i = 0; i < 5; i++) {
            buffer.add(sample(8, 8, i));
        }
        assertThat(buffer.added()).isEqualTo(5);
        for (int k = 0; k < 20; k++) {
            assertThat(buffer.sample(2).orElseThrow()).allSatisfy(s -> assertThat(s.labels()[0]).isIn((byte) 3, (byte) 4));
        }
    }

    @Test
    void shouldPadWithIgnoreLabelWhenSizeIsNotAMultiple() {
        byte[] rgb = new byte[5 * 3 * 3];
        java.util.Arrays.fill(rgb, (byte) 255);
        byte[] classes = new byte[15];
        java.util.Arrays.fill(classes, (byte) 3);
        TrainingSample s = TrainingSample.of(new RgbImage(5, 3, rgb), new ClassMask(5, 3, classes), 4,
                new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}, 11);
        assertThat(s.width()).isEqualTo(8);
        assertThat(s.height()).isEqualTo(4);
        assertThat(s.labels()[0]).isEqualTo((byte) 3);
        assertThat(s.labels()[5]).isEqualTo((byte) 11);
        assertThat(s.labels()[3 * 8]).isEqualTo((byte) 11);
        assertThat(s.chw()[0]).isEqualTo(1.0f);
        assertThat(s.chw()[5]).isEqualTo(0.0f);
    }

    @Test
    void shouldRejectMaskWhenSizeDiffersFromImage() {
        assertThatThrownBy(() -> TrainingSample.of(new RgbImage(2, 2, new byte[12]), new ClassMask(1, 2, new byte[2]), 2,
                new float[3], new float[] {1, 1, 1}, 11)).isInstanceOf(IllegalArgumentException.class);
    }
}
