package dev.segstream.model.numerics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.Locale;
import java.util.Random;

/**
 * Checks the engine's convolution backward-data (the input gradient) for one {@link ConvShape}
 * against a plain-Java double-precision reference that shares no code with libtorch or oneDNN.
 *
 * <p>Why: on some AVX-512 hosts libtorch 2.7.1's oneDNN kernel returns wrong input gradients when
 * the output channels are not a multiple of 16, and reads stale memory while doing so. The check
 * therefore first fills and frees scratch memory of the sizes the kernel is likely to reuse with
 * NaN, so a kernel that reads memory it never wrote shows NaN instead of passing by luck. oneDNN
 * picks other kernels for channels-last tensors ({@link MemoryFormat}), so each layout training can
 * use is its own check.
 */
public final class ConvGradientCheck {

    /** Batch, height and width of the test input: small, non-square so transposed axes show. */
    static final int BATCH = 2;
    static final int HEIGHT = 12;
    static final int WIDTH = 16;
    /** Largest error accepted, relative to the largest reference value (and at least 1). */
    static final double TOLERANCE = 1e-3;

    /**
     * What one check found.
     *
     * @param shape     the convolution
     * @param format    the layout of the conv's input and output gradient
     * @param maxError  largest absolute difference to the reference over the finite values
     * @param scale     largest absolute reference value
     * @param nonFinite how many gradient values were NaN or infinite
     */
    public record Result(ConvShape shape, MemoryFormat format, double maxError, double scale, int nonFinite) {

        /** Whether the engine's gradient is right within {@link #TOLERANCE}. */
        public boolean correct() {
            return nonFinite == 0 && maxError <= TOLERANCE * Math.max(1, scale);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %s max error %.3g (scale %.3g), %d non-finite", shape, format.id(),
                    maxError, scale, nonFinite);
        }
    }

    private ConvGradientCheck() {
    }

    /**
     * Runs the engine's conv backward for {@code shape}, input and output gradient laid out as
     * {@code format}, in a sub-manager of {@code parent}, and compares.
     */
    public static Result check(NDManager parent, ConvShape shape, MemoryFormat format, long seed) {
        Random rng = new Random(seed * 31 + shape.hashCode());
        int ho = shape.outputSize(HEIGHT);
        int wo = shape.outputSize(WIDTH);
        float[] x = gaussian(rng, BATCH * shape.in() * HEIGHT * WIDTH, 1);
        float[] w = gaussian(rng, shape.out() * shape.in() * shape.kernel() * shape.kernel(),
                Math.sqrt(2.0 / (shape.in() * shape.kernel() * shape.kernel())));
        float[] g = gaussian(rng, BATCH * shape.out() * ho * wo, 1);
        float[] dx;
        try (NDManager m = parent.newSubManager()) {
            poison(m, BATCH * shape.in() * HEIGHT * WIDTH, BATCH * roundUp16(shape.in()) * HEIGHT * WIDTH);
            NDArray xa = m.create(x, new Shape(BATCH, shape.in(), HEIGHT, WIDTH));
            NDArray wa = m.create(w, new Shape(shape.out(), shape.in(), shape.kernel(), shape.kernel()));
            NDArray ga = format.apply(m.create(g, new Shape(BATCH, shape.out(), ho, wo)));
            xa.setRequiresGradient(true);
            wa.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                NDArray y = Conv2d.conv2d(format.apply(xa), wa, null, new Shape(shape.stride(), shape.stride()),
                        new Shape(shape.padding(), shape.padding()), new Shape(1, 1), 1).head();
                gc.backward(y.mul(ga).sum());
            }
            dx = xa.getGradient().toFloatArray();
        }
        return compare(shape, format, dx, referenceInputGradient(shape, g, w));
    }

    /** Compares an engine gradient with the reference. */
    static Result compare(ConvShape shape, MemoryFormat format, float[] actual, double[] reference) {
        if (actual.length != reference.length) {
            throw new IllegalArgumentException("gradient has " + actual.length + " values, reference " + reference.length);
        }
        double maxError = 0;
        double scale = 0;
        int nonFinite = 0;
        for (int i = 0; i < actual.length; i++) {
            scale = Math.max(scale, Math.abs(reference[i]));
            if (!Float.isFinite(actual[i])) {
                nonFinite++;
            } else {
                maxError = Math.max(maxError, Math.abs(actual[i] - reference[i]));
            }
        }
        return new Result(shape, format, maxError, scale, nonFinite);
    }

    /**
     * dL/dx of {@code L = sum(conv(x, w) * g)} by the definition: every output gradient value
     * spread back over the input positions its kernel window covered.
     *
     * @param g output gradient (BATCH, out, Ho, Wo)
     * @param w weights (out, in, k, k)
     * @return dx (BATCH, in, HEIGHT, WIDTH)
     */
    static double[] referenceInputGradient(ConvShape s, float[] g, float[] w) {
        int k = s.kernel();
        int ho = s.outputSize(HEIGHT);
        int wo = s.outputSize(WIDTH);
        double[] dx = new double[BATCH * s.in() * HEIGHT * WIDTH];
        for (int n = 0; n < BATCH; n++) {
            for (int co = 0; co < s.out(); co++) {
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        double gv = g[((n * s.out() + co) * ho + oy) * wo + ox];
                        for (int ky = 0; ky < k; ky++) {
                            int y = oy * s.stride() + ky - s.padding();
                            if (y < 0 || y >= HEIGHT) {
                                continue;
                            }
                            for (int kx = 0; kx < k; kx++) {
                                int xx = ox * s.stride() + kx - s.padding();
                                if (xx < 0 || xx >= WIDTH) {
                                    continue;
                                }
                                for (int ci = 0; ci < s.in(); ci++) {
                                    dx[((n * s.in() + ci) * HEIGHT + y) * WIDTH + xx] +=
                                            gv * w[((co * s.in() + ci) * k + ky) * k + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** Fills and frees NaN arrays around the sizes the gradient and its padded layout take. */
    private static void poison(NDManager m, int elements, int paddedElements) {
        try (NDManager junk = m.newSubManager()) {
            for (int base : new int[] {elements, paddedElements}) {
                for (double f = 0.5; f <= 4; f *= 1.25) {
                    junk.full(new Shape(Math.max(1, (long) (base * f))), Float.NaN);
                }
            }
        }
    }

    private static int roundUp16(int c) {
        return (c + 15) / 16 * 16;
    }

    private static float[] gaussian(Random rng, int n, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextGaussian() * std);
        }
        return a;
    }
}
