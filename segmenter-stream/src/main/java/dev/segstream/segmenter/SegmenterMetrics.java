package dev.segstream.segmenter;

import dev.segstream.core.wire.DeadLetterReason;
import dev.segstream.model.ModelDescriptor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The segmenter's meters, as Micrometer's own binders do it: function counters over the counts
 * {@link SegmenterStats} keeps, gauges over the state the batcher already has (slots taken,
 * frames queued), the stats' recording meters exported, and the served model as an info gauge
 * whose tags are fixed at construction. Names are dotted lower case with a description and base
 * unit; outcomes and reasons are tags. Binding twice to one registry registers nothing twice.
 */
public final class SegmenterMetrics implements MeterBinder {

    private final SegmenterStats stats;
    private final DynamicBatcher batcher;
    private final Tags modelTags;

    SegmenterMetrics(SegmenterStats stats, DynamicBatcher batcher, ModelDescriptor model, String device) {
        this.stats = stats;
        this.batcher = batcher;
        this.modelTags = Tags.of("variant", model.variant(), "version", model.version(), "device", device);
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
        Gauge.builder("segstream.segmenter.model.info", () -> 1)
                .description("The model being served (value always 1; see tags)").tags(modelTags)
                .register(registry);
        stats.recording().exportTo(registry);
    }
}
