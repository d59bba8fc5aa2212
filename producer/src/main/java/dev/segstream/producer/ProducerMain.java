package dev.segstream.producer;

import dev.segstream.core.config.CliSupport;
import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.SettingsOptions;
import dev.segstream.core.metrics.MetricsServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Command line of the producer service. Every option maps onto a {@link ProducerConfig} key;
 * settings merge as properties file &lt; {@code SEGSTREAM_*} environment &lt; {@code --kafka} pairs
 * &lt; typed options ({@link SettingsOptions#resolve}). Bad arguments end with exit code 2 and one line
 * {@code producer: error: ...} on stderr; other failures with exit code 1 and one line.
 */
@Command(name = "producer", mixinStandardHelpOptions = true, version = "segstream producer 0.1.0",
        sortOptions = false,
        description = "Streams camera frames (a CamVid folder, or synthetic road scenes with exact masks) to Kafka.")
public final class ProducerMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ProducerMain.class);

    @Mixin
    SettingsOptions common = new SettingsOptions();

    @Option(names = "--data", paramLabel = "DIR", description = "CamVid-layout folder to stream; default synthetic.")
    Path data;

    @Option(names = "--fps", paramLabel = "N", description = "Frames per second per camera; 0 = max (default 5).")
    Double fps;

    @Option(names = "--frames", paramLabel = "N", description = "Stop after N frames in total; 0 = never (default).")
    Long frames;

    @Option(names = "--cameras", paramLabel = "N", description = "Synthetic cameras (default 4).")
    Integer cameras;

    @Option(names = "--width", paramLabel = "PX", description = "Synthetic frame width (default 128).")
    Integer width;

    @Option(names = "--height", paramLabel = "PX", description = "Synthetic frame height (default 96).")
    Integer height;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of synthetic camera 0 (default 42).")
    Long seed;

    @Option(names = "--loop", negatable = true, description = "Start over when a folder's frames run out "
            + "(default; --no-loop ends instead).")
    Boolean loop;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Prometheus /metrics port; 0 = any free, -1 = off (default 9401).")
    Integer metricsPort;

    private final Map<String, String> env;

    /** A command reading the process environment. */
    public ProducerMain() {
        this(System.getenv());
    }

    /** A command reading {@code env} as its environment. */
    public ProducerMain(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The merged settings after parsing: file, environment, {@code --kafka}, typed options. */
    public Map<String, Object> settings() {
        return common.resolve(env, SettingsOptions.typed(ProducerConfig.SOURCE_DIR, data, ProducerConfig.FPS, fps,
                ProducerConfig.FRAMES_MAX, frames, ProducerConfig.SYNTHETIC_CAMERAS, cameras,
                ProducerConfig.SYNTHETIC_WIDTH, width, ProducerConfig.SYNTHETIC_HEIGHT, height,
                ProducerConfig.SYNTHETIC_SEED, seed, ProducerConfig.LOOP, loop, CommonConfig.METRICS_PORT, metricsPort));
    }


    /** The validated configuration after parsing. */
    public ProducerConfig config() {
        return new ProducerConfig(settings());
    }

    @Override
    public Integer call() throws InterruptedException {
        ProducerConfig config = config();
        PrometheusMeterRegistry registry = MetricsServer.newRegistry("producer");
        FrameProducer producer = new FrameProducer(config, registry);
        Thread hook = new Thread(producer::close, "producer-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            producer.metricsPort().ifPresent(p -> LOG.info("metrics at http://localhost:{}/metrics", p));
            producer.run();
        } finally {
            producer.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: nothing to remove
            }
        }
        LOG.info("done: {} frames sent, {} labelled, {} send errors", producer.framesSent(), producer.labelledSent(),
                producer.sendErrors());
        return producer.framesDispatched() > 0 && producer.framesSent() == 0 ? 1 : 0;
    }

    /** The picocli command with segstream's one-line error reporting on its error writer. */
    public static CommandLine commandLine(ProducerMain main) {
        return CliSupport.commandLine(main, "producer");
    }

    /** Runs the command line and exits with its code; a shutdown hook closes the producer. */
    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka",
                System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn"));
        System.exit(commandLine(new ProducerMain()).execute(args));
    }
}
