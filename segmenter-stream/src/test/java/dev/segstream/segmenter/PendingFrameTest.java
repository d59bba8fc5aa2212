package dev.segstream.segmenter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class PendingFrameTest {

    @Test
    void shouldKeepEveryFieldWhenRoundTrippedThroughSerde() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("frame.id", "cam1-9".getBytes(StandardCharsets.UTF_8));
        headers.add("empty", null);
        PendingFrame in = new PendingFrame("cam1", new byte[] {1, 2, 3}, 42L, headers, "frames", 3, 77L, 1234L);
        Serde<PendingFrame> serde = PendingFrame.serde();
        PendingFrame out = serde.deserializer().deserialize("t", serde.serializer().serialize("t", in));
        assertThat(out.key()).isEqualTo("cam1");
        assertThat(out.value()).containsExactly(1, 2, 3);
        assertThat(out.timestamp()).isEqualTo(42L);
        assertThat(out.headers().toArray()).containsExactly(headers.toArray());
        assertThat(out.topic()).isEqualTo("frames");
        assertThat(out.partition()).isEqualTo(3);
        assertThat(out.offset()).isEqualTo(77L);
        assertThat(out.readAtMs()).isEqualTo(1234L);
    }

    @Test
    void shouldKeepNullKeyWhenFrameHasNoCamera() {
        PendingFrame in = new PendingFrame(null, new byte[0], 0L, new RecordHeaders(), "f", 0, 0L, 0L);
        Serde<PendingFrame> serde = PendingFrame.serde();
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", in)).key()).isNull();
        assertThat(serde.serializer().serialize("t", null)).isNull();
    }

    @Test
    void shouldKeepHeaderWhenItsNameIsLongerThanWriteUtfAllows() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("h".repeat(70_000), new byte[] {9});
        PendingFrame in = new PendingFrame("c", new byte[] {1}, 0L, headers, "frames", 0, 5L, 0L);
        Serde<PendingFrame> serde = PendingFrame.serde();
        PendingFrame out = serde.deserializer().deserialize("t", serde.serializer().serialize("t", in));
        assertThat(out.headers().lastHeader("h".repeat(70_000)).value()).containsExactly(9);
    }

    @Test
    void shouldReadFramesStoredInFormatOneWhenChangelogPredatesFormatTwo() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeInt(2);
            out.write("c1".getBytes(StandardCharsets.UTF_8));
            out.writeLong(42L);
            out.writeUTF("frames");
            out.writeInt(3);
            out.writeLong(77L);
            out.writeLong(1234L);
            out.writeInt(1);
            out.writeUTF("frame.id");
            out.writeInt(1);
            out.write('x');
            out.writeInt(2);
            out.write(new byte[] {5, 6});
        }
        PendingFrame f = PendingFrame.serde().deserializer().deserialize("t", bytes.toByteArray());
        assertThat(f.key()).isEqualTo("c1");
        assertThat(f.headers().lastHeader("frame.id").value()).containsExactly('x');
        assertThat(f.value()).containsExactly(5, 6);
        assertThat(f.offset()).isEqualTo(77L);
    }
}
