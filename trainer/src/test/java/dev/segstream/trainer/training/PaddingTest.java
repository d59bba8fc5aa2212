package dev.segstream.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.data.CamVidLayout;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import dev.segstream.trainer.cli.TrainerMain;
import dev.segstream.trainer.data.BatchMaker;
import dev.segstream.trainer.report.PredictionPanel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames whose sides are not a multiple of 2^depth are padded for the network, never rejected. */
class PaddingTest {

    @TempDir
    Path out;

    @Test
    void shouldPadImagesWithZeroAndLabelsWithVoidWhenSidesAreNotAMultiple() {
        // one 3x2 frame: channel c, pixel p = c * 10 + p; labels 0..5
        float[] images = new float[3 * 6];
        for (int i = 0; i < images.length; i++) {
            images[i] = (i / 6) * 10 + i % 6;
        }
        byte[] labels = {0, 1, 2, 3, 4, 5};
        BatchMaker maker = new BatchMaker(images, labels, 3, 2, 1, 4);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] xy = maker.make(m, new int[] {0}, 0, 1, new boolean[] {true});
            assertThat(xy[0].getShape().getShape()).containsExactly(1, 3, 4, 4);
            assertThat(xy[1].getShape().getShape()).containsExactly(1, 4, 4);
            float[] x = xy[0].toFloatArray();
            // channel 1, row 0, mirrored: 12 11 10, then padding
            assertThat(x).startsWith(2, 1, 0, 0, 5, 4, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 11, 10, 0);
            long[] y = xy[1].toLongArray();
            int v = CamVidClasses.VOID;
            assertThat(y).containsExactly(2, 1, 0, v, 5, 4, 3, v, v, v, v, v, v, v, v, v);
        }
    }

    @Test
    void shouldTrainEvaluateAndDrawWhenFramesAre240x180() throws Exception {
        Path data = CamVidLayout.sharedDataDir().resolve("camvid-240x180");
        Assumptions.assumeTrue(Files.isRegularFile(data.resolve("train.txt")),
                "CamVid 240x180 not found at " + data.toAbsolutePath() + "; skipping");
        TrainOptions o = new TrainOptions(new UNetSpec(UNetVariant.ATTENTION, 3, 4, CamVidClasses.COUNT), data, out, 1,
                0, 3e-3f, 4, 42, ClassWeights.NONE, "cpu", 4, -1);
        UNetTraining.Summary s = new UNetTraining(o, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).run();
        assertThat(s.epochs()).isEqualTo(1);
        assertThat(s.bestMiou()).isBetween(0.0, 1.0);

        int code = TrainerMain.commandLine().execute("visualize", "--model", out.toString(), "--data", data.toString(),
                "--split", "val", "--count", "2", "--out", out.resolve("vis").toString(), "--device", "cpu");
        assertThat(code).isZero();
        BufferedImage panel = ImageIO.read(out.resolve("vis/attention-val.png").toFile());
        assertThat(panel.getWidth()).isEqualTo(PredictionPanel.GAP + 6 * (240 * PredictionPanel.SCALE + PredictionPanel.GAP));
    }
}
