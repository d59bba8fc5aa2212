package dev.segstream.ops.demo;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The demo's console: one status line that a terminal redraws in place ({@code \r} and ANSI
 * erase-line), or, when stderr is a file or a pipe, a plain status line at most every
 * {@value #PLAIN_INTERVAL_SECONDS} s so that a log of a long run stays short. Messages (broker
 * ready, where the logs are, the trainer's tally) print as whole lines above the status.
 */
final class DemoConsole {

    /** Seconds between status lines when not on a terminal. */
    static final long PLAIN_INTERVAL_SECONDS = 10;
    private static final String ERASE_LINE = "\r\033[K";

    private final PrintStream out;
    private final boolean inPlace;
    private final LongSupplier nanoTime;
    private long lastPlainNanos;
    private boolean anyPlain;
    private String status;
    private boolean statusShown;

    /**
     * @param out      where the lines go (the original stderr)
     * @param inPlace  redraw the status in place (only on a terminal)
     * @param nanoTime clock for the plain interval ({@code System::nanoTime}; tests pass their own)
     */
    DemoConsole(PrintStream out, boolean inPlace, LongSupplier nanoTime) {
        this.out = out;
        this.inPlace = inPlace;
        this.nanoTime = nanoTime;
    }

    /** A console on the stream {@link LogSetup} left for people, in place when it is a terminal. */
    static DemoConsole of(LogSetup.Result setup) {
        return new DemoConsole(setup.console(), setup.terminal(), System::nanoTime);
    }

    /** The newest status: redrawn in place, or printed if the last plain one is old enough. */
    synchronized void status(String line) {
        status = line;
        if (inPlace) {
            out.print(ERASE_LINE + line);
            out.flush();
            statusShown = true;
            return;
        }
        long now = nanoTime.getAsLong();
        if (!anyPlain || now - lastPlainNanos >= TimeUnit.SECONDS.toNanos(PLAIN_INTERVAL_SECONDS)) {
            out.println(line);
            anyPlain = true;
            lastPlainNanos = now;
            statusShown = true;
        } else {
            statusShown = false;
        }
    }

    /** A whole line above the status (which a terminal then redraws below it). */
    synchronized void println(String line) {
        if (inPlace && status != null) {
            out.print(ERASE_LINE);
            out.println(line);
            out.print(status);
            out.flush();
        } else {
            out.println(line);
        }
    }

    /** Leaves the last status on screen as a finished line (printing it if a plain console skipped it). */
    synchronized void finish() {
        if (status == null) {
            return;
        }
        if (inPlace) {
            out.println();
        } else if (!statusShown) {
            out.println(status);
        }
        status = null;
        statusShown = false;
    }
}
