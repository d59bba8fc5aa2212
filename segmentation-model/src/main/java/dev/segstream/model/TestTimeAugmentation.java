package dev.segstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.segstream.core.config.SettingValue;
import java.util.Locale;

/**
 * Test-time augmentation: the one place where the serving path ({@link SegmentationTranslator})
 * and the trainer's evaluation combine several passes of a model into one prediction.
 * {@link #FLIP} runs each frame and its horizontal mirror as one batch of {@code 2N} and averages
 * the logits of the frame with the mirrored-back logits of the mirror (the mean of logits, i.e.
 * the normalised geometric mean of the two softmax outputs; the loss stays a cross-entropy of
 * logits). Only the valid width is mirrored: frames padded on the right to a multiple of
 * {@code 2^depth} stay padded on the right, so the mirror is what the model would see for a
 * mirrored frame.
 */
public enum TestTimeAugmentation implements SettingValue {
    /** One pass. */
    NONE,
    /** The frame and its horizontal mirror, logits averaged. */
    FLIP;

    /** The lower-case name used in settings and on command lines. */
    @Override
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code none} or {@code flip}, case-insensitively. */
    public static TestTimeAugmentation parse(String name) {
        return SettingValue.parse(TestTimeAugmentation.class, "tta", name);
    }

    /** Valid names, comma separated. */
    public static String validNames() {
        return SettingValue.validNames(TestTimeAugmentation.class);
    }

    /** The batch the model runs: {@code x} itself, or {@code x} followed by its mirrors. */
    public NDArray expand(NDArray x, int validWidth) {
        return this == NONE ? x : x.concat(mirror(x, validWidth), 0);
    }

    /** One {@code (N, classes, H, W)} prediction from the logits of the {@link #expand}ed batch. */
    public NDArray merge(NDArray logits, int validWidth) {
        if (this == NONE) {
            return logits;
        }
        long n = logits.getShape().get(0) / 2;
        NDArray a = logits.get(new NDIndex("0:{}", n));
        NDArray b = mirror(logits.get(new NDIndex("{}:", n)), validWidth);
        return a.add(b).divi(2);
    }

    /** Runs {@code block} on {@code x} with this augmentation; {@code validWidth} excludes right padding. */
    public NDArray forward(Block block, ParameterStore ps, NDArray x, int validWidth, boolean training) {
        return merge(block.forward(ps, new NDList(expand(x, validWidth)), training).head(), validWidth);
    }

    /** {@code x} mirrored along its width within the first {@code validWidth} columns. */
    static NDArray mirror(NDArray x, int validWidth) {
        long w = x.getShape().get(3);
        if (validWidth < 1 || validWidth > w) {
            throw new IllegalArgumentException("valid width " + validWidth + " outside 1.." + w);
        }
        if (validWidth == w) {
            return x.flip(3);
        }
        return x.get(new NDIndex(":, :, :, 0:{}", validWidth)).flip(3)
                .concat(x.get(new NDIndex(":, :, :, {}:", validWidth)), 3);
    }
}
