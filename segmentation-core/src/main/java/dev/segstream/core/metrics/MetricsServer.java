package dev.segstream.core.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Serves a {@link PrometheusMeterRegistry} at {@code /metrics} over plain HTTP (JDK server, one
 * daemon thread). Port 0 picks a free port; see {@link #port()}.
 */
public final class MetricsServer implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;

    private MetricsServer(PrometheusMeterRegistry registry, HttpServer server) {
        this.registry = registry;
        this.server = server;
    }

    /**
     * A new Prometheus registry for a service, tagged {@code service}, with the JVM and process
     * meters bound ({@link ProcessMeters}; their GC listeners live as long as the JVM, as a
     * service's registry does).
     */
    public static PrometheusMeterRegistry newRegistry(String service) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service);
        new ProcessMeters().bindTo(registry);
        return registry;
    }

    /** Starts serving {@code registry} on {@code port} (all interfaces). */
    public static MetricsServer start(PrometheusMeterRegistry registry, int port) {
        return start(registry, null, port);
    }

    /**
     * Starts serving {@code registry} on {@code host:port}; a {@code null} host means all
     * interfaces (what a containerised service needs to be scraped), {@code 127.0.0.1} loopback
     * only (what a demo on a laptop wants).
     */
    public static MetricsServer start(PrometheusMeterRegistry registry, String host, int port) {
        try {
            InetSocketAddress address = host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
            HttpServer server = HttpServer.create(address, 0);
            server.createContext("/metrics", exchange -> {
                byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "metrics-http");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return new MetricsServer(registry, server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + (host == null ? "" : host + ":") + "port " + port, e);
        }
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The registry served. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
