package dev.segstream.trainer;

import dev.segstream.core.config.CommonConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trainer train}: trains one variant and keeps the best model. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a U-Net on a CamVid-layout folder (train split), validating on val each epoch.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--variant", required = true, description = "vanilla, noskip, residual or attention.")
    String variant;

    @Option(names = "--data", required = true, description = "CamVid-layout folder.")
    Path data;

    @Option(names = "--out", required = true, description = "Output folder (resumes from its checkpoint).")
    Path out;

    @Option(names = "--epochs", description = "Epochs in total.")
    Integer epochs;

    @Option(names = "--max-minutes", description = "Wall-clock budget in minutes.")
    Double maxMinutes;

    @Option(names = "--lr", description = "Adam learning rate (default 3e-4).")
    Double lr;

    @Option(names = "--batch-size", description = "Frames per step (default 8).")
    Integer batchSize;

    @Option(names = "--filters", description = "Filters of the first level (default 16).")
    Integer filters;

    @Option(names = "--depth", description = "Down-sampling steps (default 4).")
    Integer depth;

    @Option(names = "--seed", description = "Seed (default 42).")
    Long seed;

    @Option(names = "--class-weights", description = "none or median-frequency (default none).")
    String classWeights;

    @Option(names = "--device", description = "auto, cpu, gpu or gpu:N (default auto).")
    String device;

    @Option(names = "--lr-schedule", description = "none, cosine or step over the run (default none); the run's "
            + "progress is the elapsed share of --max-minutes when given, else of --epochs.")
    String lrSchedule;

    @Option(names = "--warmup-steps", description = "Steps of linear learning-rate warm-up (default 0).")
    Integer warmupSteps;

    @Option(names = "--augment", description = "none, flip or full (flip, zoom-crop, colour jitter; default "
            + "full).")
    String augment;

    @Option(names = "--weight-decay", description = "Decoupled weight decay, AdamW (default 0: plain Adam).")
    Double weightDecay;

    @Option(names = "--limit", description = "At most this many frames per split (0 = all).")
    Integer limit;

    @Option(names = "--metrics-port", description = "Prometheus port (0 = any free, default off).")
    Integer metricsPort;

    @Option(names = "--threads", description = "PyTorch intra-op threads (default: one per core; 1 is far faster "
            + "when other processes share the cores).")
    Integer threads;

    Map<String, Object> settings() {
        Map<String, Object> m = new TreeMap<>();
        m.put(TrainerConfig.VARIANT, variant);
        m.put(TrainerConfig.DATA, data.toString());
        m.put(TrainerConfig.OUT, out.toString());
        putIf(m, TrainerConfig.EPOCHS, epochs);
        putIf(m, TrainerConfig.MAX_MINUTES, maxMinutes);
        putIf(m, TrainerConfig.LR, lr);
        putIf(m, TrainerConfig.BATCH_SIZE, batchSize);
        putIf(m, TrainerConfig.FILTERS, filters);
        putIf(m, TrainerConfig.DEPTH, depth);
        putIf(m, TrainerConfig.SEED, seed);
        putIf(m, TrainerConfig.CLASS_WEIGHTS, classWeights);
        putIf(m, TrainerConfig.DEVICE, device);
        putIf(m, TrainerConfig.LIMIT, limit);
        putIf(m, TrainerConfig.LR_SCHEDULE, lrSchedule);
        putIf(m, TrainerConfig.WARMUP_STEPS, warmupSteps);
        putIf(m, TrainerConfig.AUGMENT, augment);
        putIf(m, TrainerConfig.WEIGHT_DECAY, weightDecay);
        putIf(m, CommonConfig.METRICS_PORT, metricsPort);
        return m;
    }

    private static void putIf(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    @Override
    public Integer call() {
        EngineThreads.apply(threads);
        TrainOptions options = new TrainerConfig(settings()).options();
        UNetTraining.Summary s = new UNetTraining(options, System.out).run();
        System.out.printf(Locale.ROOT, "done: %d epochs, best val mIoU %.4f at epoch %d, %.1f train images/s, artifact %s%n",
                s.epochs(), s.bestMiou(), s.bestEpoch(), s.imagesPerSecond(), s.artifact());
        return 0;
    }
}
