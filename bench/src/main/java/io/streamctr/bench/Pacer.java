package io.streamctr.bench;

/**
 * A token bucket that paces a producer at a fixed rate: tokens accrue at {@code perSecond} up to
 * {@code burst}, each event takes one. A producer that falls behind (a pause of the JVM) catches up
 * by at most {@code burst} events at once, so the load stays at the set rate rather than making up
 * for the pause in one flood. The clock is passed in, so the schedule is testable without sleeping.
 */
final class Pacer {

    private final double perSecond;
    private final double burst;
    private double tokens;
    private long last;

    /**
     * @param perSecond events per second, > 0
     * @param burst most events sent back to back after a pause, >= 1
     * @param startNanos the clock's time now ({@link System#nanoTime()}); the first event may go at
     *     once
     */
    Pacer(double perSecond, double burst, long startNanos) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be > 0 events/s, got " + perSecond);
        }
        if (!(burst >= 1) || Double.isInfinite(burst)) {
            throw new IllegalArgumentException("burst must be >= 1 event, got " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = 1;
        this.last = startNanos;
    }

    /**
     * Takes a token if one is there at {@code nowNanos} and returns 0 (send now); otherwise takes
     * nothing and returns the nanoseconds until the next token.
     */
    long delayNanos(long nowNanos) {
        if (nowNanos > last) {
            tokens = Math.min(burst, tokens + (nowNanos - last) * perSecond / 1e9);
            last = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) * 1e9 / perSecond));
    }

    /** Blocks until the next event may go. */
    void acquire() throws InterruptedException {
        for (long wait = delayNanos(System.nanoTime()); wait > 0; ) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            wait = delayNanos(System.nanoTime());
        }
    }
}
