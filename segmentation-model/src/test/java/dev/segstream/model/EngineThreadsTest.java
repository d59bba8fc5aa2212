package dev.segstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The engine set-up every service runs: threads, and NNPACK quiet where it cannot initialise. */
class EngineThreadsTest {

    @Test
    void shouldWarnAboutNnpackAtMostOnceWhenItCannotInitialiseOnThisCpu() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), NnpackQuietMain.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        long warnings = out.lines().filter(l -> l.contains("Could not initialize NNPACK")).count();
        // where NNPACK initialises there is no warning and it stays on; where it cannot, libtorch
        // says so once (for the check) and it is off, instead of one warning per convolution
        assertThat(warnings).as(out).isLessThanOrEqualTo(1);
        assertThat(out).as(out).contains("nnpack enabled " + (warnings == 0));
    }

    @Test
    void shouldUseOneThreadLessThanTheProcessorsWhenSetToZero() {
        int processors = Runtime.getRuntime().availableProcessors();
        assertThat(EngineThreads.resolve(0)).isEqualTo(Math.max(1, processors - 1));
        assertThat(EngineThreads.resolve(3)).isEqualTo(3);
    }
}
