package dev.segstream.producer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The producer's meters, registered once in {@link #bindTo(MeterRegistry)}:
 * <ul>
 *   <li>{@code segstream.producer.frames} (counter, tag {@code outcome} = {@code ok} | {@code error}):
 *       frames on the frames topic, counted when the broker acknowledges or the send fails;</li>
 *   <li>{@code segstream.producer.labelled} (counter, same tag): copies on the labelled topic;</li>
 *   <li>{@code segstream.producer.frame.bytes} (summary): encoded size of the frames sent;</li>
 *   <li>{@code segstream.producer.ack.latency} (timer): send to broker acknowledgement.</li>
 * </ul>
 * Counts are also kept locally, so the accessors report this producer's own numbers even when
 * several producers share one registry (where Micrometer shares meters of the same name and tags).
 * Thread-safe: Kafka completes sends on its I/O thread.
 */
public final class ProducerMetrics implements MeterBinder {

    /** Name of the frames counter. */
    public static final String FRAMES = "segstream.producer.frames";
    /** Name of the labelled-copies counter. */
    public static final String LABELLED = "segstream.producer.labelled";
    /** Name of the frame size summary. */
    public static final String FRAME_BYTES = "segstream.producer.frame.bytes";
    /** Name of the acknowledgement latency timer. */
    public static final String ACK_LATENCY = "segstream.producer.ack.latency";
    /** Tag telling success from failure. */
    public static final String OUTCOME = "outcome";

    private final LongAdder framesOk = new LongAdder();
    private final LongAdder framesFailed = new LongAdder();
    private final LongAdder labelledOk = new LongAdder();
    private final LongAdder labelledFailed = new LongAdder();
    private final LongAdder unreadable = new LongAdder();
    private volatile Counter unreadableCounter;
    private volatile Counter framesOkCounter;
    private volatile Counter framesErrorCounter;
    private volatile Counter labelledOkCounter;
    private volatile Counter labelledErrorCounter;
    private volatile DistributionSummary frameBytes;
    private volatile Timer ackLatency;

    @Override
    public void bindTo(MeterRegistry registry) {
        framesOkCounter = counter(registry, FRAMES, "ok", "Frames acknowledged on the frames topic");
        framesErrorCounter = counter(registry, FRAMES, "error", "Frames whose send to the frames topic failed");
        unreadableCounter = counter(registry, FRAMES, "unreadable", "Frames skipped because their file could not be read");
        labelledOkCounter = counter(registry, LABELLED, "ok", "Labelled frames acknowledged on the labelled topic");
        labelledErrorCounter = counter(registry, LABELLED, "error",
                "Labelled frames whose send to the labelled topic failed");
        frameBytes = DistributionSummary.builder(FRAME_BYTES).description("Encoded size of frames sent")
                .baseUnit("bytes").register(registry);
        ackLatency = Timer.builder(ACK_LATENCY).description("Time from send to broker acknowledgement")
                .register(registry);
    }

    private static Counter counter(MeterRegistry registry, String name, String outcome, String description) {
        return Counter.builder(name).description(description).baseUnit("frames").tag(OUTCOME, outcome)
                .register(registry);
    }

    /** Records the outcome of one send; {@code labelled} tells the labelled topic from frames. */
    void recordSend(boolean labelled, boolean ok, int bytes, long sendNanos, long ackNanos) {
        if (labelled) {
            (ok ? labelledOk : labelledFailed).increment();
            increment(ok ? labelledOkCounter : labelledErrorCounter);
        } else {
            (ok ? framesOk : framesFailed).increment();
            increment(ok ? framesOkCounter : framesErrorCounter);
            if (ok && frameBytes != null) {
                frameBytes.record(bytes);
            }
        }
        if (ok && ackLatency != null) {
            ackLatency.record(Math.max(0, ackNanos - sendNanos), TimeUnit.NANOSECONDS);
        }
    }

    private static void increment(Counter c) {
        if (c != null) {
            c.increment();
        }
    }

    /** Frames acknowledged on the frames topic. */
    public long framesSent() {
        return framesOk.sum();
    }

    /** Labelled copies acknowledged on the labelled topic. */
    public long labelledSent() {
        return labelledOk.sum();
    }

    /** Failed sends, frames and labelled copies together. */
    public long sendErrors() {
        return framesFailed.sum() + labelledFailed.sum();
    }

    /** Counts a frame skipped because its source could not be read. */
    void recordUnreadable() {
        unreadable.increment();
        increment(unreadableCounter);
    }

    /** Frames skipped because their source could not be read. */
    public long unreadable() {
        return unreadable.sum();
    }

    /** Failed sends of frames to the frames topic. */
    public long frameErrors() {
        return framesFailed.sum();
    }
}
