package dev.segstream.trainer.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a training run splits its data for model selection. */
public enum ValidationSplit {
    /** The folder's own train and val splits. */
    GIVEN,
    /** Train and val pooled, whole sequences held out for selection ({@link SequenceSplit}). */
    SEQUENCE;

    /** The lower-case name used in settings and on command lines. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code given} or {@code sequence}, case-insensitively. */
    public static ValidationSplit parse(String name) {
        if (name != null) {
            for (ValidationSplit v : values()) {
                if (v.name().equalsIgnoreCase(name.trim())) {
                    return v;
                }
            }
        }
        throw new IllegalArgumentException("unknown validation split '" + name + "'; valid: "
                + Arrays.stream(values()).map(ValidationSplit::id).collect(Collectors.joining(", ")));
    }
}
