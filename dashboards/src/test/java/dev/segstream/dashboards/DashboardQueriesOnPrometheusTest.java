package dev.segstream.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.dashboards.GrafanaDashboards.Query;
import dev.segstream.ops.OpsMain;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards proven without Grafana: the Debian {@code prometheus} runs with the shipped
 * configuration and rules (only the scrape targets point at this machine), scrapes a real demo
 * (broker, producer, segmenter, trainer service; one endpoint per service, as in compose) for
 * its whole run, and then every panel query and annotation of every dashboard, with the template
 * variables at "All", is evaluated over the run through Prometheus' HTTP API: each must return
 * data. The variables' own {@code label_values} queries must return values too.
 */
class DashboardQueriesOnPrometheusTest {

    /** Queries only a GPU-serving segmenter can answer; expected empty on a CPU host. */
    private static final Pattern GPU_ONLY = Pattern.compile("\\bsegstream_device_");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)");
    private static final Map<String, String> TARGETS = Map.of("producer:9401", "+1", "segmenter:9402", "+2",
            "trainer:9403", "+3");

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldReturnDataForEveryDashboardQueryWhenPrometheusScrapesTheDemo(@TempDir Path tmp) throws Exception {
        ExternalTool prometheus = ExternalTool.require("prometheus", "prometheus");
        int base = freeBasePort();
        int promPort = freePort();
        String config = Files.readString(Path.of("prometheus", "prometheus.yml"));
        for (Map.Entry<String, String> t : TARGETS.entrySet()) {
            assertThat(config).contains(t.getKey());
            config = config.replace(t.getKey(), "127.0.0.1:" + (base + Integer.parseInt(t.getValue().substring(1))));
        }
        Files.writeString(tmp.resolve("prometheus.yml"), config);
        Files.copy(Path.of("prometheus", "rules.yml"), tmp.resolve("rules.yml"));
        Process server = new ProcessBuilder(prometheus.path().toString(), "--config.file=" + tmp.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + tmp.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
        String api = "http://127.0.0.1:" + promPort;
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> get(api + "/-/ready").statusCode() == 200);
            long start = System.currentTimeMillis() / 1000;
            int code = OpsMain.commandLine().execute("demo", "--duration", "40", "--kafka-port", "0",
                    "--metrics-port", Integer.toString(base), "--overlay-port", "0", "--trainer-out", tmp.resolve("models").toString());
            assertThat(code).as("demo exit code").isZero();
            long end = System.currentTimeMillis() / 1000;
            assertThat(rangeQuery(api, "up == 1", start, end)).as("targets up: %s", Files.readString(tmp.resolve("prometheus.log")))
                    .hasSize(3);

            GrafanaDashboards dashboards = GrafanaDashboards.load();
            List<String> empty = new ArrayList<>();
            int gpuSkipped = 0;
            boolean gpu = !rangeQuery(api, "segstream_device_memory_used_bytes", start, end).isEmpty();
            for (Query q : dashboards.queries()) {
                JsonNode result = rangeQuery(api, GrafanaDashboards.substituted(q.expr()), start, end);
                if (GPU_ONLY.matcher(q.expr()).find() && !gpu) {
                    gpuSkipped++;
                    assertThat(result).as("GPU-only query on a CPU host: %s", q).isEmpty();
                } else if (result.isEmpty()) {
                    empty.add(q.toString());
                }
            }
            int variableQueries = 0;
            for (GrafanaDashboards.Board b : dashboards.boards()) {
                for (JsonNode v : b.json().path("templating").path("list")) {
                    if ("query".equals(v.path("type").asText())) {
                        variableQueries++;
                        List<String> values = labelValues(api, v.path("definition").asText(), start, end);
                        assertThat(values).as("values of variable %s in %s", v.path("name"), b.uid()).isNotEmpty();
                    }
                }
            }
            assertThat(empty).as("dashboard queries that returned no data").isEmpty();
            System.out.printf("Prometheus evaluated %d queries of %d panels in %d dashboards over a %d s demo: all returned "
                            + "data (%d GPU-only queries empty on this CPU host, as expected); %d variable queries returned values%n",
                    dashboards.queries().size(), dashboards.panelCount(), dashboards.boards().size(), end - start, gpuSkipped,
                    variableQueries);
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private JsonNode rangeQuery(String api, String promql, long start, long end) throws IOException, InterruptedException {
        HttpResponse<String> r = get(api + "/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + start + "&end=" + end + "&step=5");
        JsonNode body = json.readTree(r.body());
        assertThat(body.path("status").asText()).as("%s: %s", promql, r.body()).isEqualTo("success");
        return body.path("data").path("result");
    }

    /** Grafana's {@code label_values(selector, label)} through the label-values API. */
    private List<String> labelValues(String api, String definition, long start, long end) throws IOException, InterruptedException {
        Matcher m = LABEL_VALUES.matcher(GrafanaDashboards.substituted(definition));
        assertThat(m.matches()).as("variable query %s", definition).isTrue();
        HttpResponse<String> r = get(api + "/api/v1/label/" + m.group(2) + "/values?match[]="
                + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8) + "&start=" + start + "&end=" + end);
        List<String> values = new ArrayList<>();
        json.readTree(r.body()).path("data").forEach(v -> values.add(v.asText()));
        return values;
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A base port whose next three ports are free (the demo serves producer, segmenter, trainer there). */
    private static int freeBasePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20000 + (int) (Math.random() * 30000);
            try (ServerSocket a = new ServerSocket(base + 1); ServerSocket b = new ServerSocket(base + 2);
                 ServerSocket c = new ServerSocket(base + 3)) {
                return base;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no three consecutive free ports found");
    }
}
