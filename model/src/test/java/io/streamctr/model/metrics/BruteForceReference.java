package io.streamctr.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Metrics straight from their definitions, written apart from the code under test. */
final class BruteForceReference {

    static final double TOLERANCE = 1e-9;

    private BruteForceReference() {}

    /** AUC by looking at every (positive, negative) pair, a tie worth one half. */
    static Double auc(float[] scores, int[] labels, int from, int to) {
        double wins = 0;
        long pairs = 0;
        for (int i = from; i < to; i++) {
            if (labels[i] != 1) {
                continue;
            }
            for (int j = from; j < to; j++) {
                if (labels[j] != 0) {
                    continue;
                }
                pairs++;
                if (scores[i] > scores[j]) {
                    wins += 1;
                } else if (scores[i] == scores[j]) {
                    wins += 0.5;
                }
            }
        }
        return pairs == 0 ? null : wins / pairs;
    }

    static double crossEntropy(float score, int label) {
        double p = score;
        if (p < 1e-12) {
            p = 1e-12;
        }
        if (p > 1 - 1e-12) {
            p = 1 - 1e-12;
        }
        return label == 1 ? -Math.log(p) : -Math.log(1 - p);
    }

    static MetricsSnapshot snapshot(float[] scores, int[] labels, int from, int to) {
        long count = to - from;
        long positives = 0;
        double sumCrossEntropy = 0;
        double sumScores = 0;
        for (int i = from; i < to; i++) {
            positives += labels[i];
            sumCrossEntropy += crossEntropy(scores[i], labels[i]);
            sumScores += scores[i];
        }
        Double ne = null;
        if (positives > 0 && positives < count) {
            double mean = (double) positives / count;
            double baseline =
                    -positives * Math.log(mean) - (count - positives) * Math.log(1 - mean);
            ne = sumCrossEntropy / baseline;
        }
        return new MetricsSnapshot(
                count,
                positives,
                auc(scores, labels, from, to),
                ne,
                count == 0 ? null : sumCrossEntropy / count,
                positives == 0 ? null : sumScores / positives,
                count == 0 ? null : (double) positives / count,
                count == 0 ? null : sumScores / count);
    }

    /** gAUC by the definition: each user's pairwise AUC, weighted by the user's sample count. */
    static GroupAuc groupAuc(float[] scores, int[] labels, String[] users, int from, int to) {
        Map<String, List<Integer>> byUser = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            if (users[i] != null) {
                byUser.computeIfAbsent(users[i], u -> new ArrayList<>()).add(i);
            }
        }
        double weighted = 0;
        long weight = 0;
        int counted = 0;
        int skipped = 0;
        for (List<Integer> samples : byUser.values()) {
            float[] s = new float[samples.size()];
            int[] l = new int[samples.size()];
            for (int k = 0; k < samples.size(); k++) {
                s[k] = scores[samples.get(k)];
                l[k] = labels[samples.get(k)];
            }
            Double auc = auc(s, l, 0, s.length);
            if (auc == null) {
                skipped++;
            } else {
                counted++;
                weighted += s.length * auc;
                weight += s.length;
            }
        }
        return new GroupAuc(weight == 0 ? null : weighted / weight, counted, skipped);
    }

    /** The window figures of {@link #snapshot(float[], int[], int, int)} with the gAUC. */
    static MetricsSnapshot snapshot(
            float[] scores, int[] labels, String[] users, int from, int to) {
        MetricsSnapshot plain = snapshot(scores, labels, from, to);
        return from == to ? plain : plain.withGroupAuc(groupAuc(scores, labels, users, from, to));
    }

    /** Ten buckets of width 0.1 by counting: [count, positives, Σp] per bucket. */
    static double[][] calibration(float[] scores, int[] labels, int from, int to) {
        double[][] buckets = new double[10][3];
        for (int i = from; i < to; i++) {
            int b = 0;
            while (b < 9 && scores[i] >= (b + 1) / 10.0) {
                b++;
            }
            buckets[b][0]++;
            buckets[b][1] += labels[i];
            buckets[b][2] += scores[i];
        }
        return buckets;
    }

    /** Random user ids out of {@code users}, so that some users have one sample or one class. */
    static String[] users(Random random, int n, int users) {
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = "user-" + random.nextInt(users);
        }
        return ids;
    }

    static void assertMatches(MetricsSnapshot actual, MetricsSnapshot expected) {
        assertThat(actual.count()).as("count").isEqualTo(expected.count());
        assertThat(actual.positives()).as("positives").isEqualTo(expected.positives());
        assertClose("auc", actual.auc(), expected.auc());
        assertClose("ne", actual.ne(), expected.ne());
        assertClose("logLoss", actual.logLoss(), expected.logLoss());
        assertClose("calibration", actual.calibration(), expected.calibration());
        assertClose("ctr", actual.ctr(), expected.ctr());
        assertClose("predictionMean", actual.predictionMean(), expected.predictionMean());
        assertClose("gauc", actual.gauc(), expected.gauc());
        assertThat(actual.gaucUsers()).as("gaucUsers").isEqualTo(expected.gaucUsers());
        assertThat(actual.gaucUsersSkipped())
                .as("gaucUsersSkipped")
                .isEqualTo(expected.gaucUsersSkipped());
    }

    static void assertClose(String name, Double actual, Double expected) {
        if (expected == null) {
            assertThat(actual).as(name).isNull();
        } else {
            assertThat(actual).as(name).isNotNull();
            assertThat(actual.doubleValue()).as(name).isCloseTo(expected, within(TOLERANCE));
        }
    }

    /** Random scores in [0, 1], rounded to {@code decimals} places when non-negative. */
    static float[] scores(Random random, int n, int decimals) {
        float[] scores = new float[n];
        double scale = Math.pow(10, decimals);
        for (int i = 0; i < n; i++) {
            float score = random.nextFloat();
            scores[i] = decimals < 0 ? score : (float) (Math.round(score * scale) / scale);
        }
        return scores;
    }

    /** Labels that lean on the scores, so AUCs are away from one half. */
    static int[] labels(Random random, float[] scores) {
        int[] labels = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            labels[i] = random.nextDouble() < 0.2 + 0.6 * scores[i] ? 1 : 0;
        }
        return labels;
    }
}
