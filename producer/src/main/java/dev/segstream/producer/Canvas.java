package dev.segstream.producer;

/**
 * Pixel and class buffers painted together: every write sets the colour and the class of the
 * same pixel, so the mask is exact by construction. A pixel belongs to a shape when its centre
 * ({@code x + 0.5, y + 0.5}) lies inside the shape.
 */
final class Canvas {

    final int width;
    final int height;
    final byte[] rgb;
    final byte[] classes;
    private final long noiseSalt;
    private final int noiseAmplitude;

    Canvas(int width, int height, long noiseSalt, int noiseAmplitude) {
        this.width = width;
        this.height = height;
        this.rgb = new byte[width * height * 3];
        this.classes = new byte[width * height];
        this.noiseSalt = noiseSalt;
        this.noiseAmplitude = noiseAmplitude;
    }

    /** Sets pixel (x, y) to class {@code cls} and colour {@code 0xRRGGBB} plus sensor noise. */
    void put(int x, int y, int cls, int colour) {
        int i = y * width + x;
        classes[i] = (byte) cls;
        int n = noiseAmplitude == 0 ? 0
                : (int) Math.floorMod(mix(noiseSalt + x * 0x9E3779B97F4A7C15L + y * 0xC2B2AE3D27D4EB4FL),
                        2L * noiseAmplitude + 1) - noiseAmplitude;
        rgb[3 * i] = (byte) clamp((colour >> 16 & 0xff) + n);
        rgb[3 * i + 1] = (byte) clamp((colour >> 8 & 0xff) + n);
        rgb[3 * i + 2] = (byte) clamp((colour & 0xff) + n);
    }

    /** Fills the screen rectangle [x0, x1) x [y0, y1) (fractional pixel coordinates). */
    void box(double x0, double x1, double y0, double y1, int cls, int colour) {
        int ix0 = firstCovered(x0, width);
        int ix1 = lastCovered(x1, width);
        int iy0 = firstCovered(y0, height);
        int iy1 = lastCovered(y1, height);
        for (int y = iy0; y <= iy1; y++) {
            for (int x = ix0; x <= ix1; x++) {
                put(x, y, cls, colour);
            }
        }
    }

    /** Fills the ellipse centred at (cx, cy) with radii rx, ry (fractional pixel coordinates). */
    void ellipse(double cx, double cy, double rx, double ry, int cls, int colour) {
        if (!(rx > 0) || !(ry > 0)) {
            return;
        }
        int ix0 = firstCovered(cx - rx, width);
        int ix1 = lastCovered(cx + rx, width);
        int iy0 = firstCovered(cy - ry, height);
        int iy1 = lastCovered(cy + ry, height);
        for (int y = iy0; y <= iy1; y++) {
            double dy = (y + 0.5 - cy) / ry;
            for (int x = ix0; x <= ix1; x++) {
                double dx = (x + 0.5 - cx) / rx;
                if (dx * dx + dy * dy <= 1.0) {
                    put(x, y, cls, colour);
                }
            }
        }
    }

    /** First pixel index whose centre is at or after {@code from}, clamped to [0, size]. */
    private static int firstCovered(double from, int size) {
        double v = Math.ceil(from - 0.5);
        return (int) Math.max(0, Math.min(size, v));
    }

    /** Last pixel index whose centre is before {@code to}, clamped to [-1, size - 1]. */
    private static int lastCovered(double to, int size) {
        double v = Math.ceil(to - 0.5) - 1;
        return (int) Math.max(-1, Math.min(size - 1, v));
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }

    /** Blends two 0xRRGGBB colours: {@code t = 0} gives {@code a}, {@code t = 1} gives {@code b}. */
    static int blend(int a, int b, double t) {
        double u = Math.max(0, Math.min(1, t));
        int r = (int) Math.round((a >> 16 & 0xff) * (1 - u) + (b >> 16 & 0xff) * u);
        int g = (int) Math.round((a >> 8 & 0xff) * (1 - u) + (b >> 8 & 0xff) * u);
        int bl = (int) Math.round((a & 0xff) * (1 - u) + (b & 0xff) * u);
        return r << 16 | g << 8 | bl;
    }

    /** Scales the brightness of a 0xRRGGBB colour. */
    static int shade(int colour, double factor) {
        int r = clamp((int) Math.round((colour >> 16 & 0xff) * factor));
        int g = clamp((int) Math.round((colour >> 8 & 0xff) * factor));
        int b = clamp((int) Math.round((colour & 0xff) * factor));
        return r << 16 | g << 8 | b;
    }

    /** SplitMix64 finaliser: a well-mixed 64-bit hash of {@code z}. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A deterministic value in [0, 1) for integer lattice point (i, j) under {@code salt}. */
    static double lattice(long salt, long i, long j) {
        return (mix(salt ^ mix(i * 0x632BE59BD9B4E019L + j)) >>> 11) * 0x1.0p-53;
    }
}
