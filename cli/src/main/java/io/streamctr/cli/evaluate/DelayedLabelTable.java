package io.streamctr.cli.evaluate;

import io.streamctr.model.metrics.MetricsSnapshot;
import java.util.List;
import java.util.Locale;

/**
 * The delayed-label figures of {@code evaluate --delayed-clicks} as Markdown: per run, AUC and NE
 * against the labels known at window close and against the data's own labels, the pending
 * impressions and the late clicks; then the pending impressions along the stream (the same for
 * every run: they depend on the stream and the window only).
 */
public final class DelayedLabelTable {

    private DelayedLabelTable() {}

    public static String render(List<DelayedLabelEvaluation.Result> results) {
        StringBuilder s = new StringBuilder();
        s.append(
                "| model | seed | AUC (labels at window close) | NE | AUC (data's labels) | NE"
                        + " (data's labels) | pending max | pending mean | late clicks | trained"
                        + " |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (DelayedLabelEvaluation.Result r : results) {
            MetricsSnapshot atClose = r.run().lifetime();
            s.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %s | %s | %s | %s | %,d | %,.1f | %,d | %,d |%n",
                            r.run().model(),
                            r.run().seed(),
                            figure(atClose.auc()),
                            figure(atClose.ne()),
                            figure(r.trueLabels().auc()),
                            figure(r.trueLabels().ne()),
                            r.pending().max(),
                            r.pending().mean(),
                            r.counts().lateClicks(),
                            r.counts().trained()));
        }
        if (!results.isEmpty()) {
            s.append("\nPending impressions along the stream (open attribution windows):\n\n");
            s.append("| impressions | event time (UTC) | pending | max in segment |\n");
            s.append("|---|---|---|---|\n");
            for (PendingCounts.Point p : results.get(0).pending().curve(10)) {
                s.append(
                        String.format(
                                Locale.ROOT,
                                "| %,d | %s | %,d | %,d |%n",
                                p.impressions(),
                                java.time.Instant.ofEpochMilli(p.eventTime()),
                                p.pending(),
                                p.maxInSegment()));
            }
        }
        return s.toString();
    }

    private static String figure(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
