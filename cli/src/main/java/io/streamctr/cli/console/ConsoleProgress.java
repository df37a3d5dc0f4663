package io.streamctr.cli.console;

import io.streamctr.cli.replay.ReplayProgress;
import io.streamctr.cli.replay.ReplaySummary;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows a replay's (or an evaluation's) progress: on a terminal, one line redrawn with {@code \r}
 * (bar, percent, events/s, ETA) a few times a second; otherwise (a pipe, a log file) a plain line
 * every few seconds. The total may be an estimate (from the bytes read of an unsorted file) or
 * unknown (negative): then the line shows the count and rate only.
 */
public final class ConsoleProgress implements ReplayProgress {

    private static final int BAR_WIDTH = 30;
    private static final long TERMINAL_INTERVAL_NANOS = 200_000_000L;
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final String prefix;
    private long startNanos = -1;
    private long lastShownNanos;
    private long lastAttempted;
    private long lastTotal;
    private long lastFailed;

    /** Writes to {@code out}; {@code terminal} chooses the redrawn bar over plain lines. */
    public ConsoleProgress(PrintWriter out, boolean terminal) {
        this(out, terminal, System::nanoTime);
    }

    /** With a clock of its own (tests). */
    public ConsoleProgress(PrintWriter out, boolean terminal, LongSupplier nanoClock) {
        this(out, terminal, nanoClock, "");
    }

    private ConsoleProgress(
            PrintWriter out, boolean terminal, LongSupplier nanoClock, String prefix) {
        this.out = out;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.prefix = prefix;
    }

    /**
     * A bar when a console is attached ({@code System.console() != null}), plain lines otherwise.
     */
    public static ConsoleProgress forConsole(PrintWriter out) {
        return forConsole(out, "");
    }

    /** As {@link #forConsole(PrintWriter)}, each line led by {@code prefix}. */
    public static ConsoleProgress forConsole(PrintWriter out, String prefix) {
        return new ConsoleProgress(out, System.console() != null, System::nanoTime, prefix);
    }

    @Override
    public void update(long attempted, long total, long failed) {
        lastAttempted = attempted;
        lastTotal = total;
        lastFailed = failed;
        long now = nanoClock.getAsLong();
        if (startNanos < 0) {
            startNanos = now;
            lastShownNanos = now;
            return;
        }
        if (now - lastShownNanos < (terminal ? TERMINAL_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS)) {
            return;
        }
        lastShownNanos = now;
        String line = prefix + line(attempted, total, failed, (now - startNanos) / 1e9);
        if (terminal) {
            out.print("\r" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void finish(ReplaySummary summary) {
        done();
    }

    /** Ends the progress display: on a terminal, redraws the line a last time and ends it. */
    public void done() {
        if (terminal && startNanos >= 0) {
            double elapsed = (nanoClock.getAsLong() - startNanos) / 1e9;
            out.println("\r" + prefix + line(lastAttempted, lastTotal, lastFailed, elapsed));
        }
        out.flush();
    }

    /** The progress line; without a bar and ETA when the total is not known ({@code total < 0}). */
    public static String line(long done, long total, long failed, double elapsedSeconds) {
        double rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
        if (total < 0) {
            return String.format(
                    Locale.ROOT,
                    "%,d events, %,.0f events/s, total not known yet%s",
                    done,
                    rate,
                    failed > 0 ? String.format(Locale.ROOT, ", %,d failed", failed) : "");
        }
        double fraction = total > 0 ? Math.min(1.0, (double) done / total) : 0;
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        String eta = rate > 0 ? clock((long) Math.ceil((total - done) / rate)) : "--:--";
        String failures = failed > 0 ? String.format(Locale.ROOT, ", %,d failed", failed) : "";
        return String.format(
                Locale.ROOT,
                "[%s%s] %3.0f%% %,d/%,d events, %,.0f events/s, ETA %s%s",
                "#".repeat(filled),
                "-".repeat(BAR_WIDTH - filled),
                fraction * 100,
                done,
                total,
                rate,
                eta,
                failures);
    }

    private static String clock(long seconds) {
        return seconds >= 3600
                ? String.format(
                        Locale.ROOT,
                        "%d:%02d:%02d",
                        seconds / 3600,
                        seconds / 60 % 60,
                        seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
