package io.streamctr.bench;

import io.streamctr.model.metrics.StreamingMetrics;
import io.streamctr.schemas.ClickEvent;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The streaming metrics' own rate, without Flink: the events' labels and user ids with
 * pseudo-random float scores (nearly all distinct, the lifetime AUC's costly case) fed one at a
 * time to a {@link StreamingMetrics}, whose lifetime, window and calibration figures are computed
 * every {@code reportEvery} samples, as the job's metrics operator does for each report.
 */
final class MetricsCost {

    private static final long MIN_MEASURED_NANOS = 2_000_000_000L;

    private MetricsCost() {}

    /**
     * Predictions per second through the accumulator, after one warm-up pass, over at least 2 s of
     * passes.
     */
    static double predictionsPerSecond(List<ClickEvent> events, int windowSize, int reportEvery) {
        int n = events.size();
        float[] scores = new float[n];
        int[] labels = new int[n];
        String[] users = new String[n];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < n; i++) {
            ClickEvent e = events.get(i);
            labels[i] = e.getLabel() == null ? 0 : e.getLabel();
            users[i] = e.getUserId();
            scores[i] = (float) random.nextDouble();
        }
        pass(new StreamingMetrics(windowSize), scores, labels, users, reportEvery);
        StreamingMetrics metrics = new StreamingMetrics(windowSize);
        long samples = 0;
        long t0 = System.nanoTime();
        long elapsed;
        do {
            pass(metrics, scores, labels, users, reportEvery);
            samples += n;
            elapsed = System.nanoTime() - t0;
        } while (elapsed < MIN_MEASURED_NANOS);
        return samples * 1e9 / elapsed;
    }

    private static void pass(
            StreamingMetrics metrics,
            float[] scores,
            int[] labels,
            String[] users,
            int reportEvery) {
        for (int i = 0; i < scores.length; i++) {
            metrics.add(scores[i], labels[i], users[i]);
            if ((metrics.count() % reportEvery) == 0) {
                report(metrics);
            }
        }
        report(metrics);
    }

    private static void report(StreamingMetrics metrics) {
        if (metrics.lifetime().auc() == null
                && metrics.window().auc() == null
                && metrics.windowCalibration().isEmpty()) {
            throw new IllegalStateException(
                    "no figures"); // keeps the work from being optimized away
        }
    }
}
