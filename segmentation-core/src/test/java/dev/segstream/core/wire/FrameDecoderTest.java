package dev.segstream.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    private final FrameDecoder decoder = new FrameDecoder(1 << 20, 4096, 4096);

    static RgbImage gradient(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            rgb[3 * i] = (byte) (i % w);
            rgb[3 * i + 1] = (byte) (i / w);
            rgb[3 * i + 2] = (byte) 200;
        }
        return new RgbImage(w, h, rgb);
    }

    @Test
    void shouldDecodePngExactlyWhenFrameIsValid() throws Exception {
        RgbImage img = gradient(37, 23);
        RgbImage back = decoder.decode(ImageCodec.encodePng(img));
        assertThat(back.width()).isEqualTo(37);
        assertThat(back.height()).isEqualTo(23);
        assertThat(back.rgb()).isEqualTo(img.rgb());
    }

    @Test
    void shouldDecodeJpegWhenFrameIsJpeg() throws Exception {
        RgbImage back = decoder.decode(ImageCodec.encodeJpeg(gradient(64, 48)));
        assertThat(back.width()).isEqualTo(64);
        assertThat(back.height()).isEqualTo(48);
    }

    @Test
    void shouldReportEmptyWhenValueIsNullOrEmpty() {
        assertReason(null, DeadLetterReason.EMPTY);
        assertReason(new byte[0], DeadLetterReason.EMPTY);
    }

    @Test
    void shouldReportUnsupportedFormatWhenValueIsText() {
        assertReason("hello, this is a text file\n".getBytes(StandardCharsets.UTF_8), DeadLetterReason.UNSUPPORTED_FORMAT);
    }

    @Test
    void shouldReportUndecodableWhenPngIsTruncated() {
        byte[] png = ImageCodec.encodePng(gradient(64, 48));
        assertReason(Arrays.copyOf(png, 40), DeadLetterReason.UNDECODABLE);
    }

    @Test
    void shouldReportUndecodableWhenPngBodyIsCorrupt() {
        byte[] png = ImageCodec.encodePng(gradient(64, 48));
        for (int i = 60; i < png.length - 12; i++) {
            png[i] = (byte) (png[i] ^ 0x5a);
        }
        assertReason(png, DeadLetterReason.UNDECODABLE);
    }

    @Test
    void shouldReportOversizedWhenValueExceedsLimit() {
        byte[] png = ImageCodec.encodePng(gradient(64, 48));
        FrameDecoder tight = new FrameDecoder(png.length - 1, 4096, 4096);
        assertThatThrownBy(() -> tight.decode(png)).isInstanceOfSatisfying(FrameDecodeException.class,
                e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.OVERSIZED));
    }

    @Test
    void shouldReportBadDimensionsBeforeDecodingWhenHeaderClaimsHugeImage() {
        byte[] png = ImageCodec.encodePng(gradient(64, 48));
        // Rewrite the IHDR width to 100000 (offset 16, big-endian); the CRC no longer matches,
        // but the limit must fire from the header before any pixel is decoded.
        png[16] = 0;
        png[17] = 1;
        png[18] = (byte) 0x86;
        png[19] = (byte) 0xa0;
        assertReason(png, DeadLetterReason.BAD_DIMENSIONS, DeadLetterReason.UNDECODABLE);
    }

    @Test
    void shouldReportBadDimensionsWhenImageExceedsConfiguredSize() {
        FrameDecoder small = new FrameDecoder(1 << 20, 32, 32);
        assertThatThrownBy(() -> small.decode(ImageCodec.encodePng(gradient(64, 48))))
                .isInstanceOfSatisfying(FrameDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.BAD_DIMENSIONS));
    }

    private void assertReason(byte[] bytes, DeadLetterReason... allowed) {
        assertThatThrownBy(() -> decoder.decode(bytes)).isInstanceOfSatisfying(FrameDecodeException.class,
                e -> assertThat(e.reason()).isIn((Object[]) allowed));
    }
}
