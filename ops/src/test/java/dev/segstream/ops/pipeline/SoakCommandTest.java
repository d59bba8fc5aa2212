package dev.segstream.ops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.ops.bench.BenchCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench soak} end to end on a run far too short to judge memory (the rule needs minutes
 * after a warm-up): samples every few seconds, a report line per sample, the verifier's line, and
 * exit code 3 (inconclusive memory, verifier passed). The rule itself is {@code MemoryTrendTest}'s.
 */
class SoakCommandTest {

    @Test
    void shouldPrintSamplesVerifierLineAndInconclusiveExitWhenTheRunIsShort(@TempDir Path tmp) throws Exception {
        Path report = tmp.resolve("soak.jsonl");
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new BenchCommand()).execute("soak", "--minutes", "0.25", "--sample-seconds", "5",
                    "--fps", "2", "--cameras", "2", "--no-trainer", "--report", report.toString());
        } finally {
            System.setOut(stdout);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertThat(text).contains("verifier: sent=").contains(" PASS").contains("memory: INCONCLUSIVE");
        assertThat(exit).isEqualTo(3);
        List<String> lines = Files.readAllLines(report);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> samples = lines.stream().map(l -> read(json, l))
                .filter(n -> n.get("type").asText().equals("sample")).toList();
        assertThat(samples).hasSize(3);
        JsonNode last = samples.get(samples.size() - 1);
        assertThat(last.get("sent").asLong()).isPositive();
        assertThat(last.get("rss_mib").asLong()).isGreaterThan(last.get("heap_live_mib").asLong());
        assertThat(last.get("native_mib").asLong())
                .isEqualTo(last.get("rss_mib").asLong() - last.get("heap_committed_mib").asLong()
                        - last.get("non_heap_committed_mib").asLong());
        JsonNode verdict = read(json, lines.get(lines.size() - 1));
        assertThat(verdict.get("memory").asText()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("eos_passed").asBoolean()).isTrue();
    }

    private static JsonNode read(ObjectMapper json, String line) {
        try {
            return json.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
