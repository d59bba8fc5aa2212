package dev.segstream.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segstream.core.wire.FrameDecoder;
import dev.segstream.core.wire.ImageCodec;
import dev.segstream.core.wire.RgbImage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticSourceTest {

    @Test
    void shouldNameCamerasSynthWhenBuilt() {
        assertThat(new SyntheticSource(4, 32, 24, 42).cameras()).containsExactly("synth-0", "synth-1", "synth-2",
                "synth-3");
    }

    @Test
    void shouldEncodePngFrameAndExactMaskWhenIterating() throws Exception {
        SyntheticSource source = new SyntheticSource(2, 40, 30, 7);
        SourceFrame f = source.frames("synth-1").next();
        assertThat(f.frameId()).isEqualTo("synth-1-000000");
        SyntheticRoadCamera.Frame expected = new SyntheticRoadCamera(8, 40, 30).frame(0);
        RgbImage decoded = new FrameDecoder(1 << 20, 4096, 4096).decode(f.encodedImage());
        assertThat(decoded.rgb()).isEqualTo(expected.image().rgb());
        assertThat(ImageCodec.decodeMaskPng(f.encodedMask()).classes()).isEqualTo(expected.mask().classes());
    }

    @Test
    void shouldGiveIndependentCamerasWhenSeedsDiffer() {
        SyntheticSource source = new SyntheticSource(2, 40, 30, 7);
        assertThat(source.frames("synth-0").next().encodedMask())
                .isNotEqualTo(source.frames("synth-1").next().encodedMask());
    }

    @Test
    void shouldLoopOrEndWhenBounded() {
        Iterator<SourceFrame> looping = new SyntheticSource(1, 8, 6, 1, 2, true).frames("synth-0");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(looping.next().frameId());
        }
        assertThat(ids).containsExactly("synth-0-000000", "synth-0-000001", "synth-0-000000#1");
        Iterator<SourceFrame> ending = new SyntheticSource(1, 8, 6, 1, 2, false).frames("synth-0");
        ending.next();
        ending.next();
        assertThat(ending.hasNext()).isFalse();
    }

    @Test
    void shouldRejectUnknownCameraOrZeroCameras() {
        assertThatThrownBy(() -> new SyntheticSource(1, 8, 6, 1).frames("synth-5"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyntheticSource(0, 8, 6, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
