package dev.segstream.trainer.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.segstream.core.metrics.ConfusionMatrix;
import dev.segstream.model.numerics.ConvShape;
import dev.segstream.model.numerics.MemoryFormat;
import dev.segstream.model.numerics.NumericsConfig;
import dev.segstream.model.numerics.TrainingNumerics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Adam step at a time on a model: forward, masked cross-entropy, backward, update, and
 * gradients zeroed (PyTorch accumulates them across backward passes). Optionally scores the
 * step's own predictions into a confusion matrix, which is free since the logits exist anyway.
 * The batch enters the network in the runner's {@link MemoryFormat} (by default channels-last on a
 * CPU for nets whose convolutions allow it), which libtorch then keeps through every layer and
 * gradient.
 *
 * <p>Guard: a step whose loss or any gradient is NaN or infinite is skipped: the optimizer never
 * sees it and the BatchNorm running statistics its forward pass moved are put back, so the model
 * is exactly as before. Skips are counted and logged; after {@code maxNonFiniteInARow} in a row
 * the run stops with a {@link NonFiniteTrainingException}. Not thread-safe: one per training thread.
 */
public final class StepRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

    /**
     * What a step did.
     *
     * @param loss    the batch loss (NaN or infinite when the step was skipped for it)
     * @param skipped whether the update was skipped for a non-finite loss or gradient
     */
    public record Outcome(float loss, boolean skipped) {
    }

    private final Trainer trainer;
    private final Loss loss;
    private final int maxNonFiniteInARow;
    private final MemoryFormat memoryFormat;
    private final List<NDArray> trainable = new ArrayList<>();
    private final List<NDArray> runningStats = new ArrayList<>();
    private final Set<NDArray> optimizerState = Collections.newSetFromMap(new IdentityHashMap<>());
    private volatile float learningRate;
    private long steps;
    private volatile long skipped;
    private int skippedInARow;

    /**
     * Adam at a fixed rate (until {@link #learningRate(float)} changes it), no weight decay, default
     * guard, the device's default layout.
     */
    public StepRunner(Model model, Loss loss, float learningRate, Device device) {
        this(model, loss, learningRate, 0f, NumericsConfig.DEFAULT_MAX_NONFINITE_STEPS, MemoryFormat.AUTO, device);
    }

    /**
     * Adam, or AdamW (decoupled weight decay, DJL's {@code Optimizer.adamW()}) when {@code
     * weightDecay} is positive; the rate can change between steps ({@link #learningRate(float)}).
     *
     * @param maxNonFiniteInARow skipped steps in a row after which {@link #step} throws
     * @param memoryFormat       the layout batches enter the network in ({@link MemoryFormat#resolve}d
     *                           for the model's convolutions and the device)
     * @throws IllegalArgumentException when channels-last is asked for a net it is not safe for
     */
    public StepRunner(Model model, Loss loss, float learningRate, float weightDecay, int maxNonFiniteInARow,
                      MemoryFormat memoryFormat, Device device) {
        if (maxNonFiniteInARow < 1) {
            throw new IllegalArgumentException("maxNonFiniteInARow must be at least 1, got " + maxNonFiniteInARow);
        }
        this.loss = loss;
        this.learningRate = learningRate;
        this.maxNonFiniteInARow = maxNonFiniteInARow;
        this.memoryFormat = memoryFormat.resolve(device, ConvShape.of(model.getBlock()));
        Tracker rate = numUpdate -> this.learningRate;
        // AdamW at decay 0 trains the same weights bit for bit (checked side by side) but still
        // computes w x lr x 0 for every parameter each step, 5-35 ms a step here: plain Adam then
        Optimizer adam = weightDecay > 0
                ? new OwningAdamW(Optimizer.adamW().optLearningRateTracker(rate).optWeightDecays(weightDecay),
                        optimizerState::add)
                : new OwningAdam(Optimizer.adam().optLearningRateTracker(rate), optimizerState::add);
        this.trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adam)
                .optDevices(new Device[] {device}));
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (p.getValue().requiresGradient()) {
                trainable.add(p.getValue().getArray());
            } else if (type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR) {
                runningStats.add(p.getValue().getArray());
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

    /** Steps skipped for a non-finite loss or gradient since this runner was made. */
    public long skippedSteps() {
        return skipped;
    }

    /** The layout batches enter the network in, resolved for the device. */
    public MemoryFormat memoryFormat() {
        return memoryFormat;
    }

    /** The trainer's manager: allocate batch arrays in a sub-manager of it, closed per step. */
    public NDManager manager() {
        return trainer.getManager();
    }

    /**
     * One update on batch {@code x} (B,3,H,W float32) with labels {@code y} (B,H,W int64), unless
     * the loss or a gradient is not finite.
     *
     * @param confusion when not null, the step's argmax predictions are added to it (applied steps only)
     * @throws NonFiniteTrainingException when this is the {@code maxNonFiniteInARow}-th skipped step in a row
     */
    public Outcome step(NDArray x, NDArray y, ConfusionMatrix confusion) {
        steps++;
        List<NDArray> statsBefore = snapshot(runningStats);
        try {
            float value;
            boolean finite;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(memoryFormat.apply(x))).head();
                NDArray l = loss.evaluate(new NDList(y), new NDList(logits));
                gc.backward(l);
                value = l.getFloat();
                finite = Float.isFinite(value) && gradientsFinite();
                if (finite && confusion != null) {
                    byte[] predicted = logits.argMax(1).toType(DataType.UINT8, false).toByteArray();
                    byte[] truth = y.toType(DataType.UINT8, false).toByteArray();
                    confusion.add(truth, predicted);
                }
            }
            if (finite) {
                trainer.step();
                skippedInARow = 0;
            } else {
                restore(statsBefore);
                skip(value);
            }
            zeroGradients();
            return new Outcome(value, !finite);
        } finally {
            statsBefore.forEach(NDArray::close);
        }
    }

    private void skip(float value) {
        skipped++;
        skippedInARow++;
        String why = String.format(Locale.ROOT, "step %d has a non-finite %s (loss %s)", steps,
                Float.isFinite(value) ? "gradient" : "loss", value);
        if (skippedInARow >= maxNonFiniteInARow) {
            zeroGradients();
            throw new NonFiniteTrainingException(String.format(Locale.ROOT,
                    "training stopped: %d steps in a row had a non-finite loss or gradients, the last %s; likely "
                            + "cause: a learning rate too high for this model, or wrong convolution gradients from "
                            + "this CPU's oneDNN kernels (numerics: %s; try --numerics auto, see the trainer README)",
                    skippedInARow, why, TrainingNumerics.current().map(c -> c.setting().id()).orElse("not checked")));
        }
        LOG.warn("skipped {}: weights and BatchNorm statistics left unchanged ({} in a row)", why, skippedInARow);
    }

    /**
     * Whether every gradient is finite, in one read-back: the sum of all gradient sums. A NaN or an
     * infinity anywhere makes it non-finite (opposite infinities make NaN); one reduction per
     * gradient instead of abs + max halves the guard's op count, which is per-step overhead the
     * PyTorch baseline does not pay. Finite sums can only overflow with gradients near 1e38.
     */
    private boolean gradientsFinite() {
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDList sums = new NDList(trainable.size());
            for (NDArray a : trainable) {
                NDArray g = a.getGradient();
                g.attach(m);
                sums.add(g.sum());
            }
            return Float.isFinite(NDArrays.stack(sums).sum().getFloat());
        }
    }

    /**
     * Native copies of the running statistics (a forward pass in training mode moves them); an
     * op rather than {@code toType(.., true)}, which libtorch answers with the same storage.
     */
    private static List<NDArray> snapshot(List<NDArray> arrays) {
        List<NDArray> copies = new ArrayList<>(arrays.size());
        for (NDArray a : arrays) {
            copies.add(a.add(0f));
        }
        return copies;
    }

    /** Puts the snapshot's storage under the model's own arrays; the snapshot arrays are consumed. */
    private void restore(List<NDArray> snapshot) {
        for (int i = 0; i < runningStats.size(); i++) {
            runningStats.get(i).intern(snapshot.get(i));
        }
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

    /**
     * Adam that hands each optimizer state array (its first and second moments, one pair per
     * parameter) to its owner. DJL's {@code Optimizer.withDefaultState} detaches them from every
     * manager, so neither the trainer's nor the model's manager frees them and the optimizer has no
     * close: without an owner, every runner leaked two parameter-sized native arrays per parameter
     * (about 25 MiB of RSS per trainer-service round for the default U-Net, found by the soak).
     */
    private static final class OwningAdam extends Adam {

        private final Consumer<NDArray> owner;

        OwningAdam(Adam.Builder builder, Consumer<NDArray> owner) {
            super(builder);
            this.owner = owner;
        }

        @Override
        protected NDArray withDefaultState(Map<String, Map<Device, NDArray>> state, String key, Device device,
                                           Function<String, NDArray> init) {
            NDArray array = super.withDefaultState(state, key, device, init);
            owner.accept(array);
            return array;
        }
    }

    /** {@link OwningAdam} with decoupled weight decay (Java allows one base class, hence the twin). */
    private static final class OwningAdamW extends AdamW {

        private final Consumer<NDArray> owner;

        OwningAdamW(AdamW.Builder builder, Consumer<NDArray> owner) {
            super(builder);
            this.owner = owner;
        }

        @Override
        protected NDArray withDefaultState(Map<String, Map<Device, NDArray>> state, String key, Device device,
                                           Function<String, NDArray> init) {
            NDArray array = super.withDefaultState(state, key, device, init);
            owner.accept(array);
            return array;
        }
    }

    @Override
    public void close() {
        trainer.close();
        optimizerState.forEach(NDArray::close);
        optimizerState.clear();
    }
}
