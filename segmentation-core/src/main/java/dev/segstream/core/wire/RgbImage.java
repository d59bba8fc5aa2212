package dev.segstream.core.wire;

import java.awt.image.BufferedImage;

/**
 * A decoded frame: interleaved 8-bit RGB, row-major, {@code width * height * 3} bytes.
 *
 * @param width  pixels per row, positive
 * @param height rows, positive
 * @param rgb    pixel data (not copied: treat as read-only)
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image must be at least 1x1, got " + width + "x" + height);
        }
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " bytes, got " + rgb.length);
        }
    }

    /** Copies any {@link BufferedImage} into RGB bytes (alpha dropped, grey expanded). */
    public static RgbImage of(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] out = new byte[w * h * 3];
        for (int i = 0, j = 0; i < argb.length; i++) {
            int p = argb[i];
            out[j++] = (byte) (p >> 16);
            out[j++] = (byte) (p >> 8);
            out[j++] = (byte) p;
        }
        return new RgbImage(w, h, out);
    }

    /** A {@link BufferedImage} of type RGB holding these pixels. */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[width * height];
        for (int i = 0, j = 0; i < px.length; i++, j += 3) {
            px[i] = (rgb[j] & 0xff) << 16 | (rgb[j + 1] & 0xff) << 8 | (rgb[j + 2] & 0xff);
        }
        img.setRGB(0, 0, width, height, px, 0, width);
        return img;
    }
}
