package dev.segstream.trainer.cli;

import dev.segstream.core.config.ConfigHelp;
import dev.segstream.model.numerics.NumericsConfig;
import dev.segstream.model.numerics.NumericsMode;
import dev.segstream.trainer.training.TrainerConfig;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The training options {@code train}, {@code study} and {@code benchmark} share, as one picocli
 * mixin mapped onto {@link TrainerConfig} keys. Help texts and defaults come from the key
 * declarations (the {@code descriptionKey}s, resolved by {@link TrainerMain}'s resource bundle),
 * so a default is written once, in {@link TrainerConfig}.
 */
final class TrainingOptions {

    @Option(names = "--lr", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.LR)
    Double lr;

    @Option(names = "--batch-size", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.BATCH_SIZE)
    Integer batchSize;

    @Option(names = "--filters", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.FILTERS)
    Integer filters;

    @Option(names = "--depth", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.DEPTH)
    Integer depth;

    @Option(names = "--seed", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.SEED)
    Long seed;

    @Option(names = "--class-weights", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.CLASS_WEIGHTS)
    String classWeights;

    @Option(names = "--device", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.DEVICE)
    String device;

    @Option(names = "--lr-schedule", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.LR_SCHEDULE)
    String lrSchedule;

    @Option(names = "--warmup-steps", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.WARMUP_STEPS)
    Integer warmupSteps;

    @Option(names = "--augment", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.AUGMENT)
    String augment;

    @Option(names = "--weight-decay", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.WEIGHT_DECAY)
    Double weightDecay;

    @Option(names = "--ema-decay", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.EMA_DECAY)
    Double emaDecay;

    @Option(names = "--hard-pixels", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.HARD_PIXELS)
    Double hardPixels;

    @Option(names = "--copy-paste", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.COPY_PASTE)
    Double copyPaste;

    @Option(names = "--numerics", descriptionKey = ConfigHelp.PREFIX + NumericsConfig.NUMERICS)
    String numerics;

    @Option(names = "--max-nonfinite-steps", descriptionKey = ConfigHelp.PREFIX + NumericsConfig.MAX_NONFINITE_STEPS)
    Integer maxNonFiniteSteps;

    @Option(names = "--memory-format", descriptionKey = ConfigHelp.PREFIX + NumericsConfig.MEMORY_FORMAT)
    String memoryFormat;

    @Option(names = "--threads", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.THREADS)
    Integer threads;

    @Option(names = "--val-split", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.VAL_SPLIT)
    String valSplit;

    @Option(names = "--multiscale-data", descriptionKey = ConfigHelp.PREFIX + TrainerConfig.MULTISCALE_DATA)
    String multiScaleData;

    /** Puts every option given on the command line into {@code settings}, by config key. */
    void putInto(Map<String, Object> settings) {
        putIf(settings, TrainerConfig.LR, lr);
        putIf(settings, TrainerConfig.BATCH_SIZE, batchSize);
        putIf(settings, TrainerConfig.FILTERS, filters);
        putIf(settings, TrainerConfig.DEPTH, depth);
        putIf(settings, TrainerConfig.SEED, seed);
        putIf(settings, TrainerConfig.CLASS_WEIGHTS, classWeights);
        putIf(settings, TrainerConfig.DEVICE, device);
        putIf(settings, TrainerConfig.LR_SCHEDULE, lrSchedule);
        putIf(settings, TrainerConfig.WARMUP_STEPS, warmupSteps);
        putIf(settings, TrainerConfig.AUGMENT, augment);
        putIf(settings, TrainerConfig.WEIGHT_DECAY, weightDecay);
        putIf(settings, TrainerConfig.EMA_DECAY, emaDecay);
        putIf(settings, TrainerConfig.HARD_PIXELS, hardPixels);
        putIf(settings, TrainerConfig.COPY_PASTE, copyPaste);
        putIf(settings, NumericsConfig.NUMERICS, numerics);
        putIf(settings, NumericsConfig.MAX_NONFINITE_STEPS, maxNonFiniteSteps);
        putIf(settings, NumericsConfig.MEMORY_FORMAT, memoryFormat);
        putIf(settings, TrainerConfig.THREADS, threads);
        putIf(settings, TrainerConfig.VAL_SPLIT, valSplit);
        putIf(settings, TrainerConfig.MULTISCALE_DATA, multiScaleData);
    }

    /** {@code --filters}, or its declared default. */
    int filtersOrDefault() {
        return filters != null ? filters : (Integer) TrainerConfig.defaultOf(TrainerConfig.FILTERS);
    }

    /** {@code --batch-size}, or its declared default. */
    int batchSizeOrDefault() {
        return batchSize != null ? batchSize : (Integer) TrainerConfig.defaultOf(TrainerConfig.BATCH_SIZE);
    }

    /** {@code --device}, or its declared default. */
    String deviceOrDefault() {
        return device != null ? device : (String) TrainerConfig.defaultOf(TrainerConfig.DEVICE);
    }

    /** {@code --threads}, or its declared default. */
    int threadsOrDefault() {
        return threads != null ? threads : (Integer) TrainerConfig.defaultOf(TrainerConfig.THREADS);
    }

    /** {@code --numerics}, or its declared default. */
    NumericsMode numericsOrDefault() {
        return NumericsMode.parse(numerics != null ? numerics
                : (String) TrainerConfig.defaultOf(NumericsConfig.NUMERICS));
    }

    static void putIf(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
