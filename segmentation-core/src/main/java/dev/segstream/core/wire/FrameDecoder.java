package dev.segstream.core.wire;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes frame bytes into {@link RgbImage}, enforcing limits before any pixel is decompressed:
 * size in bytes, then format by magic bytes, then dimensions read from the header alone (so a
 * 100000x100000 "decompression bomb" is refused without allocating it), then the pixels.
 * Thread-safe: holds only limits.
 *
 * @param maxBytes  largest accepted encoded frame
 * @param maxWidth  largest accepted width
 * @param maxHeight largest accepted height
 */
public record FrameDecoder(int maxBytes, int maxWidth, int maxHeight) {

    static {
        // No disk cache: frames are small and the stream must not touch java.io.tmpdir per record.
        ImageIO.setUseCache(false);
    }

    /** Decodes {@code bytes} or says why not. */
    public RgbImage decode(byte[] bytes) throws FrameDecodeException {
        if (bytes == null || bytes.length == 0) {
            throw new FrameDecodeException(DeadLetterReason.EMPTY, "frame value is empty");
        }
        if (bytes.length > maxBytes) {
            throw new FrameDecodeException(DeadLetterReason.OVERSIZED,
                    "frame is " + bytes.length + " bytes, limit is " + maxBytes);
        }
        ImageFormat format = ImageFormat.detect(bytes).orElseThrow(() -> new FrameDecodeException(
                DeadLetterReason.UNSUPPORTED_FORMAT, "not PNG or JPEG (magic bytes " + magic(bytes) + ")"));
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
            if (!readers.hasNext()) {
                throw new FrameDecodeException(DeadLetterReason.UNSUPPORTED_FORMAT, "no reader for " + format);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w <= 0 || h <= 0 || w > maxWidth || h > maxHeight) {
                    throw new FrameDecodeException(DeadLetterReason.BAD_DIMENSIONS,
                            format + " is " + w + "x" + h + ", limit is " + maxWidth + "x" + maxHeight);
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage img = reader.read(0);
                // A truncated or corrupt JPEG decodes "successfully" with the missing part grey and only
                // a warning ("Truncated File - Missing EOI marker", "Corrupt JPEG data: ..."): a mask
                // of that would be garbage, so it is undecodable. Warnings ending in "ignored" (an
                // invalid colour profile, a thumbnail marker) leave the pixels intact and are not.
                for (String warning : warnings) {
                    if (warning == null || !warning.endsWith("ignored")) {
                        throw new FrameDecodeException(DeadLetterReason.UNDECODABLE,
                                format + " is corrupt or truncated: " + warning);
                    }
                }
                return RgbImage.of(img);
            } finally {
                reader.dispose();
            }
        } catch (FrameDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO signals truncated or corrupt data with IOException, and sometimes with
            // IndexOutOfBounds/IllegalArgument from deep inside a codec: all mean "undecodable".
            throw new FrameDecodeException(DeadLetterReason.UNDECODABLE,
                    format + " cannot be decoded: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static String magic(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            sb.append(String.format("%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }
}
