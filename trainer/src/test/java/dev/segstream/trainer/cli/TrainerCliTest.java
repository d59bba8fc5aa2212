package dev.segstream.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.core.metrics.ConfusionMatrix;
import dev.segstream.trainer.training.Evaluation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainerCliTest {

    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = TrainerMain.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(out, true));
        return cmd.execute(args);
    }

    @Test
    void shouldPrintUsageWhenHelpIsAsked() {
        assertThat(run("train", "--help")).isZero();
        assertThat(out.toString()).contains("--variant", "--max-minutes", "--class-weights");
        assertThat(run("evaluate", "--help")).isZero();
        assertThat(out.toString()).contains("--split");
    }

    @Test
    void shouldExitNonZeroWithOneLineWhenVariantIsUnknown() {
        int code = run("train", "--variant", "segnet", "--data", "/nonexistent", "--out", "/tmp/x", "--epochs", "1");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().trim()).doesNotContain("\n").contains("segnet", "vanilla, noskip, residual, attention");
    }

    @Test
    void shouldExitNonZeroWhenRequiredOptionsOrBudgetAreMissing() {
        assertThat(run("train", "--data", "d", "--out", "o")).isEqualTo(2);
        assertThat(err.toString()).contains("--variant");
        assertThat(run("train", "--variant", "vanilla", "--data", "d", "--out", "o")).isEqualTo(2);
        assertThat(err.toString()).contains("--epochs or --max-minutes");
        assertThat(run("train", "--variant", "vanilla", "--data", "d", "--out", "o", "--epochs", "1",
                "--class-weights", "inverse")).isEqualTo(2);
        assertThat(run("train", "--variant", "vanilla", "--data", "/nonexistent", "--out", "o", "--epochs", "1"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("does not exist");
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("missing subcommand");
    }

    @Test
    void shouldRefuseChannelsLastBeforeLoadingDataWhenFiltersAreNotMultiplesOf16(@TempDir Path dir)
            throws Exception {
        // a data folder whose listed image is missing: loading it fails, so only a refusal that
        // comes before the data loads can say what is wrong with the memory format
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("train.txt"), "/train/missing.png /trainannot/missing.png\n");
        Files.writeString(data.resolve("val.txt"), "/val/missing.png /valannot/missing.png\n");
        int code = run("train", "--variant", "vanilla", "--filters", "24", "--memory-format", "channels-last",
                "--numerics", "default", "--data", data.toString(), "--out", dir.resolve("out").toString(),
                "--epochs", "1");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("memory.format=channels-last", "multiples of 16").doesNotContain("missing.png");
    }

    @Test
    void shouldMeasureThroughputWhenBenchmarkingAnUntrainedModel() throws Exception {
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            code = run("benchmark", "--variant", "residual", "--filters", "4", "--batch-size", "2", "--width", "33",
                    "--height", "17", "--seconds", "0.3", "--device", "cpu");
        } finally {
            System.setOut(stdout);
        }
        assertThat(code).isZero();
        String text = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("residual 33x17 batch 2", "images/s");
        String[] lines = text.strip().split("\\R");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.get("variant").asText()).isEqualTo("residual");
        assertThat(json.get("batch_size").asInt()).isEqualTo(2);
        assertThat(json.get("threads").asInt()).isPositive();
        assertThat(json.get("batches").asInt()).isPositive();
        assertThat(json.get("images_per_s").asDouble()).isPositive();
    }

    @Test
    void shouldRejectSplitWhenNotValOrTest() {
        assertThat(run("evaluate", "--model", "m", "--data", "d", "--split", "train")).isEqualTo(2);
        assertThat(err.toString()).contains("--split must be val or test");
    }

    @Test
    void shouldFormatEvaluationAsOneJsonObjectWithNullForAbsentClasses() throws Exception {
        ConfusionMatrix cm = new ConfusionMatrix(11, 11);
        cm.add(3, 3, 6);
        cm.add(3, 0, 2);
        cm.add(11, 5, 100);
        String line = EvaluateCommand.toJson("attention", "test", "flip", new Evaluation.Result(2, 0.5, cm));
        assertThat(line).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("variant").asText()).isEqualTo("attention");
        assertThat(json.get("tta").asText()).isEqualTo("flip");
        assertThat(json.get("images").asInt()).isEqualTo(2);
        assertThat(json.get("pixel_accuracy").asDouble()).isEqualTo(0.75);
        assertThat(json.get("per_class_iou").get("Road").asDouble()).isEqualTo(0.75);
        assertThat(json.get("per_class_iou").get("Sky").asDouble()).isZero();
        assertThat(json.get("per_class_iou").get("Tree").isNull()).isTrue();
        assertThat(json.get("miou").asDouble()).isEqualTo(0.375);
    }
}
