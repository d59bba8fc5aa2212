package dev.segstream.segmenter;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bound on frames in flight in one instance: a stream thread {@link #reserve reserves} a slot
 * before it accepts a frame and {@link #release releases} it once the frame's mask or dead letter
 * is written. While none is free the thread waits, so it stops polling Kafka: consumer lag grows,
 * memory does not. Waiters also wake when a batch finishes ({@link #progress}), because the
 * waiting thread may itself hold the finished frames whose masks free the slots.
 */
public final class InFlightSlots {

    private final int limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int taken;
    private boolean closed;

    /** At most {@code limit} slots (frames recovered after a restart may briefly exceed it). */
    public InFlightSlots(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        this.limit = limit;
    }

    /**
     * Takes a slot if one is free; otherwise waits at most {@code timeoutMs} for a slot to free up
     * or a batch to finish, and tries once more.
     *
     * @return whether a slot was taken
     * @throws IllegalStateException when closed or the thread is interrupted
     */
    public boolean reserve(long timeoutMs) {
        lock.lock();
        try {
            if (!closed && taken >= limit && timeoutMs > 0) {
                changed.await(timeoutMs, TimeUnit.MILLISECONDS);
            }
            checkOpen();
            if (taken >= limit) {
                return false;
            }
            taken++;
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a free slot", e);
        } finally {
            lock.unlock();
        }
    }

    /** Takes a slot even beyond the limit: for frames recovered from the pending-frames store. */
    public void reserveOverLimit() {
        lock.lock();
        try {
            checkOpen();
            taken++;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a slot taken by {@link #reserve} or {@link #reserveOverLimit}. */
    public void release() {
        lock.lock();
        try {
            taken--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes waiting threads: a batch finished and its masks can be written. */
    void progress() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Slots currently taken. */
    public int taken() {
        lock.lock();
        try {
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further reservations and wakes every waiter. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("batcher closed");
        }
    }
}
