package dev.segstream.trainer.training;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.NamedValues;
import dev.segstream.core.config.SettingValue;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.model.ModelSpecConfig;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.numerics.MemoryFormat;
import dev.segstream.model.numerics.NumericsConfig;
import dev.segstream.model.numerics.NumericsMode;
import dev.segstream.trainer.data.Augmentation;
import dev.segstream.trainer.data.ValidationSplit;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Training settings, each key declared once with type, default, validator and doc; the model keys
 * (variant, depth, filters, seed, device, lr, threads) come from {@link ModelSpecConfig} without a
 * prefix, the numerics keys from {@link NumericsConfig}.
 */
public final class TrainerConfig extends AbstractConfig {

    public static final String VARIANT = ModelSpecConfig.VARIANT;
    public static final String DEPTH = ModelSpecConfig.DEPTH;
    public static final String FILTERS = ModelSpecConfig.FILTERS;
    public static final String SEED = ModelSpecConfig.SEED;
    public static final String DEVICE = ModelSpecConfig.DEVICE;
    public static final String LR = ModelSpecConfig.LR;
    public static final String THREADS = ModelSpecConfig.THREADS;
    public static final String DATA = "data";
    public static final String OUT = "out";
    public static final String EPOCHS = "epochs";
    public static final String MAX_MINUTES = "max.minutes";
    public static final String BATCH_SIZE = "batch.size";
    public static final String CLASS_WEIGHTS = "class.weights";
    public static final String LIMIT = "limit";
    public static final String LR_SCHEDULE = "lr.schedule";
    public static final String WARMUP_STEPS = "warmup.steps";
    public static final String AUGMENT = "augment";
    public static final String WEIGHT_DECAY = "weight.decay";
    public static final String EMA_DECAY = "ema.decay";
    public static final String HARD_PIXELS = "hard.pixels";
    public static final String COPY_PASTE = "copy.paste";
    public static final String VAL_SPLIT = "val.split";
    public static final String MULTISCALE_DATA = "multiscale.data";

    /**
     * The offline trainer's peak learning rate, with the cosine schedule and warm-up below: 1e-3 beat
     * 3e-4 (the online service's fine-tuning rate) on the held-out drive, and 3e-3 beat 1e-3 at 20
     * minutes (side by side, two seeds); see the trainer README's levers tables.
     */
    public static final double DEFAULT_LR = 3e-3;
    /** Warm-up steps when none are given: about one epoch of CamVid at batch 8. */
    static final int DEFAULT_WARMUP_STEPS = 50;

    /** The augmentation used when none is given. */
    static final Augmentation.Mode DEFAULT_AUGMENT = Augmentation.Mode.FULL;

    /**
     * The share of each batch's pixels the training loss averages when none is given: every pixel.
     * The hardest quarter won two 20-minute seeds and lost the third (trainer README, levers).
     */
    static final double DEFAULT_HARD_PIXELS = 1.0;

