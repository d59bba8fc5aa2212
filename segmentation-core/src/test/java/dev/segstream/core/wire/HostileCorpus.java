package dev.segstream.core.wire;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Builds the fixed corpus of edge-case and hostile frames in memory, with ImageIO where it can
 * write the kind (grey, 16-bit, palette, alpha, Adam7, progressive and CMYK JPEG) and by hand
 * where a hostile file must lie about itself (an IHDR declaring a huge size over a tiny body).
 */
final class HostileCorpus {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private HostileCorpus() {
    }

    /** A seeded noise image of {@code type}, so PNG/JPEG bodies are not trivially compressible. */
    static BufferedImage noise(int w, int h, int type, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random rng = new Random(seed);
        WritableRaster r = img.getRaster();
        int max = (1 << img.getColorModel().getComponentSize(0)) - 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < r.getNumBands(); b++) {
                    r.setSample(x, y, b, rng.nextInt(max + 1));
                }
            }
        }
        return img;
    }

    /** {@code img} encoded as PNG by ImageIO, Adam7-interlaced when {@code interlaced}. */
    static byte[] png(BufferedImage img, boolean interlaced) {
        return write("png", new IIOImage(img, null, null), interlaced);
    }

    /** {@code img} encoded as JPEG by ImageIO, progressive when {@code progressive}. */
    static byte[] jpeg(BufferedImage img, boolean progressive) {
        return write("jpeg", new IIOImage(img, null, null), progressive);
    }

    /**
     * A four-channel JPEG (no JFIF or Adobe marker, so readers take it as CMYK), written from a raw
     * raster as print workflows do, every pixel {@code cmyk}.
     */
    static byte[] cmykJpeg(int w, int h, int[] cmyk) {
        WritableRaster raster = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setPixel(x, y, cmyk);
            }
        }
        return write("jpeg", new IIOImage(raster, null, null), false);
    }

    private static byte[] write(String format, IIOImage image, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * A hand-made 8-bit grey PNG whose IHDR declares {@code w x h} (valid CRC) over one IDAT that
     * holds only {@code rows} zero rows: a decompression bomb when the declared size is huge.
     */
    static byte[] declaredPng(int w, int h, int rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PNG_SIGNATURE);
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        byte[] raw = new byte[(int) Math.min(rows * (w + 1L), 1 << 16)];
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        byte[] buf = new byte[raw.length + 64];
        int n = deflater.deflate(buf);
        deflater.end();
        chunk(out, "IDAT", java.util.Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A JPEG whose SOF0 declares {@code w x h}: the frame header of a real JPEG rewritten. */
    static byte[] declaredJpeg(int w, int h) {
        byte[] jpeg = jpeg(noise(16, 16, BufferedImage.TYPE_3BYTE_BGR, 3), false);
        for (int i = 2; i + 8 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc0) {
                jpeg[i + 5] = (byte) (h >> 8);
                jpeg[i + 6] = (byte) h;
                jpeg[i + 7] = (byte) (w >> 8);
                jpeg[i + 8] = (byte) w;
                return jpeg;
            }
        }
        throw new IllegalStateException("no SOF0 in ImageIO's JPEG");
    }

    /** Whether {@code png}'s IHDR says Adam7 interlacing (byte 28 of the file). */
    static boolean isInterlaced(byte[] png) {
        return png[28] == 1;
    }

    /** Whether {@code jpeg} has a progressive frame header (SOF2). */
    static boolean isProgressive(byte[] jpeg) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc2) {
                return true;
            }
        }
        return false;
    }
}
