package dev.segstream.model;

import ai.djl.engine.Engine;
import dev.segstream.model.nativelib.NativeSwitches;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way segstream reaches DJL's PyTorch engine: loads it when needed and, once per JVM,
 * turns NNPACK off where it cannot initialise.
 *
 * <p>Why the NNPACK switch lives here: libtorch 2.7.1's bundled cpuinfo does not know every CPU (on
 * an AMD EPYC of family 26 it answers "Unsupported hardware"), and libtorch then asks for NNPACK
 * again for every convolution oneDNN does not take, which at one thread is every 1x1 convolution,
 * and writes its warning each time: 5,218 of a 60 s demo's 5,254 log lines, two per training step,
 * 885 lines in one CI log. Off, libtorch stops asking; the kernels that run are the same ones, since
 * NNPACK never ran there. Every path that touches the engine (services, models, the numerics
 * self-test, tests and embedding code) comes through {@link #engine()}, so none is left noisy.
 */
public final class PyTorch {

    /** DJL's name of the engine every segstream model runs on. */
    public static final String ENGINE = "PyTorch";

    private static final Logger LOG = LoggerFactory.getLogger(PyTorch.class);
    private static final AtomicBoolean NNPACK_CHECKED = new AtomicBoolean();

    private PyTorch() {
    }

    /** The PyTorch engine, loaded (with its native library) on first use; NNPACK quieted once per JVM. */
    public static Engine engine() {
        Engine engine = Engine.getEngine(ENGINE);
        quietUnavailableNnpack();
        return engine;
    }

    /**
     * Seeds the engine's random generator (weight initialisation, random ops) for a reproducible
     * run; DJL takes an int, so only the low 32 bits of {@code seed} count.
     */
    public static void seed(long seed) {
        engine().setRandomSeed((int) seed);
    }

    private static void quietUnavailableNnpack() {
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
