package io.streamctr.flink.sync;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.OperatorStreamStateHandle;
import org.apache.flink.runtime.state.memory.ByteStreamStateHandle;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A learner at P > 1 restored from a savepoint (its {@code _metadata} written here) of a job that
 * ran it at parallelism 1 is refused at submit; the state of replicas is not.
 */
class RestoredLearnerCheckTest {

    /**
     * A savepoint folder whose metadata holds learner {@code name}'s operator state {@code state}.
     */
    private static Path savepoint(Path dir, String name, String stateName) throws Exception {
        return savepoint(dir, name, stateName, 128);
    }

    private static Path savepoint(Path dir, String name, String stateName, int maxParallelism)
            throws Exception {
        String uid = RestoredLearnerCheck.uid(name);
        OperatorState state =
                new OperatorState(
                        "learner " + name,
                        uid,
                        new OperatorID(StreamGraphHasherV2.generateUserSpecifiedHash(uid)),
                        1,
                        maxParallelism);
        OperatorStateHandle handle =
                new OperatorStreamStateHandle(
                        Map.of(
                                stateName,
                                new OperatorStateHandle.StateMetaInfo(
                                        new long[] {0}, OperatorStateHandle.Mode.UNION)),
                        new ByteStreamStateHandle("state", new byte[] {1, 2, 3}));
        state.putState(0, OperatorSubtaskState.builder().setManagedOperatorState(handle).build());
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(dir.resolve("_metadata"))) {
            Checkpoints.storeCheckpointMetadata(
                    new CheckpointMetadata(7, List.of(state), List.of()),
                    new DataOutputStream(out));
        }
        return dir;
    }

    private static Configuration restoring(Path savepoint) {
        Configuration conf = new Configuration();
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint.toString());
        return conf;
    }

    @Test
    void refusesTheStateOfALearnerAtParallelismOne(@TempDir Path dir) throws Exception {
        Configuration conf = restoring(savepoint(dir.resolve("sp"), "dnn", "model"));

        assertThatThrownBy(() -> RestoredLearnerCheck.check(conf, "dnn", 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learner 'dnn' in " + dir.resolve("sp"))
                .hasMessageContaining("ran at parallelism 1")
                .hasMessageContaining("ctr.model.dnn.parallelism = 2")
                .hasMessageContaining("--model dnn --output DIR")
                .hasMessageContaining("and restore with ctr.model.dnn.warm-start=DIR")
                .hasMessageNotContaining("\n");
    }

    @Test
    void takesAParallelismOneSavepointWithTheLearnersExportAsWarmStart(@TempDir Path dir)
            throws Exception {
        Configuration conf = restoring(savepoint(dir.resolve("sp"), "dnn", "model"));
        conf.setString("ctr.model.dnn.warm-start", "/models/dnn");
        Configuration vertexOfItsOwn = restoring(savepoint(dir.resolve("own"), "dnn", "model", 1));
        vertexOfItsOwn.setString("ctr.model.dnn.warm-start", "/models/dnn");

        assertThatCode(() -> RestoredLearnerCheck.check(conf, "dnn", 2)).doesNotThrowAnyException();
        // Flink cannot restore max parallelism 1 at 2: the job must start without the savepoint
        assertThatThrownBy(() -> RestoredLearnerCheck.check(vertexOfItsOwn, "dnn", 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "start the job without this savepoint (its max parallelism is 1)");
    }

    @Test
    void refusesTheStateOfReplicasAtParallelismOne(@TempDir Path dir) throws Exception {
        Configuration conf = restoring(savepoint(dir.resolve("sp"), "dnn", "replicas"));

        assertThatThrownBy(() -> RestoredLearnerCheck.check(conf, "dnn", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ran as replicas")
                .hasMessageContaining("ctr.model.dnn.parallelism >= 2")
                .hasMessageContaining("the merge of the replicas")
                .hasMessageNotContaining("\n");
    }

    @Test
    void acceptsTheStateOfReplicasAndOtherLearners(@TempDir Path dir) throws Exception {
        Configuration replicas = restoring(savepoint(dir.resolve("replicas"), "dnn", "replicas"));
        Configuration other = restoring(savepoint(dir.resolve("other"), "ftrl", "model"));
        Configuration single = restoring(savepoint(dir.resolve("single"), "dnn", "model"));

        assertThatCode(() -> RestoredLearnerCheck.check(replicas, "dnn", 3))
                .doesNotThrowAnyException();
        assertThatCode(() -> RestoredLearnerCheck.check(other, "dnn", 2))
                .doesNotThrowAnyException();
        assertThatCode(() -> RestoredLearnerCheck.check(single, "dnn", 1))
                .doesNotThrowAnyException();
        assertThatCode(() -> RestoredLearnerCheck.check(new Configuration(), "dnn", 2))
                .doesNotThrowAnyException();
    }
}
