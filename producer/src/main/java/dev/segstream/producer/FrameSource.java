package dev.segstream.producer;

import java.util.Iterator;
import java.util.List;

/**
 * Where frames come from: a fixed set of cameras, each an ordered sequence of frames.
 * Implementations loop over their frames when exhausted unless built not to, so a long demo keeps
 * going; a non-looping camera's iterator ends.
 */
public interface FrameSource extends AutoCloseable {

    /** Camera ids, in a stable order. */
    List<String> cameras();

    /**
     * A new iterator over the frames of {@code cameraId}, from its first frame. Iterators are
     * independent and not thread-safe; {@link Iterator#next()} may read or render lazily.
     *
     * @throws IllegalArgumentException if the camera is unknown
     */
    Iterator<SourceFrame> frames(String cameraId);

    /** Releases resources; the default does nothing. */
    @Override
    default void close() {
    }
}
