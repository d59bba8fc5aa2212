package dev.segstream.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.metrics.ProcessMeters;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import dev.segstream.trainer.data.TrainingSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A trainer-service round makes a model and a {@link StepRunner}, steps, and closes both; the
 * next round does it again. Native memory must come back each time: DJL's Adam keeps its moment
 * arrays outside every manager, and before {@link StepRunner#close} freed them each round leaked
 * two parameter-sized arrays per parameter (the soak's RSS grew ~100 MiB a minute).
 */
class StepRunnerMemoryTest {

    private static final int RUNNERS = 10;

    @Test
    void shouldReturnNativeMemoryWhenRunnersAreClosedRoundAfterRound() {
        // 32 filters: ~8M parameters, so a leaked pair of Adam moments is ~60 MiB a round, far
        // above the allocator's noise at these small frames.
        UNetSpec spec = new UNetSpec(UNetVariant.VANILLA, 4, 32, CamVidClasses.COUNT);
        List<TrainingSample> batch = samples(4, 64, 48);
        round(spec, batch);
        round(spec, batch);
        double before = ProcessMeters.residentBytes();
        for (int i = 0; i < RUNNERS; i++) {
            round(spec, batch);
        }
        double grownMib = (ProcessMeters.residentBytes() - before) / (1 << 20);
        // The bound is half of what the leak this guards against would add (two float moments per
        // parameter per round), not a fixed number: glibc's arenas settle at different plateaus on
        // different hosts (CI saw 140 MiB of one-off growth, this machine 24 to 161 MiB across runs), while
        // the leak grows with every round and lands far above it.
        double leakMib = RUNNERS * 2.0 * Float.BYTES * parameters(spec) / (1 << 20);
        System.out.printf("RSS grew %.1f MiB over %d rounds (a moment leak would add %.0f)%n", grownMib, RUNNERS,
                leakMib);
        assertThat(grownMib).as("RSS growth over %d model + runner rounds, MiB", RUNNERS).isLessThan(leakMib / 2);
    }

    private static long parameters(UNetSpec spec) {
        try (Model model = ModelArtifacts.newModel(spec, Device.cpu())) {
            return ModelArtifacts.parameterCount(model);
        }
    }

    private static void round(UNetSpec spec, List<TrainingSample> batch) {
        Device cpu = Device.cpu();
        try (Model model = ModelArtifacts.newModel(spec, cpu);
             StepRunner runner = new StepRunner(model, new MaskedCrossEntropy(CamVidClasses.VOID, null), 1e-3f, cpu)) {
            try (NDManager m = runner.manager().newSubManager()) {
                NDArray[] xy = TrainingSample.stack(m, batch);
                runner.step(xy[0], xy[1], null);
            }
        }
    }

    private static List<TrainingSample> samples(int n, int w, int h) {
        Random r = new Random(7);
        List<TrainingSample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] chw = new float[3 * w * h];
            byte[] labels = new byte[w * h];
            for (int j = 0; j < chw.length; j++) {
                chw[j] = (float) r.nextGaussian();
            }
            for (int j = 0; j < labels.length; j++) {
                labels[j] = (byte) r.nextInt(CamVidClasses.COUNT);
            }
            out.add(new TrainingSample(w, h, chw, labels));
        }
        return out;
    }
}
