package dev.segstream.trainer.online;

import dev.segstream.trainer.data.TrainingSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The most recent labelled frames, one bounded ring per frame size (only same-sized frames can
 * share a batch). Memory is bounded by {@code capacity} samples per size seen.
 */
final class ReplayBuffer {

    private final int capacity;
    private final Map<String, Ring> rings = new HashMap<>();
    private final Random random;
    private long added;

    ReplayBuffer(int capacity, long seed) {
        this.capacity = capacity;
        this.random = new Random(seed);
    }

    void add(TrainingSample sample) {
        rings.computeIfAbsent(sample.sizeKey(), k -> new Ring(capacity)).add(sample);
        added++;
    }

    /** Samples added so far. */
    long added() {
        return added;
    }

    /**
     * A random batch from the size with the most fresh samples since its last batch, among the
     * sizes that hold at least {@code batchSize} samples. Without fresh data it keeps replaying
     * what it has: the caller's step interval bounds the cost.
     */
    Optional<List<TrainingSample>> sample(int batchSize) {
        Ring best = null;
        for (Ring r : rings.values()) {
            if (r.items.size() >= batchSize && (best == null || r.fresh > best.fresh)) {
                best = r;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        best.fresh = 0;
        List<TrainingSample> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            batch.add(best.items.get(random.nextInt(best.items.size())));
        }
        return Optional.of(batch);
    }

    private static final class Ring {
        private final int capacity;
        private final List<TrainingSample> items = new ArrayList<>();
        private int next;
        private int fresh;

        Ring(int capacity) {
            this.capacity = capacity;
        }

        void add(TrainingSample s) {
            if (items.size() < capacity) {
                items.add(s);
            } else {
                items.set(next, s);
                next = (next + 1) % capacity;
            }
            fresh++;
        }
    }
}
