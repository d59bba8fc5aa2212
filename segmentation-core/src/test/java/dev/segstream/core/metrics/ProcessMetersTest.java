package dev.segstream.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ProcessMetersTest {

    @Test
    void shouldReportResidentMemoryAboveHeapInUseWhenOnLinux() {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "no /proc/self/status: not Linux");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ProcessMeters meters = new ProcessMeters()) {
            meters.bindTo(registry);
            double rss = registry.get("process.memory.rss").gauge().value();
            double heapUsed = registry.get("jvm.memory.used").tag("area", "heap").gauges().stream()
                    .mapToDouble(g -> g.value()).sum();
            assertThat(rss).isGreaterThan(heapUsed).isLessThan(Runtime.getRuntime().maxMemory() * 4.0 + (1L << 32));
        }
    }

    @Test
    void shouldExposeJvmAndProcessMetersWhenAServiceRegistryIsCreated() {
        PrometheusMeterRegistry registry = MetricsServer.newRegistry("test");
        String scrape = registry.scrape();
        assertThat(scrape).contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads{",
                "process_cpu_usage{", "service=\"test\"");
    }
}
