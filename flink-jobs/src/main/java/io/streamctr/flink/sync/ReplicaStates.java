package io.streamctr.flink.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A replicated learner's saved state read outside the job (issue 17; docs/lifecycle.md): the union
 * list state {@value ReplicaLearnerOperator#STATE_NAME} holds one {@link ReplicaEntry} per replica.
 * {@code streamctr export} merges their learners as a restore at another P does ({@link
 * io.streamctr.model.sync.ReplicaMerge}).
 */
public final class ReplicaStates {

    private ReplicaStates() {}

    /**
     * The learner snapshots of the replicas' entries, in replica order: each replica once (a reader
     * may see an entry more than once), and all P of them.
     *
     * @throws IllegalArgumentException when the entries disagree on P or a replica is missing
     */
    public static List<byte[]> learnerSnapshots(Iterable<byte[]> entries) {
        TreeMap<Integer, ReplicaEntry> byReplica = new TreeMap<>();
        int replicas = -1;
        for (byte[] bytes : entries) {
            ReplicaEntry e = ReplicaEntry.fromBytes(bytes);
            if (replicas != -1 && e.replicas() != replicas) {
                throw new IllegalArgumentException(
                        "replica entries of " + replicas + " and " + e.replicas() + " replicas");
            }
            replicas = e.replicas();
            byReplica.putIfAbsent(e.replica(), e);
        }
        if (replicas == -1) {
            throw new IllegalArgumentException("no replica entries");
        }
        if (byReplica.size() != replicas) {
            throw new IllegalArgumentException(
                    "found the entries of replicas "
                            + byReplica.keySet()
                            + " of "
                            + replicas
                            + ": the state is incomplete");
        }
        List<byte[]> snapshots = new ArrayList<>(replicas);
        byReplica.values().forEach(e -> snapshots.add(e.learner()));
        return snapshots;
    }
}
