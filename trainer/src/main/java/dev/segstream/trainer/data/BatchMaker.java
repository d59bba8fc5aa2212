package dev.segstream.trainer.data;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.model.UNetBase;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Slices batches out of the in-memory split into two reused direct buffers (images as float
 * NCHW, labels as bytes), optionally augmented per frame ({@link Augmentation}: flips, zoom-crops
 * and colour jitter, labels always exact), and turns each into one native tensor with a single
 * create call. Frames whose sides are not a multiple of the network's
 * {@code 2^depth} are padded right and bottom: images with 0 (the mean after normalisation),
 * labels with void, which loss and metrics ignore.
 */
public final class BatchMaker {

    private final float[] images;
    private final byte[] labels;
    private final int width;
    private final int height;
    private final int paddedWidth;
    private final int paddedHeight;
    private final ByteBuffer imageBytes;
    private final FloatBuffer imageBuf;
    private final ByteBuffer labelBuf;
    private final float[][] rgbRows;
    private final float[][] jittered;
    private final float[] zeroRow;
    private final byte[] labelRow;
    private final byte[] voidRow;
    private int[] xs;
    private int[] ys;
    private float[] mean;
    private float[] std;
    private float[][] frameMeans;

    public BatchMaker(float[] images, byte[] labels, int width, int height, int maxBatch) {
        this(images, labels, width, height, maxBatch, 1);
    }

    /** @param multiple the padded sides are multiples of this (1 = no padding) */
    public BatchMaker(float[] images, byte[] labels, int width, int height, int maxBatch, int multiple) {
        this.images = images;
        this.labels = labels;
        this.width = width;
        this.height = height;
        this.paddedWidth = roundUp(width, multiple);
        this.paddedHeight = roundUp(height, multiple);
        int plane = paddedWidth * paddedHeight;
        imageBytes = ByteBuffer.allocateDirect(maxBatch * 3 * plane * Float.BYTES).order(ByteOrder.nativeOrder());
        imageBuf = imageBytes.asFloatBuffer();
        labelBuf = ByteBuffer.allocateDirect(maxBatch * plane);
        rgbRows = new float[3][paddedWidth];
        jittered = new float[3][paddedWidth];
        zeroRow = new float[paddedWidth];
        labelRow = new byte[paddedWidth];
        java.util.Arrays.fill(labelRow, width, paddedWidth, (byte) CamVidClasses.VOID);
        voidRow = new byte[paddedWidth];
        java.util.Arrays.fill(voidRow, (byte) CamVidClasses.VOID);
    }

    /** The size multiple the block of {@code model} needs ({@code 2^depth} for a U-Net, else 1). */
    public static int multipleOf(Model model) {
        return model.getBlock() instanceof UNetBase u ? u.spec().sizeMultiple() : 1;
    }

    private static int roundUp(int v, int multiple) {
        return (v + multiple - 1) / multiple * multiple;
    }

    public int paddedWidth() {
        return paddedWidth;
    }

    public int paddedHeight() {
        return paddedHeight;
    }

    public boolean padded() {
        return paddedWidth != width || paddedHeight != height;
    }

    /**
     * Sets the normalisation the images went through; needed for photometric jitter, which works
     * in [0, 1] pixel space and clamps to it.
     */
    public BatchMaker normalisation(float[] mean, float[] std) {
        this.mean = mean.clone();
        this.std = std.clone();
        return this;
    }

    /**
     * Forgets what was computed from the pixels (each frame's mean, for the jitter): call after the
     * image array was rewritten in place (multi-scale training re-cuts its frames every epoch).
     */
    public void imagesChanged() {
        frameMeans = null;
    }

    /** Tensors {@code (x, y)} of frames {@code frames[from..to)} as they are (padded when needed). */
    public NDArray[] make(NDManager manager, int[] frames, int from, int to) {
        return make(manager, frames, from, to, (Augmentation.Params[]) null);
    }

    /**
     * Tensors {@code (x, y)}: x {@code (B, 3, H', W')} float32, y {@code (B, H', W')} int64, on
     * {@code manager}, mirrored where {@code flip[k]} for the frame at position {@code k}.
     */
    public NDArray[] make(NDManager manager, int[] frames, int from, int to, boolean[] flip) {
        Augmentation.Params[] params = null;
        if (flip != null) {
            params = new Augmentation.Params[flip.length];
            for (int i = 0; i < flip.length; i++) {
                params[i] = Augmentation.Params.flipOnly(flip[i]);
            }
        }
        return make(manager, frames, from, to, params);
    }

    /**
     * Tensors {@code (x, y)} of frames {@code frames[from..to)}, each augmented by {@code
     * params[k]} for its position {@code k} (null: none), on {@code manager}.
     */
    public NDArray[] make(NDManager manager, int[] frames, int from, int to, Augmentation.Params[] params) {
        return make(manager, frames, from, to, params, null);
    }

