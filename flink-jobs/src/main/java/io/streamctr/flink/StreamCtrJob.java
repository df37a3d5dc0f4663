package io.streamctr.flink;

import io.streamctr.model.runtime.DjlRuntime;
import org.apache.flink.configuration.Configuration;
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
        StreamCtrPipeline.build(env, conf);
        env.execute("streamctr " + String.join(",", StreamCtrPipeline.models(conf)));
    }
}
