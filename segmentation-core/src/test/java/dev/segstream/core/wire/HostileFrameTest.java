package dev.segstream.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fixed corpus against {@link FrameDecoder} under the default limits (16 MiB, 8192x8192):
 * edge-case images that must decode with their size intact, hostile ones that must be refused with
 * the right dead-letter reason, and decompression bombs refused before any pixel is allocated.
 */
class HostileFrameTest {

    /** Allocation allowed for refusing a bomb: ImageIO's reader objects, the header, no pixels. */
    private static final long BOMB_ALLOCATION_LIMIT = 4L << 20;

    private final FrameDecoder decoder = new FrameDecoder(16 * 1024 * 1024, 8192, 8192);

    @BeforeAll
    static void warmUpImageIo() throws Exception {
        // The first decode loads ImageIO's plugin registry; keep that out of the measured allocations.
        new FrameDecoder(1 << 20, 64, 64).decode(HostileCorpus.png(HostileCorpus.noise(4, 4,
                BufferedImage.TYPE_3BYTE_BGR, 1), false));
        new FrameDecoder(1 << 20, 64, 64).decode(HostileCorpus.jpeg(HostileCorpus.noise(4, 4,
                BufferedImage.TYPE_3BYTE_BGR, 1), false));
    }

    @Test
    void shouldDecodeEveryPngKindWhenImageIsValidEdgeCase() throws Exception {
        int[] types = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY,
            BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_BINARY};
        for (int type : types) {
            for (boolean interlaced : new boolean[] {false, true}) {
                BufferedImage img = HostileCorpus.noise(33, 17, type, type);
                byte[] png = HostileCorpus.png(img, interlaced);
                assertThat(HostileCorpus.isInterlaced(png)).as("Adam7 flag of type %d", type).isEqualTo(interlaced);
                RgbImage back = decoder.decode(png);
                assertThat(back.width()).isEqualTo(33);
                assertThat(back.height()).isEqualTo(17);
                // Alpha dropped, grey and palette expanded: the RGB of every pixel is ImageIO's own.
                assertThat(pixel(back, 32, 16)).as("type %d interlaced %s", type, interlaced)
                        .isEqualTo(img.getRGB(32, 16) & 0xffffff);
            }
        }
    }

    @Test
    void shouldDecodeOnePixelImagesWhenFrameIsOneByOne() throws Exception {
        BufferedImage img = HostileCorpus.noise(1, 1, BufferedImage.TYPE_3BYTE_BGR, 5);
        RgbImage png = decoder.decode(HostileCorpus.png(img, false));
        assertThat(pixel(png, 0, 0)).isEqualTo(img.getRGB(0, 0) & 0xffffff);
        RgbImage jpeg = decoder.decode(HostileCorpus.jpeg(img, false));
        assertThat(jpeg.width()).isEqualTo(1);
        assertThat(jpeg.height()).isEqualTo(1);
    }

    @Test
    void shouldDecodeProgressiveJpegWhenFrameIsProgressive() throws Exception {
        byte[] jpeg = HostileCorpus.jpeg(HostileCorpus.noise(50, 30, BufferedImage.TYPE_3BYTE_BGR, 6), true);
        assertThat(HostileCorpus.isProgressive(jpeg)).isTrue();
        RgbImage back = decoder.decode(jpeg);
        assertThat(back.width()).isEqualTo(50);
        assertThat(back.height()).isEqualTo(30);
    }

    @Test
    void shouldDecodeCmykJpegToRgbWhenFrameHasFourChannels() throws Exception {
        // Java 17's JPEG reader takes a four-channel JPEG as CMYK (SimpleCMYKColorSpace, Adobe's
        // inverted convention when there is no Adobe marker) and the decoder converts it through that
        // colour model like any other: the frame is served, with ImageIO's colours.
        byte[] cmyk = HostileCorpus.cmykJpeg(24, 16, new int[] {0, 255, 255, 0});
        RgbImage back = decoder.decode(cmyk);
        assertThat(back.width()).isEqualTo(24);
        assertThat(back.height()).isEqualTo(16);
        BufferedImage viaImageIo = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(cmyk));
        assertThat(viaImageIo.getColorModel().getNumComponents()).isEqualTo(4);
        for (int[] xy : new int[][] {{0, 0}, {12, 8}, {23, 15}}) {
            assertThat(pixel(back, xy[0], xy[1])).isEqualTo(viaImageIo.getRGB(xy[0], xy[1]) & 0xffffff);
        }
        System.out.printf("CMYK JPEG (0,255,255,0) decoded to RGB %06x%n", pixel(back, 12, 8));
    }

    @Test
    void shouldDeadLetterAsUnsupportedFormatWhenBytesAreRandom() {
        Random rng = new Random(11);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[1 + rng.nextInt(2048)];
            rng.nextBytes(bytes);
            bytes[0] = (byte) (bytes[0] == (byte) 0x89 || bytes[0] == (byte) 0xff ? 0 : bytes[0]);
            assertReason(bytes, DeadLetterReason.UNSUPPORTED_FORMAT);
        }
    }

    @Test
    void shouldDeadLetterAsUndecodableWhenRandomBytesFollowMagic() {
        Random rng = new Random(12);
        byte[][] magics = {{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, {(byte) 0xff, (byte) 0xd8, (byte) 0xff}};
        for (byte[] magic : magics) {
            for (int i = 0; i < 100; i++) {
                byte[] bytes = new byte[magic.length + rng.nextInt(2048)];
                rng.nextBytes(bytes);
                System.arraycopy(magic, 0, bytes, 0, magic.length);
                assertReason(bytes, DeadLetterReason.UNDECODABLE, DeadLetterReason.BAD_DIMENSIONS);
            }
        }
    }

    @Test
    void shouldDeadLetterEveryCutWhenPngIsTruncated() {
        byte[] png = HostileCorpus.png(HostileCorpus.noise(64, 48, BufferedImage.TYPE_3BYTE_BGR, 7), false);
        for (int cut = 1; cut < png.length; cut += cut < 64 ? 1 : 97) {
            // A cut inside the 8-byte signature is no longer a PNG at all.
            assertReason(Arrays.copyOf(png, cut), cut < 8 ? DeadLetterReason.UNSUPPORTED_FORMAT
                    : DeadLetterReason.UNDECODABLE);
        }
    }

    @Test
    void shouldDeadLetterEveryCutWhenJpegIsTruncated() {
        byte[] jpeg = HostileCorpus.jpeg(HostileCorpus.noise(64, 48, BufferedImage.TYPE_3BYTE_BGR, 8), false);
        for (int cut = 1; cut < jpeg.length - 2; cut += cut < 64 ? 1 : 41) {
            assertReason(Arrays.copyOf(jpeg, cut), cut < 3 ? DeadLetterReason.UNSUPPORTED_FORMAT
                    : DeadLetterReason.UNDECODABLE);
        }
    }

    @Test
    void shouldRefuseBombsBeforeDecodingPixelsWhenHeaderDeclaresHugeSize() {
        int[][] sizes = {{100_000, 100_000}, {10_000, 10_000}, {8193, 1}, {1, 100_000}, {Integer.MAX_VALUE, 1}};
        for (int[] s : sizes) {
            byte[] bomb = HostileCorpus.declaredPng(s[0], s[1], 2);
            assertThat(bomb.length).isLessThan(200);
            long allocated = allocatedDuring(() -> assertReason(bomb, DeadLetterReason.BAD_DIMENSIONS));
            System.out.printf("PNG declaring %dx%d (%d bytes): bad_dimensions, %.2f MB allocated%n",
                    s[0], s[1], bomb.length, allocated / 1e6);
            assertThat(allocated).as("bytes allocated refusing %dx%d", s[0], s[1]).isLessThan(BOMB_ALLOCATION_LIMIT);
        }
        byte[] jpegBomb = HostileCorpus.declaredJpeg(60_000, 60_000);
        long allocated = allocatedDuring(() -> assertReason(jpegBomb, DeadLetterReason.BAD_DIMENSIONS));
        System.out.printf("JPEG declaring 60000x60000: bad_dimensions, %.2f MB allocated%n", allocated / 1e6);
        assertThat(allocated).isLessThan(BOMB_ALLOCATION_LIMIT);
    }

    @Test
    void shouldDeadLetterAsBadDimensionsWhenRealImageIsTenThousandSquare() {
        // 1-bit so the test image itself stays small (12.5 MB raster, a few kB of PNG).
        BufferedImage huge = new BufferedImage(10_000, 10_000, BufferedImage.TYPE_BYTE_BINARY);
        byte[] png = HostileCorpus.png(huge, false);
        long allocated = allocatedDuring(() -> assertReason(png, DeadLetterReason.BAD_DIMENSIONS));
        assertThat(allocated).isLessThan(BOMB_ALLOCATION_LIMIT);
    }

    @Test
    void shouldDeadLetterAsBadDimensionsWhenHeaderDeclaresZeroSize() {
        assertReason(HostileCorpus.declaredPng(0, 10, 0), DeadLetterReason.BAD_DIMENSIONS, DeadLetterReason.UNDECODABLE);
        assertReason(HostileCorpus.declaredJpeg(0, 10), DeadLetterReason.BAD_DIMENSIONS, DeadLetterReason.UNDECODABLE);
    }

    private void assertReason(byte[] bytes, DeadLetterReason... allowed) {
        assertThatThrownBy(() -> decoder.decode(bytes)).as("%d bytes starting %s", bytes.length,
                        Arrays.toString(Arrays.copyOf(bytes, Math.min(8, bytes.length))))
                .isInstanceOfSatisfying(FrameDecodeException.class, e -> assertThat(e.reason()).isIn((Object[]) allowed));
    }

    private static int pixel(RgbImage img, int x, int y) {
        int i = (y * img.width() + x) * 3;
        return (img.rgb()[i] & 0xff) << 16 | (img.rgb()[i + 1] & 0xff) << 8 | (img.rgb()[i + 2] & 0xff);
    }

    /** Bytes this thread allocated while running {@code action}. */
    static long allocatedDuring(Runnable action) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        action.run();
        long after = threads.getThreadAllocatedBytes(id);
        if (before < 0 || after < 0) {
            fail("thread allocation measurement is not supported by this JVM");
        }
        return after - before;
    }
}
