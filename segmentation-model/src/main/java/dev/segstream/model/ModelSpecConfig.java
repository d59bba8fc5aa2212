package dev.segstream.model;

import dev.segstream.core.config.NamedValues;
import java.util.Arrays;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The model settings every service shares (variant, depth, filters, seed, device, learning rate,
 * PyTorch threads), declared once here and added to each service's definition under its own
 * prefix: {@code model.} in the segmenter, none in the trainer, {@code online.} in the online
 * trainer. Variant names are validated by {@link UNetVariant}.
 */
public final class ModelSpecConfig {

    /** Key names without prefix (constants, so picocli annotations can name them). */
    public static final String VARIANT = "variant";
    public static final String DEPTH = "depth";
    public static final String FILTERS = "filters";
    public static final String SEED = "seed";
    public static final String DEVICE = "device";
    public static final String LR = "lr";
    public static final String THREADS = "threads";

    /** The keys, without prefix. */
    public enum Key {
        VARIANT(ModelSpecConfig.VARIANT), DEPTH(ModelSpecConfig.DEPTH), FILTERS(ModelSpecConfig.FILTERS),
        SEED(ModelSpecConfig.SEED), DEVICE(ModelSpecConfig.DEVICE), LR(ModelSpecConfig.LR),
        THREADS(ModelSpecConfig.THREADS);

        private final String suffix;

        Key(String suffix) {
            this.suffix = suffix;
        }

        /** The key under {@code prefix}. */
        public String under(String prefix) {
            return prefix + suffix;
        }
    }

    /** Default learning rate (Adam). */
    public static final double DEFAULT_LR = 3e-4;
    /** Default seed. */
    public static final long DEFAULT_SEED = 42L;
    /** Default device. */
    public static final String DEFAULT_DEVICE = "auto";

    private ModelSpecConfig() {
    }

    /**
     * Adds {@code keys} under {@code prefix} to {@code def}.
     *
     * @param variantDefault the variant's default, or {@link ConfigDef#NO_DEFAULT_VALUE} when it is required
     */
    public static ConfigDef define(ConfigDef def, String prefix, Object variantDefault, Key... keys) {
        Set<Key> wanted = Set.copyOf(Arrays.asList(keys));
        for (Key k : Key.values()) {
            if (!wanted.contains(k)) {
                continue;
            }
            String name = k.under(prefix);
            switch (k) {
                case VARIANT -> def.define(name, Type.STRING, variantDefault,
                        NamedValues.of(UNetVariant.validNames(), UNetVariant::parse), Importance.HIGH,
                        "U-Net variant: " + UNetVariant.validNames() + ".");
                case DEPTH -> def.define(name, Type.INT, UNetSpec.DEFAULT_DEPTH, Range.between(1, UNetSpec.MAX_DEPTH),
                        Importance.MEDIUM, "Number of 2x down-sampling steps of the U-Net.");
                case FILTERS -> def.define(name, Type.INT, UNetSpec.DEFAULT_FILTERS,
                        Range.between(1, UNetSpec.MAX_FILTERS), Importance.MEDIUM,
                        "Filters of the U-Net's first level, doubling per level (paper: 64).");
                case SEED -> def.define(name, Type.LONG, DEFAULT_SEED, Importance.LOW,
                        "Seed of initialisation, shuffling, sampling and augmentation.");
                case DEVICE -> def.define(name, Type.STRING, DEFAULT_DEVICE,
                        NamedValues.of("auto, cpu, gpu, gpu:N", Devices::validate), Importance.MEDIUM,
                        "Where the model lives: auto (a GPU when DJL sees one, else the CPU), cpu, gpu or gpu:N.");
                case LR -> def.define(name, Type.DOUBLE, DEFAULT_LR, Range.between(1e-8, 1.0), Importance.MEDIUM,
                        "Adam learning rate.");
                case THREADS -> def.define(name, Type.INT, 0, Range.between(0, 1024), Importance.MEDIUM,
                        "PyTorch intra-op threads (JVM-wide). 0: one less than the available processors, at least 1, "
                                + "leaving a core to Kafka and the JVM; PyTorch's own default (one per core) collapses "
                                + "to a fraction of its speed as soon as anything else needs the CPU.");
                default -> throw new IllegalStateException(k.name());
            }
        }
        return def;
    }

    /** The network {@code config} describes under {@code prefix}. */
    public static UNetSpec spec(AbstractConfig config, String prefix, int classes) {
        return new UNetSpec(UNetVariant.parse(config.getString(Key.VARIANT.under(prefix))),
                config.getInt(Key.DEPTH.under(prefix)), config.getInt(Key.FILTERS.under(prefix)), classes);
    }

    /** {@link Key#THREADS} resolved: the configured count, or processors - 1 (at least 1) for 0. */
    public static int threads(AbstractConfig config, String prefix) {
        return EngineThreads.resolve(config.getInt(Key.THREADS.under(prefix)));
    }
}
