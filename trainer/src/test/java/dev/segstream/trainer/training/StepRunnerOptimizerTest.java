package dev.segstream.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.PyTorch;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import dev.segstream.model.numerics.MemoryFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The runner's optimizers (DJL's Adam, or AdamW with decay, each handing its state to the runner)
 * against DJL's own Adam: at weight decay 0 the same weights, bit for bit (owning the state changes
 * no update); with decay smaller ones.
 */
class StepRunnerOptimizerTest {

    private static final MaskedCrossEntropy CE = new MaskedCrossEntropy(CamVidClasses.VOID, null);
    private static final float LR = 1e-3f;
    private static final int STEPS = 4;

    @Test
    void shouldTrainExactlyAsPlainAdamWhenWeightDecayIsZero() {
        Map<String, float[]> adam = trainWithDjlAdam();
        Map<String, float[]> runner = trainWithRunner(0f);

        assertThat(runner.keySet()).isEqualTo(adam.keySet());
        adam.forEach((name, weights) -> assertThat(runner.get(name)).as(name).containsExactly(weights));
    }

    @Test
    void shouldShrinkWeightsBeyondPlainAdamWhenWeightDecayIsPositive() {
        Map<String, float[]> adam = trainWithDjlAdam();
        Map<String, float[]> decayed = trainWithRunner(0.5f);

        assertThat(squaredNorm(decayed)).isLessThan(squaredNorm(adam));
    }

    private static Map<String, float[]> trainWithRunner(float weightDecay) {
        return train(model -> {
            StepRunner runner = new StepRunner(model, CE, LR, weightDecay, 10, MemoryFormat.CONTIGUOUS, Device.cpu());
            return new Stepper(runner.manager(), (x, y) -> runner.step(x, y, null), runner);
        });
    }

    /** The same steps through a trainer with DJL's own Adam and nothing of the runner's. */
    private static Map<String, float[]> trainWithDjlAdam() {
        return train(model -> {
            Trainer trainer = model.newTrainer(new DefaultTrainingConfig(CE)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(LR)).build())
                    .optDevices(new Device[] {Device.cpu()}));
            return new Stepper(trainer.getManager(), (x, y) -> {
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray logits = trainer.forward(new NDList(x)).head();
                    gc.backward(CE.evaluate(new NDList(y), new NDList(logits)));
                }
                trainer.step();
            }, trainer);
        });
    }

    private record Stepper(NDManager manager, BiConsumer<NDArray, NDArray> step, AutoCloseable owner) {
    }

    private static Map<String, float[]> train(Function<Model, Stepper> stepperFor) {
        PyTorch.seed(5);
        try (Model model = ModelArtifacts.newModel(new UNetSpec(UNetVariant.VANILLA, 2, 16, CamVidClasses.COUNT),
                Device.cpu())) {
            Stepper stepper = stepperFor.apply(model);
            Random rng = new Random(9);
            for (int s = 0; s < STEPS; s++) {
                try (NDManager m = stepper.manager().newSubManager()) {
                    RandomBatch batch = RandomBatch.next(rng, m);
                    stepper.step().accept(batch.x(), batch.y());
                }
            }
            Map<String, float[]> values = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                values.put(p.getKey(), p.getValue().getArray().toType(DataType.FLOAT32, false).toFloatArray());
            }
            stepper.owner().close();
            return values;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double squaredNorm(Map<String, float[]> weights) {
        double sum = 0;
        for (float[] w : weights.values()) {
            for (float v : w) {
                sum += v * (double) v;
            }
        }
        return sum;
    }
}
