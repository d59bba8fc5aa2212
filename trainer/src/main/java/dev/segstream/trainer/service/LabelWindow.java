package dev.segstream.trainer.service;

import dev.segstream.core.wire.ModelAnnouncement.OffsetRange;
import dev.segstream.trainer.data.TrainingSample;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * The trainer service's data: the newest labelled frames, bounded by frames and bytes (the
 * oldest are evicted first), and apart from them the held-out frames (bounded by count, oldest
 * evicted). The log is the dataset: every entry remembers its partition and offset, so what a
 * version was trained on is a set of offset ranges anyone can replay.
 */
final class LabelWindow {

    /** One labelled frame and where it came from. */
    record Entry(TrainingSample sample, int partition, long offset) {
        long bytes() {
            return 4L * sample.chw().length + sample.labels().length;
        }
    }

    private final int maxFrames;
    private final long maxBytes;
    private final int maxHeldOut;
    private final ArrayDeque<Entry> train = new ArrayDeque<>();
    private final ArrayDeque<Entry> heldOut = new ArrayDeque<>();
    private long bytes;
    private int newSinceRound;

    LabelWindow(int maxFrames, long maxBytes, int maxHeldOut) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.maxHeldOut = maxHeldOut;
    }

    /** Adds a frame; {@code fresh} when it was not seen before a restart (it counts towards the next round). */
    void add(Entry e, boolean isHeldOut, boolean fresh) {
        if (isHeldOut) {
            heldOut.addLast(e);
            while (heldOut.size() > maxHeldOut) {
                heldOut.removeFirst();
            }
            return;
        }
        train.addLast(e);
        bytes += e.bytes();
        while (train.size() > maxFrames || (bytes > maxBytes && train.size() > 1)) {
            bytes -= train.removeFirst().bytes();
        }
        if (fresh) {
            newSinceRound++;
        }
    }

    int trainFrames() {
        return train.size();
    }

    long trainBytes() {
        return bytes;
    }

    int newSinceRound() {
        return newSinceRound;
    }

    void roundStarted() {
        newSinceRound = 0;
    }

    List<TrainingSample> heldOut() {
        return heldOut.stream().map(Entry::sample).toList();
    }

    /** A random batch of up to {@code size} training frames of one size, empty when the window is. */
    Optional<List<TrainingSample>> batch(Random rng, int size) {
        if (train.isEmpty()) {
            return Optional.empty();
        }
        List<Entry> all = new ArrayList<>(train);
        String key = all.get(rng.nextInt(all.size())).sample().sizeKey();
        List<TrainingSample> same = new ArrayList<>();
        for (Entry e : all) {
            if (e.sample().sizeKey().equals(key)) {
                same.add(e.sample());
            }
        }
        List<TrainingSample> out = new ArrayList<>();
        for (int i = 0; i < Math.min(size, same.size()); i++) {
            out.add(same.get(rng.nextInt(same.size())));
        }
        return Optional.of(out);
    }

    /** The training frames as offset ranges per partition ({@code [first, last + 1)}). */
    List<OffsetRange> lineage(String topic) {
        Map<Integer, long[]> ranges = new TreeMap<>();
        for (Iterator<Entry> it = train.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            long[] r = ranges.computeIfAbsent(e.partition(), p -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
            r[0] = Math.min(r[0], e.offset());
            r[1] = Math.max(r[1], e.offset() + 1);
        }
        List<OffsetRange> out = new ArrayList<>();
        ranges.forEach((p, r) -> out.add(new OffsetRange(topic, p, r[0], r[1])));
        return out;
    }

    /** Whether {@code frameId} belongs to the held-out share ({@code percent} of ids, by a stable hash). */
    static boolean isHeldOut(String frameId, int percent) {
        int h = frameId.hashCode() * 0x9E3779B1;
        return Math.floorMod(h ^ (h >>> 16), 100) < percent;
    }
}
