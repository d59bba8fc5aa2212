package dev.segstream.core.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes a class mask as an 8-bit greyscale PNG directly: signature, IHDR, one IDAT of the
 * deflated rows (filter "none", fastest deflate level), IEND. The segmenter encodes one mask per
 * frame on the stream thread, and ImageIO's general-purpose writer (a BufferedImage copy, a
 * per-row filter search, default deflate level) cost several times more for the same bytes.
 */
final class MaskPngEncoder {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private MaskPngEncoder() {
    }

    static byte[] encode(ClassMask mask) {
        int w = mask.width();
        int h = mask.height();
        byte[] raw = new byte[(w + 1) * h];
        for (int y = 0; y < h; y++) {
            // raw[y * (w + 1)] stays 0: filter type "none" for every row.
            System.arraycopy(mask.classes(), y * w, raw, y * (w + 1) + 1, w);
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        byte[] compressed;
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream z = new ByteArrayOutputStream(raw.length / 4 + 64);
            byte[] buf = new byte[8192];
            while (!deflater.finished()) {
                z.write(buf, 0, deflater.deflate(buf));
            }
            compressed = z.toByteArray();
        } finally {
            deflater.end();
        }
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h)
                .put((byte) 8)   // bit depth
                .put((byte) 0)   // colour type: greyscale
                .put((byte) 0)   // compression: deflate
                .put((byte) 0)   // filter method
                .put((byte) 0);  // no interlace
        ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length + 64);
        out.writeBytes(SIGNATURE);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", compressed);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
