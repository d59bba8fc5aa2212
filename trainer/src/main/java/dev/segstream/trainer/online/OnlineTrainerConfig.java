package dev.segstream.trainer.online;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.FrameLimitsConfig;
import dev.segstream.core.topic.Topics;
import dev.segstream.model.ModelSpecConfig;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import dev.segstream.model.numerics.NumericsConfig;
import dev.segstream.model.numerics.NumericsMode;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Settings of the online trainer, which learns from the labelled-frames topic. Keys not declared
 * here are Kafka consumer settings.
 */
public final class OnlineTrainerConfig extends AbstractConfig {

    public static final String OUT_DIR = "online.out.dir";
    public static final String INIT_MODEL = "online.init.model";
    /** Prefix of every online-trainer key. */
    public static final String PREFIX = "online.";
    public static final String VARIANT = PREFIX + ModelSpecConfig.VARIANT;
    public static final String DEPTH = PREFIX + ModelSpecConfig.DEPTH;
    public static final String FILTERS = PREFIX + ModelSpecConfig.FILTERS;
    public static final String SEED = PREFIX + ModelSpecConfig.SEED;
    public static final String LR = PREFIX + ModelSpecConfig.LR;
    public static final String DEVICE = PREFIX + ModelSpecConfig.DEVICE;
    public static final String BATCH_SIZE = "online.batch.size";
    public static final String BUFFER_SIZE = "online.buffer.size";
    public static final String STEP_INTERVAL_MS = "online.step.interval.ms";
    public static final String SAVE_EVERY_STEPS = "online.save.every.steps";
    public static final String GROUP_ID = "online.group.id";

    /** The definition: common keys, the model and numerics keys under {@value #PREFIX}, and the online trainer's. */
    private static final ConfigDef CONFIG = NumericsConfig.define(ModelSpecConfig.define(
                    FrameLimitsConfig.define(CommonConfig.define(9403)),
                    PREFIX, UNetVariant.VANILLA.id(), ModelSpecConfig.Key.VARIANT, ModelSpecConfig.Key.DEPTH,
                    ModelSpecConfig.Key.FILTERS, ModelSpecConfig.Key.SEED, ModelSpecConfig.Key.LR,
                    ModelSpecConfig.Key.DEVICE), PREFIX)
            .define(OUT_DIR, Type.STRING, "models/online", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Where model versions are written: <dir>/online-<step>/ plus a LATEST file naming the newest.")
            .define(INIT_MODEL, Type.STRING, "", Importance.MEDIUM,
                    "Model artifact to start from (fine-tuning); empty starts from a seeded initialisation.")
            .define(BATCH_SIZE, Type.INT, 8, Range.between(1, 256), Importance.MEDIUM, "Frames per training step.")
            .define(BUFFER_SIZE, Type.INT, 256, Range.between(1, 100_000), Importance.MEDIUM,
                    "Replay buffer: the most recent labelled frames of each size, sampled for each step.")
            .define(STEP_INTERVAL_MS, Type.LONG, 2000L, Range.atLeast(0), Importance.MEDIUM,
                    "Minimum time between steps, so training leaves CPU to the segmenter on a shared host.")
            .define(SAVE_EVERY_STEPS, Type.INT, 25, Range.atLeast(1), Importance.MEDIUM,
                    "Write a new model version every this many steps (and on shutdown).")
            .define(GROUP_ID, Type.STRING, "segstream-trainer", new ConfigDef.NonEmptyString(), Importance.LOW,
                    "Consumer group of the labelled-frames reader.");

    /** How conv gradients are made right on this CPU. */
    public static final String NUMERICS = PREFIX + NumericsConfig.NUMERICS;
    /** Skipped (non-finite) steps in a row after which the online trainer stops. */
    public static final String MAX_NONFINITE_STEPS = PREFIX + NumericsConfig.MAX_NONFINITE_STEPS;
    /** Layout of training batches. */
    public static final String MEMORY_FORMAT = PREFIX + NumericsConfig.MEMORY_FORMAT;

    public OnlineTrainerConfig(Map<?, ?> originals) {
        super(CONFIG, originals, false);
    }

    /** The topic registry. */
    public Topics topics() {
        return Topics.from(this);
    }

    /** The network to build when not fine-tuning. */
    public UNetSpec spec(int classes) {
        return ModelSpecConfig.spec(this, PREFIX, classes);
    }

    /** A copy of the definition (for documentation and help texts). */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** The requested training numerics. */
    public NumericsMode numerics() {
        return NumericsMode.parse(getString(NUMERICS));
    }

    /** Kafka consumer settings. */
    public Map<String, Object> consumerProps() {
        return CommonConfig.kafkaClientProps(this, CONFIG);
    }
}
