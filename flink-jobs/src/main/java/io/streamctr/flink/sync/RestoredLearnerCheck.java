package io.streamctr.flink.sync;

import io.streamctr.flink.JobOptions;
import io.streamctr.flink.learn.LearnerOperator;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.CompletedCheckpointStorageLocation;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.filesystem.AbstractFsCheckpointStorageAccess;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;

/**
 * Refuses at submit a learner restored from a checkpoint or savepoint saved by the other kind of
 * learner (issue 17; docs/scale-out.md, "Restore at another P"). The P = 1 learner ({@link
 * LearnerOperator}, list state {@value LearnerOperator#STATE_NAME}) and the replicas ({@link
 * ReplicaLearnerOperator}, union state {@value ReplicaLearnerOperator#STATE_NAME}) share the uid
 * {@code learner-NAME}, and neither reads the other's state: restored across, the learner would
 * silently start afresh (or Flink fails every attempt, where the saved max parallelism is lower
 * than P). The check reads the names of the learner's saved states from the restore path's metadata
 * and fails the submit with one line saying how to proceed: export the learner from the savepoint
 * (the merge of the replicas for P > 1) and start the job from the package. Between replica states
 * any P restores (their merge, {@link ReplicaLearnerOperator}).
 */
public final class RestoredLearnerCheck {

    private RestoredLearnerCheck() {}

    /**
     * Checks learner {@code name} at {@code replicas} (1: the P = 1 learner) against the state
     * {@code execution.state-recovery.path} restores, if any.
     *
     * @throws IllegalArgumentException when that state was saved by the other kind of learner
     */
    public static void check(Configuration conf, String name, int replicas) {
        String path = conf.get(StateRecoveryOptions.SAVEPOINT_PATH);
        if (path == null || path.isBlank()) {
            return;
        }
        CheckpointMetadata metadata;
        try {
            CompletedCheckpointStorageLocation location =
                    AbstractFsCheckpointStorageAccess.resolveCheckpointPointer(path);
            try (DataInputStream in =
                    new DataInputStream(location.getMetadataHandle().openInputStream())) {
                metadata =
                        Checkpoints.loadCheckpointMetadata(
                                in, RestoredLearnerCheck.class.getClassLoader(), path);
            }
        } catch (IOException e) {
            // Flink reports an unreadable restore path itself, with its cause
            return;
        }
        check(metadata, path, name, replicas);
    }

    /** As above, for the metadata read from {@code path}. */
    static void check(CheckpointMetadata metadata, String path, String name, int replicas) {
        Set<String> saved = savedStates(metadata, name);
        String key = JobOptions.modelKey(JobOptions.MODEL_PARALLELISM, name);
        String wayOut =
                "; export it (streamctr export --checkpoint "
                        + path
                        + " --model "
                        + name
                        + " --output DIR) and start the job without this savepoint, with "
                        + JobOptions.modelKey(JobOptions.MODEL_WARM_START, name)
                        + "=DIR";
        if (replicas > 1
                && saved.contains(LearnerOperator.STATE_NAME)
                && !saved.contains(ReplicaLearnerOperator.STATE_NAME)) {
            throw new IllegalArgumentException(
                    "learner '"
                            + name
                            + "' in "
                            + path
                            + " ran at parallelism 1, whose state its replicas cannot restore at "
                            + key
                            + " = "
                            + replicas
                            + wayOut);
        }
        if (replicas == 1 && saved.contains(ReplicaLearnerOperator.STATE_NAME)) {
            throw new IllegalArgumentException(
                    "learner '"
                            + name
                            + "' in "
                            + path
                            + " ran as replicas, whose state the learner at parallelism 1 cannot"
                            + " restore; restore at "
                            + key
                            + " >= 2 (any number of replicas), or"
                            + wayOut.substring(1)
                            + " (the merge of the replicas)");
        }
    }

    /** The names of the operator states learner {@code name} saved in {@code metadata}. */
    private static Set<String> savedStates(CheckpointMetadata metadata, String name) {
        OperatorID learner =
                new OperatorID(StreamGraphHasherV2.generateUserSpecifiedHash(uid(name)));
        Set<String> names = new HashSet<>();
        for (OperatorState state : metadata.getOperatorStates()) {
            if (!state.getOperatorID().equals(learner)) {
                continue;
            }
            for (OperatorSubtaskState subtask : state.getStates()) {
                for (OperatorStateHandle handle : subtask.getManagedOperatorState()) {
                    names.addAll(handle.getStateNameToPartitionOffsets().keySet());
                }
            }
        }
        return names;
    }

    static String uid(String name) {
        return "learner-" + name;
    }
}
