package io.streamctr.flink.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The replicas' saved entries as the learner snapshots {@code export} merges. */
class ReplicaStatesTest {

    private static byte[] entry(int replica, int replicas, byte learner) {
        return new ReplicaEntry(
                        replica, replicas, 3, new byte[] {learner}, new byte[] {9}, List.of())
                .toBytes();
    }

    @Test
    void takesEachReplicaOnceInReplicaOrder() {
        List<byte[]> snapshots =
                ReplicaStates.learnerSnapshots(
                        List.of(
                                entry(1, 2, (byte) 11),
                                entry(0, 2, (byte) 10),
                                entry(1, 2, (byte) 11)));

        assertThat(snapshots).containsExactly(new byte[] {10}, new byte[] {11});
    }

    @Test
    void refusesAMissingReplica() {
        assertThatThrownBy(() -> ReplicaStates.learnerSnapshots(List.of(entry(1, 3, (byte) 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found the entries of replicas [1] of 3");
    }

    @Test
    void refusesEntriesOfDifferentParallelism() {
        assertThatThrownBy(
                        () ->
                                ReplicaStates.learnerSnapshots(
                                        List.of(entry(0, 2, (byte) 1), entry(1, 3, (byte) 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replica entries of 2 and 3 replicas");
    }

    @Test
    void refusesNoEntries() {
        assertThatThrownBy(() -> ReplicaStates.learnerSnapshots(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no replica entries");
    }

    @Test
    void refusesAParallelismOneModelSnapshot() {
        assertThatThrownBy(() -> ReplicaStates.learnerSnapshots(List.of(new byte[] {0, 1, 2})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a replica state entry");
    }
}
