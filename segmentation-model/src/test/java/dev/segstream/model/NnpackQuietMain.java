package dev.segstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import dev.segstream.model.nativelib.NativeSwitches;

/**
 * Test helper run in a fresh JVM by {@link PyTorchTest}: reaches the engine only through
 * {@link PyTorch#engine()}, sets one engine thread, then runs 1x1 convolutions (the ones oneDNN
 * leaves at one thread, so libtorch considers NNPACK for each), and prints
 * {@code nnpack enabled <flag>}.
 */
public final class NnpackQuietMain {

    private NnpackQuietMain() {
    }

    public static void main(String[] args) {
        try (NDManager m = PyTorch.engine().newBaseManager()) {
            JniUtils.setNumThreads(1);
            NDArray x = m.randomNormal(new Shape(8, 16, 24, 32));
            NDArray w = m.randomNormal(new Shape(12, 16, 1, 1));
            for (int i = 0; i < 20; i++) {
                Conv2d.conv2d(x, w).close();
            }
        }
        System.out.println("nnpack enabled " + NativeSwitches.nnpackEnabled());
    }
}
