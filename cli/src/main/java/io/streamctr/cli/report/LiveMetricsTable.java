package io.streamctr.cli.report;

import io.streamctr.schemas.MetricsReport;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The table of {@code tail --metrics --table}: one row per model with its latest report. On a
 * terminal the table is redrawn in place (ANSI cursor-up and clear); otherwise each report prints
 * its model's row as a plain line under a header printed once.
 */
public final class LiveMetricsTable {

    private static final String ROW = "%-14s %8s %12s %8s %8s %8s %8s %8s %8s %8s %9s %5s";

    private final PrintWriter out;
    private final boolean terminal;
    private final Map<String, MetricsReport> latest = new LinkedHashMap<>();
    private int linesOnScreen;
    private boolean headerPrinted;

    public LiveMetricsTable(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Takes a model's newest report and shows it. */
    public void accept(MetricsReport report) {
        latest.put(report.getModelName(), report);
        if (terminal) {
            redraw();
        } else {
            if (!headerPrinted) {
                out.println(header());
                headerPrinted = true;
            }
            out.println(row(report));
        }
        out.flush();
    }

    /** The models shown so far. */
    public int models() {
        return latest.size();
    }

    private void redraw() {
        StringBuilder s = new StringBuilder();
        if (linesOnScreen > 0) {
            s.append("\033[").append(linesOnScreen).append('A').append("\r\033[J");
        }
        String header = header();
        s.append(header).append('\n').append("-".repeat(header.length())).append('\n');
        for (MetricsReport r : latest.values()) {
            s.append(row(r)).append('\n');
        }
        out.print(s);
        linesOnScreen = 2 + latest.size();
    }

    static String header() {
        return String.format(
                Locale.ROOT,
                ROW,
                "model",
                "version",
                "predictions",
                "AUC",
                "NE",
                "win AUC",
                "win NE",
                "win gAUC",
                "win cal",
                "win CTR",
                "events/s",
                "final");
    }

    static String row(MetricsReport r) {
        return String.format(
                Locale.ROOT,
                ROW,
                r.getModelName(),
                r.getModelVersion(),
                String.format(Locale.ROOT, "%,d", r.getPredictions()),
                fmt(r.getLifetimeAuc()),
                fmt(r.getLifetimeNe()),
                fmt(r.getWindowAuc()),
                fmt(r.getWindowNe()),
                fmt(r.getWindowGauc()),
                fmt(r.getWindowCalibration()),
                fmt(r.getWindowCtr()),
                r.getEventsPerSecond() == null
                        ? "n/a"
                        : String.format(Locale.ROOT, "%,.0f", r.getEventsPerSecond()),
                r.getFinalReport() ? "yes" : "");
    }

    private static String fmt(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
