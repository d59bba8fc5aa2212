package dev.segstream.segmenter;

import dev.segstream.core.config.CliSupport;
import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.ConfigHelp;
import dev.segstream.core.config.SettingsOptions;
import dev.segstream.core.metrics.MetricsServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Command line of the segmenter: maps options onto {@link SegmenterConfig} and runs the service. */
@Command(name = "segmenter", mixinStandardHelpOptions = true, version = "segstream segmenter 0.1.0",
        description = "Segments camera frames from Kafka into masks with a U-Net (DJL, PyTorch engine).")
public final class SegmenterMain implements Callable<Integer> {

    @Mixin
    SettingsOptions common = new SettingsOptions();

    @Option(names = "--model", description = "Model artifact directory from the trainer (default: untrained seeded U-Net).")
    Path modelDir;

    @Option(names = "--variant", descriptionKey = ConfigHelp.PREFIX + SegmenterConfig.MODEL_VARIANT)
    String variant;

    @Option(names = "--device", descriptionKey = ConfigHelp.PREFIX + SegmenterConfig.DEVICE)
    String device;

    @Option(names = "--metrics-port", description = "Prometheus port (0 = any free, -1 = off).")
    Integer metricsPort;

    @Option(names = "--application-id", description = "Kafka Streams application.id.")
    String applicationId;

    /** The merged settings: file < SEGSTREAM_ env < --kafka < typed options. */
    Map<String, Object> settings(Map<String, String> env) {
        return common.resolve(env, SettingsOptions.typed(SegmenterConfig.MODEL_DIR, modelDir,
                SegmenterConfig.MODEL_VARIANT, variant, SegmenterConfig.DEVICE, device,
                CommonConfig.METRICS_PORT, metricsPort, StreamsConfig.APPLICATION_ID_CONFIG, applicationId));
    }

    @Override
    public Integer call() throws Exception {
        SegmenterConfig config = new SegmenterConfig(settings(System.getenv()));
        PrometheusMeterRegistry registry = MetricsServer.newRegistry("segmenter");
        int port = config.getInt(CommonConfig.METRICS_PORT);
        MetricsServer metricsServer = port >= 0 ? MetricsServer.start(registry, port) : null;
        SegmenterService service = new SegmenterService(config, registry);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            if (metricsServer != null) {
                metricsServer.close();
            }
            stopped.countDown();
        }, "segmenter-shutdown"));
        service.start();
        System.out.println("segmenter started bootstrap.servers=" + config.getString(CommonConfig.BOOTSTRAP_SERVERS)
                + (metricsServer != null ? " metrics=http://localhost:" + metricsServer.port() + "/metrics" : ""));
        stopped.await();
        return 0;
    }

    /** Runs the command; bad arguments exit 2 with one line on stderr. */
    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line (also used by tests). */
    public static CommandLine commandLine() {
        CommandLine cmd = CliSupport.commandLine(new SegmenterMain(), "segmenter");
        cmd.setResourceBundle(ConfigHelp.of(SegmenterConfig.configDef()));
        return cmd;
    }
}
