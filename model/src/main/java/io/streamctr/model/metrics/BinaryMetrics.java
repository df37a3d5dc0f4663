package io.streamctr.model.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * Pure functions for binary click prediction metrics, following TorchRec's definitions ({@code
 * torchrec/metrics/ne.py}, {@code auc.py}) and He et al. 2014, "Practical Lessons from Predicting
 * Clicks on Ads at Facebook", section 2 (Normalized Entropy).
 *
 * <ul>
 *   <li>AUC: exact ROC AUC, the Mann–Whitney statistic with mid-ranks, i.e. the share of (positive,
 *       negative) pairs where the positive scores higher, a tie counting as one half.
 *   <li>Cross entropy: {@code -y·log p - (1-y)·log(1-p)} with {@code p} clamped to {@code [eta,
 *       1-eta]}, {@code eta = 1e-12}, as TorchRec's {@code compute_cross_entropy}. Natural
 *       logarithm (TorchRec uses log2; NE, a ratio, is the same in any base).
 *   <li>NE: {@code ΣCE / (-P·log p̄ - N·log(1-p̄))}, {@code p̄ = P / count}: the log loss relative
 *       to that of always predicting the observed click rate.
 * </ul>
 *
 * <p>An undefined figure is {@code null}, never NaN.
 */
public final class BinaryMetrics {

    /** Clamp for predictions in the cross entropy, as TorchRec's {@code eta}. */
    public static final double ETA = 1e-12;

    private BinaryMetrics() {}

    /**
     * Exact ROC AUC of {@code scores[from, to)} against {@code labels[from, to)}; ties count as one
     * half. O(n log n), no boxing.
     *
     * @return the AUC, or {@code null} when the range is empty or holds only one class
     * @throws IllegalArgumentException on a NaN score or a label other than 0 or 1
     */
    public static Double auc(float[] scores, int[] labels, int from, int to) {
        Objects.checkFromToIndex(from, to, scores.length);
        Objects.checkFromToIndex(from, to, labels.length);
        long[] keyed = new long[to - from];
        for (int i = from; i < to; i++) {
            // score key in the high bits, label in the lowest: sorting orders by score
            keyed[i - from] =
                    ((long) sortableKey(checkScore(scores[i])) << 1) | checkLabel(labels[i]);
        }
        Arrays.sort(keyed);
        long positives = 0;
        long negativesBelow = 0;
        long twiceU = 0;
        int i = 0;
        while (i < keyed.length) {
            long key = keyed[i] >> 1;
            long groupPositives = 0;
            long groupNegatives = 0;
            for (; i < keyed.length && keyed[i] >> 1 == key; i++) {
                if ((keyed[i] & 1L) == 1L) {
                    groupPositives++;
                } else {
                    groupNegatives++;
                }
            }
            twiceU += groupPositives * (2 * negativesBelow + groupNegatives);
            negativesBelow += groupNegatives;
            positives += groupPositives;
        }
        return aucFromTwiceU(twiceU, positives, negativesBelow);
    }

    /**
     * Cross entropy of one prediction, in nats, with {@code p} clamped to {@code [1e-12, 1-1e-12]}
     * in double so that scores of exactly 0 or 1 give a finite value.
     *
     * @throws IllegalArgumentException on a NaN {@code p} or a label other than 0 or 1
     */
    public static double crossEntropy(float p, int label) {
        checkLabel(label);
        double clamped = Math.min(Math.max(checkScore(p), ETA), 1.0 - ETA);
        return label == 1 ? -Math.log(clamped) : -Math.log1p(-clamped);
    }

    /**
     * Normalized entropy (He et al. 2014; TorchRec {@code compute_ne}).
     *
     * @param sumCrossEntropy Σ cross entropy in nats over the samples, see {@link #crossEntropy}
     * @param positives P, the number of samples labelled 1
     * @param count P + N
     * @return the NE, or {@code null} when {@code count == 0} or all samples are of one class (the
     *     normaliser is then 0)
     * @throws IllegalArgumentException when {@code positives} is not within {@code [0, count]}
     */
    public static Double normalizedEntropy(double sumCrossEntropy, long positives, long count) {
        if (count < 0 || positives < 0 || positives > count) {
            throw new IllegalArgumentException(
                    "Expected 0 <= positives <= count, got positives="
                            + positives
                            + ", count="
                            + count);
        }
        long negatives = count - positives;
        if (positives == 0 || negatives == 0) {
            return null;
        }
        double norm =
                -positives * Math.log((double) positives / count)
                        - negatives * Math.log((double) negatives / count);
        return sumCrossEntropy / norm;
    }

    /** AUC from twice the Mann–Whitney U (an exact integer); {@code null} for one class. */
    static Double aucFromTwiceU(long twiceU, long positives, long negatives) {
        if (positives == 0 || negatives == 0) {
            return null;
        }
        return twiceU / (2.0 * positives * negatives);
    }

    /**
     * An int whose signed order is the numeric order of the float; -0.0 and 0.0 map to the same key
     * because they are equal scores.
     */
    static int sortableKey(float score) {
        int bits = Float.floatToIntBits(score + 0.0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    static float checkScore(float score) {
        if (Float.isNaN(score)) {
            throw new IllegalArgumentException("Expected a score that is a number, got NaN");
        }
        return score;
    }

    static int checkLabel(int label) {
        if (label != 0 && label != 1) {
            throw new IllegalArgumentException("Expected a label of 0 or 1, got " + label);
        }
        return label;
    }
}
