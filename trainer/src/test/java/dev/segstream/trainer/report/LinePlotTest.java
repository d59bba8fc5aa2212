package dev.segstream.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {

    private static final Color RED = new Color(214, 39, 40);
    private static final Color BLUE = new Color(31, 119, 180);

    @TempDir
    Path dir;

    private static LinePlot twoSeries() {
        return new LinePlot("Validation mIoU", "epoch", "mIoU")
                .add(new LinePlot.Series("vanilla", BLUE, new double[] {1, 2, 3, 4, 5}, new double[] {0.1, 0.2, 0.3, 0.35, 0.4}))
                .add(new LinePlot.Series("attention", RED, new double[] {1, 2, 3, 4}, new double[] {0.4, 0.3, Double.NaN, 0.1}));
    }

    private static int count(BufferedImage img, Color c) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) == (c.getRGB() & 0xffffff)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void shouldWritePngOfRequestedSizeWithPixelsOfEverySeriesWhenTwoSeriesArePlotted() throws Exception {
        Path png = dir.resolve("sub/plot.png");
        twoSeries().write(png, 640, 400);

        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(640);
        assertThat(img.getHeight()).isEqualTo(400);
        // the legend swatch alone is 22x4 = 88 pixels; the line and markers add hundreds more
        assertThat(count(img, BLUE)).isGreaterThan(300);
        assertThat(count(img, RED)).isGreaterThan(200);
        assertThat(count(img, LinePlot.BACKGROUND)).isGreaterThan(640 * 400 / 2);
    }

    @Test
    void shouldDrawSinglePointWhenSeriesHasOneEpoch() {
        BufferedImage img = new LinePlot("t", "epoch", "loss")
                .add(new LinePlot.Series("one", BLUE, new double[] {1}, new double[] {0.7})).render(300, 200);
        assertThat(count(img, BLUE)).isGreaterThan(88 + 20);
    }

    @Test
    void shouldChooseOneTwoFiveTicksWhenRangeIsArbitrary() {
        Axis a = Axis.of(java.util.List.of(0.13, 0.87), false, false);
        assertThat(a.step()).isEqualTo(0.2);
        assertThat(a.ticks()).containsExactly(0.2, 0.4, 0.6000000000000001, 0.8);
        assertThat(a.format(0.4)).isEqualTo("0.4");
    }

    @Test
    void shouldUseWholeEpochTicksWhenXValuesAreIntegers() {
        assertThat(Axis.of(java.util.List.of(1.0, 3.0), false, true).ticks()).containsExactly(1.0, 2.0, 3.0);
    }

    @Test
    void shouldRejectSizeWhenTooSmallForAxes() {
        assertThatThrownBy(() -> twoSeries().render(50, 50)).isInstanceOf(IllegalArgumentException.class);
    }
}
