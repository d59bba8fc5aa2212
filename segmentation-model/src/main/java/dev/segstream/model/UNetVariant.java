package dev.segstream.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The U-Net variants segstream can build, train and serve. */
public enum UNetVariant {
    /** Ronneberger et al. 2015: encoder-decoder with concatenated skip connections. */
    VANILLA,
    /** The same encoder-decoder without skip connections (ablation baseline). */
    NOSKIP,
    /** Zhang et al. 2018 ResUNet: pre-activation residual units, strided down-sampling. */
    RESIDUAL,
    /** Oktay et al. 2018: vanilla U-Net with an additive attention gate on every skip. */
    ATTENTION;

    /** The lower-case name used in descriptors and on command lines. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a variant name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the valid names when {@code name} is none of them
     */
    public static UNetVariant parse(String name) {
        if (name != null) {
            for (UNetVariant v : values()) {
                if (v.name().equalsIgnoreCase(name.trim())) {
                    return v;
                }
            }
        }
        throw new IllegalArgumentException("unknown U-Net variant '" + name + "'; valid variants: " + validNames());
    }

    /** Valid names, comma separated. */
    public static String validNames() {
        return Arrays.stream(values()).map(UNetVariant::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id();
    }
}
