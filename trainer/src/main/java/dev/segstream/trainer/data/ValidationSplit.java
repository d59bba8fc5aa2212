package dev.segstream.trainer.data;

import dev.segstream.core.config.SettingValue;
import java.nio.file.Path;
import java.util.Locale;

/** How a training run splits its data for model selection. */
public enum ValidationSplit implements SettingValue {
    /** The folder's own train and val splits. */
    GIVEN,
    /** Train and val pooled, whole sequences held out for selection ({@link SequenceSplit}). */
    SEQUENCE;

    /** The lower-case name used in settings and on command lines. */
    @Override
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The two sides of this split in the CamVid folder {@code root}, each at most {@code limit}
     * frames (0 = all). The one place a split is turned into frames: training, its multi-scale
     * copy and the study's scoring all draw their frames here, so they cannot disagree.
     */
    public Sides read(Path root, int limit) {
        if (this == SEQUENCE) {
            SequenceSplit s = SequenceSplit.of(CamVidData.read(root, "train", 0), CamVidData.read(root, "val", 0),
                    limit);
            return new Sides(s.train(), s.selection(), String.format(Locale.ROOT,
                    "split by sequence: train %s, selection held out %s", SequenceSplit.describe(s.train()),
                    SequenceSplit.describe(s.selection())));
        }
        return new Sides(CamVidData.read(root, "train", limit), CamVidData.read(root, "val", limit), "");
    }

    /** Only the training side of {@link #read}; under {@code given} the val split is not read at all. */
    public CamVidData readTrain(Path root, int limit) {
        return this == SEQUENCE ? read(root, limit).train() : CamVidData.read(root, "train", limit);
    }

    /** Only the selection side of {@link #read}; under {@code given} the train split is not read at all. */
    public CamVidData readSelection(Path root, int limit) {
        return this == SEQUENCE ? read(root, limit).selection() : CamVidData.read(root, "val", limit);
    }

    /**
     * The frames a run trains on and the frames it selects models on.
     *
     * @param train       the frames trained on
     * @param selection   the frames models are selected (and the study scores) on
     * @param description how the sides were drawn, for the data log line; empty for {@code given}
     */
    public record Sides(CamVidData train, CamVidData selection, String description) {
    }

    /** Parses {@code given} or {@code sequence}, case-insensitively. */
    public static ValidationSplit parse(String name) {
        return SettingValue.parse(ValidationSplit.class, "val.split", name);
    }
}
