package dev.segstream.trainer.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.RgbImage;
import java.util.List;

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

    /**
     * Samples of one size stacked into one step's input: {@code (n, 3, height, width)} float32 images
     * and {@code (n, height, width)} int64 labels, allocated on {@code manager}.
     *
     * @return {@code {x, y}}
     */
    public static NDArray[] stack(NDManager manager, List<TrainingSample> batch) {
        TrainingSample first = batch.get(0);
        int plane = first.width() * first.height();
        float[] x = new float[batch.size() * 3 * plane];
        byte[] y = new byte[batch.size() * plane];
        for (int i = 0; i < batch.size(); i++) {
            System.arraycopy(batch.get(i).chw(), 0, x, i * 3 * plane, 3 * plane);
            System.arraycopy(batch.get(i).labels(), 0, y, i * plane, plane);
        }
        return new NDArray[] {manager.create(x, new Shape(batch.size(), 3, first.height(), first.width())),
            manager.create(y, new Shape(batch.size(), first.height(), first.width())).toType(DataType.INT64, false)};
    }

    /** Per-channel normalisation constants as the primitive array {@link #of} takes. */
    public static float[] floats(List<Float> values) {
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }

    /** Key grouping samples that can share a batch. */
    public String sizeKey() {
        return width + "x" + height;
    }
}
