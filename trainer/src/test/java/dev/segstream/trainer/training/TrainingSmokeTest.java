package dev.segstream.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.core.data.CamVidClasses;
import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.RgbImage;
import dev.segstream.model.MaskPredictor;
import dev.segstream.model.ModelArtifacts;
import dev.segstream.model.SegmentationModel;
import dev.segstream.model.UNetSpec;
import dev.segstream.model.UNetVariant;
import dev.segstream.trainer.SharedCamVid;
import dev.segstream.trainer.cli.TrainerMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny real training run on 8 CamVid frames (skipped when ../shared/data is absent). */
class TrainingSmokeTest {

    static Path data;

    @TempDir
    Path out;

    @BeforeAll
    static void findData() {
        data = SharedCamVid.camvid128x96OrSkip();
    }

    private TrainOptions options(int epochs) {
        return new TrainOptions(new UNetSpec(UNetVariant.VANILLA, 3, 8, CamVidClasses.COUNT), data, out, epochs, 0,
                3e-3f, 4, 42, ClassWeights.NONE, "cpu", 8, -1);
    }

    @Test
    void shouldLowerLossAndWriteLoadableArtifactWhenTrainingOnEightFrames() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        UNetTraining.Summary s = new UNetTraining(options(3), new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        assertThat(s.epochs()).isEqualTo(3);
        assertThat(s.trainLosses()).hasSize(3);
        assertThat(s.trainLosses().get(2)).isLessThan(s.trainLosses().get(0));
        assertThat(s.imagesPerSecond()).isPositive();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("images/s", "val mIoU");
        // each epoch says how far the run is and how long is left; the last has nothing left
        assertThat(log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("epoch ")))
                .anyMatch(l -> l.startsWith("epoch 1/3: ") && l.matches(".*, eta \\d+:\\d\\d, .*"))
                .anyMatch(l -> l.startsWith("epoch 3/3: ") && l.contains(", eta 0:00, "));
        List<String> csv = Files.readAllLines(out.resolve(MetricsLog.CSV));
        assertThat(csv).hasSize(4).first().isEqualTo(MetricsLog.HEADER);
        assertThat(Files.readAllLines(out.resolve(MetricsLog.JSONL))).hasSize(3);

        try (SegmentationModel model = ModelArtifacts.load(out, "cpu"); MaskPredictor p = model.newPredictor()) {
            assertThat(model.descriptor().metrics()).containsKey("val_miou");
            assertThat(model.descriptor().trainingData()).contains("split=train", "count=8");
            List<ClassMask> masks = p.predict(List.of(new RgbImage(128, 96, new byte[128 * 96 * 3])));
            assertThat(masks.get(0).width()).isEqualTo(128);
        }

        // resuming continues from the checkpoint instead of starting over
        UNetTraining.Summary resumed = new UNetTraining(options(4), new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        assertThat(resumed.epochs()).isEqualTo(1);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("resuming after epoch 3");
        assertThat(Files.readAllLines(out.resolve(MetricsLog.CSV))).hasSize(5);
        assertThat(Checkpoint.readState(out.resolve(Checkpoint.DIR)).epoch()).isEqualTo(4);

        // evaluate prints one JSON object as its last line
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = TrainerMain.commandLine().execute("evaluate", "--model", out.toString(), "--data", data.toString(),
                    "--split", "val", "--limit", "8", "--device", "cpu");
        } finally {
            System.setOut(stdout);
        }
        assertThat(code).isZero();
        String[] lines = captured.toString(StandardCharsets.UTF_8).trim().split("\n");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.get("variant").asText()).isEqualTo("vanilla");
        assertThat(json.get("split").asText()).isEqualTo("val");
        assertThat(json.get("images").asInt()).isEqualTo(8);
        assertThat(json.get("loss").asDouble()).isPositive();
        assertThat(json.get("miou").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.get("pixel_accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.get("per_class_iou").size()).isEqualTo(CamVidClasses.COUNT);
        assertThat(json.get("per_class_iou").has("Road")).isTrue();
    }
}
