package io.streamctr.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void nearestRankPercentilesOfOneToAHundred() {
        long[] samples = new long[100];
        for (int i = 0; i < 100; i++) {
            samples[i] = 100 - i; // unsorted: 100 .. 1
        }
        LatencyStats stats = LatencyStats.of(samples);
        assertThat(stats.count()).isEqualTo(100);
        assertThat(stats.p50()).isEqualTo(50);
        assertThat(stats.p99()).isEqualTo(99);
        assertThat(stats.max()).isEqualTo(100);
        assertThat(stats.mean()).isEqualTo(50.5);
        assertThat(samples[0]).as("the input is not sorted in place").isEqualTo(100);
    }

    @Test
    void p99OfATwoHundredSampleTailTakesTheSecondLargest() {
        long[] samples = new long[200];
        samples[198] = 40;
        samples[199] = 900;
        LatencyStats stats = LatencyStats.of(samples);
        // rank ceil(0.99 * 200) = 198: the 198th smallest is still 0
        assertThat(stats.p99()).isZero();
        assertThat(stats.max()).isEqualTo(900);
        assertThat(LatencyStats.percentile(new long[] {0, 0, 40, 900}, 99)).isEqualTo(900);
        assertThat(LatencyStats.percentile(new long[] {0, 0, 40, 900}, 75)).isEqualTo(40);
    }

    @Test
    void oneSampleIsEveryPercentile() {
        LatencyStats stats = LatencyStats.of(new long[] {7});
        assertThat(stats.p50()).isEqualTo(7);
        assertThat(stats.p99()).isEqualTo(7);
        assertThat(stats.max()).isEqualTo(7);
    }

    @Test
    void rejectsNoSamplesAndBadPercentiles() {
        assertThatThrownBy(() -> LatencyStats.of(new long[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no latency samples");
        assertThatThrownBy(() -> LatencyStats.percentile(new long[] {1}, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(0, 100]");
    }
}
