package dev.segstream.producer;

import java.util.function.LongSupplier;

/**
 * Paces a loop to absolute deadlines without drift: deadline k+1 is deadline k plus the
 * interval, whatever time the caller actually woke up, so sleep overshoot and send time do not
 * accumulate. When the loop has fallen behind by more than {@code maxLagNanos} (a stall, a
 * blocked send) it resynchronises to now instead of bursting to catch up. Not thread-safe.
 */
final class Pacer {

    /** Sleeps up to the given nanoseconds; returns {@code false} when woken to stop. */
    @FunctionalInterface
    interface Sleeper {
        boolean sleepNanos(long nanos) throws InterruptedException;
    }

    private final LongSupplier clock;
    private final Sleeper sleeper;
    private final long maxLagNanos;
    private boolean started;
    private long deadline;

    Pacer(LongSupplier nanoClock, Sleeper sleeper, long maxLagNanos) {
        this.clock = nanoClock;
        this.sleeper = sleeper;
        this.maxLagNanos = maxLagNanos;
    }

    /**
     * Waits until the next deadline, {@code intervalNanos} after the previous one (the first
     * deadline is now).
     *
     * @return {@code false} when the sleeper was told to stop, {@code true} at the deadline
     */
    boolean await(long intervalNanos) throws InterruptedException {
        long now = clock.getAsLong();
        if (!started) {
            started = true;
            deadline = now;
        } else {
            deadline += intervalNanos;
        }
        if (now - deadline > maxLagNanos) {
            deadline = now;
        }
        for (long wait = deadline - now; wait > 0; wait = deadline - clock.getAsLong()) {
            if (!sleeper.sleepNanos(wait)) {
                return false;
            }
        }
        return true;
    }

    /** The current deadline on the nano clock (for tests and diagnostics). */
    long deadline() {
        return deadline;
    }
}
