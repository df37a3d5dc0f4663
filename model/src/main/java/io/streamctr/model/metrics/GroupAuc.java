package io.streamctr.model.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * Group AUC (gAUC): the AUC of each user's samples, averaged with the user's sample count as the
 * weight, {@code gAUC = Σ_u n_u·AUC_u / Σ_u n_u}, as TorchRec's {@code gauc.py} and Zhou et al.
 * 2018, "Deep Interest Network for Click-Through Rate Prediction", section 5.1. A user whose
 * samples hold one class has no AUC; such users are left out of both sums and counted in {@link
 * #usersSkipped()}. Samples without a user id belong to no user.
 *
 * @param gauc the weighted mean of the per-user AUCs; {@code null} when no user has both classes
 * @param users users with both classes, whose AUC is in the mean
 * @param usersSkipped users with samples of one class only, left out of the mean
 */
public record GroupAuc(Double gauc, int users, int usersSkipped) {

    /** No samples, or none with a user id. */
    public static final GroupAuc NONE = new GroupAuc(null, 0, 0);

    public GroupAuc {
        if (users < 0 || usersSkipped < 0) {
            throw new IllegalArgumentException(
                    "Expected user counts >= 0, got users="
                            + users
                            + ", usersSkipped="
                            + usersSkipped);
        }
        if (gauc != null && (gauc.isNaN() || users == 0)) {
            throw new IllegalArgumentException(
                    "Expected gauc to be null when no user counts, got "
                            + gauc
                            + " over "
                            + users
                            + " users");
        }
    }

    /**
     * The gAUC of {@code scores[from, to)}, {@code labels[from, to)} grouped by {@code userIds[i]}
     * (equal strings are one user; {@code null} is no user). The result does not depend on the
     * order of the samples: users are summed in the order of their ids. O(n log n).
     *
     * @throws IllegalArgumentException on a NaN score or a label other than 0 or 1
     */
    public static GroupAuc of(float[] scores, int[] labels, String[] userIds, int from, int to) {
        Objects.checkFromToIndex(from, to, scores.length);
        Objects.checkFromToIndex(from, to, labels.length);
        Objects.checkFromToIndex(from, to, userIds.length);
        Integer[] order = new Integer[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            if (userIds[i] != null) {
                order[n++] = i;
            }
        }
        order = Arrays.copyOf(order, n);
        Arrays.sort(order, Comparator.comparing((Integer i) -> userIds[i]));

        float[] groupScores = new float[n];
        int[] groupLabels = new int[n];
        double weightedAuc = 0;
        long weight = 0;
        int users = 0;
        int skipped = 0;
        int start = 0;
        while (start < n) {
            String user = userIds[order[start]];
            int size = 0;
            for (int k = start; k < n && userIds[order[k]].equals(user); k++) {
                groupScores[size] = scores[order[k]];
                groupLabels[size] = labels[order[k]];
                size++;
            }
            Double auc = BinaryMetrics.auc(groupScores, groupLabels, 0, size);
            if (auc == null) {
                skipped++;
            } else {
                users++;
                weightedAuc += size * auc;
                weight += size;
            }
            start += size;
        }
        return new GroupAuc(weight == 0 ? null : weightedAuc / weight, users, skipped);
    }

    /**
     * Why {@link #gauc()} is {@code null}: {@code "no user"} when no sample has a user id, {@code
     * "one class per user"} when every user's samples hold one class; {@code null} when the gAUC is
     * defined.
     */
    public String undefinedReason() {
        if (gauc != null) {
            return null;
        }
        return usersSkipped == 0
                ? MetricsSnapshot.REASON_NO_USER
                : MetricsSnapshot.REASON_ONE_CLASS_PER_USER;
    }
}
