package dev.segstream.trainer.cli;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.ConfigHelp;
import dev.segstream.core.config.SettingsOptions;
import dev.segstream.core.metrics.MetricsServer;
import dev.segstream.model.store.ModelStoreConfig;
import dev.segstream.trainer.service.TrainerService;
import dev.segstream.trainer.service.TrainerServiceConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trainer serve}: the trainer service, retraining the variants from labelled frames and publishing better ones. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Retrain the U-Net variants from frames.labelled in rounds, judge each candidate against its "
                + "champion on held-out frames, and publish better ones to the model store and the models topic.")
final class ServeCommand implements Callable<Integer> {

    @Mixin
    SettingsOptions settings = new SettingsOptions();

    @Option(names = "--store", descriptionKey = ConfigHelp.PREFIX + ModelStoreConfig.MODEL_STORE)
    Path store;

    @Option(names = "--variants", split = ",", descriptionKey = ConfigHelp.PREFIX + TrainerServiceConfig.VARIANTS)
    java.util.List<String> variants;

    @Option(names = "--round-seconds", descriptionKey = ConfigHelp.PREFIX + TrainerServiceConfig.ROUND_SECONDS)
    Double roundSeconds;

    @Option(names = "--metrics-port", description = "Prometheus port (default 9403; 0 = any, -1 = off).")
    Integer metricsPort;

    @Override
    public Integer call() throws Exception {
        TrainerServiceConfig config = new TrainerServiceConfig(settings.resolve(System.getenv(), SettingsOptions.typed(
                ModelStoreConfig.MODEL_STORE, store, TrainerServiceConfig.VARIANTS,
                variants == null ? null : String.join(",", variants), TrainerServiceConfig.ROUND_SECONDS, roundSeconds,
                CommonConfig.METRICS_PORT, metricsPort)));
        PrometheusMeterRegistry registry = MetricsServer.newRegistry("trainer");
        int port = config.getInt(CommonConfig.METRICS_PORT);
        try (MetricsServer server = port >= 0 ? MetricsServer.start(registry, port) : null) {
            TrainerService service = new TrainerService(config, registry);
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                try {
                    main.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "trainer-service-shutdown"));
            System.out.println("trainer service reading " + config.topics().labelled().name() + ", publishing to "
                    + config.getString(ModelStoreConfig.MODEL_STORE) + " and " + config.topics().models().name()
                    + (server != null ? ", metrics http://localhost:" + server.port() + "/metrics" : ""));
            service.run();
        }
        return 0;
    }
}
