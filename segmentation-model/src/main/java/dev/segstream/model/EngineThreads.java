package dev.segstream.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.segstream.model.nativelib.NativeSwitches;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way segstream sets PyTorch's intra-op threads (JVM-wide): after the engine has loaded,
 * through {@code at::set_num_threads}. On a small machine shared with other busy processes,
 * PyTorch's default (one thread per core) spins its threads against each other: on 2 shared
 * cores inference measured 9 images/s with the default and 112 with one thread, so 0 means one
 * less than the available processors, at least 1.
 *
 * <p>It also turns NNPACK off where it cannot initialise (libtorch 2.7.1's bundled cpuinfo does not
 * know every CPU: on an AMD EPYC of family 26 it answers "Unsupported hardware"). libtorch asks for
 * NNPACK again for every convolution oneDNN does not take, which at one thread is every 1x1
 * convolution, and writes its warning each time: 5,218 of a 60 s demo's 5,254 log lines, two per
 * training step. Off, libtorch stops asking; the kernels that run are the same ones, since NNPACK
 * never ran there.
 */
public final class EngineThreads {

    private static final Logger LOG = LoggerFactory.getLogger(EngineThreads.class);
    private static final AtomicBoolean NNPACK_CHECKED = new AtomicBoolean();

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
        Engine.getEngine(ModelArtifacts.ENGINE);
        JniUtils.setNumThreads(n);
        quietUnavailableNnpack();
        return n;
    }

    /**
     * Once per JVM: NNPACK off when it cannot initialise on this CPU (see the class comment). Called
     * by {@link #apply}, by {@link ModelArtifacts} for every model and by the numerics self-test.
     */
    public static void quietUnavailableNnpack() {
        if (!NNPACK_CHECKED.compareAndSet(false, true)) {
            return;
        }
        try {
            if (NativeSwitches.libtorchLoaded() && NativeSwitches.nnpackEnabled() && !NativeSwitches.nnpackAvailable()) {
                NativeSwitches.setNnpackEnabled(false);
                LOG.info("NNPACK cannot initialise on this CPU (libtorch says why, once): turned off, so that "
                        + "libtorch stops repeating that warning for every convolution oneDNN does not run");
            }
        } catch (RuntimeException | UnsatisfiedLinkError e) { // not Linux, or a libtorch without these symbols
            LOG.debug("NNPACK switch not available here: {}", e.toString());
        }
    }
}
