package dev.segstream.model;

import dev.segstream.core.wire.ClassMask;
import dev.segstream.core.wire.RgbImage;
import java.util.List;

/**
 * Turns a batch of same-sized frames into masks of the same size. Not thread-safe: one per
 * worker thread. Every native array a call allocates is freed before it returns.
 */
public interface MaskPredictor extends AutoCloseable {

    /**
     * Segments a batch.
     *
     * @param batch frames, all of one width and height, any size (padded internally to a multiple
     *              of 2^depth and cropped back)
     * @return one mask per frame, in order, each the frame's own size, values in {@code [0, classes)}
     * @throws IllegalArgumentException when the frames differ in size or the batch is empty
     */
    List<ClassMask> predict(List<RgbImage> batch);

    @Override
    void close();
}
