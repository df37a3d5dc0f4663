package io.streamctr.model.metrics;

/**
 * The samples whose score lies in {@code [lower, upper)} (the last bucket also holds {@code
 * upper}): a point of a reliability diagram, predicted CTR {@link #meanPrediction()} against
 * observed CTR {@link #observedCtr()}. Additive: buckets of disjoint samples sum field by field.
 *
 * @param lower the bucket's lowest score
 * @param upper the bucket's highest score, exclusive except for the last bucket
 * @param count samples in the bucket
 * @param positives samples labelled 1
 * @param sumPredictions Σp over the bucket's samples
 */
public record CalibrationBucket(
        double lower, double upper, long count, long positives, double sumPredictions) {

    public CalibrationBucket {
        if (!(lower < upper)) {
            throw new IllegalArgumentException(
                    "Expected lower < upper, got [" + lower + ", " + upper + ")");
        }
        if (count < 0 || positives < 0 || positives > count) {
            throw new IllegalArgumentException(
                    "Expected 0 <= positives <= count, got positives="
                            + positives
                            + ", count="
                            + count);
        }
        if (!(sumPredictions >= 0 && sumPredictions <= count)) {
            throw new IllegalArgumentException(
                    "Expected 0 <= sumPredictions <= count (" + count + "), got " + sumPredictions);
        }
    }

    /** Σp / count, the mean predicted CTR; {@code null} for an empty bucket. */
    public Double meanPrediction() {
        return count == 0 ? null : sumPredictions / count;
    }

    /** positives / count, the observed CTR; {@code null} for an empty bucket. */
    public Double observedCtr() {
        return count == 0 ? null : (double) positives / count;
    }

    /**
     * The index of the bucket of {@code score} among {@code buckets} equal-width buckets over [0,
     * 1]; a score of exactly 1 is in the last bucket.
     */
    public static int indexOf(float score, int buckets) {
        return Math.min(buckets - 1, (int) (score * (double) buckets));
    }
}
