package dev.segstream.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.core.metrics.MetricsServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ProducerMetricsTest {

    @Test
    void shouldRegisterDescribedCountersPerOutcomeOnceWhenBoundTwice() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SendStats stats = new SendStats();
        new ProducerMetrics(stats).bindTo(registry);
        new ProducerMetrics(stats).bindTo(registry);
        stats.recordSend(false, true, 100, 0, 1_000_000);
        stats.recordSend(false, false, 100, 0, 0);
        stats.recordSend(true, true, 300, 0, 2_000_000);
        FunctionCounter ok = registry.get(ProducerMetrics.FRAMES).tag(ProducerMetrics.OUTCOME, "ok").functionCounter();
        assertThat(ok.count()).isEqualTo(1);
        assertThat(ok.getId().getDescription()).isNotBlank();
        assertThat(ok.getId().getBaseUnit()).isEqualTo("frames");
        assertThat(registry.get(ProducerMetrics.FRAMES).tag(ProducerMetrics.OUTCOME, "error").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get(ProducerMetrics.FRAME_BYTES).summary().totalAmount()).isEqualTo(100);
        assertThat(registry.get(ProducerMetrics.ACK_LATENCY).timer().count()).isEqualTo(2);
        assertThat(stats.framesSent()).isEqualTo(1);
        assertThat(stats.labelledSent()).isEqualTo(1);
        assertThat(stats.frameErrors() + stats.labelledErrors()).isEqualTo(1);
    }

    @Test
    void shouldKeepOwnCountsWhenTwoProducersShareRegistry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SendStats a = new SendStats();
        SendStats b = new SendStats();
        new ProducerMetrics(a).bindTo(registry);
        new ProducerMetrics(b).bindTo(registry);
        a.recordSend(false, true, 1, 0, 0);
        assertThat(a.framesSent()).isEqualTo(1);
        assertThat(b.framesSent()).isZero();
        assertThat(registry.get(ProducerMetrics.FRAMES).tag(ProducerMetrics.OUTCOME, "ok").functionCounters()).hasSize(1);
    }

    @Test
    void shouldServePrometheusTextWhenMetricsPortIsSet() throws Exception {
        PrometheusMeterRegistry registry = MetricsServer.newRegistry("producer");
        ListSource source = new ListSource(false).add("cam", 2, true);
        MockProducer<String, byte[]> mock = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer());
        try (FrameProducer p = new FrameProducer(new ProducerConfig(Map.of("fps", "0", "metrics.port", "0")), source,
                mock, registry)) {
            p.run();
            int port = p.metricsPort().orElseThrow();
            HttpResponse<String> res = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.body()).containsPattern("segstream_producer_frames[a-z_]*_total\\{[^}]*outcome=\"ok\"[^}]*} 2")
                    .contains("segstream_producer_labelled").contains("service=\"producer\"");
        }
    }
}
