package dev.segstream.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.trainer.SharedCamVid;
import dev.segstream.trainer.report.PredictionPanel;
import dev.segstream.trainer.study.PanelMaker;
import dev.segstream.trainer.study.Study;
import dev.segstream.trainer.study.StudyPlots;
import dev.segstream.trainer.study.StudyRow;
import dev.segstream.trainer.study.StudyTable;
import dev.segstream.trainer.training.MetricsLog;
import dev.segstream.trainer.training.TrainOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny study (2 variants, 8 frames, 1 epoch) and visualize (skipped when ../shared/data is absent). */
class StudyTest {

    static Path data;

    @TempDir
    Path out;

    @BeforeAll
    static void findData() {
        data = SharedCamVid.camvid128x96OrSkip();
    }

    private List<TrainOptions> runs() {
        StudyCommand c = tinyStudy(data, out, "vanilla", "attention");
        c.training.batchSize = 4;
        return c.runs();
    }

    /** A study of {@code variants} on 8 frames per split, 1 epoch of a 4-filter depth-2 net on the CPU. */
    static StudyCommand tinyStudy(Path data, Path out, String... variants) {
        StudyCommand c = new StudyCommand();
        c.run.data = data;
        c.out = out;
        c.variants = List.of(variants);
        c.run.epochs = 1;
        c.training.filters = 4;
        c.training.depth = 2;
        c.run.limit = 8;
        c.training.device = "cpu";
        return c;
    }

    private static int panelHeight(int rows) throws Exception {
        return PredictionPanel.HEADER + rows * (96 * PredictionPanel.SCALE + PredictionPanel.GAP) + PredictionPanel.GAP;
    }

