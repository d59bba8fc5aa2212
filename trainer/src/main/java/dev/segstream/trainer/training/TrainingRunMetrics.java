package dev.segstream.trainer.training;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one offline training run ({@code train --metrics-port}), observing what
 * {@link UNetTraining} already keeps: the latest epoch's row and the step runner's skip count.
 * Gauges read NaN before the first epoch ends.
 */
final class TrainingRunMetrics implements MeterBinder {

    private final UNetTraining run;

    TrainingRunMetrics(UNetTraining run) {
        this.run = run;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "segstream.trainer.epoch", "Epochs finished (resumed ones included)", EpochMetrics::epoch);
        gauge(registry, "segstream.trainer.train.loss", "Mean training loss of the latest epoch",
                EpochMetrics::trainLoss);
        gauge(registry, "segstream.trainer.val.miou", "Validation mIoU after the latest epoch", EpochMetrics::valMiou);
        gauge(registry, "segstream.trainer.images.per.second", "Training throughput of the latest epoch",
                EpochMetrics::imagesPerSecond);
        FunctionCounter.builder("segstream.trainer.steps.skipped", run, UNetTraining::skippedSteps)
                .description("Training steps skipped for a NaN or infinite loss or gradient").baseUnit("steps")
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<EpochMetrics> f) {
        Gauge.builder(name, run, r -> {
            EpochMetrics m = r.latest();
            return m == null ? Double.NaN : f.applyAsDouble(m);
        }).description(description).register(registry);
    }
}
