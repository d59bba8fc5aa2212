package dev.segstream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.segstream.core.data.CamVidClasses;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Augmented images and masks stay aligned pixel for pixel. */
class AugmentationTest {

    private static final int W = 40;
    private static final int H = 30;
    private static final int FRAMES = 6;
    private static final float[] MEAN = {0.41f, 0.43f, 0.44f};
    private static final float[] STD = {0.30f, 0.29f, 0.31f};

    /** Raw colour of class k (void included): distinct per class, well inside [0, 1]. */
    private static float[] colour(int k) {
        return new float[] {0.30f + 0.02f * k, 0.55f - 0.017f * k, 0.35f + 0.013f * ((k * 7) % 12)};
    }

    /** Frames whose pixel colour encodes the class: blocks of classes 0..11 shifted per frame. */
    private static byte[] labels() {
        byte[] l = new byte[FRAMES * W * H];
        for (int f = 0; f < FRAMES; f++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    l[f * W * H + y * W + x] = (byte) ((x / 3 + 5 * (y / 4) + f) % (CamVidClasses.VOID + 1));
                }
            }
        }
        return l;
    }

    private static float[] images(byte[] labels) {
        int plane = W * H;
        float[] im = new float[FRAMES * 3 * plane];
        for (int f = 0; f < FRAMES; f++) {
            for (int p = 0; p < plane; p++) {
                float[] c = colour(labels[f * plane + p]);
                for (int ch = 0; ch < 3; ch++) {
                    im[f * 3 * plane + ch * plane + p] = (c[ch] - MEAN[ch]) / STD[ch];
                }
            }
        }
        return im;
    }

    private static Augmentation.Params[] fullParams() {
        Augmentation.Params[] p = Augmentation.draw(Augmentation.Mode.FULL, FRAMES, new Random(7));
        // make sure zoom, flip and jitter all occur, whatever the draw
        p[0] = new Augmentation.Params(true, 1.5f, 0.3f, 0.9f, 1.2f, 0.8f, 1.25f);
        p[1] = new Augmentation.Params(false, 1.23f, 1f, 0f, 0.76f, 1.24f, 0.75f);
        return p;
    }

    @Test
    void shouldKeepEveryPixelsColourMappedToItsLabelWhenZoomingFlippingAndJittering() {
        byte[] labels = labels();
        float[] images = images(labels);
        int[] order = {0, 1, 2, 3, 4, 5};
        Augmentation.Params[] params = fullParams();
        BatchMaker maker = new BatchMaker(images, labels, W, H, FRAMES, 16).normalisation(MEAN, STD);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] xy = maker.make(m, order, 0, FRAMES, params);
            int pw = 48;
            int ph = 32;
            assertThat(xy[0].getShape().getShape()).containsExactly(FRAMES, 3, ph, pw);
            float[] x = xy[0].toFloatArray();
            long[] y = xy[1].toLongArray();
            for (int f = 0; f < FRAMES; f++) {
                Map<Long, float[]> colourOfLabel = new HashMap<>();
                for (int r = 0; r < ph; r++) {
                    for (int c = 0; c < pw; c++) {
                        int p = r * pw + c;
                        long label = y[f * ph * pw + p];
                        float[] px = new float[3];
                        for (int ch = 0; ch < 3; ch++) {
                            px[ch] = x[f * 3 * ph * pw + ch * ph * pw + p];
                        }
                        if (r >= H || c >= W) {
                            assertThat(label).isEqualTo(CamVidClasses.VOID);
                            assertThat(px).containsOnly(0f);
                            continue;
                        }
                        float[] seen = colourOfLabel.putIfAbsent(label, px);
                        if (seen != null) {
                            assertThat(px).as("frame %d pixel (%d,%d) label %d", f, c, r, label)
                                    .containsExactly(seen, within(1e-5f));
                        }
                    }
                }
                // distinct labels keep distinct colours: the colour still identifies the label
                Object[] colours = colourOfLabel.values().stream().map(Arrays::toString).distinct().toArray();
                assertThat(colours).hasSize(colourOfLabel.size());
                if (!params[f].photometric()) {
                    colourOfLabel.forEach((label, px) -> {
                        float[] raw = colour(label.intValue());
                        for (int ch = 0; ch < 3; ch++) {
                            assertThat(px[ch]).isCloseTo((raw[ch] - MEAN[ch]) / STD[ch], within(1e-5f));
                        }
                    });
                }
            }
        }
    }

    @Test
    void shouldZoomIntoACropWhenScaleIsAboveOne() {
        Augmentation.Params p = new Augmentation.Params(false, 1.5f, 1f, 0f, 1, 1, 1);
        int[] xs = Augmentation.columns(p, W, null);
        int[] ys = Augmentation.rows(p, H, null);
        // a 1.5x zoom anchored right-top shows columns 13..39 and rows 0..19, each source pixel up to twice
        assertThat(xs[0]).isEqualTo(13);
        assertThat(xs[W - 1]).isEqualTo(W - 1);
        assertThat(ys[0]).isZero();
        assertThat(ys[H - 1]).isEqualTo(19);
        assertThat(Arrays.stream(xs).distinct().count()).isLessThan(W);
        for (int i = 1; i < W; i++) {
            assertThat(xs[i]).isBetween(xs[i - 1], xs[i - 1] + 1);
        }
    }

    @Test
    void shouldBeTheIdentityWhenNotAugmenting() {
        assertThat(Augmentation.columns(Augmentation.Params.IDENTITY, W, null))
                .containsExactly(java.util.stream.IntStream.range(0, W).toArray());
        int[] mirrored = Augmentation.columns(Augmentation.Params.flipOnly(true), W, null);
        assertThat(mirrored[0]).isEqualTo(W - 1);
        assertThat(mirrored[W - 1]).isZero();
        float[] cm = Augmentation.colourMap(Augmentation.Params.IDENTITY, new float[] {0.5f, 0.5f, 0.5f}, MEAN, STD);
        assertThat(cm).containsExactly(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0}, within(1e-6f));
    }

    @Test
    void shouldDrawTheSameFlipsForFlipAndFullWhenSeedsAreEqual() {
        Augmentation.Params[] flip = Augmentation.draw(Augmentation.Mode.FLIP, 50, new Random(3));
        Augmentation.Params[] full = Augmentation.draw(Augmentation.Mode.FULL, 50, new Random(3));
        Augmentation.Params[] again = Augmentation.draw(Augmentation.Mode.FULL, 50, new Random(3));
        assertThat(Augmentation.draw(Augmentation.Mode.NONE, 50, new Random(3))).isNull();
        for (int i = 0; i < 50; i++) {
            assertThat(full[i].flip()).isEqualTo(flip[i].flip());
            assertThat(flip[i].photometric()).isFalse();
            assertThat(full[i].scale()).isBetween(1f, Augmentation.MAX_SCALE);
            assertThat(full[i].brightness()).isBetween(1 - Augmentation.JITTER, 1 + Augmentation.JITTER);
        }
        assertThat(full).containsExactly(again);
        assertThat(Arrays.stream(full).filter(p -> p.scale() > 1).count()).isBetween(10L, 40L);
    }
}
