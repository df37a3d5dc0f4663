package io.streamctr.model.metrics;

/**
 * The figures of one evaluation over a set of samples (a window or a model's lifetime), following
 * TorchRec's metric definitions. A {@code null} figure is undefined for these samples; NaN never
 * appears.
 *
 * @param count number of samples
 * @param positives number of samples labelled 1 (P)
 * @param auc exact ROC AUC, ties as one half; {@code null} with fewer than two classes
 * @param ne normalized entropy (He et al. 2014; TorchRec {@code ne.py}); {@code null} with fewer
 *     than two classes
 * @param logLoss mean cross entropy in nats; {@code null} when empty
 * @param calibration Σp / Σy; {@code null} when there is no positive
 * @param ctr P / count, the observed click rate; {@code null} when empty
 * @param predictionMean Σp / count; {@code null} when empty
 */
public record MetricsSnapshot(
        long count,
        long positives,
        Double auc,
        Double ne,
        Double logLoss,
        Double calibration,
        Double ctr,
        Double predictionMean) {

    /** An evaluation over no samples: every figure undefined. */
    public static final MetricsSnapshot EMPTY =
            new MetricsSnapshot(0, 0, null, null, null, null, null, null);

    public MetricsSnapshot {
        if (count < 0 || positives < 0 || positives > count) {
            throw new IllegalArgumentException(
                    "Expected 0 <= positives <= count, got positives=" + positives + ", count=" + count);
        }
        checkNotNaN("auc", auc);
        checkNotNaN("ne", ne);
        checkNotNaN("logLoss", logLoss);
        checkNotNaN("calibration", calibration);
        checkNotNaN("ctr", ctr);
        checkNotNaN("predictionMean", predictionMean);
    }

    /**
     * Builds a snapshot from the additive statistics of a set of samples.
     *
     * @param count number of samples
     * @param positives number labelled 1
     * @param auc the AUC over the same samples, or {@code null}
     * @param sumCrossEntropy Σ {@link BinaryMetrics#crossEntropy}
     * @param sumPredictions Σ p
     */
    public static MetricsSnapshot fromSums(
            long count, long positives, Double auc, double sumCrossEntropy, double sumPredictions) {
        if (count == 0) {
            return EMPTY;
        }
        return new MetricsSnapshot(
                count,
                positives,
                auc,
                BinaryMetrics.normalizedEntropy(sumCrossEntropy, positives, count),
                sumCrossEntropy / count,
                positives == 0 ? null : sumPredictions / positives,
                (double) positives / count,
                sumPredictions / count);
    }

    private static void checkNotNaN(String name, Double value) {
        if (value != null && value.isNaN()) {
            throw new IllegalArgumentException("Expected " + name + " to be a number or null, got NaN");
        }
    }
}
