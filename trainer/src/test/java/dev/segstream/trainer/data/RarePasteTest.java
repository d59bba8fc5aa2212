package dev.segstream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.segstream.core.data.CamVidClasses;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Thin-class copy-paste: what is pasted, where, and what is left alone. */
class RarePasteTest {

    private static final int W = 12;
    private static final int H = 8;

    /**
     * Frame 0: all road, pixel value 0. Frame 1: sky with a pole in column 2 and a pedestrian at
     * (9, 5), pixel value 10 + the pixel's index, so every pasted pixel tells where it came from.
     */
    private static byte[] labels() {
        byte[] l = new byte[2 * W * H];
        for (int p = 0; p < W * H; p++) {
            l[p] = CamVidClasses.ROAD;
            int x = p % W;
            int y = p / W;
            l[W * H + p] = (byte) (x == 2 ? CamVidClasses.POLE : x == 9 && y == 5 ? CamVidClasses.PEDESTRIAN
                    : CamVidClasses.SKY);
        }
        return l;
    }

    private static float[] images() {
        float[] im = new float[2 * 3 * W * H];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < W * H; p++) {
                im[(3 + c) * W * H + p] = 10 + p;
            }
        }
        return im;
    }

    @Test
    void shouldPasteOnlyTheThinClassPixelsWithTheirImageWhenAFrameIsDrawnForPaste() {
        BatchMaker maker = new BatchMaker(images(), labels(), W, H, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] xy = maker.make(m, new int[] {0, 1}, 0, 2, (Augmentation.Params[]) null, new int[] {1, -1});
            long[] y = xy[1].toLongArray();
            float[] x = xy[0].toFloatArray();
            for (int p = 0; p < W * H; p++) {
                int col = p % W;
                boolean thin = col == 2 || p == 5 * W + 9;
                assertThat(y[p]).as("label at %d", p).isEqualTo(thin ? labels()[W * H + p] : CamVidClasses.ROAD);
                for (int c = 0; c < 3; c++) {
                    assertThat(x[c * W * H + p]).as("pixel at %d", p).isEqualTo(thin ? 10f + p : 0f);
                }
                // the source frame itself is unchanged
                assertThat(y[W * H + p]).isEqualTo(labels()[W * H + p]);
            }
        }
    }

    @Test
    void shouldPasteThroughTheReceivingFramesFlipWhenItIsMirrored() {
        BatchMaker maker = new BatchMaker(images(), labels(), W, H, 1);
        Augmentation.Params[] flip = {new Augmentation.Params(true, 1, 0, 0, 1, 1, 1)};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] xy = maker.make(m, new int[] {0}, 0, 1, flip, new int[] {1});
            long[] y = xy[1].toLongArray();
            float[] x = xy[0].toFloatArray();
            // the pole moves from column 2 to column W - 1 - 2, the pedestrian from (9, 5) to (2, 5)
            assertThat(y[3 * W + (W - 3)]).isEqualTo(CamVidClasses.POLE);
            assertThat(x[3 * W + (W - 3)]).isEqualTo(10f + 3 * W + 2);
            assertThat(y[5 * W + 2]).isEqualTo(CamVidClasses.PEDESTRIAN);
            assertThat(y[3 * W + 2]).isEqualTo(CamVidClasses.ROAD);
        }
    }

    @Test
    void shouldDrawNothingAndPasteNothingWhenTheShareIsZero() {
        Random a = new Random(5);
        Random b = new Random(5);
        assertThat(RarePaste.draw(0, new int[100], a)).isNull();
        assertThat(a.nextLong()).as("no draw consumed").isEqualTo(b.nextLong());
    }

    @Test
    void shouldPasteFromAnotherFrameOntoAboutTheShareOfFramesWhenDrawn() {
        int n = 2000;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (i * 7) % n;
        }
        int[] from = RarePaste.draw(0.5, order, new Random(11));
        int drawn = 0;
        for (int k = 0; k < n; k++) {
            if (from[k] >= 0) {
                drawn++;
                assertThat(from[k]).isNotEqualTo(order[k]).isBetween(0, n - 1);
            }
        }
        assertThat(drawn).isBetween(900, 1100);
    }
}
