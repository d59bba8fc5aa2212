package dev.segstream.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's thread-local autograd switch. Inference threads must run with it off, or every
 * forward pass over trainable parameters records an autograd graph (time and memory).
 * A DJL {@code GradientCollector} turns it on for its scope and restores it when closed.
 */
public final class GradMode {

    private GradMode() {
    }

    /** Turns autograd recording off for the calling thread (no-op on other engines). */
    public static void disable() {
        if (isPyTorch()) {
            // Loads the native library first: a thread may get here before any model exists.
            PyTorch.engine();
            JniUtils.setGradMode(false);
        }
    }

    private static boolean isPyTorch() {
        return PyTorch.ENGINE.equals(Engine.getDefaultEngineName());
    }
}
