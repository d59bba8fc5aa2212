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

    @Test
    void shouldWriteMaskPngThatImageIoReadsAsGreyWhenSizeIsOdd() throws Exception {
        byte[] classes = new byte[37 * 23];
        new java.util.Random(3).nextBytes(classes);
        byte[] png = ImageCodec.encodeMaskPng(new ClassMask(37, 23, classes));
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertThat(img.getType()).isEqualTo(java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        assertThat(img.getWidth()).isEqualTo(37);
        assertThat(img.getHeight()).isEqualTo(23);
        assertThat(((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData()).isEqualTo(classes);
    }

    @Test
    void shouldReadRgbExactlyWhenImageHasAlphaOrIsASubimage() {
        java.awt.image.BufferedImage abgr = new java.awt.image.BufferedImage(5, 4,
                java.awt.image.BufferedImage.TYPE_4BYTE_ABGR);
        abgr.setRGB(2, 1, 0x80123456);
        abgr.setRGB(4, 3, 0xff0a0b0c);
        RgbImage rgb = RgbImage.of(abgr);
        int p = (1 * 5 + 2) * 3;
        assertThat(new byte[] {rgb.rgb()[p], rgb.rgb()[p + 1], rgb.rgb()[p + 2]}).containsExactly(0x12, 0x34, 0x56);
        java.awt.image.BufferedImage sub = abgr.getSubimage(2, 1, 3, 3);
        RgbImage s = RgbImage.of(sub);
        assertThat(s.width()).isEqualTo(3);
        assertThat(new byte[] {s.rgb()[0], s.rgb()[1], s.rgb()[2]}).containsExactly(0x12, 0x34, 0x56);
        int q = (2 * 3 + 2) * 3;
        assertThat(new byte[] {s.rgb()[q], s.rgb()[q + 1], s.rgb()[q + 2]}).containsExactly(0x0a, 0x0b, 0x0c);
    }
}
