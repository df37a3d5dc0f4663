package io.streamctr.cli.architecture;

import io.streamctr.flink.learn.LearnerOperator;
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
 * LearnerOperator#STATE_NAME} of the operator with uid {@code learner-<model>}.
 */
public final class ModelStateReader {

    private ModelStateReader() {}

    /** The model snapshot of {@code model} in the checkpoint or savepoint at {@code path}. */
    public static byte[] read(String path, String model) throws Exception {
        Configuration conf = new Configuration();
        // one record is a whole model (parameters + Adam moments: tens of MB and more)
        conf.set(
                ConfigOptions.key("collect-sink.batch-size.max").memoryType().noDefaultValue(),
                MemorySize.parse("1g"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        SavepointReader savepoint =
                SavepointReader.read(env, path, new EmbeddedRocksDBStateBackend());
        List<byte[]> snapshots = new ArrayList<>();
        try (CloseableIterator<byte[]> it =
                savepoint
                        .readListState(
                                OperatorIdentifier.forUid("learner-" + model),
                                LearnerOperator.STATE_NAME,
                                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                        .executeAndCollect("read model " + model)) {
            it.forEachRemaining(snapshots::add);
        }
        if (snapshots.size() != 1) {
            throw new IllegalArgumentException(
                    "expected one model snapshot of learner '"
                            + model
                            + "' in "
                            + path
                            + ", found "
                            + snapshots.size());
        }
        return snapshots.get(0);
    }
}
