package dev.segstream.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void shouldRoundTripMaskPngWhenValuesAreClassIndices() {
        byte[] classes = new byte[13 * 7];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = (byte) (i % 12);
        }
        ClassMask mask = new ClassMask(13, 7, classes);
        byte[] png = ImageCodec.encodeMaskPng(mask);
        assertThat(ImageFormat.detect(png)).contains(ImageFormat.PNG);
        ClassMask back = ImageCodec.decodeMaskPng(png);
        assertThat(back.width()).isEqualTo(13);
        assertThat(back.height()).isEqualTo(7);
        assertThat(back.classes()).isEqualTo(classes);
    }

    @Test
    void shouldRoundTripLabelledFrameWhenSerialized() {
        LabelledFrameSerde serde = new LabelledFrameSerde();
        LabelledFrame frame = new LabelledFrame(new byte[] {1, 2, 3}, new byte[] {4, 5});
        LabelledFrame back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", frame));
        assertThat(back.image()).containsExactly(1, 2, 3);
        assertThat(back.mask()).containsExactly(4, 5);
    }

    @Test
    void shouldRejectLabelledFrameWhenTruncatedOrForeign() {
        LabelledFrameSerde serde = new LabelledFrameSerde();
        byte[] bytes = serde.serializer().serialize("t", new LabelledFrame(new byte[100], new byte[10]));
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", Arrays.copyOf(bytes, 50)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", "not a frame".getBytes()))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldDetectFormatWhenMagicBytesMatch() {
        assertThat(ImageFormat.detect(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0})).contains(ImageFormat.JPEG);
        assertThat(ImageFormat.detect("GIF89a".getBytes())).isEmpty();
        assertThat(ImageFormat.detect(new byte[0])).isEmpty();
    }

    @Test
    void shouldFallBackToSourceCoordinatesWhenFrameIdIsAbsent() {
        RecordHeaders headers = new RecordHeaders();
        assertThat(FrameHeaders.frameIdOrSource(headers, "frames", 3, 17)).isEqualTo("frames-3-17");
        FrameHeaders.put(headers, FrameHeaders.FRAME_ID, "cam1-0042");
        assertThat(FrameHeaders.frameIdOrSource(headers, "frames", 3, 17)).isEqualTo("cam1-0042");
        FrameHeaders.put(headers, FrameHeaders.FRAME_TS, "not-a-number");
        assertThat(FrameHeaders.number(headers, FrameHeaders.FRAME_TS)).isEmpty();
    }
}
