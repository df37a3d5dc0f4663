package io.streamctr.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobSoakTest {

    private static final Path DATA = Path.of("data");
    private static final long MIB = 1024 * 1024;

    @Test
    void theDefaultWarmUpIsAThirdOfTheRunAtMostTwoMinutes() {
        assertThat(new JobSoak.Settings(DATA, "dnn", 256, 3, "cpu").warmupMillis())
                .isEqualTo(60_000);
        assertThat(new JobSoak.Settings(DATA, "dnn", 256, 30, "cpu").warmupMillis())
                .isEqualTo(120_000);
        assertThat(new JobSoak.Settings(DATA, "dnn", 256, 30, "cpu", 10).warmupMillis())
                .isEqualTo(600_000);
        assertThat(new JobSoak.Settings(DATA, "dnn", 256, 30, "cpu", 0).warmupMillis()).isZero();
    }

    @Test
    void rejectsAWarmUpThatIsNegativeOrNotShorterThanTheRun() {
        assertThatThrownBy(() -> new JobSoak.Settings(DATA, "dnn", 256, 30, "cpu", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("warm-up");
        assertThatThrownBy(() -> new JobSoak.Settings(DATA, "dnn", 256, 30, "cpu", 30))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JobSoak.Settings(DATA, "dnn", 256, 0, "cpu"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTrendIsTheLeastSquaresSlopeInMiBPerHour() {
        // RSS rises 60 MiB an hour with a saw-tooth of ±5 MiB on top, RocksDB is flat, the rest of
        // native falls 12 MiB an hour
        List<JobSoak.Sample> samples = new ArrayList<>();
        for (int minute = 0; minute <= 120; minute++) {
            long rss = (2000 + minute + (minute % 2 == 0 ? 5 : -5)) * MIB;
            long heap = 1000 * MIB;
            long otherNative = (long) ((500 - minute / 5.0) * MIB);
            long nonHeap = rss - heap - otherNative;
            samples.add(
                    new JobSoak.Sample(
                            minute * 60_000L,
                            rss,
                            0,
                            heap,
                            nonHeap,
                            0,
                            100 * MIB,
                            0,
                            0,
                            0,
                            0,
                            0,
                            0,
                            0));
        }
        double[] trend = JobSoak.trendMiBPerHour(samples);
        assertThat(trend[0]).isCloseTo(60, within(0.5));
        assertThat(trend[1]).isCloseTo(-12, within(0.01));
        assertThat(trend[2]).isCloseTo(0, within(1e-9));
        assertThat(JobSoak.slope(new double[] {1}, new double[] {2})).isNaN();
    }
}
