package io.streamctr.datasets.delay;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * How long after its impression a click arrives: an exponential delay with mean {@code meanMillis},
 * optionally with a fixed share of clicks after the attribution window (issue 16, item 5; the
 * delayed-feedback setting of Ktena et al., RecSys 2019, section 3).
 *
 * <p>Without a late share ({@code lateShare < 0}) a delay is simply exponential: the share that
 * falls after a window {@code W} is the exponential's own tail, {@code exp(-W / mean)}. With a late
 * share {@code p} (which needs the window): with probability {@code p} the click is late, {@code W
 * + 1 ms} plus an exponential delay; otherwise the delay is the exponential truncated to {@code [0,
 * W]}. The draw of an impression depends only on the seed and its event id, so a replay and an
 * evaluation with the same seed give every impression the same delay, whatever they skip or limit.
 *
 * @param meanMillis mean delay of the exponential, >= 0 (0: every click at its impression's time)
 * @param windowMillis the attribution window, or -1 for none (then no late share)
 * @param lateShare the share of clicks after the window in [0, 1], or -1 for the exponential's own
 * @param seed the seed of the draws
 */
public record ClickDelays(long meanMillis, long windowMillis, double lateShare, long seed) {

    /** No window given. */
    public static final long NO_WINDOW = -1;

    /** No late share given: the exponential's own tail. */
    public static final double NATURAL_LATE_SHARE = -1;

    public ClickDelays {
        if (meanMillis < 0) {
            throw new IllegalArgumentException(
                    "the mean click delay must be >= 0 ms, got " + meanMillis);
        }
        if (windowMillis < 0 && windowMillis != NO_WINDOW) {
            throw new IllegalArgumentException(
                    "the attribution window must be >= 0 ms, got " + windowMillis);
        }
        if (lateShare != NATURAL_LATE_SHARE && !(lateShare >= 0 && lateShare <= 1)) {
            throw new IllegalArgumentException(
                    "the late-click share must be in [0, 1], got " + lateShare);
        }
        if (lateShare != NATURAL_LATE_SHARE && windowMillis == NO_WINDOW) {
            throw new IllegalArgumentException(
                    "a late-click share needs an attribution window (late = after the window)");
        }
    }

    /** Exponential delays with this mean, no window, no late share. */
    public static ClickDelays exponential(long meanMillis, long seed) {
        return new ClickDelays(meanMillis, NO_WINDOW, NATURAL_LATE_SHARE, seed);
    }

    /** Whether a click this long after its impression is late (after the window). */
    public boolean isLate(long delayMillis) {
        return windowMillis != NO_WINDOW && delayMillis > windowMillis;
    }

    /** The delay of the click on the impression {@code impressionId}, in ms. */
    public long draw(String impressionId) {
        SplittableRandom random =
                new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ fnv(impressionId));
        double late = random.nextDouble();
        double u = random.nextDouble();
        if (lateShare == NATURAL_LATE_SHARE) {
            return Math.round(-meanMillis * Math.log1p(-u));
        }
        if (late < lateShare) {
            return windowMillis + 1 + Math.round(-meanMillis * Math.log1p(-u));
        }
        if (meanMillis == 0) {
            return 0;
        }
        // inverse CDF of the exponential truncated to [0, W]
        double inWindow = -Math.expm1(-(double) windowMillis / meanMillis);
        return Math.min(windowMillis, Math.round(-meanMillis * Math.log1p(-u * inWindow)));
    }

    /** 64-bit FNV-1a of the id's UTF-8 bytes: stable across JVMs. */
    private static long fnv(String id) {
        long h = 0xcbf29ce484222325L;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
