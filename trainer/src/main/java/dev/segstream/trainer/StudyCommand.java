package dev.segstream.trainer;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.model.UNetVariant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trainer study}: trains and compares variants, writing table, curves and prediction panels. */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Train each variant into OUT/<variant>, evaluate on val (and test when present), and write "
                + "study.md, study.csv, curve plots and prediction panels. Re-running resumes or reuses.")
final class StudyCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "CamVid-layout folder.")
    Path data;

    @Option(names = "--out", required = true, description = "Study folder.")
    Path out;

    @Option(names = "--variants", split = ",", defaultValue = "vanilla,noskip,residual,attention",
            description = "Comma-separated variants (default all four).")
    List<String> variants;

    @Option(names = "--epochs", description = "Epochs per variant.")
    Integer epochs;

    @Option(names = "--max-minutes", description = "Wall-clock budget per variant in minutes.")
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

    @Option(names = "--threads", description = "PyTorch intra-op threads (default: one per core; 1 is far faster "
            + "when other processes share the cores).")
    Integer threads;

    /** One validated training run per requested variant, each into OUT/variant. */
    List<TrainOptions> runs() {
        List<TrainOptions> runs = new ArrayList<>();
        for (String name : new LinkedHashSet<>(variants)) {
            String v = UNetVariant.parse(name).id();
            Map<String, Object> m = new TreeMap<>();
            m.put(TrainerConfig.VARIANT, v);
            m.put(TrainerConfig.DATA, data.toString());
            m.put(TrainerConfig.OUT, out.resolve(v).toString());
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
            m.put(CommonConfig.METRICS_PORT, -1);
            runs.add(new TrainerConfig(m).options());
        }
        return runs;
    }

    private static void putIf(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    @Override
    public Integer call() {
        EngineThreads.apply(threads);
        List<StudyRow> rows = new Study(out, runs(), System.out).run();
        for (StudyRow r : rows) {
            System.out.printf(Locale.ROOT, "%-10s val mIoU %.4f  %d epochs  %.1f images/s%n", r.variant(), r.valMiou(),
                    r.epochs(), r.imagesPerSecond());
        }
        System.out.println("table: " + out.resolve(StudyTable.MARKDOWN));
        return 0;
    }
}
