package dev.segstream.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.ops.bench.BenchCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code bench pipeline} runs end to end on a handful of frames (its own in-process broker) and
 * ends with the documented JSON line. A smoke test, not a timing: the figures are only checked
 * to be measured.
 */
class PipelineBenchCommandTest {

    @Test
    void shouldPrintOneJsonLineWithModelAndPipelineFiguresWhenRunOnFewFrames() throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new BenchCommand()).execute("pipeline", "--frames", "24", "--batch", "4",
                    "--warmup", "8", "--width", "64", "--height", "48", "--kafka", "model.filters=8");
        } finally {
            System.setOut(stdout);
        }
        assertThat(exit).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        JsonNode json = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        for (String field : List.of("model_fps", "pipeline_fps", "ratio", "p50_ms", "p99_ms")) {
            assertThat(json.has(field)).as(field).isTrue();
        }
        assertThat(json.get("model_fps").asDouble()).isPositive();
        assertThat(json.get("pipeline_fps").asDouble()).isPositive();
        assertThat(json.get("ratio").asDouble())
                .isCloseTo(json.get("pipeline_fps").asDouble() / json.get("model_fps").asDouble(),
                        org.assertj.core.data.Offset.offset(0.01));
        assertThat(json.get("p99_ms").asLong()).isGreaterThanOrEqualTo(json.get("p50_ms").asLong());
        assertThat(json.get("batch").asInt()).isEqualTo(4);
        assertThat(json.get("frames").asInt()).isEqualTo(24);
    }
}
