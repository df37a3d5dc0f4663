package io.streamctr.bench;

import java.util.Arrays;

/**
 * Percentiles of latency samples by an exact sort (every sample kept, no histogram buckets): the
 * p-th percentile is the nearest-rank value, the smallest sample with at least p % of the samples
 * at or below it.
 *
 * @param count samples
 * @param p50 median, ms
 * @param p99 99th percentile, ms
 * @param max largest sample, ms
 * @param mean mean, ms
 */
record LatencyStats(int count, long p50, long p99, long max, double mean) {

    /** The figures of {@code samplesMs} (not changed); at least one sample. */
    static LatencyStats of(long[] samplesMs) {
        if (samplesMs.length == 0) {
            throw new IllegalArgumentException("no latency samples");
        }
        long[] sorted = samplesMs.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long s : sorted) {
            sum += s;
        }
        return new LatencyStats(
                sorted.length,
                percentile(sorted, 50),
                percentile(sorted, 99),
                sorted[sorted.length - 1],
                sum / sorted.length);
    }

    /** The nearest-rank {@code p}-th percentile (0 < p <= 100) of sorted samples. */
    static long percentile(long[] sorted, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }
}
