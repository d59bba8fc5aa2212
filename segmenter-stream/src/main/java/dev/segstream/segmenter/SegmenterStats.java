package dev.segstream.segmenter;

import dev.segstream.core.metrics.RecordingMeters;
import dev.segstream.core.wire.DeadLetterReason;
import dev.segstream.model.ModelDescriptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the segmenter counts and times as it works, shared by every task, stream thread and batch
 * worker of one instance: event counters it keeps itself (exported by {@link SegmenterMetrics} as
 * function counters) and the distributions only a recording can capture (batch size, model time,
 * queue wait, frame latency), created once on {@link RecordingMeters}. Thread-safe.
 */
public final class SegmenterStats {

    /**
     * Cameras counted under their own tag; frames of later cameras are counted as {@code other}.
     * A fleet dashboard wants per-camera rates, but the key is whatever a client sent, so the
     * number of time series it can create is bounded.
     */
    static final int MAX_CAMERA_TAGS = 256;
    private static final int MAX_CAMERA_TAG_LENGTH = 64;

    private final LongAdder framesIn = new LongAdder();
    private final LongAdder masksOut = new LongAdder();
    private final LongAdder recovered = new LongAdder();
    private final LongAdder batchRetries = new LongAdder();
    private final Map<DeadLetterReason, LongAdder> deadLetters = new EnumMap<>(DeadLetterReason.class);
    private final RecordingMeters recording = new RecordingMeters();
    private final DistributionSummary batchSize;
    private final Timer compute;
    private final Timer queueWait;
    private final Timer latency;
    private final Timer processing;
    private final MultiGauge modelInfo;
    private final MultiGauge modelHeldOut;
    private final Map<String, Counter> cameraFrames = new ConcurrentHashMap<>();

    public SegmenterStats() {
        for (DeadLetterReason r : DeadLetterReason.values()) {
            deadLetters.put(r, new LongAdder());
        }
        batchSize = DistributionSummary.builder("segstream.segmenter.batch.size")
                .description("Frames per model call").baseUnit("frames").publishPercentileHistogram()
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32).register(recording.registry());
        compute = Timer.builder("segstream.segmenter.batch.compute").description("Model time per batch")
                .publishPercentileHistogram().register(recording.registry());
        queueWait = Timer.builder("segstream.segmenter.batch.queue.wait")
                .description("Per batch: first frame queued to the model call starting").publishPercentileHistogram()
                .register(recording.registry());
        processing = Timer.builder("segstream.segmenter.frame.processing")
                .description("Frame read from Kafka to its mask forwarded").publishPercentileHistogram()
                .register(recording.registry());
        latency = Timer.builder("segstream.segmenter.frame.latency")
                .description("Capture time (frame.ts) to mask written").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(recording.registry());
        modelInfo = MultiGauge.builder("segstream.segmenter.model.info")
                .description("The model being served (value always 1; see tags)").register(recording.registry());
        modelHeldOut = MultiGauge.builder("segstream.segmenter.model.heldout.miou")
                .description("Held-out mIoU the serving version was announced with (absent for a version announced "
                        + "without one); live mIoU is compared against it").register(recording.registry());
    }

    /** Records which model serves now (the info gauge's tags follow hot swaps). */
    void modelServed(ModelDescriptor model, String device) {
        modelServed(model, device, Double.NaN);
    }

    /** Records which model serves now and the held-out mIoU it was announced with (NaN: none). */
    void modelServed(ModelDescriptor model, String device, double heldOutMiou) {
        modelInfo.register(List.of(MultiGauge.Row.of(Tags.of("variant", model.variant(), "version", model.version(),
                "device", device), 1)), true);
        modelHeldOut.register(Double.isFinite(heldOutMiou) ? List.of(MultiGauge.Row.of(
                Tags.of("variant", model.variant(), "version", model.version()), heldOutMiou)) : List.of(), true);
    }

    /** A frame read; {@code camera} is its record key (may be null). */
    void frameIn(String camera) {
        framesIn.increment();
        cameraCounter(camera).increment();
    }

    private Counter cameraCounter(String camera) {
        String tag = camera == null || camera.isEmpty() ? "none"
                : camera.length() > MAX_CAMERA_TAG_LENGTH ? "other" : camera;
        Counter counter = cameraFrames.get(tag);
        if (counter != null) {
            return counter;
        }
        if (cameraFrames.size() >= MAX_CAMERA_TAGS) {
            tag = "other";
        }
        return cameraFrames.computeIfAbsent(tag, t -> Counter.builder("segstream.segmenter.camera.frames")
                .description("Frames read per camera (record key; at most " + MAX_CAMERA_TAGS + " cameras tagged, "
                        + "the rest as other)").baseUnit("frames").tag("camera", t).register(recording.registry()));
    }

    void maskOut(long frameTs, long readAtMs, long nowMs) {
        masksOut.increment();
        if (frameTs > 0 && nowMs >= frameTs) {
            latency.record(nowMs - frameTs, TimeUnit.MILLISECONDS);
        }
        if (readAtMs > 0 && nowMs >= readAtMs) {
            processing.record(nowMs - readAtMs, TimeUnit.MILLISECONDS);
        }
    }

    /** A frame taken back from the pending store after a restart or rebalance. */
    void frameRecovered() {
        recovered.increment();
    }

    void batchRetried() {
        batchRetries.increment();
    }

    void deadLetter(DeadLetterReason reason) {
        deadLetters.get(reason).increment();
    }

    void batch(int size, long queueWaitNanos, long computeNanos) {
        batchSize.record(size);
        queueWait.record(queueWaitNanos, TimeUnit.NANOSECONDS);
        compute.record(computeNanos, TimeUnit.NANOSECONDS);
    }

    long framesIn() {
        return framesIn.sum();
    }

    long masksOut() {
        return masksOut.sum();
    }

    long recovered() {
        return recovered.sum();
    }

    long batchRetries() {
        return batchRetries.sum();
    }

    long deadLetters(DeadLetterReason reason) {
        return deadLetters.get(reason).sum();
    }

    RecordingMeters recording() {
        return recording;
    }
}
