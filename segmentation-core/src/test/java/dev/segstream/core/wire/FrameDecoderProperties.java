package dev.segstream.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the bytes, {@link FrameDecoder#decode} returns an image within its limits or throws
 * {@link FrameDecodeException} with a reason: never another exception, never a hang (each try runs
 * under a timeout). Inputs: arbitrary bytes, arbitrary bytes behind PNG/JPEG magic, and valid
 * PNG/JPEG frames mutated by bit flips, truncation and corrupted chunk lengths.
 */
class FrameDecoderProperties {

    private static final int MAX_SIDE = 512;
    private static final FrameDecoder DECODER = new FrameDecoder(1 << 20, MAX_SIDE, MAX_SIDE);
    private static final byte[] PNG = HostileCorpus.png(HostileCorpus.noise(40, 30, BufferedImage.TYPE_3BYTE_BGR, 1), false);
    private static final byte[] PNG_ADAM7 = HostileCorpus.png(HostileCorpus.noise(40, 30, BufferedImage.TYPE_INT_ARGB, 2), true);
    private static final byte[] JPEG = HostileCorpus.jpeg(HostileCorpus.noise(40, 30, BufferedImage.TYPE_3BYTE_BGR, 3), false);
    private static final byte[] JPEG_PROGRESSIVE = HostileCorpus.jpeg(HostileCorpus.noise(40, 30, BufferedImage.TYPE_3BYTE_BGR, 4), true);

    @Property(tries = 1000)
    void shouldDecodeWithinLimitsOrRefuseWithReasonWhenBytesAreArbitrary(@ForAll @Size(max = 4096) byte[] bytes) {
        assertDecodesOrRefuses(bytes);
    }

    @Property(tries = 1000)
    void shouldDecodeWithinLimitsOrRefuseWithReasonWhenMagicPrecedesGarbage(
            @ForAll("magic") byte[] magic, @ForAll @Size(max = 2048) byte[] tail) {
        byte[] bytes = Arrays.copyOf(magic, magic.length + tail.length);
        System.arraycopy(tail, 0, bytes, magic.length, tail.length);
        assertDecodesOrRefuses(bytes);
    }

    @Property(tries = 1000)
    void shouldDecodeWithinLimitsOrRefuseWithReasonWhenValidFrameHasBitFlips(
            @ForAll("valid") byte[] valid, @ForAll @Size(min = 1, max = 8) List<@IntRange(max = 1 << 20) Integer> flips) {
        byte[] bytes = valid.clone();
        for (int f : flips) {
            int i = f % (bytes.length * 8);
            bytes[i / 8] ^= (byte) (1 << (i % 8));
        }
        assertDecodesOrRefuses(bytes);
    }

    @Property(tries = 500)
    void shouldRefuseOrDecodeEveryPixelWhenValidFrameIsTruncated(@ForAll("valid") byte[] valid,
                                                                 @ForAll @IntRange(min = 1, max = 1 << 20) int cut)
            throws Exception {
        byte[] bytes = Arrays.copyOf(valid, 1 + cut % (valid.length - 1));
        Object outcome = outcome(bytes);
        if (outcome instanceof RgbImage img) {
            // Only a cut of the trailer (PNG's IEND) may decode, and then to the very same pixels.
            assertThat(img.rgb()).as("pixels of a frame cut at %d of %d", bytes.length, valid.length)
                    .isEqualTo(DECODER.decode(valid).rgb());
        } else {
            assertThat(outcome).isInstanceOf(FrameDecodeException.class);
        }
    }

    @Property(tries = 500)
    void shouldDecodeWithinLimitsOrRefuseWithReasonWhenPngChunkLengthIsCorrupt(
            @ForAll @IntRange(max = 16) int chunkIndex, @ForAll int length, @ForAll boolean adam7) {
        byte[] bytes = (adam7 ? PNG_ADAM7 : PNG).clone();
        int at = 8;
        for (int i = 0; i < chunkIndex && at + 8 <= bytes.length; i++) {
            int len = ByteBuffer.wrap(bytes, at, 4).getInt();
            at += 12 + len;
        }
        if (at + 4 <= bytes.length) {
            ByteBuffer.wrap(bytes, at, 4).putInt(length);
        }
        assertDecodesOrRefuses(bytes);
    }

    @Provide
    Arbitrary<byte[]> magic() {
        return Arbitraries.of(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
                new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff},
                Arrays.copyOf(PNG, 33), Arrays.copyOf(JPEG, 200));
    }

    @Provide
    Arbitrary<byte[]> valid() {
        return Arbitraries.of(PNG, PNG_ADAM7, JPEG, JPEG_PROGRESSIVE);
    }

    private static void assertDecodesOrRefuses(byte[] bytes) {
        Object outcome = outcome(bytes);
        if (outcome instanceof RgbImage img) {
            assertThat(img.width()).isBetween(1, MAX_SIDE);
            assertThat(img.height()).isBetween(1, MAX_SIDE);
            assertThat(img.rgb()).hasSize(img.width() * img.height() * 3);
        } else {
            assertThat(outcome).isInstanceOf(FrameDecodeException.class);
            assertThat(((FrameDecodeException) outcome).reason()).isNotNull();
            assertThat(((FrameDecodeException) outcome).getMessage()).isNotBlank();
        }
    }

    /** The image, or the exception decoding threw (of any type); fails the try after 5 s. */
    private static Object outcome(byte[] bytes) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try {
                return DECODER.decode(bytes);
            } catch (Exception e) {
                return e;
            }
        }, () -> "decoding " + bytes.length + " bytes hung");
    }
}
