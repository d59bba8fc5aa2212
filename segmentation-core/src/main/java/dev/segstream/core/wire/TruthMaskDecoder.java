package dev.segstream.core.wire;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes the ground-truth mask of a labelled frame for training or scoring, refusing what would
 * poison either: a mask that is not a PNG, whose header declares a size other than its image's
 * (checked before any pixel is decompressed, so a tiny mask declaring 100000x100000 allocates
 * nothing), or whose samples exceed the largest class index (a 16-bit or out-of-range value would
 * otherwise wrap into a byte or index past the loss and the confusion matrix).
 */
public final class TruthMaskDecoder {

    static {
        ImageIO.setUseCache(false);
    }

    private TruthMaskDecoder() {
    }

    /**
     * The mask in {@code png}, which must be {@code width x height} with samples in
     * {@code [0, maxClass]}.
     *
     * @throws IllegalArgumentException saying why when it is not
     */
    public static ClassMask decode(byte[] png, int width, int height, int maxClass) {
        if (png == null || png.length == 0) {
            throw new IllegalArgumentException("mask is empty");
        }
        if (ImageFormat.detect(png).orElse(null) != ImageFormat.PNG) {
            throw new IllegalArgumentException("mask is not a PNG");
        }
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w != width || h != height) {
                    throw new WrongSize("mask is " + w + "x" + h + " but image is " + width + "x" + height);
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (WrongSize e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO reports corrupt PNGs with IOException and sometimes with runtime exceptions.
            throw new IllegalArgumentException("mask cannot be decoded: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
        Raster raster = img.getRaster();
        if (raster.getNumBands() != 1) {
            throw new IllegalArgumentException("mask has " + raster.getNumBands() + " bands, expected one of class indices");
        }
        // The raw sample is the class index (for palette PNGs too); read it unconverted.
        int[] samples = raster.getSamples(0, 0, width, height, 0, (int[]) null);
        byte[] classes = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            int c = samples[i];
            if (c < 0 || c > maxClass) {
                throw new IllegalArgumentException("mask class " + c + " at (" + i % width + "," + i / width
                        + ") is out of range [0," + maxClass + "]");
            }
            classes[i] = (byte) c;
        }
        return new ClassMask(width, height, classes);
    }

    /** Thrown from inside the reader's scope, passed through unchanged. */
    private static final class WrongSize extends IllegalArgumentException {
        WrongSize(String message) {
            super(message);
        }
    }
}
