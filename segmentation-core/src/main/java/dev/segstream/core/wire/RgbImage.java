package dev.segstream.core.wire;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

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
        boolean interleaved = img.getType() == BufferedImage.TYPE_3BYTE_BGR
                || img.getType() == BufferedImage.TYPE_4BYTE_ABGR;
        if (interleaved && img.getRaster().getParent() == null
                && img.getRaster().getDataBuffer().getSize() == w * h * (img.getType() == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4)) {
            // What ImageIO decodes RGB(A) PNGs and JPEGs into: copy the bytes, swapping to RGB order.
            // getRGB() would convert pixel by pixel through the colour model, several times slower.
            return fromInterleavedBytes(img, w, h);
        }
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

    private static RgbImage fromInterleavedBytes(BufferedImage img, int w, int h) {
        byte[] src = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        int stride = img.getType() == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4;
        int blue = stride == 3 ? 0 : 1;
        byte[] out = new byte[w * h * 3];
        for (int i = 0, j = 0; j < out.length; i += stride, j += 3) {
            out[j] = src[i + blue + 2];
            out[j + 1] = src[i + blue + 1];
            out[j + 2] = src[i + blue];
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
