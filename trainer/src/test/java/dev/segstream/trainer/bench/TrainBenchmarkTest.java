package dev.segstream.trainer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.trainer.SharedCamVid;
import dev.segstream.trainer.cli.TrainerMain;
import dev.segstream.trainer.training.EpochMetrics;
import dev.segstream.trainer.training.MetricsLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainBenchmarkTest {

    @TempDir
    Path out;

    private static List<EpochMetrics> epochs(long... rss) {
        List<EpochMetrics> out = new ArrayList<>();
        for (int i = 0; i < rss.length; i++) {
            out.add(new EpochMetrics(i + 1, 1, 1, 0.5, 0.5, 3e-4, 10 + i, 10 * i, Double.NaN, Double.NaN, rss[i], 50, 0));
        }
        return out;
    }

    @Test
    void shouldCallRunSteadyWhenLastEpochRssIsWithinTenPercentOfEpochTwo() {
        TrainBenchmark.Report r = TrainBenchmark.report(epochs(400, 700, 720, 740, 760));
        assertThat(r.rssEpoch2()).isEqualTo(700);
        assertThat(r.rssLast()).isEqualTo(760);
        assertThat(r.rssGrowthPercent()).isCloseTo(8.57, org.assertj.core.data.Offset.offset(0.01));
        assertThat(r.steady()).isTrue();
        assertThat(r.medianImagesPerSecond()).isEqualTo(12.5);
        assertThat(r.middle().epoch()).isEqualTo(3);
        assertThat(r.rssSecondHalfGrowthPercent()).isCloseTo(5.56, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void shouldCallRunNotSteadyWhenRssKeepsGrowing() {
        assertThat(TrainBenchmark.report(epochs(400, 700, 800, 900)).steady()).isFalse();
    }

    private record Run(int code, String stdout) {
    }

    /** Runs {@code trainer benchmark --train} on the shared CamVid frames, with a tiny net. */
    private static Run benchmark(String... args) {
        Path data = SharedCamVid.camvid128x96OrSkip();
        List<String> argv = new ArrayList<>(List.of("benchmark", "--train", "--data", data.toString(), "--limit", "8",
                "--filters", "4", "--batch-size", "4", "--device", "cpu"));
        argv.addAll(List.of(args));
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            code = TrainerMain.commandLine().execute(argv.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new Run(code, captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldPrintPerEpochMemoryAndJsonWhenBenchmarkingTraining() {
        Run r = benchmark("--epochs", "3", "--out", out.resolve("run").toString());
        assertThat(r.code()).isZero();
        String text = r.stdout();
        assertThat(text).contains("epoch  images/s   rss MB  heap MB", "rss epoch 3", "\"rss_mb_epoch2\"");
        assertThat(MetricsLog.read(out.resolve("run"))).hasSize(3)
                .allSatisfy(e -> assertThat(e.heapMb()).isPositive());
    }

    @Test
    void shouldTrainUntilTheBudgetWhenBenchmarkingTrainingForSeconds() throws Exception {
        long t0 = System.nanoTime();
        Run r = benchmark("--seconds", "12", "--out", out.resolve("timed").toString());
        double took = (System.nanoTime() - t0) / 1e9;
        assertThat(r.code()).isZero();
        String[] lines = r.stdout().strip().split("\\R");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.get("epochs").asInt()).isGreaterThanOrEqualTo(TrainBenchmark.MIN_EPOCHS)
                .isEqualTo(MetricsLog.read(out.resolve("timed")).size());
        assertThat(json.get("images_per_s_median").asDouble()).isPositive();
        assertThat(took).as("seconds for a 12 s budget").isLessThan(60);
    }
}
