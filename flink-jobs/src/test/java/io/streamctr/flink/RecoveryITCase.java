package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.flink.local.EmbeddedKafka;
import io.streamctr.flink.local.LocalFlink;
import io.streamctr.flink.sink.KafkaSinks;
import io.streamctr.model.data.BundledData;
import io.streamctr.model.data.MovieLensReader;
import io.streamctr.model.features.StableHash;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DecodedRecord;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.MetricsReport;
import io.streamctr.schemas.Prediction;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Nothing lost, nothing doubled: a failure injected mid-stream and a stop-with-savepoint followed
 * by a new job from the savepoint. Each run writes the enriched examples to a topic too, so the
 * sequences can be checked against a brute-force replay of the events.
 */
class RecoveryITCase {

    private static final int EVENTS = 6_000;
    private static final int SEQUENCE_LENGTH = 50;

    private static EmbeddedKafka kafka;
    private static List<ClickEvent> events;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        events = MovieLensReader.read(BundledData.movieLensDir(), EVENTS);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Configuration config(String prefix, Path checkpoints, boolean bounded) {
        Configuration conf = LocalFlink.configuration(checkpoints, Duration.ofMillis(500));
        conf.set(JobOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(JobOptions.EVENTS_TOPIC, prefix + ".events");
        conf.set(JobOptions.PREDICTIONS_TOPIC, prefix + ".predictions");
        conf.set(JobOptions.METRICS_TOPIC, prefix + ".metrics");
        conf.set(JobOptions.DEAD_LETTER_TOPIC, prefix + ".deadletter");
        conf.set(JobOptions.GROUP_ID, prefix);
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, prefix);
        conf.set(JobOptions.BOUNDED, bounded);
        conf.set(JobOptions.MODELS, List.of("dnn-tiny"));
        conf.set(JobOptions.DEVICE, "cpu");
        conf.set(JobOptions.BATCH_SIZE, 32);
        conf.set(JobOptions.METRICS_REPORT_EVERY, 500);
        conf.set(JobOptions.SEQUENCE_LENGTH, SEQUENCE_LENGTH);
        for (String t : List.of(".events", ".predictions", ".metrics", ".deadletter", ".examples")) {
            kafka.createTopic(prefix + t, t.equals(".events") ? 2 : 1);
        }
        return conf;
    }

    /** The job with a test-only sink of the enriched examples, and optionally a failure injected. */
    private static StreamExecutionEnvironment job(Configuration conf, String prefix, FailOnceAfterCheckpoint failure) {
        StreamExecutionEnvironment env = LocalFlink.environment(conf);
        DataStream<DecodedRecord> decoded = StreamCtrPipeline.source(env, conf);
        if (failure != null) {
            decoded = decoded.map(failure).returns(new AvroTypeInfo<>(DecodedRecord.class)).name("failure injection").uid("failure-injection");
        }
        StreamCtrPipeline.Streams streams = StreamCtrPipeline.buildFrom(decoded, conf, StreamCtrPipeline.models(conf));
        StreamCtrPipeline.addSinks(streams, conf);
        streams.examples().sinkTo(KafkaSinks.create(conf, prefix + ".examples", Example.class,
                x -> x.getEvent().getUserId(), "examples")).name("examples sink").uid("examples-sink");
        return env;
    }

    @Test
    void recoversFromAFailureWithoutLosingOrDoublingAnything(@TempDir Path checkpoints) throws Exception {
        Configuration conf = config("fail", checkpoints, true);
        KafkaTestIO.produce(kafka.bootstrapServers(), "fail.events", events);
        FailOnceAfterCheckpoint.FAILED.set(false);

        job(conf, "fail", new FailOnceAfterCheckpoint(EVENTS / 2)).execute("recovery-itcase");

        assertThat(FailOnceAfterCheckpoint.FAILED).as("the failure was injected mid-stream").isTrue();
        assertExactlyOncePredictions(KafkaTestIO.readAll(kafka.bootstrapServers(), "fail.predictions", Prediction.getDecoder()));
        assertSequencesIntact(KafkaTestIO.readAll(kafka.bootstrapServers(), "fail.examples", Example.getDecoder()));
        MetricsReport last = lastReport("fail.metrics");
        assertThat(last.getFinalReport()).isTrue();
        assertThat(last.getCount()).isEqualTo(EVENTS);
        assertThat(last.getPredictions()).isEqualTo(EVENTS);
    }

