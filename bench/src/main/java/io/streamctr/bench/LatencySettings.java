package io.streamctr.bench;

import java.util.List;

/**
 * What the latency part of {@link Bench} runs ({@link JobLatency}): one job run per load and batch
 * timeout.
 *
 * @param loads fractions of the job's peak rate (measured in the same bench run) to pace the input
 *     at, each in (0, 1.5]
 * @param seconds seconds measured per run, after the warm-up
 * @param warmupSeconds seconds after the job's first prediction whose events are not measured
 * @param batchTimeoutsMs values of {@code ctr.train.batch-timeout} to run, in ms, each > 0
 * @param batchIdleTimeoutsMs values of {@code ctr.train.batch-idle-timeout} to run with each batch
 *     timeout, in ms, each >= 0 (0: none)
 * @param networkBufferTimeoutMs Flink's {@code execution.buffer-timeout} for the latency runs (how
 *     long a network buffer of the keyBy exchange may wait before it is sent, unless full); -1 =
 *     Flink's default (100 ms)
 * @param checkpointSeconds the latency runs' checkpoint interval; the rest of the bench keeps
 *     {@link Bench#CHECKPOINT_INTERVAL}
 * @param peakRate the peak rate (events/s) the loads are fractions of; 0: the job's, measured in
 *     the same bench run (with a given peak the latency runs need no job run: {@code --skip-job})
 * @param skip skip the latency runs
 */
public record LatencySettings(
        List<Double> loads,
        double seconds,
        double warmupSeconds,
        List<Long> batchTimeoutsMs,
        List<Long> batchIdleTimeoutsMs,
        long networkBufferTimeoutMs,
        double checkpointSeconds,
        double peakRate,
        boolean skip) {

    /** The default loads: half and 90 % of the peak. */
    public static final List<Double> DEFAULT_LOADS = List.of(0.5, 0.9);

    /** The default batch timeouts: the job's default (200 ms) and a shorter one. */
    public static final List<Long> DEFAULT_BATCH_TIMEOUTS_MS = List.of(200L, 50L);

    /** The default batch idle timeouts: none (the timeout alone) and a short gap. */
    public static final List<Long> DEFAULT_BATCH_IDLE_TIMEOUTS_MS = List.of(0L, 5L);

    public LatencySettings {
        loads = List.copyOf(loads);
        batchTimeoutsMs = List.copyOf(batchTimeoutsMs);
        batchIdleTimeoutsMs = List.copyOf(batchIdleTimeoutsMs);
        if (!skip
                && (loads.isEmpty()
                        || batchTimeoutsMs.isEmpty()
                        || batchIdleTimeoutsMs.isEmpty())) {
            throw new IllegalArgumentException(
                    "latency loads, batch timeouts and batch idle timeouts must not be empty");
        }
        for (double load : loads) {
            if (!(load > 0 && load <= 1.5)) {
                throw new IllegalArgumentException(
                        "latency load must be a fraction of the peak rate in (0, 1.5], got "
                                + load);
            }
        }
        for (long timeout : batchTimeoutsMs) {
            if (timeout <= 0) {
                throw new IllegalArgumentException("batch timeout must be > 0 ms, got " + timeout);
            }
        }
        for (long idle : batchIdleTimeoutsMs) {
            if (idle < 0) {
                throw new IllegalArgumentException(
                        "batch idle timeout must be >= 0 ms (0: none), got " + idle);
            }
        }
        if (networkBufferTimeoutMs < -1) {
            throw new IllegalArgumentException(
                    "network buffer timeout must be >= 0 ms (or -1 = Flink's default), got "
                            + networkBufferTimeoutMs);
        }
        if (!(checkpointSeconds >= 0.1) || Double.isInfinite(checkpointSeconds)) {
            throw new IllegalArgumentException(
                    "checkpoint interval must be >= 0.1 s, got " + checkpointSeconds);
        }
        if (!(peakRate >= 0) || Double.isInfinite(peakRate)) {
            throw new IllegalArgumentException(
                    "latency peak rate must be >= 0 ev/s (0: measured), got " + peakRate);
        }
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("latency seconds must be > 0, got " + seconds);
        }
        if (!(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds)) {
            throw new IllegalArgumentException(
                    "latency warm-up seconds must be >= 0, got " + warmupSeconds);
        }
    }

    /** The latency runs' checkpoint interval. */
    java.time.Duration checkpointInterval() {
        return java.time.Duration.ofMillis(Math.round(checkpointSeconds * 1000));
    }

    /** The defaults: 50 % and 90 % of the peak, 200 and 50 ms timeouts, 20 s after 5 s warm-up. */
    public static LatencySettings defaults() {
        return new LatencySettings(
                DEFAULT_LOADS,
                20,
                5,
                DEFAULT_BATCH_TIMEOUTS_MS,
                DEFAULT_BATCH_IDLE_TIMEOUTS_MS,
                -1,
                Bench.CHECKPOINT_INTERVAL.toMillis() / 1000.0,
                0,
                false);
    }
}
