package dev.segstream.segmenter;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A frame read from Kafka and not yet answered: everything needed to write its mask or dead
 * letter later, on this instance or on the one that takes the task over. Held in the
 * changelogged pending-frames store between being read and being answered.
 *
 * @param key       camera id (may be null)
 * @param value     the frame bytes exactly as read
 * @param timestamp the record timestamp
 * @param headers   the record headers
 * @param topic     source topic
 * @param partition source partition
 * @param offset    source offset
 * @param readAtMs  wall-clock time the frame was first read, epoch ms
 */
record PendingFrame(String key, byte[] value, long timestamp, Headers headers, String topic, int partition,
                    long offset, long readAtMs) {

    /** Format 1 wrote header names with writeUTF, which cannot hold one over 65535 bytes. */
    private static final byte FORMAT_UTF_NAMES = 1;
    private static final byte FORMAT = 2;

    /** The serde of the pending-frames store: a versioned binary layout. */
    static Serde<PendingFrame> serde() {
        return Serdes.serdeFrom(serializer(), deserializer());
    }

    private static Serializer<PendingFrame> serializer() {
        return (topic, f) -> {
            if (f == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(f.value.length + 256);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(FORMAT);
                writeBytes(out, f.key == null ? null : f.key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.writeLong(f.timestamp);
                out.writeUTF(f.topic);
                out.writeInt(f.partition);
                out.writeLong(f.offset);
                out.writeLong(f.readAtMs);
                Header[] hs = f.headers.toArray();
                out.writeInt(hs.length);
                for (Header h : hs) {
                    // Length-prefixed bytes: a client may send any header name, and writeUTF's 64 KiB
                    // limit made a long one throw here and stop the stream thread.
                    writeBytes(out, h.key().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    writeBytes(out, h.value());
                }
                writeBytes(out, f.value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        };
    }

    private static Deserializer<PendingFrame> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
                byte format = in.readByte();
                if (format != FORMAT && format != FORMAT_UTF_NAMES) {
                    throw new IllegalArgumentException("unknown pending-frame format " + format);
                }
                byte[] key = readBytes(in);
                long timestamp = in.readLong();
                String source = in.readUTF();
                int partition = in.readInt();
                long offset = in.readLong();
                long readAt = in.readLong();
                int n = in.readInt();
                RecordHeaders headers = new RecordHeaders();
                for (int i = 0; i < n; i++) {
                    String name = format == FORMAT_UTF_NAMES ? in.readUTF()
                            : new String(readBytes(in), java.nio.charset.StandardCharsets.UTF_8);
                    headers.add(name, readBytes(in));
                }
                byte[] value = readBytes(in);
                return new PendingFrame(key == null ? null : new String(key, java.nio.charset.StandardCharsets.UTF_8),
                        value, timestamp, headers, source, partition, offset, readAt);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new java.io.EOFException("pending frame truncated: wanted " + n + " bytes, got " + b.length);
        }
        return b;
    }
}
