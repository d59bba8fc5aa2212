package dev.segstream.segmenter;

import dev.segstream.model.ModelDescriptor;
import dev.segstream.core.wire.DeadLetterReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The segmenter's meters, registered once in {@link #bindTo}. Names are dotted lower case with
 * a description and base unit; outcomes and reasons are tags.
 */
public final class SegmenterMetrics implements MeterBinder {

    private final ModelDescriptor model;
    private final String device;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);
    private Counter framesIn;
    private Counter masksOut;
    private DistributionSummary batchSize;
    private Timer compute;
    private Timer queueWait;
    private Timer latency;
    private Timer processing;
    private Counter batchRetries;
    private Counter recovered;

    /** Meters for serving {@code model} on {@code device}; nothing is registered until {@link #bindTo}. */
    public SegmenterMetrics(ModelDescriptor model, String device) {
        this.model = model;
        this.device = device;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        framesIn = Counter.builder("segstream.segmenter.frames.in").description("Frames read from the frames topic")
                .baseUnit("frames").register(registry);
        masksOut = Counter.builder("segstream.segmenter.masks.out").description("Masks written to the masks topic")
                .baseUnit("masks").register(registry);
        for (DeadLetterReason r : DeadLetterReason.values()) {
            deadLetters.put(r, Counter.builder("segstream.segmenter.dead.letters")
                    .description("Frames written to the dead-letter topic").baseUnit("frames")
                    .tag("reason", r.code()).register(registry));
        }
        batchSize = DistributionSummary.builder("segstream.segmenter.batch.size")
                .description("Frames per model call").baseUnit("frames").publishPercentileHistogram()
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32).register(registry);
        compute = Timer.builder("segstream.segmenter.batch.compute").description("Model time per batch")
                .publishPercentileHistogram().register(registry);
        queueWait = Timer.builder("segstream.segmenter.batch.queue.wait")
                .description("Per batch: first frame queued to the model call starting").publishPercentileHistogram()
                .register(registry);
        batchRetries = Counter.builder("segstream.segmenter.batch.retries")
                .description("Batches the model failed on, retried frame by frame").baseUnit("batches")
                .register(registry);
        recovered = Counter.builder("segstream.segmenter.frames.recovered")
                .description("Frames resubmitted from the pending-frames store after a restart or rebalance")
                .baseUnit("frames").register(registry);
        processing = Timer.builder("segstream.segmenter.frame.processing")
                .description("Frame read from Kafka to its mask forwarded").publishPercentileHistogram()
                .register(registry);
        Gauge.builder("segstream.segmenter.batch.queued", queued, AtomicInteger::get)
                .description("Frames waiting in the batcher for a model call").baseUnit("frames").register(registry);
        latency = Timer.builder("segstream.segmenter.frame.latency")
                .description("Capture time (frame.ts) to mask written").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        Gauge.builder("segstream.segmenter.in.flight", inFlight, AtomicInteger::get)
                .description("Frames read but not yet written as a mask or dead letter").baseUnit("frames")
                .register(registry);
        Gauge.builder("segstream.segmenter.model.info", () -> 1)
                .description("The model being served (value always 1; see tags)")
                .tag("variant", model.variant()).tag("version", model.version()).tag("device", device)
                .register(registry);
    }

    void frameIn() {
        framesIn.increment();
        inFlight.incrementAndGet();
    }

    void maskOut(long frameTs, long readAtMs, long nowMs) {
        masksOut.increment();
        inFlight.decrementAndGet();
        if (frameTs > 0 && nowMs >= frameTs) {
            latency.record(nowMs - frameTs, TimeUnit.MILLISECONDS);
        }
        if (readAtMs > 0 && nowMs >= readAtMs) {
            processing.record(nowMs - readAtMs, TimeUnit.MILLISECONDS);
        }
    }

    /** A frame taken back from the pending store (it counts as in flight again). */
    void frameRecovered() {
        recovered.increment();
        inFlight.incrementAndGet();
    }

    /** Frames a closing task leaves in its store for the next owner. */
    void abandoned(int frames) {
        inFlight.addAndGet(-frames);
    }

    void queued(int delta) {
        queued.addAndGet(delta);
    }

    void batchRetried() {
        batchRetries.increment();
    }

    void deadLetter(DeadLetterReason reason) {
        deadLetters.get(reason).increment();
        inFlight.decrementAndGet();
    }

    void batch(int size, long queueWaitNanos, long computeNanos) {
        batchSize.record(size);
        queueWait.record(queueWaitNanos, TimeUnit.NANOSECONDS);
        compute.record(computeNanos, TimeUnit.NANOSECONDS);
    }
}
