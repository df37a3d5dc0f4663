package io.streamctr.flink;

import io.streamctr.model.runtime.DjlRuntime;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * The job's entry point for {@code flink run}: program arguments ({@code --key value}, keys of
 * {@link JobOptions}) → configuration, checked by {@link JobOptionsValidator} → {@link
 * StreamCtrPipeline} → execute.
 */
public final class StreamCtrJob {

    private StreamCtrJob() {}

    public static void main(String[] args) throws Exception {
        DjlRuntime.configure();
        Configuration conf = Configuration.fromMap(ParameterTool.fromArgs(args).toMap());
        try {
            JobOptionsValidator.validate(conf);
        } catch (IllegalArgumentException e) {
            // one line, before anything is built or submitted: `flink run` prints it
            System.err.println("streamctr: " + e.getMessage());
            throw e;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        withRestorePath(env.getConfiguration(), conf);
        StreamCtrPipeline.build(env, conf);
        env.execute("streamctr " + String.join(",", StreamCtrPipeline.models(conf)));
    }

    /**
     * Copies the path the job restores from into the job's options when only the environment has
     * it: {@code flink run -s PATH} puts {@code execution.state-recovery.path} into the client's
     * configuration, which the context environment holds, not into the program arguments; the
     * checks at build time ({@link io.streamctr.flink.sync.RestoredLearnerCheck}) read it from the
     * options.
     */
    static void withRestorePath(ReadableConfig environment, Configuration conf) {
        if (conf.getOptional(StateRecoveryOptions.SAVEPOINT_PATH).isEmpty()) {
            environment
                    .getOptional(StateRecoveryOptions.SAVEPOINT_PATH)
                    .ifPresent(path -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path));
        }
    }
}
