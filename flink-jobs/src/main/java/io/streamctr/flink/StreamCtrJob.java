package io.streamctr.flink;

import io.streamctr.model.runtime.DjlRuntime;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * The job's entry point for {@code flink run}: program arguments ({@code --key value}, keys of
 * {@link JobOptions}) → configuration → {@link StreamCtrPipeline} → execute.
 */
public final class StreamCtrJob {

    private StreamCtrJob() {}

    public static void main(String[] args) throws Exception {
        DjlRuntime.configure();
        Configuration conf = Configuration.fromMap(ParameterTool.fromArgs(args).toMap());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        StreamCtrPipeline.build(env, conf);
        env.execute("streamctr " + String.join(",", StreamCtrPipeline.models(conf)));
    }
}
