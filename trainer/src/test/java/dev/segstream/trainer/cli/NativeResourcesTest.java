package dev.segstream.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.PyTorch;
import dev.segstream.trainer.SharedCamVid;
import dev.segstream.trainer.data.Augmentation;
import dev.segstream.trainer.study.Study;
import dev.segstream.trainer.training.EpochMetrics;
import dev.segstream.trainer.training.LrSchedule;
import dev.segstream.trainer.training.MetricsLog;
import dev.segstream.trainer.training.TrainOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study closes everything native it opens: after training, evaluating and drawing two variants
 * in one JVM, the PyTorch engine's root manager holds exactly the arrays and managers it held
 * before (each variant's Model, Trainer and per-step managers closed).
 */
class NativeResourcesTest {

    @TempDir
    Path out;

    /** Live arrays and managers under {@code m}, recursively (m itself excluded). */
    private static int[] live(NDManager m) throws Exception {
        Field f = BaseNDManager.class.getDeclaredField("resources");
        f.setAccessible(true);
        int arrays = 0;
        int managers = 0;
        for (Object r : ((Map<?, ?>) f.get(m)).values()) {
            if (r instanceof NDManager child) {
                int[] c = live(child);
                arrays += c[0];
                managers += 1 + c[1];
            } else if (r instanceof NDArray) {
                arrays++;
            }
        }
        return new int[] {arrays, managers};
    }

    @Test
    void shouldLeaveNoNativeArraysOrManagersBehindWhenAStudyOfTwoVariantsEnds() throws Exception {
        Path data = SharedCamVid.camvid128x96OrSkip();
        NDManager root;
        try (NDManager probe = PyTorch.engine().newBaseManager()) {
            root = probe.getParentManager();
        }
        int[] before = live(root);
        try (ai.djl.Model model = ModelArtifacts.newModel(new dev.segstream.model.UNetSpec(
                dev.segstream.model.UNetVariant.VANILLA, 2, 4, dev.segstream.core.data.CamVidClasses.COUNT),
                ai.djl.Device.cpu())) {
            assertThat(live(root)[0]).as("the probe sees an open model's parameters").isGreaterThan(before[0]);
        }
        assertThat(live(root)).containsExactly(before);

        StudyCommand c = StudyTest.tinyStudy(data, out, "vanilla", "residual");
        c.run.epochs = 2;
        c.training.batchSize = 4;
        c.training.lrSchedule = "cosine";
        c.training.augment = "full";
        List<TrainOptions> runs = c.runs();
        assertThat(runs).allSatisfy(o -> {
            assertThat(o.lrSchedule()).isEqualTo(LrSchedule.Kind.COSINE);
            assertThat(o.augment()).isEqualTo(Augmentation.Mode.FULL);
        });
        new Study(out, runs, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();

        assertThat(live(root)).as("arrays, managers under the engine's root manager").containsExactly(before);
        // the cosine schedule reached its floor by the last epoch and the lr column shows it
        List<EpochMetrics> m = MetricsLog.read(out.resolve("vanilla"));
        assertThat(m.get(0).lr()).isGreaterThan(m.get(1).lr());
    }
}
