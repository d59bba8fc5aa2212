package dev.segstream.core.wire;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** PNG encoding of frames and masks, and decoding of mask PNGs (8-bit grey = class index). */
public final class ImageCodec {

    static {
        ImageIO.setUseCache(false);
    }

    private ImageCodec() {
    }

    /** Encodes a mask as an 8-bit single-channel PNG whose pixel values are class indices. */
    public static byte[] encodeMaskPng(ClassMask mask) {
        return MaskPngEncoder.encode(mask);
    }

    /** Decodes an 8-bit single-channel PNG of class indices. */
    public static ClassMask decodeMaskPng(byte[] png) {
        BufferedImage img = read(png);
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h];
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            byte[] src = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            System.arraycopy(src, 0, out, 0, out.length);
        } else {
            // Palette or other layouts: read the first band's raw sample, which is the index.
            int[] samples = img.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) samples[i];
            }
        }
        return new ClassMask(w, h, out);
    }

    /** Encodes an RGB image as PNG. */
    public static byte[] encodePng(RgbImage image) {
        return write(image.toBufferedImage(), "png");
    }

    /** Encodes an RGB image as JPEG (default quality). */
    public static byte[] encodeJpeg(RgbImage image) {
        return write(image.toBufferedImage(), "jpeg");
    }

    private static byte[] write(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(img.getWidth() * img.getHeight() / 2 + 256);
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static BufferedImage read(byte[] bytes) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            if (img == null) {
                throw new IllegalArgumentException("not a readable image");
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
