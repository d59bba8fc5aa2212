package dev.segstream.model.numerics;

import dev.segstream.core.config.SettingValue;

/**
 * How training picks libtorch's CPU convolution kernels (setting {@code numerics}).
 */
public enum NumericsMode implements SettingValue {
    /** Self-test conv backward-data for the model's shapes and take the cheapest correct setting. */
    AUTO("auto"),
    /** Trust whatever libtorch and oneDNN pick; no self-test (no start-up cost, no protection). */
    DEFAULT("default"),
    /** Cap oneDNN at AVX2 ({@code DNNL_MAX_CPU_ISA=AVX2}) before libtorch loads, then verify. */
    AVX2("avx2"),
    /** Turn oneDNN off for PyTorch ops (slowest, independent of oneDNN), then verify. */
    NO_ONEDNN("no-onednn");

    private final String id;

    NumericsMode(String id) {
        this.id = id;
    }

    /** The setting's value. */
    @Override
    public String id() {
        return id;
    }

    /** Parses a setting value, case-insensitively. */
    public static NumericsMode parse(String s) {
        return SettingValue.parse(NumericsMode.class, "numerics", s);
    }

    /** The valid values, comma-separated. */
    public static String validNames() {
        return SettingValue.validNames(NumericsMode.class);
    }
}
