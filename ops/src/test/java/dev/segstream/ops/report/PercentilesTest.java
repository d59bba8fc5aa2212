package dev.segstream.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void shouldPickNearestRankWhenValuesAreSorted() {
        long[] sorted = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
        assertThat(Percentiles.nearestRank(sorted, 0.50)).isEqualTo(50);
        assertThat(Percentiles.nearestRank(sorted, 0.99)).isEqualTo(100);
        assertThat(Percentiles.nearestRank(sorted, 0.0)).isEqualTo(10);
        assertThat(Percentiles.nearestRank(new long[] {7}, 0.99)).isEqualTo(7);
    }

    @Test
    void shouldReturnMinusOneWhenThereAreNoValues() {
        assertThat(Percentiles.nearestRank(new long[0], 0.50)).isEqualTo(-1);
    }
}
