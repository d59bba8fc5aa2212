package dev.segstream.model.numerics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Exports the training-numerics choice of this JVM as an info gauge,
 * {@code segstream_numerics_info{mode=..., setting=...} 1}, so a dashboard shows which hosts
 * train with oneDNN capped or off. Bind after {@link TrainingNumerics#ensure}.
 */
public final class NumericsMetrics implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        TrainingNumerics.current().ifPresent(c -> Gauge.builder("segstream.numerics.info", () -> 1)
                .description("Training numerics in force: requested mode and the conv-kernel setting the self-test chose")
                .tags(Tags.of("mode", c.mode().id(), "setting", c.setting().id()))
                .register(registry));
    }
}
