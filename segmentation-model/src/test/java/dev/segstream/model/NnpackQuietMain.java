package dev.segstream.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import dev.segstream.model.nativelib.NativeSwitches;

/**
 * Test helper run in a fresh JVM by {@link EngineThreadsTest}: sets one engine thread the product's
 * way, then runs 1x1 convolutions (the ones oneDNN leaves at one thread, so libtorch considers
 * NNPACK for each), and prints {@code nnpack enabled <flag>}.
 */
public final class NnpackQuietMain {

    private NnpackQuietMain() {
    }

    public static void main(String[] args) {
        EngineThreads.apply(1);
        try (NDManager m = Engine.getEngine(ModelArtifacts.ENGINE).newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(8, 16, 24, 32));
            NDArray w = m.randomNormal(new Shape(12, 16, 1, 1));
            for (int i = 0; i < 20; i++) {
                Conv2d.conv2d(x, w).close();
            }
        }
        System.out.println("nnpack enabled " + NativeSwitches.nnpackEnabled());
    }
}
