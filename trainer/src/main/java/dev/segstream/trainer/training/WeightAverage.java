package dev.segstream.trainer.training;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * An exponential moving average of a model's weights (Polyak averaging, as timm's
 * {@code ModelEmaV2}): after every applied step each array moves {@code 1 - d} of the way toward
 * the model's, with {@code d = min(decay, (1 + t) / (10 + t))} at step {@code t} so the first
 * steps are not dominated by the random initialisation. Every parameter is averaged, BatchNorm's
 * running statistics included, so the averaged net is self-consistent.
 *
 * <p>{@link #evaluate} swaps the average into the model for the duration of a call and the
 * trained weights back afterwards, so evaluation and saving see the average while the optimizer
 * keeps stepping the trained weights. The swap copies in place (the parameters' arrays stay the
 * same objects, which the optimizer's state and the gradient collector refer to). Both copies
 * live in this object's own manager.
 */
final class WeightAverage implements AutoCloseable {

    private final float decay;
    private final List<NDArray> weights = new ArrayList<>();
    private final List<NDArray> average = new ArrayList<>();
    private final List<NDArray> kept = new ArrayList<>();
    private final NDManager manager;
    private long updates;

    /**
     * @param decay the long-run share kept per step, in (0, 1): 0.998 averages over about the
     *              last 500 steps
     */
    WeightAverage(Model model, float decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("weight-average decay must be in (0, 1), got " + decay);
        }
        this.decay = decay;
        this.manager = model.getNDManager().newSubManager();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            NDArray w = p.getValue().getArray();
            weights.add(w);
            average.add(copyOf(w));
            kept.add(copyOf(w));
        }
    }

    /** Moves the average toward the model's current weights; call after every applied step. */
    void update() {
        updates++;
        float d = (float) Math.min(decay, (1.0 + updates) / (10.0 + updates));
        for (int i = 0; i < weights.size(); i++) {
            NDArray a = average.get(i);
            try (NDArray step = weights.get(i).sub(a)) {
                a.addi(step.muli(1 - d));
            }
        }
    }

    /** Steps averaged so far. */
    long updates() {
        return updates;
    }

    /** Runs {@code action} with the averaged weights in the model, then puts the trained ones back. */
    <T> T evaluate(Supplier<T> action) {
        for (int i = 0; i < weights.size(); i++) {
            copy(weights.get(i), kept.get(i));
            copy(average.get(i), weights.get(i));
        }
        try {
            return action.get();
        } finally {
            for (int i = 0; i < weights.size(); i++) {
                copy(kept.get(i), weights.get(i));
            }
        }
    }

    private NDArray copyOf(NDArray w) {
        NDArray c = w.duplicate();
        c.attach(manager);
        return c;
    }

    /**
     * {@code to = from} in place. Arithmetic, because DJL has no in-place copy; exact for the
     * finite values both arrays hold (the step guard keeps non-finite updates out of the weights).
     */
    private static void copy(NDArray from, NDArray to) {
        to.muli(0).addi(from);
    }

    @Override
    public void close() {
        manager.close();
    }
}