    @Test
    void shouldWriteTablePlotsAndPanelsAndReuseTrainingWhenRunTwice() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<StudyRow> rows = new Study(out, runs(), new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        assertThat(rows).extracting(StudyRow::variant).containsExactly("vanilla", "attention");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.epochs()).isEqualTo(1);
            assertThat(r.valMiou()).isBetween(0.0, 1.0);
            assertThat(r.parameters()).isPositive();
            assertThat(r.imagesPerSecond()).isPositive();
            assertThat(r.testMiou()).isNaN();
        });
        assertThat(rows.get(1).parameters()).isGreaterThan(rows.get(0).parameters());
        String md = Files.readString(out.resolve("study.md"));
        assertThat(md).contains("| variant | runtime | lr |", "| vanilla |", "| attention |", "n/a", "no test split");
        List<String> csv = Files.readAllLines(out.resolve("study.csv"));
        assertThat(csv).hasSize(3).first().isEqualTo(StudyTable.CSV_HEADER);
        assertThat(csv.get(1)).startsWith("vanilla,").contains(",n/a,n/a,");
        assertThat(md).contains("IoU per class", "| vanilla | val |", "| Pole |", "| Bicyclist |");
        List<String> classes = Files.readAllLines(out.resolve("study-classes.csv"));
        assertThat(classes).hasSize(3);
        assertThat(classes.get(0).split(",")).hasSize(2 + 11);
        assertThat(rows.get(0).valClassIou()).hasSize(11);
        for (String plot : List.of("train_loss.png", "val_loss.png", "val_miou.png")) {
            BufferedImage img = ImageIO.read(out.resolve(plot).toFile());
            assertThat(img.getWidth()).as(plot).isEqualTo(StudyPlots.WIDTH);
            assertThat(img.getHeight()).as(plot).isEqualTo(StudyPlots.HEIGHT);
        }
        assertThat(out.resolve("test_miou.png")).doesNotExist();

        int cell = 128 * PredictionPanel.SCALE + PredictionPanel.GAP;
        BufferedImage vanilla = ImageIO.read(out.resolve("panels/vanilla.png").toFile());
        assertThat(vanilla.getWidth()).isEqualTo(PredictionPanel.GAP + 3 * cell);
        assertThat(vanilla.getHeight()).isGreaterThan(panelHeight(8));
        BufferedImage attention = ImageIO.read(out.resolve("panels/attention.png").toFile());
        assertThat(attention.getWidth()).as("image, truth, prediction + 2 gate levels").isEqualTo(PredictionPanel.GAP + 5 * cell);

        // a second run reuses both trained variants instead of training again
        log.reset();
        new Study(out, runs(), new PrintStream(log, true, StandardCharsets.UTF_8)).run();
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("vanilla already trained to this budget", "attention already trained to this budget")
                .doesNotContain("epoch 2");
        assertThat(MetricsLog.read(out.resolve("vanilla"))).hasSize(1);

        // visualize draws the same panel for one model
        Path vis = out.resolve("vis");
        int code = TrainerMain.commandLine().execute("visualize", "--model", out.resolve("attention").toString(),
                "--data", data.toString(), "--split", "val", "--count", "3", "--out", vis.toString(), "--device", "cpu");
        assertThat(code).isZero();
        BufferedImage panel = ImageIO.read(vis.resolve("attention-val.png").toFile());
        assertThat(panel.getWidth()).isEqualTo(PredictionPanel.GAP + 5 * cell);
        assertThat(panel.getHeight()).isGreaterThan(panelHeight(3)).isLessThan(panelHeight(4));
    }

    @Test
    void shouldScoreTheHeldOutSequenceWhenSplitBySequence() throws Exception {
        StudyCommand c = tinyStudy(data, out, "noskip");
        c.training.valSplit = "sequence";

        List<StudyRow> rows = new Study(out, c.runs(), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).run();

        // the table scores the frames that selected the model (8 of 0006R0), not the folder's val,
        // which the run trained on
        assertThat(Files.readString(out.resolve("study.md"))).contains("held-out sequence 0006R0=8");
        assertThat(rows.get(0).valMiou()).isEqualTo(MetricsLog.read(out.resolve("noskip")).get(0).valMiou(),
                org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void shouldReportTestColumnsAndCurvesWhenDataHasTestSplit() throws Exception {
        Path withTest = out.resolve("data");
        Files.createDirectories(withTest);
        for (String dir : List.of("train", "trainannot", "val", "valannot")) {
            Files.createSymbolicLink(withTest.resolve(dir), data.resolve(dir).toAbsolutePath());
        }
        Files.copy(data.resolve("train.txt"), withTest.resolve("train.txt"));
        Files.copy(data.resolve("val.txt"), withTest.resolve("val.txt"));
        List<String> val = Files.readAllLines(data.resolve("val.txt"));
        Files.write(withTest.resolve("test.txt"), val.subList(val.size() - 8, val.size()));
        StudyCommand c = tinyStudy(withTest, out.resolve("study"), "noskip");

        List<StudyRow> rows = new Study(c.out, c.runs(), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).run();

        assertThat(rows.get(0).testMiou()).isBetween(0.0, 1.0);
        assertThat(rows.get(0).testLoss()).isPositive();
        assertThat(MetricsLog.read(c.out.resolve("noskip"))).singleElement()
                .satisfies(e -> assertThat(e.hasTest()).isTrue());
        assertThat(Files.readString(c.out.resolve("study.md"))).doesNotContain("n/a");
        assertThat(c.out.resolve("test_loss.png")).isRegularFile();
        assertThat(c.out.resolve("test_miou.png")).isRegularFile();
        assertThat(c.out.resolve("panels/noskip.png")).isRegularFile();
    }

    @Test
    void shouldPickEvenlySpacedFramesWhenSplitIsLargerThanCount() {
        assertThat(PanelMaker.evenlySpaced(101, 8)).containsExactly(0, 12, 25, 37, 50, 63, 75, 88);
        assertThat(PanelMaker.evenlySpaced(3, 8)).containsExactly(0, 1, 2);
    }
}
