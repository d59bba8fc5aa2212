package dev.segstream.core.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * Meters that record events as they happen (timers, distribution summaries), which no gauge or
 * function counter can observe afterwards. A component creates them once, in final fields, on
 * {@link #registry()}; its binder's {@code bindTo} calls {@link #exportTo}, after which every
 * recording also reaches that registry. Binding twice to one registry changes nothing; recording
 * before any binding costs next to nothing.
 */
public final class RecordingMeters {

    private final CompositeMeterRegistry composite = new CompositeMeterRegistry();

    /** Where the component registers its recording meters. */
    public MeterRegistry registry() {
        return composite;
    }

    /** Exports every recording meter (those made so far and later ones) to {@code target}. */
    public void exportTo(MeterRegistry target) {
        composite.add(target);
    }
}
