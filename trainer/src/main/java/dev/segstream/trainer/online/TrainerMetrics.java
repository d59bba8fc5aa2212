package dev.segstream.trainer.online;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The online trainer's meters, registered once in {@link #bindTo}. */
final class TrainerMetrics implements MeterBinder {

    private volatile double lastLoss = Double.NaN;
    private volatile double lastBatchMiou = Double.NaN;
    private final AtomicLong version = new AtomicLong();
    private Counter accepted;
    private Counter rejected;
    private Counter steps;
    private Counter skipped;
    private Counter saves;
    private Timer stepTime;

    @Override
    public void bindTo(MeterRegistry registry) {
        accepted = Counter.builder("segstream.trainer.samples").description("Labelled frames read")
                .baseUnit("frames").tag("outcome", "accepted").register(registry);
        rejected = Counter.builder("segstream.trainer.samples").description("Labelled frames read")
                .baseUnit("frames").tag("outcome", "rejected").register(registry);
        steps = Counter.builder("segstream.trainer.steps").description("Optimizer steps taken")
                .baseUnit("steps").register(registry);
        skipped = Counter.builder("segstream.trainer.steps.skipped")
                .description("Training steps skipped for a NaN or infinite loss or gradient").baseUnit("steps")
                .register(registry);
        saves = Counter.builder("segstream.trainer.model.versions").description("Model versions written")
                .baseUnit("versions").register(registry);
        stepTime = Timer.builder("segstream.trainer.step.time").description("Wall time of one training step")
                .register(registry);
        Gauge.builder("segstream.trainer.loss", this, m -> m.lastLoss).description("Loss of the latest step")
                .register(registry);
        Gauge.builder("segstream.trainer.batch.miou", this, m -> m.lastBatchMiou)
                .description("mIoU of the latest step's own predictions against its labels").register(registry);
        Gauge.builder("segstream.trainer.model.step", version, AtomicLong::get)
                .description("Step of the newest model version written").register(registry);
    }

    void accepted() {
        accepted.increment();
    }

    void rejected() {
        rejected.increment();
    }

    void step(long nanos, double loss, double batchMiou) {
        steps.increment();
        stepTime.record(nanos, TimeUnit.NANOSECONDS);
        lastLoss = loss;
        lastBatchMiou = batchMiou;
    }

    void skipped() {
        skipped.increment();
    }

    void saved(long step) {
        saves.increment();
        version.set(step);
    }
}
