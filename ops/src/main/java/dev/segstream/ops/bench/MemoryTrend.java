package dev.segstream.ops.bench;

import java.util.List;
import java.util.Locale;

/**
 * The soak's rule for "memory is flat": drop the first {@link #warmupMinutes W} minutes (class
 * loading, JIT, libtorch's allocator pools, the trainer's window filling), take the Theil-Sen slope
 * (median of the pairwise slopes) of the per-minute samples of a series over the rest, and call the
 * series growing when that slope exceeds {@link #limit the limit}:
 * {@code min(5 MiB/min, max(0.1 MiB/min, 0.1% of the series' mean per minute))}.
 *
 * <p>Why these numbers: 0.1% of the mean per minute (1% per 10 minutes, 6% per hour) is growth that
 * would double a process's RSS within a day, the time scale a long run must survive. The floor of
 * 0.1 MiB/min (6 MiB/h) keeps small series, the live heap of a few tens of MiB, from being judged
 * on noise: what is in flight when the sample is taken (fetched records, a batch, a model being
 * swapped) moves the heap after GC by a few MiB, and with 48 samples over 48 minutes a noise of
 * 3 MiB moves the median slope by a few hundredths of a MiB/min, a fraction of the floor. The cap of 5 MiB/min
 * (300 MiB/h) is growth that is a leak whatever the size of the series. A verdict needs at least
 * {@link #MIN_SAMPLES} samples spanning {@link #MIN_SPAN_MINUTES} minutes after the warm-up;
 * shorter runs are {@code INCONCLUSIVE}.
 */
public record MemoryTrend(String series, int samples, double meanMib, double slopeMibPerMin,
                          double slopeErrorMibPerMin, double limitMibPerMin) {

    /** Fewest samples after the warm-up for a verdict. */
    public static final int MIN_SAMPLES = 5;
    /** Shortest span of the samples after the warm-up for a verdict, minutes. */
    public static final double MIN_SPAN_MINUTES = 5;
    static final double FLOOR_MIB_PER_MIN = 0.1;
    static final double CAP_MIB_PER_MIN = 5;
    static final double RELATIVE_PER_MIN = 0.001;

    /** The verdict over every series. */
    public enum State { FLAT, GROWING, INCONCLUSIVE }

    /** Minutes dropped as warm-up from a run of {@code runMinutes}: {@code max(2, 20% of the run)}. */
    public static double warmupMinutes(double runMinutes) {
        return Math.max(2, 0.2 * runMinutes);
    }

    /** The slope limit for a series whose mean is {@code meanMib}, MiB per minute. */
    public static double limit(double meanMib) {
        return Math.min(CAP_MIB_PER_MIN, Math.max(FLOOR_MIB_PER_MIN, RELATIVE_PER_MIN * Math.abs(meanMib)));
    }

    /**
     * The trend of one series: {@code minutes[i]} is when sample {@code mib[i]} was taken; samples
     * before {@code warmup} minutes are left out. Empty slope (NaN) when too few samples remain.
     */
    public static MemoryTrend of(String series, double[] minutes, double[] mib, double warmup) {
        List<double[]> kept = new java.util.ArrayList<>();
        for (int i = 0; i < minutes.length; i++) {
            if (minutes[i] >= warmup) {
                kept.add(new double[] {minutes[i], mib[i]});
            }
        }
        int n = kept.size();
        double mean = kept.stream().mapToDouble(p -> p[1]).average().orElse(Double.NaN);
        if (n < MIN_SAMPLES || kept.get(n - 1)[0] - kept.get(0)[0] < MIN_SPAN_MINUTES) {
            return new MemoryTrend(series, n, mean, Double.NaN, Double.NaN, limit(n == 0 ? 0 : mean));
        }
        // Theil-Sen: the median of the slopes between every pair of samples. One odd sample (a GC
        // that found a batch of fetched records alive, a model being swapped) moves a least-squares
        // slope a lot over a short run; it barely moves the median.
        double[] slopes = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                slopes[k++] = (kept.get(j)[1] - kept.get(i)[1]) / (kept.get(j)[0] - kept.get(i)[0]);
            }
        }
        java.util.Arrays.sort(slopes);
        double median = quantile(slopes, 0.5);
        // half the interquartile range of the pairwise slopes: how much they disagree, printed so a
        // reader can tell a trend from noise
        double spread = (quantile(slopes, 0.75) - quantile(slopes, 0.25)) / 2;
        return new MemoryTrend(series, n, mean, median, spread, limit(mean));
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Whether there were enough samples to judge this series. */
    public boolean conclusive() {
        return !Double.isNaN(slopeMibPerMin);
    }

    /** Judged growing: conclusive and the slope above the limit. */
    public boolean growing() {
        return conclusive() && slopeMibPerMin > limitMibPerMin;
    }

    /** FLAT when every series is flat, GROWING when any grows, INCONCLUSIVE when any cannot be judged. */
    public static State verdict(List<MemoryTrend> trends) {
        if (trends.stream().anyMatch(MemoryTrend::growing)) {
            return State.GROWING;
        }
        return trends.stream().allMatch(MemoryTrend::conclusive) ? State.FLAT : State.INCONCLUSIVE;
    }

    /** One line: {@code rss: slope +0.120 ± 0.030 MiB/min over 48 samples (mean 1210 MiB, limit 1.210) flat}; ± is half the IQR of the pairwise slopes. */
    public String line() {
        if (!conclusive()) {
            return String.format(Locale.ROOT, "%s: %d samples after warm-up, need %d over %.0f min: not judged",
                    series, samples, MIN_SAMPLES, MIN_SPAN_MINUTES);
        }
        return String.format(Locale.ROOT, "%s: slope %+.3f ± %.3f MiB/min over %d samples (mean %.0f MiB, limit %.3f) %s",
                series, slopeMibPerMin, slopeErrorMibPerMin, samples, meanMib, limitMibPerMin,
                growing() ? "GROWING" : "flat");
    }
}
