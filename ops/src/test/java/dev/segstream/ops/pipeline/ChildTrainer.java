package dev.segstream.ops.pipeline;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.ops.testing.ChildJvm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code trainer serve} in a child JVM (so SIGKILL leaves nothing behind), with its scratch
 * folder in a known place ({@code java.io.tmpdir}) and its Prometheus endpoint on a free port,
 * read to tell when a round is running: rounds started exceed candidates judged.
 */
final class ChildTrainer implements AutoCloseable {

    private static final Pattern METRICS_URL = Pattern.compile("metrics (http://localhost:\\d+/metrics)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ChildJvm jvm;
    private final Path log;
    private volatile URI metrics;

    private ChildTrainer(ChildJvm jvm, Path log) {
        this.jvm = jvm;
        this.log = log;
    }

    /** Starts {@code trainer serve} with {@code settings} (as {@code --kafka} pairs), scratch under {@code tmpDir}. */
    static ChildTrainer start(Map<String, Object> settings, Path tmpDir, Path log) throws IOException {
        Files.createDirectories(tmpDir);
        List<String> args = new ArrayList<>(List.of("serve", "--metrics-port", "0"));
        settings.forEach((k, v) -> {
            if (!k.equals(CommonConfig.METRICS_PORT)) {
                args.addAll(List.of("--kafka", k + "=" + v));
            }
        });
        ChildJvm jvm = ChildJvm.start("dev.segstream.trainer.cli.TrainerMain", List.of("-Djava.io.tmpdir=" + tmpDir),
                args, 512, log);
        return new ChildTrainer(jvm, log);
    }

    /** Rounds started minus candidates judged (published or kept): 1 while a round runs; -1 when unknown yet. */
    long roundsRunning() {
        String text = scrape();
        if (text == null) {
            return -1;
        }
        return sum(text, "segstream_trainer_rounds_total") - sum(text, "segstream_trainer_versions_total");
    }

    /** Candidates published, per the service's own counter; -1 when unknown yet. */
    long published() {
        String text = scrape();
        return text == null ? -1 : sum(text, "segstream_trainer_versions_total{outcome=\"published\"");
    }

    private String scrape() {
        try {
            if (metrics == null) {
                Matcher m = METRICS_URL.matcher(Files.readString(log));
                if (!m.find()) {
                    return null;
                }
                metrics = URI.create(m.group(1));
            }
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static long sum(String text, String prefix) {
        double total = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) total;
    }

    boolean isAlive() {
        return jvm.isAlive();
    }

    /** SIGKILL. */
    void kill() throws InterruptedException {
        jvm.kill();
    }

    String logTail() {
        return jvm.logTail(40);
    }

    @Override
    public void close() throws InterruptedException {
        jvm.close();
    }
}
