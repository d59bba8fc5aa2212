package dev.segstream.ops.report;

/** Percentiles of measured values, as the demo's audit and the pipeline benchmark report them. */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * The nearest-rank percentile: the smallest value with at least {@code q} of all values at or
     * below it.
     *
     * @param sorted values in ascending order
     * @param q      the quantile, 0 to 1 (0.5 for the median)
     * @return that value, or -1 when there is none
     */
    public static long nearestRank(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int idx = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }
}
