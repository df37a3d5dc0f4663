package io.streamctr.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The embedded default's Flink: a MiniCluster in this JVM with the RocksDB state backend,
 * incremental checkpoints to a local folder, a fixed-delay restart strategy and Kryo disabled
 * (every record and state is Avro).
 */
public final class LocalFlink {

    private LocalFlink() {}

    /** Flink configuration of the embedded runs; job options can be added to it. */
    public static Configuration configuration(Path checkpointDir, Duration checkpointInterval) {
        Map<String, String> m = new HashMap<>();
        m.put("state.backend.type", "rocksdb");
        m.put("execution.checkpointing.dir", checkpointDir.toUri().toString());
        m.put("execution.checkpointing.incremental", "true");
        m.put("execution.checkpointing.interval", checkpointInterval.toMillis() + " ms");
        m.put("restart-strategy.type", "fixed-delay");
        m.put("restart-strategy.fixed-delay.attempts", "3");
        m.put("restart-strategy.fixed-delay.delay", "1 s");
        m.put("pipeline.generic-types", "false");
        m.put("parallelism.default", "1");
        m.put("rest.bind-port", "0");
        return Configuration.fromMap(m);
    }

    /** A local (MiniCluster) environment with this configuration. */
    public static StreamExecutionEnvironment environment(Configuration conf) {
        return StreamExecutionEnvironment.createLocalEnvironment(conf);
    }
}
