package dev.segstream.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * The one way segstream sets PyTorch's intra-op threads (JVM-wide): after the engine has loaded,
 * through {@code at::set_num_threads}. On a small machine shared with other busy processes,
 * PyTorch's default (one thread per core) spins its threads against each other: on 2 shared
 * cores inference measured 9 images/s with the default and 112 with one thread, so 0 means one
 * less than the available processors, at least 1. Loading the engine goes through {@link PyTorch}.
 */
public final class EngineThreads {

    private EngineThreads() {
    }

    /** The thread count a setting means: itself when positive, else processors - 1 (at least 1). */
    public static int resolve(int configured) {
        if (configured < 0) {
            throw new IllegalArgumentException("threads must be 0 (automatic) or positive, got " + configured);
        }
        return configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    /** Loads the engine if needed and sets its intra-op threads to {@link #resolve}{@code (configured)}. */
    public static int apply(int configured) {
        int n = resolve(configured);
        PyTorch.engine();
        JniUtils.setNumThreads(n);
        return n;
    }
}
