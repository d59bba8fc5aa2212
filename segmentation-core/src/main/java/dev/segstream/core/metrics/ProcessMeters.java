package dev.segstream.core.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JVM and process meters every service exposes, for the "JVM and device" dashboard: Micrometer's
 * own binders (heap and non-heap, GC pauses, threads, CPU, uptime, classes) plus the process's
 * resident set size, which is where PyTorch's native memory shows: libtorch allocates outside the
 * Java heap, so RSS minus the JVM's committed memory is the native part.
 *
 * <p>The GC binder listens for GC notifications; {@link #close} removes those listeners.
 */
public final class ProcessMeters implements MeterBinder, AutoCloseable {

    private static final Path STATUS = Path.of("/proc/self/status");

    private final JvmGcMetrics gc = new JvmGcMetrics();

    @Override
    public void bindTo(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        if (Files.isReadable(STATUS)) {
            Gauge.builder("process.memory.rss", ProcessMeters::residentBytes)
                    .description("Resident set size of the process: Java heap, JVM internals and native (PyTorch) memory")
                    .baseUnit("bytes").register(registry);
        }
    }

    /** VmRSS from {@code /proc/self/status} in bytes, NaN where it cannot be read. */
    public static double residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Double.parseDouble(parts[0]) * 1024; // the kernel reports kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // a gauge that cannot be read reports NaN, which Prometheus drops from graphs
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        gc.close();
    }
}
