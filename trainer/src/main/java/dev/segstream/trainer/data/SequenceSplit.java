package dev.segstream.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A validation split by sequence: CamVid's frames come from a few camera drives (the file-name
 * prefix), and its given val frames come from a drive that train also holds (0016E5), so val
 * selects the model that fits the seen streets best. This split pools train and val and holds out
 * whole sequences for model selection, so the model is chosen on streets it never trained on, as
 * unseen-scene test frames are.
 *
 * <p>Which sequence, deterministically: among the pooled sequences (at least two), the one whose
 * frame count is closest to the given val split's, ties to the first by name; the selection set
 * is then as large as the given val split. For {@code camvid-128x96} that is {@code 0006R0}
 * (101 frames): training on {@code 0001TP} and {@code 0016E5} (62 + 305 = 367 frames, the same
 * count as the given train split).
 *
 * @param train     the frames trained on
 * @param selection the held-out frames models are selected on
 * @param heldOut   the held-out sequences
 */
public record SequenceSplit(CamVidData train, CamVidData selection, List<String> heldOut) {

    /** Pools {@code train} and {@code val} (read whole) and splits them; each side at most {@code limit} frames (0 = all). */
    public static SequenceSplit of(CamVidData train, CamVidData val, int limit) {
        Map<String, Integer> counts = new TreeMap<>();
        for (CamVidData d : List.of(train, val)) {
            for (int f = 0; f < d.count(); f++) {
                counts.merge(d.sequence(f), 1, Integer::sum);
            }
        }
        String held = chooseHeldOut(counts, val.count());
        List<CamVidData> pool = List.of(train, val);
        return new SequenceSplit(CamVidData.select("train-minus-" + held, pool, s -> !s.equals(held), limit),
                CamVidData.select("heldout-" + held, pool, held::equals, limit), List.of(held));
    }

    /**
     * The sequence to hold out: frame count closest to {@code target}, ties to the first name.
     *
     * @throws IllegalArgumentException with fewer than two sequences
     */
    static String chooseHeldOut(Map<String, Integer> countsByName, int target) {
        if (countsByName.size() < 2) {
            throw new IllegalArgumentException("a split by sequence needs frames of at least two sequences (file-name"
                    + " prefixes before '_'), found " + countsByName.keySet());
        }
        String best = null;
        int bestGap = Integer.MAX_VALUE;
        for (Map.Entry<String, Integer> e : new TreeMap<>(countsByName).entrySet()) {
            int gap = Math.abs(e.getValue() - target);
            if (gap < bestGap) {
                best = e.getKey();
                bestGap = gap;
            }
        }
        return best;
    }

    /** The sequences of a split with their frame counts, by name, e.g. {@code 0001TP=62, 0016E5=305}. */
    public static String describe(CamVidData d) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int f = 0; f < d.count(); f++) {
            counts.merge(d.sequence(f), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(", ", parts);
    }
}
