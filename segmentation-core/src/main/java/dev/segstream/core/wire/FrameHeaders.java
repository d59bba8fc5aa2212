package dev.segstream.core.wire;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Record header names of the wire format and helpers to read and write them. All values are
 * UTF-8 text (numbers in decimal) so that {@code kcat -H frame.ts=1700000000000} works.
 */
public final class FrameHeaders {

    /** Frame identifier chosen by the producer; masks copy it. */
    public static final String FRAME_ID = "frame.id";
    /** Capture time in epoch milliseconds; masks copy it, latency is measured from it. */
    public static final String FRAME_TS = "frame.ts";
    /** Variant of the model that produced a mask. */
    public static final String MODEL_VARIANT = "model.variant";
    /** Version of the model that produced a mask. */
    public static final String MODEL_VERSION = "model.version";
    /** Dead letters: machine-readable reason code, see {@link DeadLetterReason}. */
    public static final String DLQ_REASON = "dlq.reason";
    /** Dead letters: human-readable detail. */
    public static final String DLQ_DETAIL = "dlq.detail";
    /** Dead letters: topic the frame was read from. */
    public static final String DLQ_SOURCE_TOPIC = "dlq.source.topic";
    /** Dead letters: partition the frame was read from. */
    public static final String DLQ_SOURCE_PARTITION = "dlq.source.partition";
    /** Dead letters: offset the frame was read from. */
    public static final String DLQ_SOURCE_OFFSET = "dlq.source.offset";

    private FrameHeaders() {
    }

    /** The last value of header {@code name} as text, if present. */
    public static Optional<String> text(Headers headers, String name) {
        if (headers == null) {
            return Optional.empty();
        }
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? Optional.empty()
                : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
    }

    /** The last value of header {@code name} as a decimal long, if present and parseable. */
    public static OptionalLong number(Headers headers, String name) {
        Optional<String> t = text(headers, name);
        if (t.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(t.get().trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Replaces header {@code name} with a UTF-8 value. */
    public static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The frame id to carry: the header if given, else {@code <topic>-<partition>-<offset>}. */
    public static String frameIdOrSource(Headers headers, String topic, int partition, long offset) {
        return text(headers, FRAME_ID).filter(s -> !s.isBlank())
                .orElseGet(() -> topic + "-" + partition + "-" + offset);
    }
}
