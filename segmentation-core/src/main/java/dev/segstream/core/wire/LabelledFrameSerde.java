package dev.segstream.core.wire;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Serde of {@link LabelledFrame}: {@code SGLF}, version 1, length-prefixed image and mask. */
public final class LabelledFrameSerde implements Serde<LabelledFrame> {

    static final byte[] MAGIC = "SGLF".getBytes(StandardCharsets.US_ASCII);
    static final byte VERSION = 1;

    @Override
    public Serializer<LabelledFrame> serializer() {
        return (topic, frame) -> {
            if (frame == null) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 1 + 4 + frame.image().length + 4 + frame.mask().length);
            buf.put(MAGIC).put(VERSION).putInt(frame.image().length).put(frame.image())
                    .putInt(frame.mask().length).put(frame.mask());
            return buf.array();
        };
    }

    @Override
    public Deserializer<LabelledFrame> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                byte[] magic = new byte[MAGIC.length];
                buf.get(magic);
                if (!java.util.Arrays.equals(magic, MAGIC)) {
                    throw new SerializationException("not a labelled frame: bad magic");
                }
                byte version = buf.get();
                if (version != VERSION) {
                    throw new SerializationException("unsupported labelled frame version " + version);
                }
                byte[] image = new byte[checkedLength(buf)];
                buf.get(image);
                byte[] mask = new byte[checkedLength(buf)];
                buf.get(mask);
                return new LabelledFrame(image, mask);
            } catch (BufferUnderflowException e) {
                throw new SerializationException("truncated labelled frame", e);
            }
        };
    }

    private static int checkedLength(ByteBuffer buf) {
        int len = buf.getInt();
        if (len < 0 || len > buf.remaining()) {
            throw new SerializationException("labelled frame length " + len + " exceeds remaining " + buf.remaining());
        }
        return len;
    }
}
