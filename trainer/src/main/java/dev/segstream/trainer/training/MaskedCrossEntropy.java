package dev.segstream.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Softmax cross-entropy over the class axis of {@code (N, C, H, W)} logits against
 * {@code (N, H, W)} int64 labels, ignoring pixels labelled {@code ignoreIndex}: log-softmax,
 * gather each pixel's label log-probability, mask out ignored pixels, average over the valid
 * ones (weighted by per-class weights when given, like PyTorch's {@code cross_entropy}).
 *
 * <p>With a hard-pixel fraction below 1 the training loss averages only the batch's hardest
 * valid pixels (online hard example mining, the "bootstrapped" cross-entropy of Wu et al. 2016):
 * the {@code ceil(fraction * valid)} pixels of highest (weighted) loss, so pixels the net already
 * gets right stop diluting the gradient of the thin and rare ones. Evaluation always uses the
 * plain average ({@link #sumAndWeight}).
 */
public final class MaskedCrossEntropy extends Loss {

    private final int ignoreIndex;
    private final float[] classWeights;
    private final float hardFraction;

    /**
     * @param classWeights per-class weights, or {@code null} for none
     */
    public MaskedCrossEntropy(int ignoreIndex, float[] classWeights) {
        this(ignoreIndex, classWeights, 1f);
    }

    /**
     * @param classWeights per-class weights, or {@code null} for none
     * @param hardFraction share of the valid pixels, the hardest, that the training loss averages; 1 = all
     */
    public MaskedCrossEntropy(int ignoreIndex, float[] classWeights, float hardFraction) {
        super("masked_softmax_ce");
        if (!(hardFraction > 0 && hardFraction <= 1)) {
            throw new IllegalArgumentException("hard-pixel fraction must be in (0, 1], got " + hardFraction);
        }
        this.ignoreIndex = ignoreIndex;
        this.classWeights = classWeights == null ? null : classWeights.clone();
        this.hardFraction = hardFraction;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray[] r = hardFraction < 1 ? hardest(predictions.head(), labels.head())
                : sumAndWeight(predictions.head(), labels.head());
        return r[0].div(r[1].maximum(1e-12f));
    }

    /**
     * The weighted negative log-likelihood sum and the weight sum (the valid pixel count when
     * unweighted), as scalars on the logits' manager; their quotient is the loss.
     */
    public NDArray[] sumAndWeight(NDArray logits, NDArray labels) {
        NDArray[] p = perPixel(logits, labels);
        return new NDArray[] {p[0].sum(), p[1].sum()};
    }

    /** {@link #sumAndWeight} over only the hardest {@code hardFraction} of the valid pixels. */
    NDArray[] hardest(NDArray logits, NDArray labels) {
        NDArray[] p = perPixel(logits, labels);
        long valid = p[2].sum().getLong();
        if (valid == 0) {
            return new NDArray[] {p[0].sum(), p[1].sum()};
        }
        // ranked with ignored pixels at -1, below every valid one (a valid loss is >= 0), so the
        // top k (k <= valid) are all valid even where the net is certain (loss exactly 0)
        int k = (int) Math.max(1, Math.ceil(hardFraction * valid));
        NDArray rank = p[0].add(p[2].toType(DataType.FLOAT32, false).sub(1f)).flatten();
        NDArray picked = rank.topK(k, 0, true, false).get(1);
        return new NDArray[] {p[0].flatten().take(picked).sum(), p[1].flatten().take(picked).sum()};
    }

    /**
     * Each pixel's weighted negative log-likelihood, its weight (0 for ignored pixels) and whether
     * it is valid (boolean).
     */
    private NDArray[] perPixel(NDArray logits, NDArray labels) {
        NDArray valid = labels.neq(ignoreIndex);
        NDArray validLong = valid.toType(DataType.INT64, false);
        NDArray safe = labels.mul(validLong);
        NDArray logp = logits.logSoftmax(1);
        NDArray picked = logp.gather(safe.expandDims(1), 1).squeeze(1);
        NDArray w = valid.toType(DataType.FLOAT32, false);
        if (classWeights != null) {
            NDArray cw = logits.getManager().create(classWeights);
            NDArray pw = cw.take(safe);
            w = w.mul(pw);
        }
        return new NDArray[] {picked.mul(w).neg(), w, valid};
    }
}
