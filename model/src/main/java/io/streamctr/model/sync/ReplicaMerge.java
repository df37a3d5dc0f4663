package io.streamctr.model.sync;

import io.streamctr.model.learn.OnlineLearner;
import java.util.List;

/**
 * Restore at another number of replicas: the P saved learner states become one, which every new
 * replica starts from. Each array is the element-wise mean of the P states ({@link Combine#MAX}
 * arrays their maximum); what is not an array (an architecture search's stage) is the first
 * state's. For {@link Combine#SUM} accumulators the mean is the last agreed value plus the mean of
 * the replicas' increments since: it forgets (P−1)/P of what the replicas accumulated since the
 * last round (their agreed common part cannot be told apart without the sync state), the order of
 * staleness a round has anyway. The step is the mean too, so the model version may step back by
 * that much.
 */
public final class ReplicaMerge {

    private ReplicaMerge() {}

    /**
     * Restores into {@code learner} the merge of {@code snapshots} (its {@link
     * OnlineLearner#snapshot()}s, one per old replica); one snapshot restores as is.
     */
    public static void merge(OnlineLearner learner, List<byte[]> snapshots) {
        if (snapshots == null || snapshots.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge: no learner snapshots");
        }
        if (snapshots.size() == 1) {
            learner.restore(snapshots.get(0));
            return;
        }
        List<StateArray> arrays = SyncArrays.of(learner);
        double[][] merged = null;
        for (int s = snapshots.size() - 1; s >= 0; s--) { // ends restored to the first
            learner.restore(snapshots.get(s));
            if (merged == null) {
                merged = new double[arrays.size()][];
                for (int a = 0; a < arrays.size(); a++) {
                    merged[a] = arrays.get(a).read();
                }
                continue;
            }
            for (int a = 0; a < arrays.size(); a++) {
                double[] v = arrays.get(a).read();
                boolean max = arrays.get(a).combine() == Combine.MAX;
                for (int i = 0; i < v.length; i++) {
                    merged[a][i] = max ? Math.max(merged[a][i], v[i]) : merged[a][i] + v[i];
                }
            }
        }
        for (int a = 0; a < arrays.size(); a++) {
            if (arrays.get(a).combine() != Combine.MAX) {
                for (int i = 0; i < merged[a].length; i++) {
                    merged[a][i] /= snapshots.size();
                }
            }
            arrays.get(a).write(merged[a]);
        }
    }
}
