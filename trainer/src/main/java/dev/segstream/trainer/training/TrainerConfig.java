package dev.segstream.trainer.training;

import dev.segstream.trainer.data.Augmentation;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.numerics.NumericsConfig;
import dev.segstream.model.numerics.NumericsMode;
import dev.segstream.model.UNetVariant;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Training settings, each key declared once with type, default, validator and doc. */
public final class TrainerConfig extends AbstractConfig {

    public static final String VARIANT = "variant";
    public static final String DATA = "data";
    public static final String OUT = "out";
    public static final String EPOCHS = "epochs";
    public static final String MAX_MINUTES = "max.minutes";
    public static final String LR = "lr";
    public static final String BATCH_SIZE = "batch.size";
    public static final String FILTERS = "filters";
    public static final String DEPTH = "depth";
    public static final String SEED = "seed";
    public static final String CLASS_WEIGHTS = "class.weights";
    public static final String DEVICE = "device";
    public static final String LIMIT = "limit";
    public static final String LR_SCHEDULE = "lr.schedule";
    public static final String WARMUP_STEPS = "warmup.steps";
    public static final String AUGMENT = "augment";
    public static final String WEIGHT_DECAY = "weight.decay";

    /** The augmentation used when none is given. */
    static final Augmentation.Mode DEFAULT_AUGMENT = Augmentation.Mode.FULL;

    /** The definition. */
    public static final ConfigDef DEF = new ConfigDef()
            .define(VARIANT, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, (name, value) -> {
                try {
                    UNetVariant.parse(String.valueOf(value));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(e.getMessage());
                }
            }, Importance.HIGH, "U-Net variant: " + UNetVariant.validNames() + ".")
            .define(DATA, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "CamVid-layout folder; trains on 'train', validates on 'val'.")
            .define(OUT, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Output folder: model artifact (best val mIoU), metrics.csv/jsonl, checkpoint/.")
            .define(EPOCHS, Type.INT, 0, Range.atLeast(0), Importance.HIGH,
                    "Epochs in total (resumed ones included); 0 = until --max-minutes.")
            .define(MAX_MINUTES, Type.DOUBLE, 0.0, Range.atLeast(0), Importance.HIGH,
                    "Wall-clock budget in minutes (validation included); 0 = none.")
            .define(LR, Type.DOUBLE, 3e-4, Range.between(1e-8, 1.0), Importance.MEDIUM, "Adam learning rate.")
            .define(BATCH_SIZE, Type.INT, 8, Range.between(1, 1024), Importance.MEDIUM, "Frames per step.")
            .define(FILTERS, Type.INT, UNetSpec.DEFAULT_FILTERS, Range.between(1, UNetSpec.MAX_FILTERS),
                    Importance.MEDIUM, "Filters of the first level (paper: 64).")
            .define(DEPTH, Type.INT, UNetSpec.DEFAULT_DEPTH, Range.between(1, UNetSpec.MAX_DEPTH), Importance.MEDIUM,
                    "Number of 2x down-sampling steps.")
            .define(SEED, Type.LONG, 42L, Importance.LOW, "Seed of initialisation, shuffling and flips.")
            .define(CLASS_WEIGHTS, Type.STRING, "none", ConfigDef.ValidString.in("none", "median-frequency"),
                    Importance.LOW, "Per-class loss weights.")
            .define(DEVICE, Type.STRING, "auto", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "auto, cpu, gpu or gpu:N.")
            .define(LIMIT, Type.INT, 0, Range.atLeast(0), Importance.LOW,
                    "Use at most this many frames per split (0 = all); for smoke runs.")
            .define(LR_SCHEDULE, Type.STRING, LrSchedule.Kind.NONE.id(), (name, value) -> {
                try {
                    LrSchedule.Kind.parse(String.valueOf(value));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(e.getMessage());
                }
            }, Importance.MEDIUM, "Learning-rate schedule: none, cosine (to 1 % of --lr at the end of the run) or "
                    + "step (x0.1 at 1/2 and 3/4 of the run). The run's progress is the elapsed share of "
                    + "--max-minutes when given, else of --epochs.")
            .define(WARMUP_STEPS, Type.INT, 0, Range.atLeast(0), Importance.LOW,
                    "Steps of linear learning-rate warm-up from 10 % of the scheduled rate (0 = none).")
            .define(AUGMENT, Type.STRING, DEFAULT_AUGMENT.id(), (name, value) -> {
                try {
                    Augmentation.Mode.parse(String.valueOf(value));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(e.getMessage());
                }
            }, Importance.MEDIUM, "Training augmentation, masks kept exact: none, flip (left-right) or full (flip, "
                    + "zoom 1-1.5x with a random crop, brightness/contrast/saturation jitter).")
            .define(WEIGHT_DECAY, Type.DOUBLE, 0.0, Range.between(0.0, 1.0), Importance.LOW,
                    "Decoupled weight decay (AdamW); 0 = plain Adam.")
            .define(CommonConfig.METRICS_PORT, Type.INT, -1, Range.between(-1, 65535), Importance.LOW,
                    "Prometheus port; 0 = any free port, -1 = off.");

    static {
        NumericsConfig.define(DEF, "");
    }

    public TrainerConfig(Map<String, ?> props) {
        super(DEF, props);
        if (getInt(EPOCHS) == 0 && getDouble(MAX_MINUTES) == 0) {
            throw new ConfigException("give --epochs or --max-minutes (or both)");
        }
    }

    /** The typed run options. */
    public TrainOptions options() {
        UNetSpec spec = new UNetSpec(UNetVariant.parse(getString(VARIANT)), getInt(DEPTH), getInt(FILTERS),
                dev.segstream.core.data.CamVidClasses.COUNT);
        return new TrainOptions(spec, Path.of(getString(DATA)), Path.of(getString(OUT)), getInt(EPOCHS),
                getDouble(MAX_MINUTES), getDouble(LR).floatValue(), getInt(BATCH_SIZE), getLong(SEED),
                getString(CLASS_WEIGHTS), getString(DEVICE), getInt(LIMIT), getInt(CommonConfig.METRICS_PORT),
                LrSchedule.Kind.parse(getString(LR_SCHEDULE)), getInt(WARMUP_STEPS),
                Augmentation.Mode.parse(getString(AUGMENT)), getDouble(WEIGHT_DECAY).floatValue(),
                NumericsMode.parse(getString(NumericsConfig.NUMERICS)), getInt(NumericsConfig.MAX_NONFINITE_STEPS));
    }
}
