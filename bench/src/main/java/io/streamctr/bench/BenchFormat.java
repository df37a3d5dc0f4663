package io.streamctr.bench;

import java.util.Locale;

/** Number formatting of the benchmark's table. */
public final class BenchFormat {

    private BenchFormat() {}

    /** Events per second as a grouped integer, e.g. {@code 12,345 ev/s}. */
    public static String rate(double eventsPerSecond) {
        if (!Double.isFinite(eventsPerSecond)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,.0f ev/s", eventsPerSecond);
    }

    /** {@code a / b} with two decimals, or n/a. */
    public static String ratio(double a, double b) {
        if (!(b > 0) || !Double.isFinite(a)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2f", a / b);
    }

    /** Whether {@code a / b >= goal}, as MET / NOT MET. */
    public static String verdict(double a, double b, double goal) {
        if (!(b > 0) || !Double.isFinite(a)) {
            return "n/a";
        }
        return a / b >= goal ? "goal >= " + goal + " met" : "goal >= " + goal + " NOT met";
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    public static String clock(long millis) {
        long s = millis / 1000;
        return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
