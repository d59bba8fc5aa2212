package dev.segstream.producer;

import dev.segstream.core.metrics.RecordingMeters;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one producer counts as it sends: acknowledged and failed sends per topic and unreadable
 * sources (kept here, exported by {@link ProducerMetrics} as function counters), and the frame
 * sizes and acknowledgement latencies only a recording captures. Thread-safe: Kafka completes
 * sends on its I/O thread.
 */
final class SendStats {

    private final LongAdder framesOk = new LongAdder();
    private final LongAdder framesFailed = new LongAdder();
    private final LongAdder labelledOk = new LongAdder();
    private final LongAdder labelledFailed = new LongAdder();
    private final LongAdder unreadable = new LongAdder();
    private final RecordingMeters recording = new RecordingMeters();
    private final DistributionSummary frameBytes = DistributionSummary.builder(ProducerMetrics.FRAME_BYTES)
            .description("Encoded size of frames sent").baseUnit("bytes").register(recording.registry());
    private final Timer ackLatency = Timer.builder(ProducerMetrics.ACK_LATENCY)
            .description("Time from send to broker acknowledgement").register(recording.registry());

    /** Records the outcome of one send; {@code labelled} tells the labelled topic from frames. */
    void recordSend(boolean labelled, boolean ok, int bytes, long sendNanos, long ackNanos) {
        if (labelled) {
            (ok ? labelledOk : labelledFailed).increment();
        } else {
            (ok ? framesOk : framesFailed).increment();
            if (ok) {
                frameBytes.record(bytes);
            }
        }
        if (ok) {
            ackLatency.record(Math.max(0, ackNanos - sendNanos), TimeUnit.NANOSECONDS);
        }
    }

    /** Counts a frame skipped because its source could not be read. */
    void recordUnreadable() {
        unreadable.increment();
    }

    /** Frames acknowledged on the frames topic. */
    long framesSent() {
        return framesOk.sum();
    }

    /** Failed sends of frames to the frames topic. */
    long frameErrors() {
        return framesFailed.sum();
    }

    /** Labelled copies acknowledged on the labelled topic. */
    long labelledSent() {
        return labelledOk.sum();
    }

    /** Failed sends of labelled copies. */
    long labelledErrors() {
        return labelledFailed.sum();
    }

    /** Frames skipped because their source could not be read. */
    long unreadable() {
        return unreadable.sum();
    }

    RecordingMeters recording() {
        return recording;
    }
}
