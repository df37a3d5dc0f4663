package io.streamctr.cli.demo;

import io.streamctr.schemas.MetricsReport;
import java.util.Collection;
import java.util.Locale;

/** The demo's final table: one row per model from its final metrics report. */
final class ResultsTable {

    private ResultsTable() {}

    static String render(Collection<MetricsReport> reports, long events) {
        StringBuilder s = new StringBuilder();
        String header =
                String.format(
                        "%-14s %10s %12s %9s %9s %9s %10s %10s %9s",
                        "model",
                        "events",
                        "predictions",
                        "AUC",
                        "NE",
                        "LogLoss",
                        "window AUC",
                        "window NE",
                        "events/s");
        s.append(header).append('\n').append("-".repeat(header.length())).append('\n');
        for (MetricsReport r : reports) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            "%-14s %,10d %,12d %9s %9s %9s %10s %10s %9s%n",
                            r.getModelName(),
                            events,
                            r.getPredictions(),
                            fmt(r.getLifetimeAuc()),
                            fmt(r.getLifetimeNe()),
                            fmt(r.getLifetimeLogLoss()),
                            fmt(r.getWindowAuc()),
                            fmt(r.getWindowNe()),
                            r.getEventsPerSecond() == null
                                    ? "-"
                                    : String.format("%,.0f", r.getEventsPerSecond())));
        }
        return s.toString();
    }

    /** Four decimals, or "n/a" for an undefined figure (e.g. AUC of one class). */
    static String fmt(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
