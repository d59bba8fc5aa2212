package dev.segstream.segmenter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SegmenterMainTest {

    @Test
    void shouldLetTypedOptionsWinOverKafkaPairsAndEnvironmentWhenKeysCollide() {
        SegmenterMain main = new SegmenterMain();
        new CommandLine(main).parseArgs("--bootstrap-servers", "cli:1", "--kafka", "bootstrap.servers=pair:2",
                "--kafka", "max.batch.size=4", "--device", "cpu", "--application-id", "app-x");
        Map<String, Object> settings = main.settings(Map.of("SEGSTREAM_MAX_BATCH_SIZE", "2",
                "SEGSTREAM_SECURITY_PROTOCOL", "SSL", "SEGSTREAM_DEVICE", "gpu"));
        assertThat(settings).containsEntry("bootstrap.servers", "cli:1").containsEntry("max.batch.size", "4")
                .containsEntry("device", "cpu").containsEntry("security.protocol", "SSL")
                .containsEntry("application.id", "app-x");
        SegmenterConfig config = new SegmenterConfig(settings);
        assertThat(config.streamsProperties()).containsEntry("security.protocol", "SSL")
                .containsEntry("application.id", "app-x");
    }

    @Test
    void shouldFailWithOneLineWhenSettingIsInvalid() {
        StringWriter err = new StringWriter();
        CommandLine cmd = SegmenterMain.commandLine();
        cmd.setErr(new PrintWriter(err));
        assertThat(cmd.execute("--kafka", "max.batch.size=0")).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(err.toString()).startsWith("segmenter: error: ").contains("max.batch.size");
        StringWriter err2 = new StringWriter();
        CommandLine cmd2 = SegmenterMain.commandLine();
        cmd2.setErr(new PrintWriter(err2));
        assertThat(cmd2.execute("--bogus")).isEqualTo(2);
        assertThat(err2.toString()).startsWith("segmenter: error: Unknown option");
    }
}
