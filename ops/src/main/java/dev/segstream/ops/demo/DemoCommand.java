package dev.segstream.ops.demo;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.topic.Topics;
import dev.segstream.ops.broker.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops demo}: a real in-process KRaft broker, the producer (synthetic camera or a CamVid
 * folder), the segmenter and the online trainer in one JVM, watched from outside by a
 * {@link PipelineAuditor}. Logs go to {@code --log-file} ({@link LogSetup}); stderr keeps a status
 * line ({@link DemoConsole}); when {@code --duration} ends it stops producing, drains, and prints
 * one JSON line to stdout.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run broker + producer + segmenter + trainer in-process; print a JSON summary at the end.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "60", description = "Seconds to produce (0 = until Ctrl-C). Default ${DEFAULT-VALUE}.")
    long durationSeconds;

    @Option(names = "--data", description = "CamVid-layout folder to publish (default: the synthetic road camera).")
    Path data;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Port of the in-process broker (0 = any free). Default ${DEFAULT-VALUE}.")
    int kafkaPort;

    @Option(names = "--no-producer", description = "Do not produce: wait for frames from outside clients such as kcat.")
    boolean noProducer;

    @Option(names = "--fps", defaultValue = "5", description = "Frames per second per camera. Default ${DEFAULT-VALUE}.")
    double fps;

    @Option(names = "--cameras", defaultValue = "4", description = "Synthetic cameras. Default ${DEFAULT-VALUE}.")
    int cameras;

    @Option(names = "--model", description = "Model artifact directory (default: untrained seeded vanilla U-Net).")
    Path model;

    @Option(names = "--no-trainer", description = "Do not run the trainer service (the segmenter then serves one model).")
    boolean noTrainer;

    @Option(names = "--trainer-out", defaultValue = "models/store",
            description = "Model store the trainer service publishes to and the segmenter follows. Default ${DEFAULT-VALUE}.")
    Path trainerOut;

    @Option(names = "--trainer-delay", defaultValue = "0", description = "Seconds the segmenter serves alone before "
            + "the trainer service starts; the summary then gives latency with and without training. Default ${DEFAULT-VALUE}.")
    long trainerDelaySeconds;

    @Option(names = "--train-share", defaultValue = "1.0", description = "serve.train.share of the demo's trainer "
            + "service: the share of wall-clock time its rounds may spend in training steps. Default ${DEFAULT-VALUE}.")
    double trainShare;

    @Option(names = "--metrics-port", defaultValue = "9400", description = "Base port of the services' Prometheus "
            + "endpoints: producer on base+1, segmenter base+2, trainer base+3, as in docker-compose (0 = any free, "
            + "-1 = off). Default ${DEFAULT-VALUE}.")
    int metricsPort;

    @Option(names = "--overlay-port", defaultValue = "9480", description = "Port of the live overlay page "
            + "(0 = any free, -1 = off). Default ${DEFAULT-VALUE}.")
    int overlayPort;

    @Option(names = "--bind-host", defaultValue = "127.0.0.1", description = "Address the metrics endpoints and the "
            + "overlay page bind to (loopback by default; 0.0.0.0 for every interface). Default ${DEFAULT-VALUE}.")
    String bindHost;

    @Option(names = "--drain-timeout", defaultValue = "60", description = "Seconds to wait for outstanding masks at the end. Default ${DEFAULT-VALUE}.")
    long drainTimeoutSeconds;

    @Option(names = "--log-file", description = "Where the demo's logs go (native stderr included); the console "
            + "keeps the status. Default: <java.io.tmpdir>/segstream-demo-<time>.log.")
    Path logFile;

    /** The status and message lines for a person (set first thing in {@link #call()}). */
    DemoConsole console;

    @Override
    public Integer call() throws Exception {
        if (durationSeconds < 0 || fps < 0 || cameras < 1 || drainTimeoutSeconds < 0) {
            throw new IllegalArgumentException("--duration, --fps and --drain-timeout must be >= 0 and --cameras >= 1");
        }
        // first: what follows logs, and native code may write to fd 2
        LogSetup.Result logs = LogSetup.redirect(logFile != null ? logFile : LogSetup.defaultLogFile());
        console = DemoConsole.of(logs);
        console.println(logs.logsLine());
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().start(kafkaPort, null);
             DemoMetrics metrics = new DemoMetrics(bindHost, metricsPort)) {
            Topics topics = Topics.defaults();
            broker.createTopics(topics);
            console.println("broker ready bootstrap.servers=" + broker.bootstrapServers() + " "
                    + metrics.endpoints(bindHost));
            DemoRun run = new DemoRun(this, broker.bootstrapServers(), topics, metrics);
            AuditReport report = run.execute();
            console.finish();
            System.out.println(report.toJson(run.loopSummary()));
            return report.exactlyOnce() ? 0 : 1;
        }
    }

    /** The settings shared by the services of this demo. */
    java.util.Map<String, Object> commonSettings(String bootstrapServers) {
        return java.util.Map.of(CommonConfig.BOOTSTRAP_SERVERS, bootstrapServers, CommonConfig.METRICS_PORT, "-1");
    }
}
