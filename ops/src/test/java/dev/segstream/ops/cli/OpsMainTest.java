package dev.segstream.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.segstream.ops.OpsMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class OpsMainTest {

    @ParameterizedTest
    @CsvSource({"--help,0", "demo --help,0", "broker --help,0", "topics --help,0", "'',2", "--bogus,2",
        "demo --duration=abc,2", "demo --duration=-1,2", "demo --cameras=0,2", "topics --kafka=novalue,2"})
    void shouldAnswerHelpOrFailWithOneLineWhenArgumentsGiven(String args, int expected) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cmd = OpsMain.commandLine();
        cmd.setErr(new PrintWriter(err));
        cmd.setOut(new PrintWriter(out));
        int code = cmd.execute(args.isBlank() ? new String[0] : args.split(" "));
        assertThat(code).isEqualTo(expected);
        if (expected == 0) {
            assertThat(out.toString()).contains("Usage:");
        } else {
            assertThat(err.toString().lines()).hasSize(1);
            assertThat(err.toString()).startsWith("ops: error: ").doesNotContain("\tat ");
        }
    }
}
