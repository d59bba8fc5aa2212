package dev.segstream.model.numerics;

import dev.segstream.core.config.NamedValues;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The training-numerics settings, declared once and added to each trainer's definition under
 * that trainer's prefix ({@code ""} for offline training, {@code "online."} for the online
 * trainer).
 */
public final class NumericsConfig {

    /** How conv kernels are chosen and checked: {@link NumericsMode}. */
    public static final String NUMERICS = "numerics";
    private static final String NUMERICS_DOC = "How training makes sure libtorch's CPU convolution gradients are "
            + "right: auto (self-test the model's conv shapes before the engine loads and take the cheapest correct "
            + "setting), default (trust oneDNN, no self-test), avx2 (cap oneDNN at AVX2), no-onednn (turn oneDNN "
            + "off). Some AVX-512 hosts compute wrong input gradients with libtorch 2.7.1's oneDNN.";

    /** Consecutive skipped steps after which a run stops. */
    public static final String MAX_NONFINITE_STEPS = "max.nonfinite.steps";
    private static final String MAX_NONFINITE_STEPS_DOC = "A step whose loss or gradients are NaN or infinite is "
            + "skipped (weights and BatchNorm statistics untouched); after this many in a row training stops with "
            + "an error.";

    /** Layout of training batches: {@link MemoryFormat}. */
    public static final String MEMORY_FORMAT = "memory.format";
    private static final String MEMORY_FORMAT_DOC = "Memory layout of training batches, which libtorch keeps through "
            + "the whole network: auto (channels-last on a CPU when every conv has multiples of 16 channels, e.g. "
            + "the 16-filter vanilla, no-skip and residual nets; else, and on a GPU, as made), channels-last (NHWC "
            + "strides: oneDNN convolves without reordering every activation, about 20 % faster training steps on "
            + "a CPU; refused for nets with other channel counts, whose channels-last kernels corrupted memory) or "
            + "contiguous (NCHW). Inference is unaffected.";

    /** Default of {@link #MAX_NONFINITE_STEPS}. */
    public static final int DEFAULT_MAX_NONFINITE_STEPS = 10;

    private NumericsConfig() {
    }

    /**
     * Adds {@code prefix + numerics}, {@code prefix + max.nonfinite.steps} and {@code prefix +
     * memory.format} to {@code def}.
     */
    public static ConfigDef define(ConfigDef def, String prefix) {
        return def.define(prefix + NUMERICS, Type.STRING, NumericsMode.AUTO.id(),
                NamedValues.of(NumericsMode.validNames(), NumericsMode::parse), Importance.LOW, NUMERICS_DOC)
                .define(prefix + MAX_NONFINITE_STEPS, Type.INT, DEFAULT_MAX_NONFINITE_STEPS, Range.between(1, 1_000_000),
                        Importance.LOW, MAX_NONFINITE_STEPS_DOC)
                .define(prefix + MEMORY_FORMAT, Type.STRING, MemoryFormat.AUTO.id(),
                        NamedValues.of(MemoryFormat.validNames(), MemoryFormat::parse), Importance.LOW,
                        MEMORY_FORMAT_DOC);
    }
}
