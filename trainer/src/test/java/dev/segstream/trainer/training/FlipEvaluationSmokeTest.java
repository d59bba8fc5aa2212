package dev.segstream.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.core.data.CamVidClasses;
import dev.segstream.model.DjlSegmentationModel;
import dev.segstream.model.EngineThreads;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.TestTimeAugmentation;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import dev.segstream.trainer.SharedCamVid;
import dev.segstream.trainer.data.CamVidData;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Flip averaging runs through the trainer's evaluation on real CamVid val frames (an untrained
 * model: this shows it runs and what it costs, not what it gains), timed side by side with the
 * single pass at one intra-op thread; skipped when ../shared/data is absent. {@code TTA_SMOKE_FRAMES}
 * and {@code TTA_SMOKE_ROUNDS} (default 16 frames, 3 rounds, the first not timed) make it a longer
 * measurement.
 */
class FlipEvaluationSmokeTest {

    @Test
    void shouldEvaluateFiniteWithAndWithoutFlipWhenRunSideBySide() {
        Path data = SharedCamVid.camvid128x96OrSkip();
        int frames = Integer.parseInt(System.getenv().getOrDefault("TTA_SMOKE_FRAMES", "16"));
        int rounds = Integer.parseInt(System.getenv().getOrDefault("TTA_SMOKE_ROUNDS", "3"));
        CamVidData val = CamVidData.read(data, "val", frames);
        EngineThreads.apply(1);
        UNetSpec spec = new UNetSpec(UNetVariant.VANILLA, 4, 8, CamVidClasses.COUNT);
        try (DjlSegmentationModel m = (DjlSegmentationModel) ModelArtifacts.untrained(spec, 5, "tta-smoke", "cpu")) {
            float[] x = val.normalise(TrainingData.toArray(m.descriptor().mean()),
                    TrainingData.toArray(m.descriptor().std()));
            double[] seconds = new double[2];
            Evaluation.Result[] results = new Evaluation.Result[2];
            for (int round = 0; round < rounds; round++) {
                for (TestTimeAugmentation tta : TestTimeAugmentation.values()) {
                    long t0 = System.nanoTime();
                    results[tta.ordinal()] = Evaluation.run(m.djlModel(), x, val, CamVidClasses.COUNT,
                            CamVidClasses.VOID, 8, tta);
                    if (round > 0) {
                        seconds[tta.ordinal()] += (System.nanoTime() - t0) / 1e9;
                    }
                }
            }
            double timed = (rounds - 1) * (double) val.count();
            for (Evaluation.Result r : results) {
                assertThat(r.images()).isEqualTo(val.count());
                assertThat(r.loss()).isFinite();
            }
            assertThat(results[1].loss()).isNotEqualTo(results[0].loss());
            System.out.printf(Locale.ROOT, "tta smoke: none %.1f images/s, flip %.1f images/s (ratio %.2f); "
                            + "untrained val loss %.4f vs %.4f, mIoU %.4f vs %.4f%n",
                    timed / seconds[0], timed / seconds[1], seconds[0] / seconds[1], results[0].loss(), results[1].loss(),
                    results[0].confusion().meanIou(), results[1].confusion().meanIou());
        }
    }
}
