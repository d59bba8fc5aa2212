package dev.segstream.ops.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person sees of {@code ops demo} when its output goes to files (not a terminal): a short
 * console (where the logs are, a status line every 10 s, the JSON summary) while logs, Kafka's
 * warnings and native stderr go to the log file. Runs the real command in a child JVM, as
 * {@code java -jar ops.jar} would, because the demo moves the process's stderr.
 */
class DemoConsoleTest {

    /** A 15 s run prints about 7 lines; the bound leaves room and stays far below the 100 of a minute before. */
    private static final int MAX_STDERR_LINES = 15;

    @Test
    void shouldKeepConsoleShortAndLogsInFileWhenStderrIsNotATerminal(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Path log = dir.resolve("logs").resolve("demo.log");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "dev.segstream.ops.OpsMain", "demo",
                "--duration", "15", "--kafka-port", "0", "--metrics-port", "-1", "--overlay-port", "0",
                "--trainer-out", dir.resolve("store").toString(), "--log-file", log.toString())
                .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean exited = demo.waitFor(150, TimeUnit.SECONDS);
        if (!exited) {
            demo.destroyForcibly();
        }
        List<String> stderr = Files.readAllLines(err);
        List<String> stdout = Files.readAllLines(out);
        assertThat(exited).as("demo exited; stderr: %s", stderr).isTrue();
        assertThat(demo.exitValue()).as("exit code; stderr: %s", stderr).isZero();

        assertThat(stderr).as("stderr").hasSizeLessThan(MAX_STDERR_LINES)
                .contains("logs: " + log.toAbsolutePath())
                .anyMatch(l -> l.startsWith("broker ready "))
                .anyMatch(l -> l.startsWith("["))
                .noneMatch(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains(" INFO ")
                        || l.contains("[W ") || l.contains("NNPACK"));
        assertThat(stderr.stream().filter(l -> l.startsWith("[")).count()).as("status lines, one per 10 s at most")
                .isLessThanOrEqualTo(4);
        assertThat(Files.readAllLines(log)).as("log file").anyMatch(l -> l.contains(" INFO DemoRun - segmenter RUNNING"))
                .anyMatch(l -> l.contains(" INFO EmbeddedKafkaBroker - Kafka broker stopped"));
        assertThat(stdout).as("stdout").isNotEmpty();
        assertThat(stdout.get(stdout.size() - 1)).startsWith("{\"frames_sent\":").contains("\"exactly_once\":true");
    }
}
