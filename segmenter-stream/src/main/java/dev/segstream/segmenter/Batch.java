package dev.segstream.segmenter;

import dev.segstream.core.wire.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames of one size that run through the model together, each with the future its mask
 * completes. Filled under the batcher's lock, run by one worker thread.
 */
final class Batch {

    private static final Logger LOG = LoggerFactory.getLogger(Batch.class);

    private final long key;
    private final long firstNanos;
    private final long deadlineNanos;
    private final List<RgbImage> images = new ArrayList<>();
    private final List<CompletableFuture<SegmentedFrame>> results = new ArrayList<>();

    /**
     * @param key           the frame size the batch holds (width and height packed)
     * @param firstNanos    when its first frame arrived, on the batcher's clock
     * @param deadlineNanos when it closes unless full before
     */
    Batch(long key, long firstNanos, long deadlineNanos) {
        this.key = key;
        this.firstNanos = firstNanos;
        this.deadlineNanos = deadlineNanos;
    }

    long key() {
        return key;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    /**
     * Adds a frame, first dropping frames whose futures are already done (cancelled by a task
     * that closed), so that only live frames count towards the batch size.
     *
     * @return how many frames were dropped
     */
    int add(RgbImage image, CompletableFuture<SegmentedFrame> result) {
        int dropped = 0;
        for (int i = results.size() - 1; i >= 0; i--) {
            if (results.get(i).isDone()) {
                results.remove(i);
                images.remove(i);
                dropped++;
            }
        }
        images.add(image);
        results.add(result);
        return dropped;
    }

    int size() {
        return images.size();
    }

    /** Completes every frame's future exceptionally with {@code cause}. */
    void fail(Throwable cause) {
        results.forEach(r -> r.completeExceptionally(cause));
    }

    /**
     * Runs the frames whose futures are not yet done (cancelled ones are skipped) in one model
     * call; when it fails, runs them one by one so that only frames failing alone fail.
     *
     * @param nowNanos the batcher's clock as the batch starts, for its queue wait
     */
    void run(SegmentationEngine engine, SegmenterStats stats, long nowNanos) {
        List<RgbImage> live = new ArrayList<>();
        List<CompletableFuture<SegmentedFrame>> waiting = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            if (!results.get(i).isDone()) {
                live.add(images.get(i));
                waiting.add(results.get(i));
            }
        }
        if (live.isEmpty()) {
            return;
        }
        long queueWait = Math.max(0, nowNanos - firstNanos);
        long start = System.nanoTime();
        SegmentationEngine.Segmented done;
        try {
            done = engine.segment(live);
        } catch (RuntimeException e) {
            LOG.warn("batch of {} failed ({}); retrying frame by frame", live.size(), e.toString());
            stats.batchRetried();
            for (int i = 0; i < live.size(); i++) {
                long one = System.nanoTime();
                try {
                    SegmentationEngine.Segmented single1 = engine.segment(List.of(live.get(i)));
                    waiting.get(i).complete(new SegmentedFrame(single1.masks().get(0), single1.model()));
                } catch (RuntimeException single) {
                    waiting.get(i).completeExceptionally(single);
                }
                stats.batch(1, i == 0 ? queueWait : 0, System.nanoTime() - one);
            }
            return;
        }
        stats.batch(live.size(), queueWait, System.nanoTime() - start);
        for (int i = 0; i < done.masks().size(); i++) {
            waiting.get(i).complete(new SegmentedFrame(done.masks().get(i), done.model()));
        }
    }
}