    private static final ConfigDef CONFIG = NumericsConfig.define(CommonConfig.defineMetricsPort(
            ModelSpecConfig.define(new ConfigDef(), "", ConfigDef.NO_DEFAULT_VALUE, ModelSpecConfig.Key.VARIANT,
                    ModelSpecConfig.Key.DEPTH, ModelSpecConfig.Key.FILTERS, ModelSpecConfig.Key.SEED,
                    ModelSpecConfig.Key.DEVICE, ModelSpecConfig.Key.THREADS), -1), "")
            .define(LR, Type.DOUBLE, DEFAULT_LR, Range.between(1e-8, 1.0), Importance.MEDIUM,
                    "Peak Adam learning rate (what --lr-schedule starts from after the warm-up).")
            .define(DATA, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "CamVid-layout folder; trains on 'train', validates on 'val'.")
            .define(OUT, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Output folder: model artifact (best val mIoU), metrics.csv/jsonl, checkpoint/.")
            .define(EPOCHS, Type.INT, 0, Range.atLeast(0), Importance.HIGH,
                    "Epochs in total (resumed ones included); 0 = until --max-minutes.")
            .define(MAX_MINUTES, Type.DOUBLE, 0.0, Range.atLeast(0), Importance.HIGH,
                    "Wall-clock budget in minutes (validation included); 0 = none.")
            .define(BATCH_SIZE, Type.INT, 8, Range.between(1, 1024), Importance.MEDIUM, "Frames per step.")
            .define(CLASS_WEIGHTS, Type.STRING, ClassWeights.NONE.id(),
                    NamedValues.of(ClassWeights.validNames(), ClassWeights::parse), Importance.LOW,
                    "Per-class loss weights: none, median-frequency "
                    + "(median class frequency / the class's: 0.16 to 6.1 on CamVid's train split) or "
                    + "sqrt-median-frequency (their square roots, 0.40 to 2.5: rare classes up, common ones paying less).")
            .define(LIMIT, Type.INT, 0, Range.atLeast(0), Importance.LOW,
                    "Use at most this many frames per split (0 = all); for smoke runs.")
            .define(LR_SCHEDULE, Type.STRING, LrSchedule.Kind.COSINE.id(),
                    NamedValues.of(LrSchedule.Kind.names(), LrSchedule.Kind::parse), Importance.MEDIUM,
                    "Learning-rate schedule: none, cosine (to 1 % of --lr at the end of the run) or "
                    + "step (x0.1 at 1/2 and 3/4 of the run). The run's progress is the elapsed share of "
                    + "--max-minutes when given, else of --epochs.")
            .define(WARMUP_STEPS, Type.INT, DEFAULT_WARMUP_STEPS, Range.atLeast(0), Importance.LOW,
                    "Steps of linear learning-rate warm-up from 10 % of the scheduled rate (0 = none).")
            .define(AUGMENT, Type.STRING, DEFAULT_AUGMENT.id(),
                    NamedValues.of(SettingValue.validNames(Augmentation.Mode.class), Augmentation.Mode::parse),
                    Importance.MEDIUM,
                    "Training augmentation, masks kept exact: none, flip (left-right) or full (flip, "
                    + "zoom 1-1.5x with a random crop, brightness/contrast/saturation jitter).")
            .define(WEIGHT_DECAY, Type.DOUBLE, 0.0, Range.between(0.0, 1.0), Importance.LOW,
                    "Decoupled weight decay (AdamW); 0 = plain Adam.")
            .define(EMA_DECAY, Type.DOUBLE, 0.0, Range.between(0.0, 0.9999), Importance.LOW,
                    "Moving average of the weights (Polyak averaging): after every step the average moves "
                    + "1 - d toward the trained weights, d = min(decay, (1 + t) / (10 + t)) at step t; "
                    + "validation, model selection and the saved artifact use the average, the checkpoint "
                    + "keeps the trained weights (a resumed run restarts the average from them). 0 = off.")
            .define(HARD_PIXELS, Type.DOUBLE, DEFAULT_HARD_PIXELS, Range.between(1e-3, 1.0), Importance.LOW,
                    "Online hard example mining: the training loss averages only this share of each batch's "
                    + "valid pixels, those of highest loss (bootstrapped cross-entropy); 1 = every pixel (as "
                    + "the online trainer service's fine-tuning rounds always do). Validation loss always "
                    + "averages every pixel.")
            .define(COPY_PASTE, Type.DOUBLE, 0.0, Range.between(0.0, 1.0), Importance.LOW,
                    "Class-aware copy-paste: the share of training frames, drawn anew every epoch, onto which "
                    + "the thin-class pixels (Pole, SignSymbol, Fence, Pedestrian, Bicyclist) of another training "
                    + "frame are pasted at the same place, image and label together; 0 = off.")
            .define(VAL_SPLIT, Type.STRING, ValidationSplit.GIVEN.id(),
                    NamedValues.of(SettingValue.validNames(ValidationSplit.class), ValidationSplit::parse),
                    Importance.MEDIUM,
                    "What the best model is selected on: given (the folder's val split) or sequence (train and val "
                    + "pooled, one whole camera sequence held out: the one whose frame count is closest to val's, "
                    + "0006R0 for CamVid; --limit then applies to each side).")
            .define(MULTISCALE_DATA, Type.STRING, "", Importance.MEDIUM,
                    "Multi-scale training: a higher-resolution copy of --data with the same frames (e.g. "
                    + "camvid-240x180 for camvid-128x96); every epoch each training frame is re-cut from it as a "
                    + "random window between the whole frame and a zoom of source/target width, box-averaged down "
                    + "to the training size. Empty = off. Validation always uses --data.");

    public TrainerConfig(Map<String, ?> props) {
        super(CONFIG, props);
        if (getInt(EPOCHS) == 0 && getDouble(MAX_MINUTES) == 0) {
            throw new ConfigException("give --epochs or --max-minutes (or both)");
        }
    }

    /** A copy of the definition (for documentation and help texts). */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** The declared default of {@code key}. */
    public static Object defaultOf(String key) {
        return CONFIG.defaultValues().get(key);
    }

    /** The typed run options. */
    public TrainOptions options() {
        UNetSpec spec = ModelSpecConfig.spec(this, "", CamVidClasses.COUNT);
        return new TrainOptions(spec, Path.of(getString(DATA)), Path.of(getString(OUT)), getInt(EPOCHS),
                getDouble(MAX_MINUTES), getDouble(LR).floatValue(), getInt(BATCH_SIZE), getLong(SEED),
                ClassWeights.parse(getString(CLASS_WEIGHTS)), getString(DEVICE), getInt(LIMIT),
                getInt(CommonConfig.METRICS_PORT),
                LrSchedule.Kind.parse(getString(LR_SCHEDULE)), getInt(WARMUP_STEPS),
                Augmentation.Mode.parse(getString(AUGMENT)), getDouble(WEIGHT_DECAY).floatValue(),
                NumericsMode.parse(getString(NumericsConfig.NUMERICS)), getInt(NumericsConfig.MAX_NONFINITE_STEPS),
                MemoryFormat.parse(getString(NumericsConfig.MEMORY_FORMAT)), getInt(THREADS),
                ValidationSplit.parse(getString(VAL_SPLIT)),
                getString(MULTISCALE_DATA).isBlank() ? null : Path.of(getString(MULTISCALE_DATA)),
                getDouble(EMA_DECAY).floatValue(), getDouble(HARD_PIXELS).floatValue(),
                getDouble(COPY_PASTE).floatValue());
    }
}