    @Test
    void continuesFromASavepointInANewJob(@TempDir Path checkpoints, @TempDir Path savepoints) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        Configuration first = config("savepoint", checkpoints, false);
        KafkaTestIO.produce(bootstrap, "savepoint.events", events.subList(0, EVENTS / 2));
        JobClient job = job(first, "savepoint", null).executeAsync("savepoint-itcase-1");
        awaitPredictions("savepoint.predictions", EVENTS / 2);
        String savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();
        List<Prediction> before = KafkaTestIO.readAll(bootstrap, "savepoint.predictions", Prediction.getDecoder());
        long stepAtSavepoint = before.get(before.size() - 1).getModelVersion();

        KafkaTestIO.produce(bootstrap, "savepoint.events", events.subList(EVENTS / 2, EVENTS));
        Configuration second = config("savepoint", checkpoints, false);
        second.setString("execution.state-recovery.path", savepoint);
        JobClient resumed = job(second, "savepoint", null).executeAsync("savepoint-itcase-2");
        awaitPredictions("savepoint.predictions", EVENTS);
        resumed.cancel().get();

        List<Prediction> all = KafkaTestIO.readAll(bootstrap, "savepoint.predictions", Prediction.getDecoder());
        assertExactlyOncePredictions(all);
        assertThat(all.get(EVENTS / 2).getModelVersion()).as("the new job starts from the savepoint's step")
                .isGreaterThanOrEqualTo(stepAtSavepoint).isGreaterThan(0);
        assertSequencesIntact(KafkaTestIO.readAll(bootstrap, "savepoint.examples", Example.getDecoder()));
    }

    private static void assertExactlyOncePredictions(List<Prediction> predictions) {
        assertThat(predictions).hasSize(EVENTS);
        assertThat(predictions.stream().map(Prediction::getEventId).collect(Collectors.toSet()))
                .isEqualTo(events.stream().map(ClickEvent::getEventId).collect(Collectors.toSet()));
        long previous = 0;
        for (Prediction p : predictions) { // one output partition: the learner's order, across the restart
            assertThat(p.getModelVersion()).as("model version never goes back").isGreaterThanOrEqualTo(previous);
            previous = p.getModelVersion();
        }
    }

    /** Every example's sequences equal the user's earlier events, split by label, last L. */
    private static void assertSequencesIntact(List<Example> examples) {
        assertThat(examples).hasSize(EVENTS);
        Map<String, List<ClickEvent>> earlier = new HashMap<>();
        for (Example x : examples) { // per user, the examples topic holds the enricher's order
            ClickEvent e = x.getEvent();
            List<ClickEvent> before = earlier.computeIfAbsent(e.getUserId(), u -> new ArrayList<>());
            assertThat(x.getHistory().getClicked().getItems()).as("clicked sequence of %s", e.getEventId())
                    .isEqualTo(lastItems(before, 1));
            assertThat(x.getHistory().getNonClicked().getItems()).as("non-clicked sequence of %s", e.getEventId())
                    .isEqualTo(lastItems(before, 0));
            before.add(e);
        }
    }

    private static List<Integer> lastItems(List<ClickEvent> events, int label) {
        List<Integer> items = events.stream().filter(e -> e.getLabel() == label).map(e -> StableHash.hash(e.getItemId())).toList();
        return items.subList(Math.max(0, items.size() - SEQUENCE_LENGTH), items.size());
    }

    private static MetricsReport lastReport(String topic) throws Exception {
        List<MetricsReport> reports = KafkaTestIO.readAll(kafka.bootstrapServers(), topic, MetricsReport.getDecoder());
        return reports.get(reports.size() - 1);
    }

    private static void awaitPredictions(String topic, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (KafkaTestIO.readAll(kafka.bootstrapServers(), topic, Prediction.getDecoder()).size() < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + count + " predictions on " + topic);
            }
            Thread.sleep(500);
        }
    }
}
