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
        check(conf, metadata, path, name, replicas);
    }

    /** As above, for the metadata read from {@code path}. */
    static void check(
            Configuration conf,
            CheckpointMetadata metadata,
            String path,
            String name,
            int replicas) {
        OperatorState saved = savedLearner(metadata, name);
        if (saved == null) {
            return;
        }
        Set<String> states = stateNames(saved);
        String key = JobOptions.modelKey(JobOptions.MODEL_PARALLELISM, name);
        String warmStart = JobOptions.modelKey(JobOptions.MODEL_WARM_START, name);
        String export =
                "export it (streamctr export --checkpoint "
                        + path
                        + " --model "
                        + name
                        + " --output DIR)";
        if (replicas > 1
                && states.contains(LearnerOperator.STATE_NAME)
                && !states.contains(ReplicaLearnerOperator.STATE_NAME)) {
            boolean restorable = saved.getMaxParallelism() >= replicas;
            if (restorable
                    && JobOptions.modelValue(conf, JobOptions.MODEL_WARM_START, name).isPresent()) {
                return; // the replicas start from the package, the rest of the job from the path
            }
            throw new IllegalArgumentException(
                    "learner '"
                            + name
                            + "' in "
                            + path
                            + " ran at parallelism 1, whose state its replicas cannot read at "
                            + key
                            + " = "
                            + replicas
                            + "; "
                            + export
                            + (restorable
                                    ? " and restore with " + warmStart + "=DIR"
                                    : " and start the job without this savepoint (its max"
                                            + " parallelism is "
                                            + saved.getMaxParallelism()
                                            + "), with "
                                            + warmStart
                                            + "=DIR"));
        }
        if (replicas == 1 && states.contains(ReplicaLearnerOperator.STATE_NAME)) {
            throw new IllegalArgumentException(
                    "learner '"
                            + name
                            + "' in "
                            + path
                            + " ran as replicas, whose state the learner at parallelism 1 cannot"
                            + " restore; restore at "
                            + key
                            + " >= 2 (any number of replicas), or "
                            + export
                            + " (the merge of the replicas) and start the job without this"
                            + " savepoint, with "
                            + warmStart
                            + "=DIR");
        }
    }

    /** Learner {@code name}'s saved operator state in {@code metadata}, null if none. */
    private static OperatorState savedLearner(CheckpointMetadata metadata, String name) {
        OperatorID learner =
                new OperatorID(StreamGraphHasherV2.generateUserSpecifiedHash(uid(name)));
        for (OperatorState state : metadata.getOperatorStates()) {
            if (state.getOperatorID().equals(learner)) {
                return state;
            }
        }
        return null;
    }

    /** The names of the operator states in {@code state} that hold an element. */
    private static Set<String> stateNames(OperatorState state) {
        Set<String> names = new HashSet<>();
        for (OperatorSubtaskState subtask : state.getStates()) {
            for (OperatorStateHandle handle : subtask.getManagedOperatorState()) {
                // a state a learner registered empty (the replicas clear the P = 1 states)
                handle.getStateNameToPartitionOffsets()
                        .forEach(
                                (name, info) -> {
                                    if (info.getOffsets().length > 0) {
                                        names.add(name);
                                    }
                                });
            }
        }
        return names;
    }

    static String uid(String name) {
        return "learner-" + name;
    }
}
