package io.streamctr.flink.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.embedded.EmbeddedKafkaExtension;
import io.streamctr.embedded.LocalFlink;
import io.streamctr.flink.EmbeddedJobRun;
import io.streamctr.flink.FailOnceAfterCheckpoint;
import io.streamctr.flink.JobOptions;
import io.streamctr.flink.KafkaTestIO;
import io.streamctr.flink.StreamCtrPipeline;
import io.streamctr.flink.sink.KafkaSinks;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DecodedRecord;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.Prediction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A learner at parallelism 2 on the whole pipeline (in-process broker, MiniCluster, RocksDB,
 * exactly-once): every event predicted once (read_committed) by the replica of its user, rounds
 * applied, and both replicas ending with the same state, bit for bit, after the final round; the
 * same after a failure injected mid-stream ({@link FailOnceAfterCheckpoint}) and a restart from the
 * last checkpoint.
 */
class ReplicatedLearnerITCase {

    private static final int EVENTS = 12_000;
    private static final int FAILOVER_EVENTS = 6_000;
    private static final String MODEL = "dnn-tiny";

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    @Timeout(300)
    void twoReplicasPredictEveryEventOnceAndEndEqual(@TempDir Path checkpoints) throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), EVENTS);
        KAFKA.createTopic("ctr.events", 2);
        KAFKA.createTopics(EmbeddedJobRun.OUTPUT_TOPICS, 1);
        // no ctr.sync topic: the sync sink's first send creates it, the source finds it
        KafkaTestIO.produce(bootstrap, "ctr.events", events);
        Configuration conf =
                EmbeddedJobRun.configuration(
                        bootstrap, checkpoints, Duration.ofMillis(300), List.of(MODEL));
        conf.setString("ctr.model." + MODEL + ".parallelism", "2");
        conf.set(JobOptions.SYNC_EVERY_BATCHES, 5);
        conf.set(JobOptions.BATCH_SIZE, 32);
        conf.set(JobOptions.METRICS_ENABLED, false);

        StreamExecutionEnvironment env = LocalFlink.environment(conf);
        StreamCtrPipeline.build(env, conf);
        JobExecutionResult result = env.execute("replicated-learner-itcase");

        List<String> ends = result.getAccumulatorResult(ReplicaLearnerOperator.ACCUMULATOR + MODEL);
        System.out.println("replicas ended: " + ends);
        List<Prediction> predictions =
                KafkaTestIO.readAll(bootstrap, "ctr.predictions", Prediction.getDecoder());
        assertThat(predictions).hasSize(EVENTS);
        assertThat(predictions.stream().map(Prediction::getEventId).collect(Collectors.toSet()))
                .isEqualTo(events.stream().map(ClickEvent::getEventId).collect(Collectors.toSet()));
        Map<String, Set<Integer>> replicasOfUser =
                predictions.stream()
                        .collect(
                                Collectors.groupingBy(
                                        Prediction::getUserId,
                                        Collectors.mapping(
                                                Prediction::getReplica, Collectors.toSet())));
        assertThat(replicasOfUser.values()).allSatisfy(r -> assertThat(r).hasSize(1));
        Set<Integer> replicas = new HashSet<>();
        replicasOfUser.values().forEach(replicas::addAll);
        assertThat(replicas).containsExactlyInAnyOrder(0, 1);
        long rounds = predictions.stream().mapToLong(Prediction::getSyncRound).max().orElse(0);
        System.out.println("rounds applied while predicting: " + rounds);
        // a round takes at least a checkpoint interval (deltas are read_committed)
        assertThat(rounds).as("rounds applied while predicting").isGreaterThanOrEqualTo(1);
        assertThat(predictions).allSatisfy(p -> assertThat(p.getScore()).isBetween(0f, 1f));

        assertThat(ends).hasSize(2);
        // the same round, step and state hash: equal, bit for bit
        assertThat(ends.get(0).replaceFirst("replica=\\d ", ""))
                .isEqualTo(ends.get(1).replaceFirst("replica=\\d ", ""));
        // the final round after the last prediction: later than any the predictions carry
        long finalRound = Long.parseLong(ends.get(0).replaceAll(".*round=(\\d+).*", "$1"));
        assertThat(finalRound).isGreaterThan(rounds);
        assertThat(ends.get(0)).doesNotContain("step=0 ");
    }

    @Test
    @Timeout(300)
    void twoReplicasRecoverFromAFailureWithoutLosingOrDoublingAPrediction(@TempDir Path checkpoints)
            throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), FAILOVER_EVENTS);
        String prefix = "fail";
        Configuration conf =
                EmbeddedJobRun.configuration(
                        bootstrap, checkpoints, Duration.ofMillis(300), List.of(MODEL));
        conf.set(JobOptions.EVENTS_TOPIC, prefix + ".events");
        conf.set(JobOptions.PREDICTIONS_TOPIC, prefix + ".predictions");
        conf.set(JobOptions.DEAD_LETTER_TOPIC, prefix + ".deadletter");
        conf.set(JobOptions.SYNC_TOPIC, prefix + ".sync");
        conf.set(JobOptions.GROUP_ID, prefix);
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, prefix);
        conf.setString("ctr.model." + MODEL + ".parallelism", "2");
        conf.set(JobOptions.SYNC_EVERY_BATCHES, 5);
        conf.set(JobOptions.BATCH_SIZE, 32);
        conf.set(JobOptions.METRICS_ENABLED, false);
        KAFKA.createTopic(prefix + ".events", 2);
        KAFKA.createTopic(prefix + ".predictions", 1);
        KAFKA.createTopic(prefix + ".deadletter", 1);
        KAFKA.createTopic(prefix + ".examples", 1);
        KafkaTestIO.produce(bootstrap, prefix + ".events", events);
        FailOnceAfterCheckpoint.reset();

        StreamExecutionEnvironment env = LocalFlink.environment(conf);
        DataStream<DecodedRecord> decoded =
                StreamCtrPipeline.source(env, conf)
                        .map(new FailOnceAfterCheckpoint(FAILOVER_EVENTS / 3, 1))
                        .returns(new AvroTypeInfo<>(DecodedRecord.class))
                        .name("failure injection")
                        .uid("failure-injection");
        StreamCtrPipeline.Streams streams =
                StreamCtrPipeline.buildFrom(decoded, conf, StreamCtrPipeline.models(conf));
        StreamCtrPipeline.addSinks(streams, conf);
        streams.examples()
                .map(new FailOnceAfterCheckpoint.Progress())
                .returns(new AvroTypeInfo<>(Example.class))
                .sinkTo(
                        KafkaSinks.create(
                                conf,
                                prefix + ".examples",
                                Example.class,
                                x -> x.getEvent().getUserId(),
                                "examples"))
                .name("examples sink")
                .uid("examples-sink");
        JobExecutionResult result = env.execute("replicated-learner-failover-itcase");

        FailOnceAfterCheckpoint.Failure failure = FailOnceAfterCheckpoint.failure();
        assertThat(failure).as("the failure was injected mid-stream").isNotNull();
        assertThat(failure.checkpointedRecords()).isLessThan(FAILOVER_EVENTS);
        List<String> ends = result.getAccumulatorResult(ReplicaLearnerOperator.ACCUMULATOR + MODEL);
        System.out.println("failure " + failure + "; replicas ended: " + ends);
        List<Prediction> predictions =
                KafkaTestIO.readAll(bootstrap, prefix + ".predictions", Prediction.getDecoder());
        assertThat(predictions).hasSize(FAILOVER_EVENTS);
        assertThat(predictions.stream().map(Prediction::getEventId).collect(Collectors.toSet()))
                .hasSize(FAILOVER_EVENTS);
        assertThat(ends).hasSize(2);
        assertThat(ends.get(0).replaceFirst("replica=\\d ", ""))
                .isEqualTo(ends.get(1).replaceFirst("replica=\\d ", ""));
    }
}
