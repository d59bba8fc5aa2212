package dev.segstream.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.model.DjlSegmentationModel;
import dev.segstream.model.GradMode;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.ModelDescriptor;
import dev.segstream.model.SegmentationModel;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import dev.segstream.trainer.SharedCamVid;
import dev.segstream.trainer.data.CamVidData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The moving average of the weights: its arithmetic, the swap, and a training run that saves it. */
class WeightAverageTest {

    private static final UNetSpec SPEC = new UNetSpec(UNetVariant.VANILLA, 2, 8, CamVidClasses.COUNT);

    @TempDir
    Path out;

    @Test
    void shouldServeTheAverageInsideEvaluateAndRestoreTheTrainedWeightsAfterWhenWeightsMoved() {
        GradMode.disable();
        try (Model model = ModelArtifacts.newModel(SPEC, Device.cpu())) {
            List<float[]> start = weights(model);
            try (WeightAverage average = new WeightAverage(model, 0.5f)) {
                shiftAll(model, 1f);
                average.update(); // step 1: d = min(0.5, 2/11), the average moves 9/11 of the way
                List<float[]> inside = average.evaluate(() -> weights(model));
                assertShifted(inside, start, 9f / 11f);
                assertShifted(weights(model), start, 1f);
                assertThat(average.updates()).isEqualTo(1);
            }
        }
    }

    @Test
    void shouldApproachTheWeightsByTheWarmedUpDecayWhenWeightsStayPut() {
        GradMode.disable();
        try (Model model = ModelArtifacts.newModel(SPEC, Device.cpu())) {
            List<float[]> start = weights(model);
            try (WeightAverage average = new WeightAverage(model, 0.9f)) {
                shiftAll(model, 1f);
                double left = 1;
                for (int t = 1; t <= 60; t++) {
                    average.update();
                    left *= Math.min(0.9, (1.0 + t) / (10.0 + t));
                }
                // the average is (1 - left) of the way from the start to the moved weights
                assertShifted(average.evaluate(() -> weights(model)), start, (float) (1 - left));
            }
        }
    }

    @Test
    void shouldRefuseWhenDecayIsOutsideTheOpenUnitInterval() {
        try (Model model = ModelArtifacts.newModel(SPEC, Device.cpu())) {
            for (float bad : new float[] {0f, 1f, -0.1f, Float.NaN}) {
                assertThatThrownBy(() -> new WeightAverage(model, bad)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("(0, 1)");
            }
        }
    }

    @Test
    void shouldScoreAndSaveTheAverageAndCheckpointTheTrainedWeightsWhenEmaDecayIsSet() throws Exception {
        Path data = SharedCamVid.camvid128x96OrSkip();
        TrainOptions o = new TrainerConfig(settings(TrainerConfig.DATA, data.toString(), TrainerConfig.OUT,
                out.toString(), TrainerConfig.EPOCHS, "1", TrainerConfig.LIMIT, "8", TrainerConfig.BATCH_SIZE, "2",
                TrainerConfig.LR, "3e-3", "variant", "vanilla", "depth", "3", "filters", "8", "device", "cpu",
                TrainerConfig.EMA_DECAY, "0.9")).options();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        UNetTraining.Summary s = new UNetTraining(o, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("evaluating a weight average (decay 0.9)");

        try (SegmentationModel artifact = ModelArtifacts.load(out, "cpu");
             SegmentationModel checkpoint = ModelArtifacts.load(out.resolve(Checkpoint.DIR), "cpu")) {
            // the artifact is the net that was scored: evaluating it again gives the recorded mIoU
            CamVidData val = CamVidData.read(data, "val", 8);
            ModelDescriptor d = artifact.descriptor();
            double again = Evaluation.run(djl(artifact), val.normalise(TrainingData.toArray(d.mean()),
                    TrainingData.toArray(d.std())), val, CamVidClasses.COUNT, CamVidClasses.VOID, 4).confusion().meanIou();
            assertThat(again).isCloseTo(artifact.descriptor().metrics().get("val_miou"), within(1e-6));
            assertThat(s.bestMiou()).isCloseTo(again, within(1e-6));
            // ... and it is the average, not the weights of the same epoch the run goes on training from
            assertThat(maxDifference(weights(djl(artifact)), weights(djl(checkpoint)))).isGreaterThan(1e-4);
        }
    }

    private static Map<String, String> settings(String... keysAndValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static Model djl(SegmentationModel m) {
        return ((DjlSegmentationModel) m).djlModel();
    }

    private static void shiftAll(Model model, float by) {
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            p.getValue().getArray().addi(by);
        }
    }

    private static List<float[]> weights(Model model) {
        List<float[]> w = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            NDArray a = p.getValue().getArray();
            w.add(a.toFloatArray());
        }
        return w;
    }

    private static void assertShifted(List<float[]> actual, List<float[]> start, float by) {
        assertThat(actual).hasSameSizeAs(start);
        for (int i = 0; i < start.size(); i++) {
            for (int j = 0; j < start.get(i).length; j++) {
                assertThat(actual.get(i)[j]).isCloseTo(start.get(i)[j] + by, within(1e-5f));
            }
        }
    }

    private static double maxDifference(List<float[]> a, List<float[]> b) {
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < a.get(i).length; j++) {
                max = Math.max(max, Math.abs(a.get(i)[j] - b.get(i)[j]));
            }
        }
        return max;
    }
}
