package io.streamctr.model.metrics;

import java.util.Arrays;

/**
 * An immutable run of distinct scores in ascending order with cumulative counts of positives and
 * negatives, so that "how many negatives score below s" is one binary search.
 */
final class ScoreRun {

    /** Sortable keys ({@link BinaryMetrics#sortableKey}), strictly ascending. */
    final int[] keys;

    /** {@code cumPositives[i]}: positives among {@code keys[0, i)}; length {@code size() + 1}. */
    final long[] cumPositives;

    /** {@code cumNegatives[i]}: negatives among {@code keys[0, i)}; length {@code size() + 1}. */
    final long[] cumNegatives;

    ScoreRun(int[] keys, long[] cumPositives, long[] cumNegatives) {
        this.keys = keys;
        this.cumPositives = cumPositives;
        this.cumNegatives = cumNegatives;
    }

    int size() {
        return keys.length;
    }

    long positives(int i) {
        return cumPositives[i + 1] - cumPositives[i];
    }

    long negatives(int i) {
        return cumNegatives[i + 1] - cumNegatives[i];
    }

    long totalPositives() {
        return cumPositives[keys.length];
    }

    long totalNegatives() {
        return cumNegatives[keys.length];
    }

    /**
     * Twice the Mann–Whitney U of pairs with the positive in this run and the negative in {@code
     * other} plus pairs with the negative in this run and the positive in {@code other}.
     */
    long twiceCrossU(ScoreRun other) {
        long twiceU = 0;
        for (int i = 0; i < keys.length; i++) {
            int at = other.lowerBound(keys[i]);
            boolean tie = at < other.size() && other.keys[at] == keys[i];
            long otherNegativesTied = tie ? other.negatives(at) : 0;
            long otherPositivesTied = tie ? other.positives(at) : 0;
            long otherPositivesAbove =
                    other.totalPositives() - other.cumPositives[at] - otherPositivesTied;
            twiceU +=
                    positives(i) * (2 * other.cumNegatives[at] + otherNegativesTied)
                            + negatives(i) * (2 * otherPositivesAbove + otherPositivesTied);
        }
        return twiceU;
    }

    /** Twice the Mann–Whitney U of the pairs within this run, ties as one half. */
    long twiceU() {
        long twiceU = 0;
        for (int i = 0; i < keys.length; i++) {
            twiceU += positives(i) * (2 * cumNegatives[i] + negatives(i));
        }
        return twiceU;
    }

    /** The union of two runs, counts of equal scores added together. */
    static ScoreRun merge(ScoreRun a, ScoreRun b) {
        int[] keys = new int[a.size() + b.size()];
        long[] cumPositives = new long[keys.length + 1];
        long[] cumNegatives = new long[keys.length + 1];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.size() || j < b.size()) {
            long positives = 0;
            long negatives = 0;
            int key;
            if (j == b.size() || (i < a.size() && a.keys[i] <= b.keys[j])) {
                key = a.keys[i];
            } else {
                key = b.keys[j];
            }
            if (i < a.size() && a.keys[i] == key) {
                positives += a.positives(i);
                negatives += a.negatives(i++);
            }
            if (j < b.size() && b.keys[j] == key) {
                positives += b.positives(j);
                negatives += b.negatives(j++);
            }
            keys[n] = key;
            cumPositives[n + 1] = cumPositives[n] + positives;
            cumNegatives[n + 1] = cumNegatives[n] + negatives;
            n++;
        }
        if (n == keys.length) {
            return new ScoreRun(keys, cumPositives, cumNegatives);
        }
        return new ScoreRun(
                Arrays.copyOf(keys, n),
                Arrays.copyOf(cumPositives, n + 1),
                Arrays.copyOf(cumNegatives, n + 1));
    }

    /** The first index whose key is not below {@code key}. */
    private int lowerBound(int key) {
        int low = 0;
        int high = keys.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (keys[mid] < key) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
