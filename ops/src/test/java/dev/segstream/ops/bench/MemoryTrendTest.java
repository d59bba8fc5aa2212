package dev.segstream.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The soak's flatness rule on made-up series of a 60-minute run sampled every minute. */
class MemoryTrendTest {

    private static final double WARMUP = MemoryTrend.warmupMinutes(60);

    private static MemoryTrend trend(IntToDoubleFunction mibAtMinute) {
        double[] minutes = new double[60];
        double[] mib = new double[60];
        for (int i = 0; i < 60; i++) {
            minutes[i] = i + 1;
            mib[i] = mibAtMinute.applyAsDouble(i + 1);
        }
        return MemoryTrend.of("rss", minutes, mib, WARMUP);
    }

    @Test
    void shouldDropTwentyPercentOrTwoMinutesAsWarmUpWhenRunsAreLongOrShort() {
        assertThat(MemoryTrend.warmupMinutes(60)).isEqualTo(12);
        assertThat(MemoryTrend.warmupMinutes(5)).isEqualTo(2);
    }

    @Test
    void shouldCallASeriesFlatWhenItOnlyRoseDuringTheWarmUp() {
        // 600 MiB climbing to 1200 MiB in the first 10 minutes (allocator pools, JIT), level afterwards
        MemoryTrend t = trend(m -> Math.min(1200, 600 + 60 * m));

        assertThat(t.slopeMibPerMin()).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(t.growing()).isFalse();
        assertThat(MemoryTrend.verdict(List.of(t))).isEqualTo(MemoryTrend.State.FLAT);
        assertThat(t.samples()).isEqualTo(49);
    }

    @Test
    void shouldCallASeriesGrowingWhenItLeaksTwoMibAMinuteAfterTheWarmUp() {
        MemoryTrend t = trend(m -> 1200 + 2.0 * m);

        assertThat(t.slopeMibPerMin()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(t.limitMibPerMin()).isLessThan(2.0);
        assertThat(MemoryTrend.verdict(List.of(t))).isEqualTo(MemoryTrend.State.GROWING);
        assertThat(t.line()).contains("GROWING");
    }

    @Test
    void shouldCatchASmallHeapLeakWhenItExceedsTheFloor() {
        // a 60 MiB live heap gaining 0.3 MiB a minute (18 MiB an hour): small, and still a leak
        MemoryTrend t = MemoryTrend.of("heap_live", minutes(), series(m -> 60 + 0.3 * m), WARMUP);

        assertThat(t.limitMibPerMin()).isEqualTo(0.1);
        assertThat(t.growing()).isTrue();
    }

    @Test
    void shouldCallALevelHeapFlatWhenOneLateSampleCaughtRecordsInFlight() {
        // a serving-only soak: live heap 55-56 MiB every minute, 122 MiB in the last sample
        double[] minutes = new double[20];
        double[] mib = new double[20];
        for (int i = 0; i < 20; i++) {
            minutes[i] = i + 1;
            mib[i] = i == 19 ? 122 : 55 + i % 2;
        }
        MemoryTrend t = MemoryTrend.of("heap_live", minutes, mib, MemoryTrend.warmupMinutes(20));

        assertThat(t.growing()).as(t.line()).isFalse();
    }

    @Test
    void shouldCallANoisySeriesFlatWhenItHasNoTrend() {
        Random random = new Random(7);
        // ±30 MiB steps of the allocator around 1200 MiB and a 10 MiB gaussian jitter
        MemoryTrend t = trend(m -> 1200 + (random.nextBoolean() ? 30 : -30) + 10 * random.nextGaussian());

        assertThat(Math.abs(t.slopeMibPerMin())).isLessThan(t.limitMibPerMin());
        assertThat(t.slopeErrorMibPerMin()).isPositive();
        assertThat(MemoryTrend.verdict(List.of(t))).isEqualTo(MemoryTrend.State.FLAT);
    }

    @Test
    void shouldNotJudgeWhenTooFewSamplesFollowTheWarmUp() {
        double[] minutes = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
        double[] mib = {100, 200, 300, 400, 500, 600, 700, 800};
        MemoryTrend t = MemoryTrend.of("rss", minutes, mib, MemoryTrend.warmupMinutes(0.8));

        assertThat(t.conclusive()).isFalse();
        assertThat(MemoryTrend.verdict(List.of(t))).isEqualTo(MemoryTrend.State.INCONCLUSIVE);
    }

    @Test
    void shouldLetAGrowingSeriesDecideWhenOthersAreFlat() {
        MemoryTrend flat = trend(m -> 1200);
        MemoryTrend leak = trend(m -> 300 + 6.0 * m);

        assertThat(MemoryTrend.verdict(List.of(flat, leak))).isEqualTo(MemoryTrend.State.GROWING);
        assertThat(MemoryTrend.limit(10_000)).as("10 GiB: capped at 5 MiB/min").isEqualTo(5);
    }

    private static double[] minutes() {
        return series(m -> m);
    }

    private static double[] series(IntToDoubleFunction f) {
        double[] out = new double[60];
        for (int i = 0; i < 60; i++) {
            out[i] = f.applyAsDouble(i + 1);
        }
        return out;
    }
}
