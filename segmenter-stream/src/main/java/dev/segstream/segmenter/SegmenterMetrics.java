package dev.segstream.segmenter;

import dev.segstream.core.wire.DeadLetterReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The segmenter's meters, as Micrometer's own binders do it: function counters over the counts
 * {@link SegmenterStats} keeps, gauges over the state the batcher already has (slots taken,
 * frames queued), the follower's swaps and refusals by reason, and the stats' recording meters
 * (timers, summaries, and the served model as an info gauge whose tags follow hot swaps). Names are dotted lower case with a description and base
 * unit; outcomes and reasons are tags. Binding twice to one registry registers nothing twice.
 */
public final class SegmenterMetrics implements MeterBinder {

    private final SegmenterStats stats;
    private final DynamicBatcher batcher;
    private final ModelFollower follower;

    /**
     * @param follower the hot-swap follower, or {@code null} when the segmenter serves one model
     */
    SegmenterMetrics(SegmenterStats stats, DynamicBatcher batcher, ModelFollower follower) {
        this.stats = stats;
        this.batcher = batcher;
        this.follower = follower;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("segstream.segmenter.frames.in", stats, SegmenterStats::framesIn)
                .description("Frames read from the frames topic").baseUnit("frames").register(registry);
        FunctionCounter.builder("segstream.segmenter.masks.out", stats, SegmenterStats::masksOut)
                .description("Masks written to the masks topic").baseUnit("masks").register(registry);
        for (DeadLetterReason r : DeadLetterReason.values()) {
            FunctionCounter.builder("segstream.segmenter.dead.letters", stats, s -> s.deadLetters(r))
                    .description("Frames written to the dead-letter topic").baseUnit("frames")
                    .tag("reason", r.code()).register(registry);
        }
        FunctionCounter.builder("segstream.segmenter.batch.retries", stats, SegmenterStats::batchRetries)
                .description("Batches the model failed on, retried frame by frame").baseUnit("batches")
                .register(registry);
        FunctionCounter.builder("segstream.segmenter.frames.recovered", stats, SegmenterStats::recovered)
                .description("Frames resubmitted from the pending-frames store after a restart or rebalance")
                .baseUnit("frames").register(registry);
        Gauge.builder("segstream.segmenter.batch.queued", batcher, DynamicBatcher::queuedFrames)
                .description("Frames waiting in the batcher for a model call").baseUnit("frames").register(registry);
        Gauge.builder("segstream.segmenter.in.flight", batcher, b -> b.slots().taken())
                .description("Frames read but not yet written as a mask or dead letter").baseUnit("frames")
                .register(registry);
        Gauge.builder("segstream.segmenter.in.flight.limit", batcher, b -> b.limits().maxInFlight())
                .description("The most frames one instance keeps in flight before it stops polling Kafka")
                .baseUnit("frames").register(registry);
        if (follower != null) {
            FunctionCounter.builder("segstream.segmenter.model.swaps", follower, ModelFollower::swaps)
                    .description("Model versions swapped in while serving").baseUnit("swaps").register(registry);
            for (ModelFollower.Refusal r : ModelFollower.Refusal.values()) {
                FunctionCounter.builder("segstream.segmenter.model.refused", follower, f -> f.refused(r))
                        .description("Announced model versions refused (the old one kept serving)")
                        .baseUnit("versions").tag("reason", r.tag()).register(registry);
            }
        }
        stats.recording().exportTo(registry);
    }
}
