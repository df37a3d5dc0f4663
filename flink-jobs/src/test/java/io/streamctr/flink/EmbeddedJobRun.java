package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.embedded.EmbeddedKafkaExtension;
import io.streamctr.embedded.LocalFlink;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Prediction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The end-to-end tests' common run: the default topics on the in-process broker, the events
 * produced, the whole job built by {@link StreamCtrPipeline#build} on a MiniCluster with RocksDB,
 * bounded to the events; then the checks every model's predictions must pass.
 */
public final class EmbeddedJobRun {

    /** The job's default output topics; one partition each keeps the learners' order readable. */
    public static final List<String> OUTPUT_TOPICS =
            List.of("ctr.predictions", "ctr.metrics", "ctr.deadletter");

    private EmbeddedJobRun() {}

    /**
     * Creates the default topics (events with {@code eventPartitions}), produces the events and
     * returns the job configuration: bounded, these models, CPU, checkpoints every 2 s. Callers add
     * their own options before {@link #execute}.
     */
    public static Configuration prepare(
            EmbeddedKafkaExtension kafka,
            Path checkpoints,
            List<ClickEvent> events,
            int eventPartitions,
            List<String> models)
            throws Exception {
        kafka.createTopic("ctr.events", eventPartitions);
        kafka.createTopics(OUTPUT_TOPICS, 1);
        KafkaTestIO.produce(kafka.bootstrapServers(), "ctr.events", events);
        return configuration(kafka.bootstrapServers(), checkpoints, Duration.ofSeconds(2), models);
    }

    /**
     * The job configuration of a bounded run on the MiniCluster (RocksDB, checkpoints to {@code
     * checkpoints} at this interval) reading from this broker, with these models on the CPU.
     */
    public static Configuration configuration(
            String bootstrap, Path checkpoints, Duration checkpointInterval, List<String> models) {
        Configuration conf = LocalFlink.configuration(checkpoints, checkpointInterval);
        conf.set(JobOptions.BOOTSTRAP_SERVERS, bootstrap);
        conf.set(JobOptions.BOUNDED, true);
        conf.set(JobOptions.MODELS, models);
        conf.set(JobOptions.DEVICE, "cpu");
        return conf;
    }

    /** Runs the whole job to the end of the events. */
    public static void execute(Configuration conf, String name) throws Exception {
        StreamExecutionEnvironment env = LocalFlink.environment(conf);
        StreamCtrPipeline.build(env, conf);
        env.execute(name);
    }

    /**
     * Reads the predictions topic and checks, per model: one prediction per event id, scores in [0,
     * 1], model versions never decreasing (one output partition: the learner's order) and more than
     * {@code minSteps} training steps. Returns all predictions.
     */
    public static List<Prediction> assertOnePredictionPerEvent(
            String bootstrap, List<ClickEvent> events, List<String> models, long minSteps)
            throws Exception {
        List<Prediction> predictions =
                KafkaTestIO.readAll(bootstrap, "ctr.predictions", Prediction.getDecoder());
        Set<String> expectedIds =
                events.stream().map(ClickEvent::getEventId).collect(Collectors.toSet());
        for (String model : models) {
            List<Prediction> mine =
                    predictions.stream().filter(p -> p.getModelName().equals(model)).toList();
            assertThat(mine).as("predictions of %s", model).hasSize(events.size());
            assertThat(mine.stream().map(Prediction::getEventId).collect(Collectors.toSet()))
                    .isEqualTo(expectedIds);
            long previous = -1;
            for (Prediction p : mine) {
                assertThat(p.getScore())
                        .as("%s score of %s", model, p.getEventId())
                        .isBetween(0f, 1f);
                assertThat(p.getModelVersion())
                        .as("%s version", model)
                        .isGreaterThanOrEqualTo(previous);
                previous = p.getModelVersion();
            }
            assertThat(previous).as("%s trained", model).isGreaterThan(minSteps);
        }
        return predictions;
    }
}
