package dev.segstream.ops.demo;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Moves this process's file descriptor 2 onto a log file, so that what native code writes there
 * (libtorch's {@code [W ...]} warnings, such as NNPACK's "Could not initialize NNPACK") lands
 * in the log instead of on the console, and hands back a stream on the original stderr for the
 * lines meant for a person. Linux (x86-64, aarch64) only, through libc via JNA: elsewhere, or when
 * anything fails, it changes nothing and answers empty.
 */
final class NativeStderr {

    // Linux's generic open(2) flags (x86-64 and aarch64 share them; some other architectures do not)
    private static final int O_WRONLY = 01;
    private static final int O_CREAT = 0100;
    private static final int O_APPEND = 02000;
    private static final int STDERR = 2;

    /** The libc functions used. */
    interface LibC extends Library {
        int open(String path, int flags, int mode);

        int dup(int fd);

        int dup2(int from, int to);

        int close(int fd);

        int isatty(int fd);
    }

    /**
     * The original stderr after the move.
     *
     * @param console  a stream on the original stderr (the terminal, pipe or file it was)
     * @param terminal whether the original stderr is a terminal
     */
    record Moved(PrintStream console, boolean terminal) {
    }

    private NativeStderr() {
    }

    /** Appends fd 2 to {@code logFile}; empty when this platform or process does not allow it. */
    static Optional<Moved> moveTo(Path logFile) {
        if (!Platform.isLinux() || !(Platform.ARCH.equals("x86-64") || Platform.ARCH.equals("aarch64"))) {
            return Optional.empty();
        }
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Optional.empty();
        }
        int saved = libc.dup(STDERR);
        if (saved < 0) {
            return Optional.empty();
        }
        // O_APPEND: the logger and native code write through this one descriptor, and a rerun
        // with the same --log-file adds to it instead of overwriting from offset 0
        int log = libc.open(logFile.toString(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (log < 0) {
            libc.close(saved);
            return Optional.empty();
        }
        PrintStream console;
        try {
            // reopening the saved descriptor by path gives Java a stream on it (no public API
            // wraps a raw fd); append mode so that a redirected stderr file is not truncated
            console = new PrintStream(new FileOutputStream("/proc/self/fd/" + saved, true), true,
                    StandardCharsets.UTF_8);
        } catch (IOException e) { // e.g. stderr is a socket, which cannot be reopened by path
            libc.close(log);
            libc.close(saved);
            return Optional.empty();
        }
        boolean terminal = libc.isatty(saved) == 1;
        if (libc.dup2(log, STDERR) < 0) {
            console.close();
            libc.close(log);
            libc.close(saved);
            return Optional.empty();
        }
        libc.close(log);
        libc.close(saved); // the console stream holds a descriptor of its own
        return Optional.of(new Moved(console, terminal));
    }
}
