package io.streamctr.cli.replay;

import java.util.List;
import java.util.Locale;

/**
 * What a replay did: events acknowledged by Kafka, events that failed (never sent or not
 * acknowledged), events skipped ({@code --skip}), the data set's bad lines (count and the first few
 * as {@code file:line: reason}), wall time and throughput, the first failure's message and why the
 * replay stopped early ({@code null} for each if none).
 */
public record ReplaySummary(
        long sent,
        long failed,
        long skipped,
        long badLines,
        List<String> badLineSamples,
        long wallTimeMillis,
        double eventsPerSecond,
        String firstError,
        String stoppedBy) {

    public ReplaySummary {
        badLineSamples = List.copyOf(badLineSamples);
    }

    /** A summary of a replay from memory: nothing skipped, no bad lines, not stopped. */
    public ReplaySummary(
            long sent,
            long failed,
            long wallTimeMillis,
            double eventsPerSecond,
            String firstError) {
        this(sent, failed, 0, 0, List.of(), wallTimeMillis, eventsPerSecond, firstError, null);
    }

    /**
     * Whether every event was sent and the data read to the end (bad lines within the limit
     * allowed).
     */
    public boolean succeeded() {
        return failed == 0 && stoppedBy == null;
    }

    /**
     * One human-readable line, e.g. {@code "sent 2,000 events (0 failed) in 0.8 s, 2,500
     * events/s"}, with skipped events and bad lines when there were any.
     */
    public String describe() {
        StringBuilder line =
                new StringBuilder(
                        String.format(Locale.ROOT, "sent %,d events (%,d failed)", sent, failed));
        if (skipped > 0) {
            line.append(String.format(Locale.ROOT, ", skipped %,d", skipped));
        }
        if (badLines > 0) {
            line.append(
                    String.format(
                            Locale.ROOT, ", %,d bad line%s", badLines, badLines == 1 ? "" : "s"));
        }
        line.append(
                String.format(
                        Locale.ROOT,
                        " in %.1f s, %,.0f events/s",
                        wallTimeMillis / 1000.0,
                        eventsPerSecond));
        if (firstError != null) {
            line.append("; first failure: ").append(firstError);
        }
        if (stoppedBy != null) {
            line.append("; stopped early: ").append(stoppedBy);
        }
        if (!badLineSamples.isEmpty()) {
            line.append(System.lineSeparator())
                    .append("first bad lines: ")
                    .append(String.join("; ", badLineSamples));
        }
        return line.toString();
    }
}