    /**
     * As {@link #make(NDManager, int[], int, int, Augmentation.Params[])}, and onto the frame at
     * position {@code k} the thin-class pixels of frame {@code pasteFrom[k]} when that is not -1
     * ({@link RarePaste}; null: none).
     */
    public NDArray[] make(NDManager manager, int[] frames, int from, int to, Augmentation.Params[] params,
                          int[] pasteFrom) {
        int b = to - from;
        imageBuf.clear();
        labelBuf.clear();
        for (int k = from; k < to; k++) {
            Augmentation.Params p = params == null ? Augmentation.Params.IDENTITY : params[k];
            int paste = pasteFrom == null ? -1 : pasteFrom[k];
            if (!p.geometric() && !p.photometric() && !padded() && paste < 0) {
                int plane = width * height;
                imageBuf.put(images, frames[k] * 3 * plane, 3 * plane);
                labelBuf.put(labels, frames[k] * plane, plane);
            } else {
                putFrame(frames[k], p, paste);
            }
        }
        imageBytes.position(0).limit(b * 3 * paddedWidth * paddedHeight * Float.BYTES);
        labelBuf.flip();
        NDArray x = manager.create(imageBytes, new Shape(b, 3, paddedHeight, paddedWidth), DataType.FLOAT32);
        NDArray y8 = manager.create(labelBuf, new Shape(b, paddedHeight, paddedWidth), DataType.UINT8);
        NDArray y = y8.toType(DataType.INT64, false);
        y8.close();
        imageBytes.clear();
        return new NDArray[] {x, y};
    }

    /**
     * Copies frame {@code f} through the row and column maps of {@code p} (nearest neighbour, the
     * same maps for image and labels), applies its colour jitter, pastes frame {@code paste}'s
     * thin-class pixels through the same maps (unless -1), and pads.
     */
    private void putFrame(int f, Augmentation.Params p, int paste) {
        int plane = width * height;
        int paddedPlane = paddedWidth * paddedHeight;
        int base = imageBuf.position();
        int labelBase = labelBuf.position();
        xs = Augmentation.columns(p, width, xs);
        ys = Augmentation.rows(p, height, ys);
        float[] cm = null;
        if (p.photometric()) {
            if (mean == null) {
                throw new IllegalStateException("photometric augmentation needs the normalisation (normalisation())");
            }
            cm = Augmentation.colourMap(p, frameMean(f), mean, std);
        }
        int src = f * 3 * plane;
        for (int y = 0; y < height; y++) {
            int r = src + ys[y] * width;
            for (int c = 0; c < 3; c++) {
                float[] row = rgbRows[c];
                int off = r + c * plane;
                for (int x = 0; x < width; x++) {
                    row[x] = images[off + xs[x]];
                }
            }
            float[][] rows = cm == null ? rgbRows : jitter(cm);
            for (int c = 0; c < 3; c++) {
                imageBuf.put(base + c * paddedPlane + y * paddedWidth, rows[c], 0, paddedWidth);
            }
        }
        for (int c = 0; c < 3; c++) {
            for (int y = height; y < paddedHeight; y++) {
                imageBuf.put(base + c * paddedPlane + y * paddedWidth, zeroRow, 0, paddedWidth);
            }
        }
        imageBuf.position(base + 3 * paddedPlane);
        for (int y = 0; y < height; y++) {
            int off = f * plane + ys[y] * width;
            for (int x = 0; x < width; x++) {
                labelRow[x] = labels[off + xs[x]];
            }
            labelBuf.put(labelRow);
        }
        for (int y = height; y < paddedHeight; y++) {
            labelBuf.put(voidRow);
        }
        if (paste >= 0) {
            paste(paste, base, labelBase);
        }
    }

    /** Overwrites the frame just put (at {@code base}, {@code labelBase}) with frame {@code s}'s thin-class pixels. */
    private void paste(int s, int base, int labelBase) {
        int plane = width * height;
        int paddedPlane = paddedWidth * paddedHeight;
        for (int y = 0; y < height; y++) {
            int row = ys[y] * width;
            for (int x = 0; x < width; x++) {
                byte label = labels[s * plane + row + xs[x]];
                if (RarePaste.pasted(label)) {
                    int at = y * paddedWidth + x;
                    labelBuf.put(labelBase + at, label);
                    for (int c = 0; c < 3; c++) {
                        imageBuf.put(base + c * paddedPlane + at, images[(s * 3 + c) * plane + row + xs[x]]);
                    }
                }
            }
        }
    }

    /** {@code jittered = cm * rgbRows + offset}, clamped to the normalised [0, 1]; tails stay 0. */
    private float[][] jitter(float[] cm) {
        float[] r = rgbRows[0];
        float[] g = rgbRows[1];
        float[] bl = rgbRows[2];
        for (int c = 0; c < 3; c++) {
            float m0 = cm[3 * c];
            float m1 = cm[3 * c + 1];
            float m2 = cm[3 * c + 2];
            float t = cm[9 + c];
            float lo = -mean[c] / std[c];
            float hi = (1 - mean[c]) / std[c];
            float[] out = jittered[c];
            for (int x = 0; x < width; x++) {
                out[x] = Math.min(hi, Math.max(lo, m0 * r[x] + m1 * g[x] + m2 * bl[x] + t));
            }
        }
        return jittered;
    }

    /** Per-channel mean of frame {@code f} in [0, 1] pixel space, computed once per frame. */
    private float[] frameMean(int f) {
        if (frameMeans == null) {
            frameMeans = new float[images.length / (3 * width * height)][];
        }
        if (frameMeans[f] == null) {
            int plane = width * height;
            float[] m = new float[3];
            for (int c = 0; c < 3; c++) {
                double sum = 0;
                int off = f * 3 * plane + c * plane;
                for (int i = 0; i < plane; i++) {
                    sum += images[off + i];
                }
                m[c] = (float) (sum / plane * std[c] + mean[c]);
            }
            frameMeans[f] = m;
        }
        return frameMeans[f];
    }
}
