package dev.segstream.core.wire;

/**
 * A segmentation mask: one class index per pixel, row-major.
 *
 * @param width   pixels per row
 * @param height  rows
 * @param classes {@code width * height} class indices (unsigned bytes; treat as read-only)
 */
public record ClassMask(int width, int height, byte[] classes) {

    public ClassMask {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("mask must be at least 1x1, got " + width + "x" + height);
        }
        if (classes.length != width * height) {
            throw new IllegalArgumentException("expected " + width * height + " bytes, got " + classes.length);
        }
    }

    /** Class index at (x, y). */
    public int at(int x, int y) {
        return classes[y * width + x] & 0xff;
    }
}
