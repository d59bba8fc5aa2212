package dev.segstream.segmenter;

import dev.segstream.core.wire.RgbImage;
import dev.segstream.model.ModelDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM-wide dynamic batcher of one model: every task and stream thread of the instance submits
 * to the same batcher, so frames of all partitions share batches. A batch closes when it holds
 * {@link Limits#maxBatchSize()} frames or {@link Limits#maxDelayMs()} after its first frame,
 * whichever comes first; frames of different sizes go to different batches. Closed batches run on
 * {@link Limits#workers()} worker threads, each with its own predictor. A batch the model fails on
 * is retried frame by frame, so only the frames that fail alone fail.
 *
 * <p>Capacity is bounded by its {@link InFlightSlots}: a caller reserves a slot before submitting
 * and releases it once the frame's output is written, so at most {@link Limits#maxInFlight()}
 * frames are held at once (recovered frames may exceed it briefly).
 */
public final class DynamicBatcher implements AutoCloseable {

    /**
     * The batcher's limits.
     *
     * @param maxBatchSize frames per model call, at least 1
     * @param maxDelayMs   longest a batch waits for more frames after its first, 0 = never waits
     * @param maxInFlight  slots: frames reserved but not yet released
     * @param workers      threads running the model
     */
    public record Limits(int maxBatchSize, long maxDelayMs, int maxInFlight, int workers) {
        public Limits {
            if (maxBatchSize < 1 || maxDelayMs < 0 || maxInFlight < 1 || workers < 1) {
                throw new IllegalArgumentException("invalid batch limits " + this);
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);

    private final SegmentationEngine engine;
    private final Limits limits;
    private final SegmenterStats stats;
    private final LongSupplier nanoClock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Map<Long, Batch> open = new LinkedHashMap<>();
    private final ArrayDeque<Batch> ready = new ArrayDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    private final InFlightSlots slots;
    private boolean closed;
    private boolean draining;

    /** A batcher on the system clock; starts its worker threads. */
    public DynamicBatcher(SegmentationEngine engine, Limits limits, SegmenterStats stats) {
        this(engine, limits, stats, System::nanoTime);
    }

    /** A batcher whose batch delays follow {@code nanoClock} (tests drive it by hand, then {@link #wakeUp}). */
    DynamicBatcher(SegmentationEngine engine, Limits limits, SegmenterStats stats, LongSupplier nanoClock) {
        this.engine = engine;
        this.limits = limits;
        this.stats = stats;
        this.nanoClock = nanoClock;
        this.slots = new InFlightSlots(limits.maxInFlight());
        for (int i = 0; i < limits.workers(); i++) {
            Thread t = new Thread(this::runWorker, "segmenter-batch-worker-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /** The model the batches run on. */
    public ModelDescriptor descriptor() {
        return engine.descriptor();
    }

    /** The limits. */
    public Limits limits() {
        return limits;
    }

    /** The bound on frames in flight that callers reserve from before submitting. */
    public InFlightSlots slots() {
        return slots;
    }

    /**
     * Queues {@code image} into the open batch of its size. The caller holds a slot of {@link #slots()}.
     *
     * @return completes with the mask on a worker thread, exceptionally when the model fails on
     *         this frame alone; cancelling it drops the frame if its batch has not run yet
     */
    public CompletableFuture<SegmentedFrame> submit(RgbImage image) {
        CompletableFuture<SegmentedFrame> result = new CompletableFuture<>();
        lock.lock();
        try {
            checkOpen();
            long now = nanoClock.getAsLong();
            long key = ((long) image.width() << 32) | image.height();
            Batch batch = open.computeIfAbsent(key,
                    k -> new Batch(k, now, now + TimeUnit.MILLISECONDS.toNanos(limits.maxDelayMs())));
            batch.add(image, result);
            if (batch.size() >= limits.maxBatchSize() || limits.maxDelayMs() == 0 || draining) {
                open.remove(key);
                ready.add(batch);
            }
            work.signalAll();
        } finally {
            lock.unlock();
        }
        return result;
    }

    /** Frames queued in batches that have not started on the model (live frames only). */
    public int queuedFrames() {
        lock.lock();
        try {
            int n = 0;
            for (Batch b : open.values()) {
                n += b.size();
            }
            for (Batch b : ready) {
                n += b.size();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * From now on no batch waits for more frames: the open batches run as soon as a worker is free,
     * and so does every frame submitted later. Called before the stream threads stop, so a thread
     * waiting for a slot or a mask is answered in one model call instead of after a batch delay
     * that may be longer than the streams' close timeout.
     */
    public void drain() {
        lock.lock();
        try {
            draining = true;
            ready.addAll(open.values());
            open.clear();
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Makes the workers look at the clock again (after a hand-driven clock moved). */
    public void wakeUp() {
        lock.lock();
        try {
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("batcher closed");
        }
    }

    private Batch nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (!closed) {
                Batch batch = ready.poll();
                if (batch == null && !open.isEmpty()) {
                    Batch oldest = open.values().iterator().next();
                    long wait = oldest.deadlineNanos() - nanoClock.getAsLong();
                    if (wait <= 0) {
                        batch = open.remove(oldest.key());
                    } else {
                        work.awaitNanos(wait);
                        continue;
                    }
                }
                if (batch != null) {
                    return batch;
                }
                work.await();
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void runWorker() {
        try {
            for (Batch batch = nextBatch(); batch != null; batch = nextBatch()) {
                try {
                    batch.run(engine, stats, nanoClock.getAsLong());
                    slots.progress();
                } catch (Throwable t) {
                    LOG.error("batch of {} failed outside the model", batch.size(), t);
                    batch.fail(t);
                    slots.progress();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            engine.releaseCurrentThread();
        }
    }

    /** Stops the workers after their current batch; frames not yet run are cancelled. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            List<Batch> left = new ArrayList<>(ready);
            left.addAll(open.values());
            for (Batch b : left) {
                b.fail(new CancellationException("batcher closed"));
            }
            ready.clear();
            open.clear();
            work.signalAll();
        } finally {
            lock.unlock();
        }
        slots.close();
        for (Thread t : workers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
