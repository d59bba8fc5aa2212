package dev.segstream.producer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * The producer's meters, observing the counts its {@link SendStats} keeps:
 * <ul>
 *   <li>{@code segstream.producer.frames} (function counter, tag {@code outcome} = {@code ok} |
 *       {@code error} | {@code unreadable}): frames on the frames topic, counted when the broker
 *       acknowledges or the send fails, and sources that could not be read;</li>
 *   <li>{@code segstream.producer.labelled} (function counter, {@code ok} | {@code error}): copies on
 *       the labelled topic;</li>
 *   <li>{@code segstream.producer.frame.bytes} (summary): encoded size of the frames sent;</li>
 *   <li>{@code segstream.producer.ack.latency} (timer): send to broker acknowledgement.</li>
 * </ul>
 * Binding twice to one registry registers nothing twice.
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

    private final SendStats stats;

    ProducerMetrics(SendStats stats) {
        this.stats = stats;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, FRAMES, "ok", "Frames acknowledged on the frames topic", SendStats::framesSent);
        counter(registry, FRAMES, "error", "Frames whose send to the frames topic failed", SendStats::frameErrors);
        counter(registry, FRAMES, "unreadable", "Frames skipped because their file could not be read",
                SendStats::unreadable);
        counter(registry, LABELLED, "ok", "Labelled frames acknowledged on the labelled topic",
                SendStats::labelledSent);
        counter(registry, LABELLED, "error", "Labelled frames whose send to the labelled topic failed",
                SendStats::labelledErrors);
        stats.recording().exportTo(registry);
    }

    private void counter(MeterRegistry registry, String name, String outcome, String description,
                         ToDoubleFunction<SendStats> count) {
        FunctionCounter.builder(name, stats, count).description(description).baseUnit("frames")
                .tag(OUTCOME, outcome).register(registry);
    }
}
