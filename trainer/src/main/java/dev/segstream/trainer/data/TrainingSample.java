package dev.segstream.trainer.data;

import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.RgbImage;

/**
 * One labelled frame ready for a step: normalised CHW floats and int labels, both padded right and
 * bottom to a multiple of 2^depth (padding is labelled {@code ignoreIndex}, so it costs nothing).
 *
 * @param width  padded width
 * @param height padded height
 * @param chw    {@code 3 * height * width} normalised pixels, channel-major
 * @param labels {@code height * width} class indices
 */
public record TrainingSample(int width, int height, float[] chw, byte[] labels) {

    /** Builds a sample; the image and mask must have the same size. */
    public static TrainingSample of(RgbImage image, ClassMask mask, int multiple, float[] mean, float[] std, int ignoreIndex) {
        if (image.width() != mask.width() || image.height() != mask.height()) {
            throw new IllegalArgumentException("mask is " + mask.width() + "x" + mask.height() + " but image is "
                    + image.width() + "x" + image.height());
        }
        int w = image.width();
        int h = image.height();
        int pw = (w + multiple - 1) / multiple * multiple;
        int ph = (h + multiple - 1) / multiple * multiple;
        int plane = pw * ph;
        float[] chw = new float[3 * plane];
        byte[] labels = new byte[plane];
        java.util.Arrays.fill(labels, (byte) ignoreIndex);
        byte[] rgb = image.rgb();
        byte[] classes = mask.classes();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int src = y * w + x;
                int dst = y * pw + x;
                for (int c = 0; c < 3; c++) {
                    chw[c * plane + dst] = ((rgb[3 * src + c] & 0xff) / 255f - mean[c]) / std[c];
                }
                labels[dst] = classes[src];
            }
        }
        return new TrainingSample(pw, ph, chw, labels);
    }

    /** Key grouping samples that can share a batch. */
    public String sizeKey() {
        return width + "x" + height;
    }
}
