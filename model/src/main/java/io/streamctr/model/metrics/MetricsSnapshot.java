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
 * @param gauc group AUC (see {@link GroupAuc}) over the samples that carry a user id; {@code null}
 *     when no user has both classes, and for lifetime figures, which have no gAUC
 * @param gaucUsers users with both classes, whose AUC is in the gAUC
 * @param gaucUsersSkipped users with samples of one class only, left out of the gAUC
 */
public record MetricsSnapshot(
        long count,
        long positives,
        Double auc,
        Double ne,
        Double logLoss,
        Double calibration,
        Double ctr,
        Double predictionMean,
        Double gauc,
        int gaucUsers,
        int gaucUsersSkipped) {

    /** {@link #aucUndefinedReason()} when there are no samples. */
    public static final String REASON_EMPTY = "empty";

    /** {@link #aucUndefinedReason()} when every sample has the same label. */
    public static final String REASON_ONE_CLASS = "one class";

    /** {@link #gaucUndefinedReason()} when no sample carries a user id. */
    public static final String REASON_NO_USER = "no user";

    /** {@link #gaucUndefinedReason()} when each user's samples hold one class. */
    public static final String REASON_ONE_CLASS_PER_USER = "one class per user";

    /** An evaluation over no samples: every figure undefined. */
    public static final MetricsSnapshot EMPTY =
            new MetricsSnapshot(0, 0, null, null, null, null, null, null);

    public MetricsSnapshot {
        if (count < 0 || positives < 0 || positives > count) {
            throw new IllegalArgumentException(
                    "Expected 0 <= positives <= count, got positives="
                            + positives
                            + ", count="
                            + count);
        }
        checkNotNaN("auc", auc);
        checkNotNaN("ne", ne);
        checkNotNaN("logLoss", logLoss);
        checkNotNaN("calibration", calibration);
        checkNotNaN("ctr", ctr);
        checkNotNaN("predictionMean", predictionMean);
        checkNotNaN("gauc", gauc);
        if (gaucUsers < 0 || gaucUsersSkipped < 0) {
            throw new IllegalArgumentException(
                    "Expected user counts >= 0, got gaucUsers="
                            + gaucUsers
                            + ", gaucUsersSkipped="
                            + gaucUsersSkipped);
        }
    }

    /** A snapshot without gAUC, as lifetime figures are. */
    public MetricsSnapshot(
            long count,
            long positives,
            Double auc,
            Double ne,
            Double logLoss,
            Double calibration,
            Double ctr,
            Double predictionMean) {
        this(count, positives, auc, ne, logLoss, calibration, ctr, predictionMean, null, 0, 0);
    }

    /** This snapshot with the gAUC figures of {@code groupAuc}. */
    public MetricsSnapshot withGroupAuc(GroupAuc groupAuc) {
        return new MetricsSnapshot(
                count,
                positives,
                auc,
                ne,
                logLoss,
                calibration,
                ctr,
                predictionMean,
                groupAuc.gauc(),
                groupAuc.users(),
                groupAuc.usersSkipped());
    }

    /**
     * Why {@link #auc()} (and {@link #ne()}) is {@code null}: {@link #REASON_EMPTY} or {@link
     * #REASON_ONE_CLASS}; {@code null} when the AUC is defined.
     */
    public String aucUndefinedReason() {
        if (auc != null) {
            return null;
        }
        return count == 0 ? REASON_EMPTY : REASON_ONE_CLASS;
    }

    /**
     * Why {@link #gauc()} is {@code null}: {@link #REASON_EMPTY}, {@link #REASON_NO_USER} or {@link
     * #REASON_ONE_CLASS_PER_USER}; {@code null} when the gAUC is defined.
     */
    public String gaucUndefinedReason() {
        if (gauc != null) {
            return null;
        }
        if (count == 0) {
            return REASON_EMPTY;
        }
        return gaucUsersSkipped == 0 ? REASON_NO_USER : REASON_ONE_CLASS_PER_USER;
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
            throw new IllegalArgumentException(
                    "Expected " + name + " to be a number or null, got NaN");
        }
    }
}
