package io.streamctr.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.cli.CliRun;
import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.flink.learn.LearnerConfig;
import io.streamctr.flink.learn.LearnerEntry;
import io.streamctr.flink.sync.ReplicaEntry;
import io.streamctr.flink.sync.ReplicaLearnerOperator;
import io.streamctr.model.enrich.SequenceEnrichment;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.pkg.ModelPackage;
import io.streamctr.model.sync.ReplicaMerge;
import io.streamctr.schemas.Example;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RunnableFuture;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.DefaultOperatorStateBackend;
import org.apache.flink.runtime.state.DefaultOperatorStateBackendBuilder;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.memory.MemCheckpointStreamFactory;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export} of a learner that ran as P = 2 replicas (issue 17): a savepoint holding the
 * replicas' union state {@value ReplicaLearnerOperator#STATE_NAME} (its metadata written here, one
 * entry per subtask as the replicas write it) exports as the merge of the replicas' learners; a
 * state missing a replica is refused.
 */
class ExportReplicasITCase {

    @Test
    void exportsTheMergeOfTheReplicas(@TempDir Path dir) throws Exception {
        List<Example> examples =
                new SequenceEnrichment("genres", 50, JobOptions.CONTEXT_ONLY_ACTIONS.defaultValue())
                        .enrichAll(MovieLensReader.read(BundledData.movieLensDir(), 600));
        Configuration conf = new Configuration();
        conf.set(JobOptions.HASH_BUCKETS, 1024);
        conf.set(JobOptions.DEVICE, "cpu");
        LearnerConfig config =
                StreamCtrPipeline.learnerConfig(conf, LearnerEntry.parse("dnn-tiny"));
        List<byte[]> snapshots = new ArrayList<>();
        for (int replica = 0; replica < 2; replica++) {
            try (OnlineLearner learner = config.newLearner()) {
                // replica r trains on every other batch, from batch r
                for (int from = 64 * replica; from + 64 <= 512; from += 128) {
                    learner.process(examples.subList(from, from + 64));
                }
                snapshots.add(learner.snapshot());
            }
        }
        assertThat(snapshots.get(0)).isNotEqualTo(snapshots.get(1));
        List<byte[]> entries = new ArrayList<>();
        for (int replica = 0; replica < 2; replica++) {
            entries.add(
                    new ReplicaEntry(replica, 2, 0, snapshots.get(replica), new byte[0], List.of())
                            .toBytes());
        }
        String full = savepoint(dir.resolve("full"), entries);
        String half = savepoint(dir.resolve("half"), entries.subList(1, 2));

        CliRun run =
                CliRun.of(
                        "export",
                        "--checkpoint",
                        full,
                        "--model",
                        "dnn-tiny",
                        "--output",
                        dir.resolve("merged").toString(),
                        "--set",
                        "ctr.features.hash-buckets=1024");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("(the merge of 2 replicas)");
        List<Example> later = examples.subList(512, 576);
        try (OnlineLearner expected = config.newLearner();
                OnlineLearner first = config.newLearner();
                ModelPackage exported = ModelPackage.load(dir.resolve("merged"), "cpu")) {
            ReplicaMerge.merge(expected, snapshots);
            first.restore(snapshots.get(0));
            float[] scores = exported.scorer().score(later);
            assertThat(scores).isEqualTo(expected.score(later));
            assertThat(scores).isNotEqualTo(first.score(later));
            assertThat(exported.manifest().step()).isEqualTo(expected.step());
        }

        CliRun incomplete =
                CliRun.of(
                        "export",
                        "--checkpoint",
                        half,
                        "--model",
                        "dnn-tiny",
                        "--output",
                        dir.resolve("half-out").toString(),
                        "--set",
                        "ctr.features.hash-buckets=1024");
        assertThat(incomplete.exitCode()).isEqualTo(1);
        assertThat(incomplete.errLines())
                .hasSize(1)
                .allMatch(l -> l.contains("found the entries of replicas [1] of 2"));
    }

    /**
     * A savepoint folder whose metadata holds the learner's union state as P replicas snapshot it:
     * subtask i's operator state backend holds entry i (its handle inline in the metadata).
     */
    private static String savepoint(Path dir, List<byte[]> entries) throws Exception {
        String uid = "learner-dnn-tiny";
        OperatorState state =
                new OperatorState(
                        "learner dnn-tiny",
                        uid,
                        new OperatorID(StreamGraphHasherV2.generateUserSpecifiedHash(uid)),
                        entries.size(),
                        128);
        for (int i = 0; i < entries.size(); i++) {
            DefaultOperatorStateBackend backend =
                    new DefaultOperatorStateBackendBuilder(
                                    ExportReplicasITCase.class.getClassLoader(),
                                    new ExecutionConfig(),
                                    false,
                                    List.of(),
                                    new CloseableRegistry())
                            .build();
            backend.getUnionListState(
                            new ListStateDescriptor<>(
                                    ReplicaLearnerOperator.STATE_NAME,
                                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO))
                    .add(entries.get(i));
            RunnableFuture<SnapshotResult<OperatorStateHandle>> snapshot =
                    backend.snapshot(
                            1,
                            0,
                            new MemCheckpointStreamFactory(64 << 20),
                            CheckpointOptions.forCheckpointWithDefaultLocation());
            snapshot.run();
            state.putState(
                    i,
                    OperatorSubtaskState.builder()
                            .setManagedOperatorState(snapshot.get().getJobManagerOwnedSnapshot())
                            .build());
            backend.dispose();
        }
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(dir.resolve("_metadata"))) {
            Checkpoints.storeCheckpointMetadata(
                    new CheckpointMetadata(1, List.of(state), List.of()),
                    new DataOutputStream(out));
        }
        return dir.toString();
    }
}
