package dev.segstream.trainer.online;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The online trainer's meters, observing the counts and latest values {@link OnlineTrainer} keeps
 * (function counters and gauges) and exporting its step-time recording. Binding twice to one
 * registry registers nothing twice.
 */
final class TrainerMetrics implements MeterBinder {

    private final OnlineTrainer trainer;

    TrainerMetrics(OnlineTrainer trainer) {
        this.trainer = trainer;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("segstream.trainer.samples", trainer, OnlineTrainer::accepted)
                .description("Labelled frames read").baseUnit("frames").tag("outcome", "accepted").register(registry);
        FunctionCounter.builder("segstream.trainer.samples", trainer, OnlineTrainer::rejected)
                .description("Labelled frames read").baseUnit("frames").tag("outcome", "rejected").register(registry);
        FunctionCounter.builder("segstream.trainer.steps", trainer, OnlineTrainer::steps)
                .description("Optimizer steps taken").baseUnit("steps").register(registry);
        FunctionCounter.builder("segstream.trainer.steps.skipped", trainer, OnlineTrainer::skippedSteps)
                .description("Training steps skipped for a NaN or infinite loss or gradient").baseUnit("steps")
                .register(registry);
        FunctionCounter.builder("segstream.trainer.model.versions", trainer, OnlineTrainer::versionsWritten)
                .description("Model versions written").baseUnit("versions").register(registry);
        Gauge.builder("segstream.trainer.loss", trainer, OnlineTrainer::lastLoss)
                .description("Loss of the latest step").register(registry);
        Gauge.builder("segstream.trainer.batch.miou", trainer, OnlineTrainer::lastBatchMiou)
                .description("mIoU of the latest step's own predictions against its labels").register(registry);
        Gauge.builder("segstream.trainer.model.step", trainer, OnlineTrainer::latestVersionStep)
                .description("Step of the newest model version written").register(registry);
        trainer.recording().exportTo(registry);
    }
}
