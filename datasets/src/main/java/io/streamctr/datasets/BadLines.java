package io.streamctr.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts the lines of a data set that could not be read, keeps the first few (file, line number,
 * reason) for the report, and stops the read with an {@link IllegalArgumentException} once more
 * than {@code maxBadLines} were seen. Bad lines are never dropped silently.
 */
public final class BadLines {

    /** How many bad lines are kept with their reason. */
    public static final int SAMPLES = 5;

    private final long maxBadLines;
    private final List<String> samples = new ArrayList<>();
    private long count;

    /** {@code maxBadLines < 0}: no limit. */
    public BadLines(long maxBadLines) {
        this.maxBadLines = maxBadLines;
    }

    /** Records one bad line; throws IllegalArgumentException when the limit is passed. */
    public void record(Path file, long lineNumber, String reason) {
        count++;
        String where = (file == null ? "" : file.getFileName() + ":") + lineNumber + ": " + reason;
        if (samples.size() < SAMPLES) {
            samples.add(where);
        }
        if (maxBadLines >= 0 && count > maxBadLines) {
            throw new IllegalArgumentException(
                    "more than "
                            + maxBadLines
                            + " bad lines (the limit; latest "
                            + where
                            + "); first ones: "
                            + String.join("; ", samples));
        }
    }

    public long count() {
        return count;
    }

    /** The first {@link #SAMPLES} bad lines as {@code file:line: reason}. */
    public List<String> samples() {
        return List.copyOf(samples);
    }

    /**
     * E.g. {@code "2 bad lines: a.csv:3: expected 4 fields, got 3; a.csv:9: ..."}, or {@code "no
     * bad lines"}.
     */
    public String describe() {
        if (count == 0) {
            return "no bad lines";
        }
        return String.format(
                java.util.Locale.ROOT,
                "%,d bad line%s: %s%s",
                count,
                count == 1 ? "" : "s",
                String.join("; ", samples),
                count > samples.size() ? "; ..." : "");
    }
}
