package dev.segstream.trainer.service;

import dev.segstream.core.config.CommonConfig;
import dev.segstream.core.config.FrameLimitsConfig;
import dev.segstream.core.config.NamedValues;
import dev.segstream.core.topic.Topics;
import dev.segstream.model.ModelSpecConfig;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import dev.segstream.model.numerics.NumericsConfig;
import dev.segstream.model.numerics.NumericsMode;
import dev.segstream.model.store.ModelStoreConfig;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Settings of the trainer service ({@code trainer serve}): the model keys under {@value #PREFIX}
 * ({@link ModelSpecConfig}, the variant list aside), numerics, frame limits, the model store, and
 * the window, held-out share, round and gate settings declared here. Keys not declared here are
 * Kafka client settings.
 */
public final class TrainerServiceConfig extends AbstractConfig {

    /** Prefix of the service's own keys. */
    public static final String PREFIX = "serve.";
    public static final String VARIANTS = PREFIX + "variants";
    public static final String DEPTH = PREFIX + ModelSpecConfig.DEPTH;
    public static final String FILTERS = PREFIX + ModelSpecConfig.FILTERS;
    public static final String SEED = PREFIX + ModelSpecConfig.SEED;
    public static final String DEVICE = PREFIX + ModelSpecConfig.DEVICE;
    public static final String LR = PREFIX + ModelSpecConfig.LR;
    public static final String NUMERICS = PREFIX + NumericsConfig.NUMERICS;
    public static final String MAX_NONFINITE_STEPS = PREFIX + NumericsConfig.MAX_NONFINITE_STEPS;
    public static final String MEMORY_FORMAT = PREFIX + NumericsConfig.MEMORY_FORMAT;
    public static final String HELDOUT_PERCENT = PREFIX + "heldout.percent";
    public static final String HELDOUT_MAX_FRAMES = PREFIX + "heldout.max.frames";
    public static final String WINDOW_FRAMES = PREFIX + "window.frames";
    public static final String WINDOW_BYTES = PREFIX + "window.bytes";
    public static final String ROUND_MIN_NEW_FRAMES = PREFIX + "round.min.new.frames";
    public static final String ROUND_INTERVAL_MS = PREFIX + "round.interval.ms";
    public static final String ROUND_SECONDS = PREFIX + "round.seconds";
    public static final String GATE_MARGIN = PREFIX + "gate.margin";
    public static final String BATCH_SIZE = PREFIX + "batch.size";
    public static final String TRAIN_SHARE = PREFIX + "train.share";
    public static final String GROUP_ID = PREFIX + "group.id";

    private static final ConfigDef CONFIG = NumericsConfig.define(ModelSpecConfig.define(ModelStoreConfig.define(
                    FrameLimitsConfig.define(CommonConfig.define(9403))), PREFIX, UNetVariant.VANILLA.id(),
                    ModelSpecConfig.Key.DEPTH, ModelSpecConfig.Key.FILTERS, ModelSpecConfig.Key.SEED,
                    ModelSpecConfig.Key.DEVICE, ModelSpecConfig.Key.LR), PREFIX)
            .define(VARIANTS, Type.LIST, List.of("vanilla", "noskip", "residual", "attention"),
                    NamedValues.described(UNetVariant.validNames() + " (one or more)", (name, value) -> {
                        for (Object v : (List<?>) value) {
                            NamedValues.of(UNetVariant.validNames(), UNetVariant::parse).ensureValid(name, v);
                        }
                    }), Importance.HIGH, "The variants each round retrains, each warm-started from its champion.")
            .define(HELDOUT_PERCENT, Type.INT, 10, Range.between(1, 50), Importance.MEDIUM,
                    "Share of labelled frames, chosen by a hash of frame.id, kept out of training to judge every "
                            + "candidate and champion on the same frames.")
            .define(HELDOUT_MAX_FRAMES, Type.INT, 256, Range.atLeast(1), Importance.LOW,
                    "Held-out frames kept (newest first).")
            .define(WINDOW_FRAMES, Type.INT, 512, Range.atLeast(1), Importance.MEDIUM,
                    "Training window: at most this many frames; the oldest are evicted first.")
            .define(WINDOW_BYTES, Type.LONG, 256L * 1024 * 1024, Range.atLeast(1024), Importance.MEDIUM,
                    "Training window: at most this many bytes of decoded samples; the oldest are evicted first.")
            .define(ROUND_MIN_NEW_FRAMES, Type.INT, 64, Range.atLeast(1), Importance.MEDIUM,
                    "A round starts once this many new training frames arrived since the last one ...")
            .define(ROUND_INTERVAL_MS, Type.LONG, 300_000L, Range.atLeast(0), Importance.MEDIUM,
                    "... or this long after the last round when at least one new frame arrived.")
            .define(ROUND_SECONDS, Type.DOUBLE, 20.0, Range.atLeast(0.1), Importance.MEDIUM,
                    "Wall-clock training budget of each variant in a round (evaluation not included).")
            .define(GATE_MARGIN, Type.DOUBLE, 0.005, Range.between(0.0, 1.0), Importance.MEDIUM,
                    "A candidate is published only when its held-out mIoU beats its champion's on the same frames "
                            + "by more than this.")
            .define(BATCH_SIZE, Type.INT, 8, Range.between(1, 256), Importance.MEDIUM, "Frames per training step.")
            .define(TRAIN_SHARE, Type.DOUBLE, 1.0, Range.between(0.05, 1.0), Importance.MEDIUM,
                    "Share of wall-clock time a round may spend in training steps: after each step the service "
                            + "rests so that steps take at most this share, leaving the rest to serving on a shared "
                            + "host (1 = train flat out).")
            .define(GROUP_ID, Type.STRING, "segstream-trainer-service", new ConfigDef.NonEmptyString(),
                    Importance.LOW, "Consumer group of the labelled-frames reader (its committed offsets mark what "
                            + "was seen, for a restart).");

    public TrainerServiceConfig(Map<?, ?> originals) {
        super(CONFIG, originals, false);
    }

    /** A copy of the definition (for documentation and help texts). */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** The network of {@code variant} at the configured depth and filters. */
    public UNetSpec spec(UNetVariant variant, int classes) {
        return new UNetSpec(variant, getInt(DEPTH), getInt(FILTERS), classes);
    }

    /** The variants to retrain, in order. */
    public List<UNetVariant> variants() {
        return getList(VARIANTS).stream().map(UNetVariant::parse).distinct().toList();
    }

    /** The requested numerics. */
    public NumericsMode numerics() {
        return NumericsMode.parse(getString(NUMERICS));
    }

    /** The topic registry. */
    public Topics topics() {
        return Topics.from(this);
    }

    /** Kafka client settings. */
    public Map<String, Object> clientProps() {
        return CommonConfig.kafkaClientProps(this, CONFIG);
    }
}
