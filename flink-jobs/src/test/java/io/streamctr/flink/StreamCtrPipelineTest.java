package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
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

    @Test
    void aLearnerRunsInTheEnrichersTaskUnlessAskedForItsOwn() {
        assertThat(taskNames(new Configuration()))
                .anyMatch(t -> t.contains("sequence enricher") && t.contains("learner dnn"));

        Configuration own = new Configuration();
        own.set(JobOptions.LEARNER_OWN_TASK, true);
        List<String> tasks = taskNames(own);

        assertThat(tasks)
                .noneMatch(t -> t.contains("sequence enricher") && t.contains("learner"))
                .anyMatch(t -> t.startsWith("learner dnn"));
    }

    /** The job graph's tasks (chains of operators), parallelism 1 as the demo runs. */
    private static List<String> taskNames(Configuration conf) {
        conf.set(JobOptions.MODELS, List.of("dnn"));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setParallelism(1);
        StreamCtrPipeline.build(env, conf);
        List<String> names = new ArrayList<>();
        env.getStreamGraph().getJobGraph().getVertices().forEach(v -> names.add(v.getName()));
        return names;
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
