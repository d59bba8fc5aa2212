package dev.segstream.trainer.cli;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.ConfigHelp;
import dev.segstream.core.config.SettingsOptions;
import dev.segstream.core.metrics.MetricsServer;
import dev.segstream.trainer.online.OnlineTrainer;
import dev.segstream.trainer.online.OnlineTrainerConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trainer online}: learn continuously from the labelled-frames topic. */
@Command(name = "online", mixinStandardHelpOptions = true,
        description = "Train continuously on frames.labelled and publish model versions to --out.")
public final class OnlineCommand implements Callable<Integer> {

    @Mixin
    SettingsOptions settings = new SettingsOptions();

    @Option(names = "--out", description = "Model versions folder (default: models/online).")
    Path out;

    @Option(names = "--init-model", description = "Artifact to fine-tune (default: seeded initialisation).")
    Path initModel;

    @Option(names = "--variant", descriptionKey = ConfigHelp.PREFIX + OnlineTrainerConfig.VARIANT)
    String variant;

    @Option(names = "--metrics-port", description = "Prometheus port (default 9403; 0 = any, -1 = off).")
    Integer metricsPort;

    @Option(names = "--numerics", descriptionKey = ConfigHelp.PREFIX + OnlineTrainerConfig.NUMERICS)
    String numerics;

    @Override
    public Integer call() throws Exception {
        OnlineTrainerConfig config = new OnlineTrainerConfig(settings.resolve(System.getenv(), SettingsOptions.typed(
                OnlineTrainerConfig.OUT_DIR, out, OnlineTrainerConfig.INIT_MODEL, initModel,
                OnlineTrainerConfig.VARIANT, variant, CommonConfig.METRICS_PORT, metricsPort,
                OnlineTrainerConfig.NUMERICS, numerics)));
        PrometheusMeterRegistry registry = MetricsServer.newRegistry("trainer");
        int port = config.getInt(CommonConfig.METRICS_PORT);
        try (MetricsServer server = port >= 0 ? MetricsServer.start(registry, port) : null) {
            OnlineTrainer trainer = new OnlineTrainer(config, registry);
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                trainer.close();
                try {
                    main.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "trainer-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            System.out.println("online trainer reading " + config.topics().labelled().name() + " from "
                    + config.getString(CommonConfig.BOOTSTRAP_SERVERS) + ", writing to "
                    + config.getString(OnlineTrainerConfig.OUT_DIR)
                    + (server != null ? ", metrics http://localhost:" + server.port() + "/metrics" : ""));
            trainer.run();
        }
        return 0;
    }

}
