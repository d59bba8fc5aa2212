package dev.segstream.trainer.data;

import java.util.Random;

/**
 * Multi-scale training frames cut from a higher-resolution copy of the training split (CamVid at
 * 240x180 for a 128x96 run): every epoch each frame is re-cut as a random window of the source,
 * from the whole frame (what serving sees, only box-filtered from more pixels) down to a window of
 * the training size's own pixel count (a zoom of source/target, {@code 1.875x} for 240 to 128,
 * with real detail instead of the nearest-neighbour stretch of {@link Augmentation.Mode#FULL}'s
 * zoom), and resampled to the training size: pixels by box averaging, as the data set's own
 * down-scaled copies were made, labels by the source label under each output pixel's centre, so
 * every label is one the source frame has there.
 *
 * <p>The windows' zoom is uniform in [1, source/target]; offsets are uniform. The result is
 * written into two arrays reused every epoch ({@link #images()}, {@link #labels()}), normalised
 * with the run's mean and std like the in-memory split.
 */
public final class MultiScale {

    private final CamVidData source;
    private final int width;
    private final int height;
    private final float[] mean;
    private final float[] std;
    private final float maxZoom;
    private final float[] images;
    private final byte[] labels;

    /**
     * @param source the training frames at the higher resolution, in the training split's order
     * @param train  the training split (frame count, size and sequences must match)
     */
    public MultiScale(CamVidData source, CamVidData train, float[] mean, float[] std) {
        if (source.count() != train.count()) {
            throw new IllegalArgumentException("multi-scale data has " + source.count() + " training frames where the "
                    + "training split has " + train.count());
        }
        for (int f = 0; f < train.count(); f++) {
            if (!source.sequence(f).equals(train.sequence(f))) {
                throw new IllegalArgumentException("multi-scale frame " + f + " is of sequence " + source.sequence(f)
                        + ", the training frame of " + train.sequence(f) + ": not the same frames");
            }
        }
        if (source.width() < train.width() || source.height() < train.height()
                || source.width() * train.height() != source.height() * train.width()) {
            throw new IllegalArgumentException("multi-scale frames of " + source.width() + "x" + source.height()
                    + " are not a larger copy of " + train.width() + "x" + train.height() + " frames");
        }
        this.source = source;
        this.width = train.width();
        this.height = train.height();
        this.mean = mean.clone();
        this.std = std.clone();
        this.maxZoom = source.width() / (float) width;
        this.images = new float[train.count() * 3 * width * height];
        this.labels = new byte[train.count() * width * height];
    }

    /** Normalised pixels of the last cut (NCHW, frame-major). */
    public float[] images() {
        return images;
    }

    /** Labels of the last cut, frame-major. */
    public byte[] labels() {
        return labels;
    }

    /** The largest zoom: source width over training width. */
    public float maxZoom() {
        return maxZoom;
    }

    /** Cuts every frame anew with windows drawn from {@code rng}. */
    public void cut(Random rng) {
        for (int f = 0; f < source.count(); f++) {
            float zoom = 1 + (maxZoom - 1) * rng.nextFloat();
            cut(f, zoom, rng.nextFloat(), rng.nextFloat());
        }
    }

    /**
     * Cuts frame {@code f}: a window of {@code 1/zoom} of the source's sides, its left and top edge
     * at {@code ox} and {@code oy} of the free width and height, resampled to the training size.
     */
    void cut(int f, float zoom, float ox, float oy) {
        int sw = source.width();
        int sh = source.height();
        double ww = sw / (double) zoom;
        double wh = sh / (double) zoom;
        double x0 = ox * (sw - ww);
        double y0 = oy * (sh - wh);
        double sx = ww / width;
        double sy = wh / height;
        int plane = width * height;
        byte[] rgb = source.rgb();
        byte[] srcLabels = source.labels();
        int srcOff = f * sw * sh;
        for (int y = 0; y < height; y++) {
            double top = y0 + y * sy;
            int ya = (int) Math.floor(top);
            int yb = Math.min(sh, Math.max(ya + 1, (int) Math.ceil(top + sy)));
            int yc = Math.min(sh - 1, (int) Math.floor(top + sy / 2));
            for (int x = 0; x < width; x++) {
                double left = x0 + x * sx;
                int xa = (int) Math.floor(left);
                int xb = Math.min(sw, Math.max(xa + 1, (int) Math.ceil(left + sx)));
                int xc = Math.min(sw - 1, (int) Math.floor(left + sx / 2));
                int r = 0;
                int g = 0;
                int b = 0;
                for (int yy = ya; yy < yb; yy++) {
                    int row = (srcOff + yy * sw) * 3;
                    for (int xx = xa; xx < xb; xx++) {
                        int o = row + xx * 3;
                        r += rgb[o] & 0xff;
                        g += rgb[o + 1] & 0xff;
                        b += rgb[o + 2] & 0xff;
                    }
                }
                float n = 255f * (yb - ya) * (xb - xa);
                int out = f * 3 * plane + y * width + x;
                images[out] = (r / n - mean[0]) / std[0];
                images[out + plane] = (g / n - mean[1]) / std[1];
                images[out + 2 * plane] = (b / n - mean[2]) / std[2];
                labels[f * plane + y * width + x] = srcLabels[srcOff + yc * sw + xc];
            }
        }
    }
}
