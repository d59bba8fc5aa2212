package dev.segstream.ops.demo;

import dev.segstream.core.metrics.MetricsServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's metrics, served the way the separate services serve theirs: one registry and one
 * endpoint per service (producer, segmenter, trainer), so the shipped Prometheus configuration,
 * its jobs and the dashboards' {@code job} matchers apply unchanged to a demo on a laptop. With
 * base port {@code B} they are served on {@code B+1}, {@code B+2}, {@code B+3} (9401-9403 for the
 * default 9400, as in docker-compose); base 0 picks free ports, a negative base serves nothing.
 */
final class DemoMetrics implements AutoCloseable {

    final PrometheusMeterRegistry producer = MetricsServer.newRegistry("producer");
    final PrometheusMeterRegistry segmenter = MetricsServer.newRegistry("segmenter");
    final PrometheusMeterRegistry trainer = MetricsServer.newRegistry("trainer");
    private final List<MetricsServer> servers = new ArrayList<>();

    DemoMetrics(String host, int basePort) {
        if (basePort < 0) {
            return;
        }
        try {
            List<PrometheusMeterRegistry> registries = List.of(producer, segmenter, trainer);
            for (int i = 0; i < registries.size(); i++) {
                servers.add(MetricsServer.start(registries.get(i), host, basePort == 0 ? 0 : basePort + 1 + i));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Where each endpoint is served, for the start line; empty when nothing is served. */
    String endpoints(String host) {
        if (servers.isEmpty()) {
            return "";
        }
        String[] names = {"producer", "segmenter", "trainer"};
        StringBuilder b = new StringBuilder("metrics");
        for (int i = 0; i < servers.size(); i++) {
            b.append(' ').append(names[i]).append("=http://").append(host).append(':').append(servers.get(i).port())
                    .append("/metrics");
        }
        return b.toString();
    }

    @Override
    public void close() {
        servers.forEach(MetricsServer::close);
    }
}
