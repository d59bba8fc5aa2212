package dev.segstream.ops.demo;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Sends the demo's logs (slf4j-simple, and native code's writes to fd 2) to a file, so that the
 * console keeps only the lines meant for a person. Done only when the demo owns the process (its
 * {@code main} called {@link #claimProcess()}); inside another program, a test for example, the
 * host's logging and stderr are left alone.
 *
 * <p>slf4j-simple picks its output once, when the first logger is made, and that happens while
 * picocli reads the command line (Kafka's config classes have static loggers), before the demo
 * knows its {@code --log-file}. So {@link #claimProcess()} makes slf4j-simple cache a stream whose
 * target can change later ({@code logFile=System.err}, {@code cacheOutputStream=true}), aimed at
 * stderr; {@link #redirect} then moves fd 2 to the log file (or, where that is impossible, retargets
 * the stream to the file) and leaves {@code System.err} on the console. slf4j-simple's own
 * {@code logFile} is not used because it truncates and writes from offset 0 over native lines.
 */
public final class LogSetup {

    private static final String LOGGER = "org.slf4j.simpleLogger.";
    private static volatile Retargetable logTarget;

    /**
     * Where console output goes after the setup.
     *
     * @param console  the stream for lines meant for a person (the original stderr)
     * @param terminal whether that stream is a terminal (status then redrawn in place)
     * @param logsLine the line that tells where the logs are
     */
    record Result(PrintStream console, boolean terminal, String logsLine) {
    }

    private LogSetup() {
    }

    /**
     * Called first thing by the process's {@code main}: starts slf4j-simple on a stream that
     * {@link #redirect} can later point at a file (until then it writes to stderr as before).
     * Settings given with {@code -Dorg.slf4j.simpleLogger.logFile} win, and then stay as given.
     */
    public static synchronized void claimProcess() {
        if (logTarget != null || System.getProperty(LOGGER + "logFile") != null) {
            return;
        }
        PrintStream original = System.err;
        Retargetable target = new Retargetable(original);
        System.setProperty(LOGGER + "logFile", "System.err");
        System.setProperty(LOGGER + "cacheOutputStream", "true");
        System.setErr(new PrintStream(target, true));
        try {
            LoggerFactory.getILoggerFactory(); // slf4j-simple caches System.err now
        } finally {
            System.setErr(original);
        }
        logTarget = target;
    }

    /** The default log file: {@code <tmpdir>/segstream-demo-<local time>.log}. */
    static Path defaultLogFile() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of(System.getProperty("java.io.tmpdir"), "segstream-demo-" + stamp + ".log");
    }

    /** Sends logs and native stderr to {@code logFile} when this process is the demo's own. */
    static synchronized Result redirect(Path logFile) {
        Retargetable target = logTarget;
        if (target == null) {
            return new Result(System.err, System.console() != null,
                    "logs: unchanged (set by the program that runs the demo)");
        }
        Path file = logFile.toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of --log-file " + file, e);
        }
        Optional<NativeStderr.Moved> moved = NativeStderr.moveTo(file);
        if (moved.isPresent()) {
            // fd 2 is the log now, so the stream slf4j writes to (on fd 2) already lands there
            System.setErr(moved.get().console());
        } else {
            target.retarget(openAppending(file));
        }
        LoggerFactory.getLogger(LogSetup.class).info("demo log{}", moved.isPresent() ? " (native stderr too)"
                : " (native stderr stays on the console: fd 2 cannot be moved on this platform)");
        boolean terminal = moved.map(NativeStderr.Moved::terminal).orElse(System.console() != null);
        return new Result(System.err, terminal, "logs: " + file);
    }

    private static OutputStream openAppending(Path file) {
        try {
            return new FileOutputStream(file.toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open --log-file " + file, e);
        }
    }

    /** An output stream whose destination can be changed while others write to it. */
    private static final class Retargetable extends OutputStream {
        private OutputStream out;

        Retargetable(OutputStream out) {
            this.out = out;
        }

        synchronized void retarget(OutputStream next) {
            flushQuietly();
            out = next;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush();
        }

        private void flushQuietly() {
            try {
                out.flush();
            } catch (IOException e) {
                // the old destination is being left: nothing to save
            }
        }
    }
}
