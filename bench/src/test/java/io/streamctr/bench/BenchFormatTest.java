package io.streamctr.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchFormatTest {

    @Test
    void formatsRatesRatiosAndVerdicts() {
        assertThat(BenchFormat.rate(12_345.4)).isEqualTo("12,345 ev/s");
        assertThat(BenchFormat.rate(Double.NaN)).isEqualTo("n/a");
        assertThat(BenchFormat.ratio(11_800, 12_345)).isEqualTo("0.96");
        assertThat(BenchFormat.ratio(1, 0)).isEqualTo("n/a");
        assertThat(BenchFormat.verdict(95, 100, 0.9)).isEqualTo("goal >= 0.9 met");
        assertThat(BenchFormat.verdict(85, 100, 0.9)).isEqualTo("goal >= 0.9 NOT met");
        assertThat(BenchFormat.clock(61_500)).isEqualTo("01:01");
    }
}
