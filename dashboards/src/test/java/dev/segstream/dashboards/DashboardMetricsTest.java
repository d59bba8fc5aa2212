package dev.segstream.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.ops.OpsMain;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every segstream metric a dashboard panel queries is one the running services really expose:
 * runs the demo (real broker, producer, segmenter, trainer) for a few seconds, scrapes its
 * Prometheus endpoint mid-run, and checks each {@code segstream_*} name in each panel's PromQL.
 */
class DashboardMetricsTest {

    private static final Pattern METRIC = Pattern.compile("\\bsegstream_[a-z0-9_]+");

    static Set<String> queriedMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(Path.of("grafana", "dashboards"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                for (JsonNode panel : json.readTree(f.toFile()).path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        Matcher m = METRIC.matcher(target.path("expr").asText());
                        while (m.find()) {
                            names.add(m.group());
                        }
                    }
                }
            }
        }
        return names;
    }

    @Test
    void shouldFindEveryQueriedMetricWhenDemoRuns(@TempDir Path tmp) throws Exception {
        Set<String> queried = queriedMetrics();
        assertThat(queried).isNotEmpty();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        AtomicReference<String> scrape = new AtomicReference<>("");
        int metricsPort = port;
        Thread scraper = new Thread(() -> {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 120 && !Thread.currentThread().isInterrupted(); i++) {
                try {
                    // Scrapes every 500 ms for the whole run (keeping the last), not a wait for a condition.
                    Thread.sleep(500);
                    String body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + metricsPort + "/metrics"))
                            .build(), HttpResponse.BodyHandlers.ofString()).body();
                    scrape.set(body); // the last scrape before the demo stops holds every meter
                } catch (IOException e) {
                    // not up yet
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "scraper");
        scraper.setDaemon(true);
        scraper.start();
        int code = OpsMain.commandLine().execute("demo", "--duration", "12", "--kafka-port", "0",
                "--metrics-port", Integer.toString(port), "--trainer-out", tmp.resolve("models").toString());
        scraper.interrupt();
        assertThat(code).isZero();
        Set<String> exposed = new TreeSet<>();
        Matcher m = METRIC.matcher(scrape.get());
        while (m.find()) {
            exposed.add(m.group());
        }
        List<String> missing = new ArrayList<>();
        for (String q : queried) {
            if (!exposed.contains(q)) {
                missing.add(q);
            }
        }
        assertThat(missing).as("metrics queried by a dashboard but not exposed by the services").isEmpty();
    }
}
