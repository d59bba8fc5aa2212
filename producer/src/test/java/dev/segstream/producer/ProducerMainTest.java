package dev.segstream.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class ProducerMainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(Map<String, String> env, String... args) {
        CommandLine cmd = ProducerMain.commandLine(new ProducerMain(env));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private static ProducerMain parsed(Map<String, String> env, String... args) {
        ProducerMain main = new ProducerMain(env);
        ProducerMain.commandLine(main).parseArgs(args);
        return main;
    }

    @Test
    void shouldPrintUsageAndExitZeroWhenHelpIsAsked() {
        assertThat(execute(Map.of(), "--help")).isZero();
        assertThat(out.toString()).contains("Usage: producer").contains("--bootstrap-servers").contains("--data")
                .contains("--fps").contains("--frames").contains("--kafka").contains("--config");
        assertThat(err.toString()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "--fps=abc", "--fps=-2", "--frames=ten", "--cameras=0", "--kafka=novalue",
        "--data=/definitely/not/here", "--config=/definitely/not/here.properties", "--metrics-port=70000",
        "--width=0", "stray"})
    void shouldExitNonZeroWithOneLineWhenArgumentIsBad(String arg) {
        int code = execute(Map.of(), arg);
        assertThat(code).isNotZero();
        String text = err.toString();
        assertThat(text.lines()).hasSize(1);
        assertThat(text).startsWith("producer: error: ").doesNotContain("\tat ").doesNotContain("Exception:");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldReportBadEnvironmentValueWhenValidating() {
        assertThat(execute(Map.of("SEGSTREAM_FPS", "lots"), "--frames=1")).isEqualTo(2);
        assertThat(err.toString()).startsWith("producer: error: ").contains("fps").contains("lots");
    }

    @Test
    void shouldMapTypedOptionsOntoConfigKeysWhenParsed(@TempDir Path dir) throws Exception {
        CamVidFolderSourceTest.writeFolder(dir, "train", java.util.List.of("cam_1"), true);
        ProducerConfig c = parsed(Map.of(), "--bootstrap-servers", "k:9", "--data", dir.toString(), "--fps", "2.5",
                "--frames", "100", "--cameras", "3", "--width", "33", "--height", "17", "--seed", "7",
                "--no-loop", "--metrics-port", "0").config();
        assertThat(c.bootstrapServers()).isEqualTo("k:9");
        assertThat(c.sourceDir()).contains(dir);
        assertThat(c.fps()).isEqualTo(2.5);
        assertThat(c.framesMax()).isEqualTo(100);
        assertThat(c.syntheticCameras()).isEqualTo(3);
        assertThat(c.syntheticWidth()).isEqualTo(33);
        assertThat(c.syntheticHeight()).isEqualTo(17);
        assertThat(c.syntheticSeed()).isEqualTo(7);
        assertThat(c.loop()).isFalse();
        assertThat(c.metricsPort()).isZero();
    }

    @Test
    void shouldApplyFileThenEnvThenKafkaThenOptionsWhenMerging(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("producer.properties");
        Files.writeString(file, String.join("\n", "fps=1", "synthetic.cameras=2", "linger.ms=50",
                "security.protocol=SSL", "bootstrap.servers=file:1", "frames.max=9"));
        Map<String, String> env = Map.of("SEGSTREAM_SYNTHETIC_CAMERAS", "5", "SEGSTREAM_LINGER_MS", "60",
                "SEGSTREAM_BOOTSTRAP_SERVERS", "env:2", "OTHER_FPS", "99");
        ProducerConfig c = parsed(env, "--config", file.toString(), "--kafka", "linger.ms=70",
                "--kafka", "bootstrap.servers=kafka:3", "--kafka", "fps=3", "--fps", "4").config();
        assertThat(c.fps()).as("--fps beats --kafka fps= and the file").isEqualTo(4.0);
        assertThat(c.syntheticCameras()).as("env beats file").isEqualTo(5);
        assertThat(c.framesMax()).as("file alone").isEqualTo(9);
        assertThat(c.bootstrapServers()).as("--kafka beats env").isEqualTo("kafka:3");
        assertThat(c.kafkaClientProps()).containsEntry("linger.ms", "70").containsEntry("security.protocol", "SSL");
        assertThat(FrameProducer.kafkaProps(c)).containsEntry("linger.ms", "70");
        ProducerConfig typed = parsed(env, "--kafka", "bootstrap.servers=kafka:3", "--bootstrap-servers", "opt:4")
                .config();
        assertThat(typed.bootstrapServers()).isEqualTo("opt:4");
    }

    @Test
    void shouldKeepDefaultsWhenNoOptionIsGiven() {
        ProducerConfig c = parsed(Map.of()).config();
        assertThat(c.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.fps()).isEqualTo(5.0);
        assertThat(c.metricsPort()).isEqualTo(9401);
        assertThat(c.loop()).isTrue();
    }
}
