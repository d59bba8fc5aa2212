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
}
