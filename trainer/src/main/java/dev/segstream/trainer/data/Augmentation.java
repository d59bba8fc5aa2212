package dev.segstream.trainer.data;

import dev.segstream.core.config.SettingValue;
import java.util.Locale;
import java.util.Random;

/**
 * Training-time augmentation that keeps masks exact: every output pixel of the image and of the
 * mask comes from the same source pixel (nearest neighbour through one pair of row and column
 * index maps), so the label of every image pixel is exactly the label of the pixel it shows.
 *
 * <ul>
 *   <li>{@code none}: frames as they are.</li>
 *   <li>{@code flip}: left-right mirror with probability 1/2.</li>
 *   <li>{@code full}: the flip, then with probability {@value #SCALE_PROBABILITY} a random
 *       scale in [1, {@value #MAX_SCALE}] with a random crop back to the training size (zoom in),
 *       and photometric jitter of the image only: brightness, contrast and saturation factors
 *       each uniform in [1 - {@value #JITTER}, 1 + {@value #JITTER}].</li>
 * </ul>
 *
 * <p>The jitter is one 3x3 colour matrix plus offset per frame (brightness and contrast scale,
 * saturation mixes towards the pixel's luma), applied to the normalised pixels after conjugating
 * by the normalisation, and clamped to the normalised image of [0, 1].
 */
public final class Augmentation {

    /** Largest zoom factor of {@code full}. */
    static final float MAX_SCALE = 1.5f;
    /** Share of frames {@code full} zooms into. */
    static final double SCALE_PROBABILITY = 0.5;
    /** Half-width of the brightness, contrast and saturation factor ranges of {@code full}. */
    static final float JITTER = 0.25f;
    /** ITU-R BT.601 luma weights (as torchvision's grayscale). */
    private static final float[] LUMA = {0.299f, 0.587f, 0.114f};

    /** What is applied. */
    public enum Mode implements SettingValue {
        NONE, FLIP, FULL;

        /** The value as the {@code augment} setting spells it. */
        @Override
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses a setting value, ignoring case. */
        public static Mode parse(String s) {
            return SettingValue.parse(Mode.class, "augment", s);
        }

        static String names() {
            return SettingValue.validNames(Mode.class);
        }
    }

    /**
     * The augmentation of one frame.
     *
     * @param flip       mirror left-right
     * @param scale      zoom factor, at least 1 (1 = no crop)
     * @param offsetX    left edge of the crop as a fraction of the free width, in [0, 1]
     * @param offsetY    top edge of the crop as a fraction of the free height, in [0, 1]
     * @param brightness brightness factor (1 = unchanged)
     * @param contrast   contrast factor around the frame's mean luma (1 = unchanged)
     * @param saturation saturation factor (1 = unchanged, 0 = grey)
     */
    public record Params(boolean flip, float scale, float offsetX, float offsetY, float brightness, float contrast,
                  float saturation) {

        static final Params IDENTITY = new Params(false, 1, 0, 0, 1, 1, 1);

        static Params flipOnly(boolean flip) {
            return new Params(flip, 1, 0, 0, 1, 1, 1);
        }

        boolean geometric() {
            return flip || scale != 1;
        }

        boolean photometric() {
            return brightness != 1 || contrast != 1 || saturation != 1;
        }
    }

    private Augmentation() {
    }

    /**
     * One {@link Params} per frame for {@code mode}, or {@code null} for {@code none}. Flips are
     * drawn first, one {@code nextBoolean} per frame, so {@code flip} and {@code full} mirror the
     * same frames for the same seed.
     */
    public static Params[] draw(Mode mode, int frames, Random rng) {
        if (mode == Mode.NONE) {
            return null;
        }
        Params[] p = new Params[frames];
        boolean[] flips = new boolean[frames];
        for (int i = 0; i < frames; i++) {
            flips[i] = rng.nextBoolean();
        }
        for (int i = 0; i < frames; i++) {
            if (mode == Mode.FLIP) {
                p[i] = Params.flipOnly(flips[i]);
                continue;
            }
            boolean zoom = rng.nextDouble() < SCALE_PROBABILITY;
            float scale = zoom ? 1 + (MAX_SCALE - 1) * rng.nextFloat() : 1;
            float ox = rng.nextFloat();
            float oy = rng.nextFloat();
            float b = 1 + JITTER * (2 * rng.nextFloat() - 1);
            float c = 1 + JITTER * (2 * rng.nextFloat() - 1);
            float s = 1 + JITTER * (2 * rng.nextFloat() - 1);
            p[i] = new Params(flips[i], scale, ox, oy, b, c, s);
        }
        return p;
    }

    /**
     * Source column of each output column (length {@code width}): the crop's columns stretched
     * to the full width, nearest neighbour, mirrored when flipping.
     */
    static int[] columns(Params p, int width, int[] into) {
        int[] xs = into != null && into.length == width ? into : new int[width];
        axis(p.scale(), p.offsetX(), width, xs);
        if (p.flip()) {
            for (int i = 0, j = width - 1; i < j; i++, j--) {
                int t = xs[i];
                xs[i] = xs[j];
                xs[j] = t;
            }
        }
        return xs;
    }

    /** Source row of each output row (length {@code height}). */
    static int[] rows(Params p, int height, int[] into) {
        int[] ys = into != null && into.length == height ? into : new int[height];
        axis(p.scale(), p.offsetY(), height, ys);
        return ys;
    }

    private static void axis(float scale, float offset, int n, int[] out) {
        double window = n / (double) scale;
        double start = offset * (n - window);
        double step = window / n;
        for (int i = 0; i < n; i++) {
            int s = (int) Math.floor(start + (i + 0.5) * step);
            out[i] = Math.min(n - 1, Math.max(0, s));
        }
    }

    /**
     * The jitter of {@code p} as an affine map of normalised pixels: 12 floats, the row-major 3x3
     * matrix then the offset, so that {@code out[c] = sum_k m[3c+k] * in[k] + m[9+c]}.
     *
     * @param frameMean the frame's per-channel mean in [0, 1] (for the contrast's pivot)
     * @param mean      normalisation mean per channel
     * @param std       normalisation std per channel
     */
    static float[] colourMap(Params p, float[] frameMean, float[] mean, float[] std) {
        // raw space (v in [0,1]): v' = b*c*S v + (1-c)*b*mu, S = s*I + (1-s)*1*luma^T, mu = luma . frameMean
        double b = p.brightness();
        double c = p.contrast();
        double s = p.saturation();
        double mu = 0;
        for (int k = 0; k < 3; k++) {
            mu += LUMA[k] * frameMean[k];
        }
        double[][] m = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                m[i][k] = b * c * ((i == k ? s : 0) + (1 - s) * LUMA[k]);
            }
        }
        double t = (1 - c) * b * mu;
        // normalised space (n = (v - mean) / std): n' = D M D^-1 n + D (M mean + t - mean)
        float[] out = new float[12];
        for (int i = 0; i < 3; i++) {
            double shift = t - mean[i];
            for (int k = 0; k < 3; k++) {
                out[3 * i + k] = (float) (m[i][k] * std[k] / std[i]);
                shift += m[i][k] * mean[k];
            }
            out[9 + i] = (float) (shift / std[i]);
        }
        return out;
    }
}
