package dev.segstream.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.segstream.core.data.CamVidClasses;
import java.util.Random;

/**
 * A seeded random batch for step tests: two 3x16x24 frames of Gaussian noise and labels drawn over
 * every class and void, so the same seed gives every run the same batches.
 *
 * @param x the frames, (2, 3, 16, 24) float32
 * @param y the labels, (2, 16, 24) int64
 */
record RandomBatch(NDArray x, NDArray y) {

    /** The next batch from {@code rng}, allocated on {@code m}. */
    static RandomBatch next(Random rng, NDManager m) {
        float[] x = new float[2 * 3 * 16 * 24];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        long[] y = new long[2 * 16 * 24];
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextInt(CamVidClasses.COUNT + 1);
        }
        return new RandomBatch(m.create(x, new Shape(2, 3, 16, 24)), m.create(y, new Shape(2, 16, 24)));
    }
}
