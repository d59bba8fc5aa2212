package dev.segstream.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Slices batches out of the in-memory split into two reused direct buffers (images as float
 * NCHW, labels as bytes), optionally mirrored left-right per frame, and turns each into one
 * native tensor with a single create call.
 */
final class BatchMaker {

    private final float[] images;
    private final byte[] labels;
    private final int width;
    private final int height;
    private final ByteBuffer imageBytes;
    private final FloatBuffer imageBuf;
    private final ByteBuffer labelBuf;
    private final float[] row;
    private final byte[] labelRow;

    BatchMaker(float[] images, byte[] labels, int width, int height, int maxBatch) {
        this.images = images;
        this.labels = labels;
        this.width = width;
        this.height = height;
        imageBytes = ByteBuffer.allocateDirect(maxBatch * 3 * width * height * Float.BYTES).order(ByteOrder.nativeOrder());
        imageBuf = imageBytes.asFloatBuffer();
        labelBuf = ByteBuffer.allocateDirect(maxBatch * width * height);
        row = new float[width];
        labelRow = new byte[width];
    }

    /** Tensors {@code (x, y)}: x {@code (B, 3, H, W)} float32, y {@code (B, H, W)} int64, on {@code manager}. */
    NDArray[] make(NDManager manager, int[] frames, int from, int to, boolean[] flip) {
        int b = to - from;
        int plane = width * height;
        imageBuf.clear();
        labelBuf.clear();
        for (int k = from; k < to; k++) {
            int f = frames[k];
            boolean mirror = flip != null && flip[k];
            if (!mirror) {
                imageBuf.put(images, f * 3 * plane, 3 * plane);
                labelBuf.put(labels, f * plane, plane);
                continue;
            }
            for (int r = 0; r < 3 * height; r++) {
                int off = f * 3 * plane + r * width;
                for (int x = 0; x < width; x++) {
                    row[x] = images[off + width - 1 - x];
                }
                imageBuf.put(row);
            }
            for (int r = 0; r < height; r++) {
                int off = f * plane + r * width;
                for (int x = 0; x < width; x++) {
                    labelRow[x] = labels[off + width - 1 - x];
                }
                labelBuf.put(labelRow);
            }
        }
        imageBytes.position(0).limit(b * 3 * plane * Float.BYTES);
        labelBuf.flip();
        NDArray x = manager.create(imageBytes, new Shape(b, 3, height, width), DataType.FLOAT32);
        NDArray y8 = manager.create(labelBuf, new Shape(b, height, width), DataType.UINT8);
        NDArray y = y8.toType(DataType.INT64, false);
        y8.close();
        imageBytes.clear();
        return new NDArray[] {x, y};
    }
}
