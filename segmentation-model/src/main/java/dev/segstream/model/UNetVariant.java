package dev.segstream.model;

import dev.segstream.core.config.SettingValue;
import java.util.Locale;

/** The U-Net variants segstream can build, train and serve. */
public enum UNetVariant implements SettingValue {
    /** Ronneberger et al. 2015: encoder-decoder with concatenated skip connections. */
    VANILLA,
    /** The same encoder-decoder without skip connections (ablation baseline). */
    NOSKIP,
    /** Zhang et al. 2018 ResUNet: pre-activation residual units, strided down-sampling. */
    RESIDUAL,
    /** Oktay et al. 2018: vanilla U-Net with an additive attention gate on every skip. */
    ATTENTION;

    /** The lower-case name used in descriptors and on command lines. */
    @Override
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a variant name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the valid names when {@code name} is none of them
     */
    public static UNetVariant parse(String name) {
        return SettingValue.parse(UNetVariant.class, "variant", name);
    }

    /** Valid names, comma separated. */
    public static String validNames() {
        return SettingValue.validNames(UNetVariant.class);
    }

    @Override
    public String toString() {
        return id();
    }
}
