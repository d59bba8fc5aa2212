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
 */
public final class MaskedCrossEntropy extends Loss {

    private final int ignoreIndex;
    private final float[] classWeights;

    /**
     * @param classWeights per-class weights, or {@code null} for none
     */
    public MaskedCrossEntropy(int ignoreIndex, float[] classWeights) {
        super("masked_softmax_ce");
        this.ignoreIndex = ignoreIndex;
        this.classWeights = classWeights == null ? null : classWeights.clone();
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray[] r = sumAndWeight(predictions.head(), labels.head());
        return r[0].div(r[1].maximum(1e-12f));
    }

    /**
     * The weighted negative log-likelihood sum and the weight sum (the valid pixel count when
     * unweighted), as scalars on the logits' manager; their quotient is the loss.
     */
    public NDArray[] sumAndWeight(NDArray logits, NDArray labels) {
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
        NDArray sum = picked.mul(w).sum().neg();
        return new NDArray[] {sum, w.sum()};
    }
}
