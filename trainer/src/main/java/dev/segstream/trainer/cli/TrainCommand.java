package dev.segstream.trainer.cli;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.ConfigHelp;
import dev.segstream.trainer.training.TrainOptions;
import dev.segstream.trainer.training.TrainerConfig;
import dev.segstream.trainer.training.UNetTraining;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trainer train}: trains one variant and keeps the best model. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a U-Net on a CamVid-layout folder (train split), validating on val each epoch.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--variant", required = true, descriptionKey = ConfigHelp.PREFIX + TrainerConfig.VARIANT)
    String variant;

    @Option(names = "--out", required = true, description = "Output folder (resumes from its checkpoint).")
    Path out;

    @Option(names = "--metrics-port", description = "Prometheus port (0 = any free, default off).")
    Integer metricsPort;

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    TrainingOptions training = new TrainingOptions();

    Map<String, Object> settings() {
        Map<String, Object> m = new TreeMap<>();
        m.put(TrainerConfig.VARIANT, variant);
        m.put(TrainerConfig.OUT, out.toString());
        run.putInto(m);
        TrainingOptions.putIf(m, CommonConfig.METRICS_PORT, metricsPort);
        training.putInto(m);
        return m;
    }

    @Override
    public Integer call() {
        TrainOptions options = new TrainerConfig(settings()).options();
        UNetTraining.Summary s = new UNetTraining(options, System.out).run();
        System.out.printf(Locale.ROOT, "done: %d epochs, best val mIoU %.4f at epoch %d, %.1f train images/s, artifact %s%n",
                s.epochs(), s.bestMiou(), s.bestEpoch(), s.imagesPerSecond(), s.artifact());
        return 0;
    }
}
