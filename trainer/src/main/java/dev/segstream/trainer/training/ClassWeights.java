package dev.segstream.trainer.training;

import dev.segstream.core.config.SettingValue;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.trainer.data.CamVidData;

/**
 * Per-class loss weights (setting {@code class.weights}), computed from the training frames.
 * Measured on an unseen drive in the trainer README: they trade the large classes for the thin
 * ones, so the default is {@link #NONE}.
 */
public enum ClassWeights implements SettingValue {
    /** Every class weighs 1. */
    NONE("none"),
    /** Median class frequency over the class's own (0.16 to 6.1 on CamVid's train split). */
    MEDIAN_FREQUENCY("median-frequency"),
    /** The square roots of {@link #MEDIAN_FREQUENCY} (0.40 to 2.5): rare classes up, common ones paying less. */
    SQRT_MEDIAN_FREQUENCY("sqrt-median-frequency");

    private final String id;

    ClassWeights(String id) {
        this.id = id;
    }

    /** The setting's value. */
    @Override
    public String id() {
        return id;
    }

    /** The weights for {@code classes} classes from {@code train}'s labels; {@code null} for {@link #NONE}. */
    public float[] of(CamVidData train, int classes) {
        if (this == NONE) {
            return null;
        }
        float[] w = train.medianFrequencyWeights(classes, CamVidClasses.VOID);
        if (this == SQRT_MEDIAN_FREQUENCY) {
            for (int c = 0; c < w.length; c++) {
                w[c] = (float) Math.sqrt(w[c]);
            }
        }
        return w;
    }

    /** Parses a setting value, case-insensitively. */
    public static ClassWeights parse(String s) {
        return SettingValue.parse(ClassWeights.class, "class.weights", s);
    }

    /** The valid values, comma-separated. */
    public static String validNames() {
        return SettingValue.validNames(ClassWeights.class);
    }
}
