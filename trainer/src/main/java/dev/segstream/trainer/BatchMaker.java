package dev.segstream.trainer;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.model.UNetBase;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Slices batches out of the in-memory split into two reused direct buffers (images as float
 * NCHW, labels as bytes), optionally mirrored left-right per frame, and turns each into one
 * native tensor with a single create call. Frames whose sides are not a multiple of the network's
 * {@code 2^depth} are padded right and bottom: images with 0 (the mean after normalisation),
 * labels with void, which loss and metrics ignore.
 */
final class BatchMaker {

    private final float[] images;
    private final byte[] labels;
    private final int width;
    private final int height;
    private final int paddedWidth;
    private final int paddedHeight;
    private final ByteBuffer imageBytes;
    private final FloatBuffer imageBuf;
    private final ByteBuffer labelBuf;
    private final float[] row;
    private final byte[] labelRow;

    BatchMaker(float[] images, byte[] labels, int width, int height, int maxBatch) {
        this(images, labels, width, height, maxBatch, 1);
    }

    /** @param multiple the padded sides are multiples of this (1 = no padding) */
    BatchMaker(float[] images, byte[] labels, int width, int height, int maxBatch, int multiple) {
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
        row = new float[paddedWidth];
        labelRow = new byte[paddedWidth];
        java.util.Arrays.fill(labelRow, width, paddedWidth, (byte) CamVidClasses.VOID);
    }

    /** The size multiple the block of {@code model} needs ({@code 2^depth} for a U-Net, else 1). */
    static int multipleOf(Model model) {
        return model.getBlock() instanceof UNetBase u ? u.spec().sizeMultiple() : 1;
    }

    private static int roundUp(int v, int multiple) {
        return (v + multiple - 1) / multiple * multiple;
    }

    int paddedWidth() {
        return paddedWidth;
    }

    int paddedHeight() {
        return paddedHeight;
    }

    boolean padded() {
        return paddedWidth != width || paddedHeight != height;
    }

    /** Tensors {@code (x, y)}: x {@code (B, 3, H', W')} float32, y {@code (B, H', W')} int64, on {@code manager}. */
    NDArray[] make(NDManager manager, int[] frames, int from, int to, boolean[] flip) {
        int b = to - from;
        imageBuf.clear();
        labelBuf.clear();
        for (int k = from; k < to; k++) {
            boolean mirror = flip != null && flip[k];
            if (!mirror && !padded()) {
                int plane = width * height;
                imageBuf.put(images, frames[k] * 3 * plane, 3 * plane);
                labelBuf.put(labels, frames[k] * plane, plane);
            } else {
                putRows(frames[k], mirror);
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

    /** Copies frame {@code f} row by row, mirrored and/or padded. */
    private void putRows(int f, boolean mirror) {
        int plane = width * height;
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < height; r++) {
                int off = f * 3 * plane + c * plane + r * width;
                for (int x = 0; x < width; x++) {
                    row[x] = images[off + (mirror ? width - 1 - x : x)];
                }
                imageBuf.put(row);
            }
            java.util.Arrays.fill(row, 0f);
            for (int r = height; r < paddedHeight; r++) {
                imageBuf.put(row);
            }
        }
        for (int r = 0; r < height; r++) {
            int off = f * plane + r * width;
            for (int x = 0; x < width; x++) {
                labelRow[x] = labels[off + (mirror ? width - 1 - x : x)];
            }
            labelBuf.put(labelRow);
        }
        byte[] voidRow = new byte[paddedWidth];
        java.util.Arrays.fill(voidRow, (byte) CamVidClasses.VOID);
        for (int r = height; r < paddedHeight; r++) {
            labelBuf.put(voidRow);
        }
    }
}
