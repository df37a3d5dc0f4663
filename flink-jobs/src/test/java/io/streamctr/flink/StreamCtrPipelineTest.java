package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The job graph {@link StreamCtrPipeline#build} makes from the options (built, not run). */
class StreamCtrPipelineTest {

    @Test
    void everyModelHasALearnerAndMetricsOperatorByDefault() {
        List<String> nodes = nodeNames(new Configuration());

        assertThat(nodes)
                .contains("learner dnn", "metrics dnn", "learner dcn", "metrics dcn")
                .anyMatch(n -> n.startsWith("metrics sink"))
                .anyMatch(n -> n.startsWith("predictions sink"));
    }

    @Test
    void metricsSwitchedOffLeavesOnlyThePredictions() {
        Configuration conf = new Configuration();
        conf.set(JobOptions.METRICS_ENABLED, false);

        List<String> nodes = nodeNames(conf);

        assertThat(nodes)
                .contains("learner dnn", "learner dcn")
                .anyMatch(n -> n.startsWith("predictions sink"))
                .anyMatch(n -> n.startsWith("dead-letter sink"))
                .noneMatch(n -> n.startsWith("metrics"));
    }

    private static List<String> nodeNames(Configuration conf) {
        conf.set(JobOptions.MODELS, List.of("dnn", "dcn"));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        StreamCtrPipeline.build(env, conf);
        StreamGraph graph = env.getStreamGraph();
        return graph.getStreamNodes().stream().map(StreamNode::getOperatorName).toList();
    }
}
