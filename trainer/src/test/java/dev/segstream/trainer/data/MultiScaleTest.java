package dev.segstream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.segstream.core.data.CamVidLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Multi-scale frames cut from CamVid 240x180 for 128x96 training: aligned, exact labels, seeded. */
class MultiScaleTest {

    private static final float[] MEAN = {0, 0, 0};
    private static final float[] STD = {1, 1, 1};
    private static final int FRAMES = 12;
    private static CamVidData low;
    private static CamVidData high;

    @BeforeAll
    static void read() {
        Path shared = CamVidLayout.sharedDataDir();
        Assumptions.assumeTrue(Files.isRegularFile(shared.resolve("camvid-240x180/train.txt"))
                        && Files.isRegularFile(shared.resolve("camvid-128x96/train.txt")),
                "CamVid 128x96 and 240x180 not found under " + shared.toAbsolutePath()
                        + " (set -Dsegstream.shared.data); skipping");
        low = CamVidData.read(shared.resolve("camvid-128x96"), "train", FRAMES);
        high = CamVidData.read(shared.resolve("camvid-240x180"), "train", FRAMES);
    }

    @Test
    void shouldLookLikeTheServingFrameWhenTheWindowIsTheWholeFrame() {
        MultiScale m = new MultiScale(high, low, MEAN, STD);
        int plane = low.width() * low.height();
        double absDiff = 0;
        int sameLabel = 0;
        for (int f = 0; f < FRAMES; f++) {
            m.cut(f, 1, 0.5f, 0.5f);
            java.awt.image.BufferedImage served = low.image(f);
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < plane; i++) {
                    int y = i / low.width();
                    int x = i % low.width();
                    int rgb = served.getRGB(x, y);
                    float expected = ((rgb >> (16 - 8 * c)) & 0xff) / 255f;
                    absDiff += Math.abs(m.images()[f * 3 * plane + c * plane + i] - expected);
                }
            }
            byte[] truth = low.labels(f);
            for (int i = 0; i < plane; i++) {
                sameLabel += m.labels()[f * plane + i] == truth[i] ? 1 : 0;
            }
        }
        double meanAbs255 = absDiff / (3.0 * plane * FRAMES) * 255;
        double agreement = sameLabel / (double) (plane * FRAMES);
        System.out.printf("whole-frame cut vs the data set's 128x96: mean |diff| %.2f / 255, labels agree %.3f%n",
                meanAbs255, agreement);
        assertThat(meanAbs255).as("box-averaged like the 128x96 copy").isLessThan(6);
        assertThat(agreement).as("same labels but at class borders").isGreaterThan(0.9);
    }

    @Test
    void shouldCopyPixelsAndLabelsExactlyWhenZoomedOneToOne() {
        MultiScale m = new MultiScale(high, low, MEAN, STD);
        assertThat(m.maxZoom()).isEqualTo(240 / 128f);
        m.cut(3, m.maxZoom(), 0.5f, 0.5f);
        int plane = low.width() * low.height();
        byte[] source = high.labels(3);
        java.awt.image.BufferedImage source3 = high.image(3);
        int x0 = (240 - 128) / 2;
        int y0 = (180 - 96) / 2;
        for (int y = 0; y < low.height(); y++) {
            for (int x = 0; x < low.width(); x++) {
                assertThat(m.labels()[3 * plane + y * low.width() + x]).isEqualTo(source[(y0 + y) * 240 + x0 + x]);
                int rgb = source3.getRGB(x0 + x, y0 + y);
                assertThat(m.images()[3 * 3 * plane + y * low.width() + x]).isEqualTo(((rgb >> 16) & 0xff) / 255f);
            }
        }
    }

    @Test
    void shouldDrawTheSameWindowsWhenSeededAlike() {
        MultiScale a = new MultiScale(high, low, MEAN, STD);
        a.cut(new Random(7));
        byte[] first = a.labels().clone();
        float[] firstImages = a.images().clone();
        a.cut(new Random(7));
        assertThat(a.labels()).isEqualTo(first);
        assertThat(a.images()).isEqualTo(firstImages);
        a.cut(new Random(8));
        assertThat(a.labels()).isNotEqualTo(first);
    }

    @Test
    void shouldRefuseWhenTheFramesAreNotTheSame() {
        CamVidData fewer = CamVidData.read(CamVidLayout.sharedDataDir().resolve("camvid-240x180"), "train", FRAMES - 1);
        assertThatThrownBy(() -> new MultiScale(fewer, low, MEAN, STD)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("11 training frames");
        assertThatThrownBy(() -> new MultiScale(low, high, MEAN, STD)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a larger copy");
    }
}
