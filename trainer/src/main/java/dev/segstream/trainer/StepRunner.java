package dev.segstream.trainer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.segstream.core.metrics.ConfusionMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * One Adam step at a time on a model: forward, masked cross-entropy, backward, update, and
 * gradients zeroed (PyTorch accumulates them across backward passes). Optionally scores the
 * step's own predictions into a confusion matrix, which is free since the logits exist anyway.
 * Not thread-safe: one per training thread.
 */
public final class StepRunner implements AutoCloseable {

    private final Trainer trainer;
    private final MaskedCrossEntropy loss;
    private final List<NDArray> trainable = new ArrayList<>();
    private volatile float learningRate;

    /** Adam at a fixed rate (until {@link #learningRate(float)} changes it), no weight decay. */
    public StepRunner(Model model, MaskedCrossEntropy loss, float learningRate, Device device) {
        this(model, loss, learningRate, 0f, device);
    }

    /**
     * Adam, or AdamW (decoupled weight decay, DJL's {@code Optimizer.adamW()}) when {@code
     * weightDecay} is positive; the rate can change between steps ({@link #learningRate(float)}).
     */
    public StepRunner(Model model, MaskedCrossEntropy loss, float learningRate, float weightDecay, Device device) {
        this.loss = loss;
        this.learningRate = learningRate;
        Tracker rate = numUpdate -> this.learningRate;
        Optimizer adam = weightDecay > 0
                ? Optimizer.adamW().optLearningRateTracker(rate).optWeightDecays(weightDecay).build()
                : Optimizer.adam().optLearningRateTracker(rate).build();
        this.trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adam)
                .optDevices(new Device[] {device}));
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            if (p.getValue().requiresGradient()) {
                trainable.add(p.getValue().getArray());
            }
        }
    }

    /** Sets the learning rate of the following steps. */
    public void learningRate(float lr) {
        this.learningRate = lr;
    }

    /** The learning rate of the next step. */
    public float learningRate() {
        return learningRate;
    }

    /** The trainer's manager: allocate batch arrays in a sub-manager of it, closed per step. */
    public NDManager manager() {
        return trainer.getManager();
    }

    /**
     * One update on batch {@code x} (B,3,H,W float32) with labels {@code y} (B,H,W int64).
     *
     * @param confusion when not null, the step's argmax predictions are added to it
     * @return the batch loss
     */
    public float step(NDArray x, NDArray y, ConfusionMatrix confusion) {
        float value;
        try (GradientCollector gc = trainer.newGradientCollector()) {
            NDArray logits = trainer.forward(new NDList(x)).head();
            NDArray l = loss.evaluate(new NDList(y), new NDList(logits));
            gc.backward(l);
            value = l.getFloat();
            if (confusion != null) {
                byte[] predicted = logits.argMax(1).toType(DataType.UINT8, false).toByteArray();
                byte[] truth = y.toType(DataType.UINT8, false).toByteArray();
                confusion.add(truth, predicted);
            }
        }
        trainer.step();
        zeroGradients();
        return value;
    }

    private void zeroGradients() {
        for (NDArray a : trainable) {
            if (a instanceof PtNDArray pt) {
                JniUtils.zeroGrad(pt);
            } else if (a.hasGradient()) {
                try (NDArray g = a.getGradient()) {
                    g.subi(g);
                }
            }
        }
    }

    @Override
    public void close() {
        trainer.close();
    }
}
