package dev.segstream.ops.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The two ways {@link DemoConsole} shows the status: redrawn in place, or sparse plain lines. */
class DemoConsoleLinesTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong now = new AtomicLong();

    @Test
    void shouldPrintStatusEveryTenSecondsAndTheLastOneAtFinishWhenNotATerminal() {
        DemoConsole console = new DemoConsole(out, false, now::get);
        for (int s = 0; s <= 25; s++) {
            now.set(TimeUnit.SECONDS.toNanos(s));
            console.status("[" + s + "s]");
        }
        console.println("trainer service: 2 rounds");
        console.finish();
        assertThat(text()).isEqualTo("[0s]\n[10s]\n[20s]\ntrainer service: 2 rounds\n[25s]\n");
    }

    @Test
    void shouldRedrawOneLineAndKeepMessagesAboveWhenOnATerminal() {
        DemoConsole console = new DemoConsole(out, true, now::get);
        console.status("[1s]");
        console.status("[2s]");
        console.println("trainer service: 2 rounds");
        console.finish();
        assertThat(text()).isEqualTo("\r\033[K[1s]\r\033[K[2s]\r\033[Ktrainer service: 2 rounds\n[2s]\n");
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
