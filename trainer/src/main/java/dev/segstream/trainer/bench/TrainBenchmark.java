package dev.segstream.trainer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segstream.trainer.study.Study;
import dev.segstream.trainer.training.EpochMetrics;
import dev.segstream.trainer.training.MetricsLog;
import dev.segstream.trainer.training.TrainOptions;
import dev.segstream.trainer.training.UNetTraining;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training throughput and memory over epochs: runs a real training and reads back the per-epoch
 * images/s, resident set size and heap (after GC) that {@link UNetTraining} logs, then compares
 * the last epoch with epoch 2 (epoch 1 includes warm-up and allocator growth). A steady run, with
 * no leaked native arrays, keeps the last epoch's RSS within {@value #TOLERANCE_PERCENT} % of epoch 2.
 */
public final class TrainBenchmark {

    static final double TOLERANCE_PERCENT = 10;
    /** Epochs a benchmark needs: the warm-up epoch, then at least two to compare and take the median of. */
    static final int MIN_EPOCHS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The verdict. */
    public record Report(List<EpochMetrics> epochs, double medianImagesPerSecond, long rssEpoch2, long rssLast,
                  long heapEpoch2, long heapLast) {

        /** The epoch half way through the run, where the second-half comparison starts. */
        EpochMetrics middle() {
            return epochs.get((epochs.size() - 1) / 2);
        }

        /** RSS growth from the middle epoch to the last: near 0 once allocators have warmed up, unless arrays leak. */
        double rssSecondHalfGrowthPercent() {
            long mid = middle().rssMb();
            return mid <= 0 ? Double.NaN : 100.0 * (rssLast - mid) / mid;
        }

        double rssGrowthPercent() {
            return 100.0 * (rssLast - rssEpoch2) / rssEpoch2;
        }

        double heapGrowthPercent() {
            return 100.0 * (heapLast - heapEpoch2) / Math.max(1, heapEpoch2);
        }

        boolean steady() {
            return rssEpoch2 > 0 && rssGrowthPercent() <= TOLERANCE_PERCENT;
        }
    }

    private TrainBenchmark() {
    }

    /**
     * Trains with {@code o} (at least {@value #MIN_EPOCHS} epochs, or epochs 0 and a time budget that
     * must leave room for as many) and reports; training progress goes to {@code log}.
     */
    public static Report run(TrainOptions o, PrintStream log) {
        if (o.epochs() == 0 ? o.maxMinutes() <= 0 : o.epochs() < MIN_EPOCHS) {
            throw new IllegalArgumentException("a training benchmark needs --epochs of at least " + MIN_EPOCHS
                    + ", got " + o.epochs());
        }
        new UNetTraining(o, log).run();
        List<EpochMetrics> epochs = MetricsLog.read(o.out());
        if (epochs.size() < MIN_EPOCHS) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the %.0f s budget ended after %d epochs; a "
                    + "training benchmark needs at least %d: give more --seconds or a smaller --limit",
                    o.maxMinutes() * 60, epochs.size(), MIN_EPOCHS));
        }
        return report(epochs);
    }

    static Report report(List<EpochMetrics> epochs) {
        if (epochs.size() < 2) {
            throw new IllegalStateException("need at least 2 epochs to compare, got " + epochs.size());
        }
        EpochMetrics second = epochs.get(1);
        EpochMetrics last = epochs.get(epochs.size() - 1);
        return new Report(epochs, Study.medianImagesPerSecond(epochs.subList(1, epochs.size())), second.rssMb(),
                last.rssMb(), second.heapMb(), last.heapMb());
    }

    /** Prints a per-epoch table, a verdict line and, last, one JSON object. */
    public static void print(Report r, String what, PrintStream out) throws Exception {
        out.println("epoch  images/s   rss MB  heap MB");
        for (EpochMetrics e : r.epochs()) {
            out.printf(Locale.ROOT, "%5d  %8.1f  %7d  %7d%n", e.epoch(), e.imagesPerSecond(), e.rssMb(), e.heapMb());
        }
        int n = r.epochs().size();
        out.printf(Locale.ROOT, "%s: %.1f images/s (median of epochs 2-%d); rss epoch %d %d MB vs epoch 2 %d MB "
                        + "(%+.1f %%), heap %d vs %d MB (%+.1f %%): %s%n", what, r.medianImagesPerSecond(), n, n,
                r.rssLast(), r.rssEpoch2(), r.rssGrowthPercent(), r.heapLast(), r.heapEpoch2(), r.heapGrowthPercent(),
                r.steady() ? "steady (within " + (int) TOLERANCE_PERCENT + " %)" : "NOT steady");
        out.printf(Locale.ROOT, "second half: rss epoch %d %d MB -> epoch %d %d MB (%+.1f %%)%n", r.middle().epoch(),
                r.middle().rssMb(), n, r.rssLast(), r.rssSecondHalfGrowthPercent());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("epochs", n);
        json.put("images_per_s_median", r.medianImagesPerSecond());
        json.put("rss_mb_epoch2", r.rssEpoch2());
        json.put("rss_mb_last", r.rssLast());
        json.put("rss_growth_percent", r.rssGrowthPercent());
        json.put("rss_second_half_growth_percent", r.rssSecondHalfGrowthPercent());
        json.put("heap_mb_epoch2", r.heapEpoch2());
        json.put("heap_mb_last", r.heapLast());
        json.put("steady", r.steady());
        out.println(JSON.writeValueAsString(json));
    }
}
