package io.streamctr.cli.architecture;

import io.streamctr.flink.learn.LearnerOperator;
import io.streamctr.flink.sync.ReplicaLearnerOperator;
import io.streamctr.flink.sync.ReplicaStates;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Reads a learner's model (the bytes {@code OnlineTrainer.snapshot()} wrote) out of a retained
 * checkpoint or a savepoint with Flink's State Processor API: the operator state {@value
 * LearnerOperator#STATE_NAME} of the operator with uid {@code learner-<model>}, or the replicas'
 * entries of a learner that ran at parallelism P > 1 (issue 17).
 */
public final class ModelStateReader {

    private ModelStateReader() {}

    /**
     * The model snapshot of {@code model} in the checkpoint or savepoint at {@code path}; a learner
     * that ran as replicas (P > 1) is refused: use {@link #readAll}.
     */
    public static byte[] read(String path, String model) throws Exception {
        List<byte[]> snapshots = readAll(path, model);
        if (snapshots.size() != 1) {
            throw new IllegalArgumentException(
                    "learner '"
                            + model
                            + "' in "
                            + path
                            + " ran as "
                            + snapshots.size()
                            + " replicas (ctr.model."
                            + model
                            + ".parallelism): export it first (streamctr export merges them)");
        }
        return snapshots.get(0);
    }

    /**
     * The model snapshots of {@code model}: one for a learner at parallelism 1 ({@value
     * LearnerOperator#STATE_NAME}), one per replica, in replica order, for a learner that ran as P
     * replicas ({@value ReplicaLearnerOperator#STATE_NAME}; {@link ReplicaStates}).
     */
    public static List<byte[]> readAll(String path, String model) throws Exception {
        Configuration conf = new Configuration();
        // one record is a whole model (parameters + Adam moments: tens of MB and more)
        conf.set(
                ConfigOptions.key("collect-sink.batch-size.max").memoryType().noDefaultValue(),
                MemorySize.parse("1g"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        SavepointReader savepoint =
                SavepointReader.read(env, path, new EmbeddedRocksDBStateBackend());
        OperatorIdentifier uid = OperatorIdentifier.forUid("learner-" + model);
        List<byte[]> snapshots = new ArrayList<>();
        try (CloseableIterator<byte[]> it =
                savepoint
                        .readListState(
                                uid,
                                LearnerOperator.STATE_NAME,
                                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                        .executeAndCollect("read model " + model)) {
            it.forEachRemaining(snapshots::add);
        }
        if (snapshots.size() > 1) {
            throw new IllegalArgumentException(
                    "expected one model snapshot of learner '"
                            + model
                            + "' in "
                            + path
                            + ", found "
                            + snapshots.size());
        }
        if (!snapshots.isEmpty()) {
            return snapshots;
        }
        List<byte[]> entries = new ArrayList<>();
        try (CloseableIterator<byte[]> it =
                savepoint
                        .readUnionState(
                                uid,
                                ReplicaLearnerOperator.STATE_NAME,
                                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                        .executeAndCollect("read replicas of " + model)) {
            it.forEachRemaining(entries::add);
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(
                    "no model snapshot of learner '" + model + "' in " + path);
        }
        return ReplicaStates.learnerSnapshots(entries);
    }
}
