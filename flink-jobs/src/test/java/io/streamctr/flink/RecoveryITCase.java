package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.embedded.EmbeddedKafkaExtension;
import io.streamctr.embedded.LocalFlink;
import io.streamctr.flink.sink.KafkaSinks;
import io.streamctr.model.features.StableHash;
import io.streamctr.model.optfusion.OptFusionConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DecodedRecord;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.MetricsReport;
import io.streamctr.schemas.Prediction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nothing lost, nothing doubled: a failure injected mid-stream, for each kind of model (a plain
 * DNN, InterFormer, OptFusion restored before and after its architecture freeze), and a
 * stop-with-savepoint followed by a new build of the job from the savepoint. Each run writes the
 * enriched examples to a topic too, so the sequences can be checked against a brute-force replay of
 * the events.
 */
class RecoveryITCase {

    private static final int EVENTS = 3_000;
    private static final int SEQUENCE_LENGTH = 20;
    private static final int BATCH = 32;

    /** Labelled events optfusion-soft-tiny searches before it freezes its architecture. */
    private static final long SEARCH_EVENTS =
            OptFusionConfig.tiny(OptFusionConfig.Variant.SOFT).search().searchEvents();

    private static final String FROZE = "froze its architecture";

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static List<ClickEvent> events;

    /** Where the restored checkpoint lies relative to an OptFusion model's freeze. */
    enum Freeze {
        NONE,
        CHECKPOINT_BEFORE,
        CHECKPOINT_AFTER
    }

    /**
     * One recovery run: the model, the records the restored checkpoint must hold at least, the
     * slowdown past them (ms per record) and where the freeze falls.
     */
    record Case(String name, String model, long failAfter, long slowdownMillis, Freeze freeze) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> modelKinds() {
        return Stream.of(
                new Case("dnn", "dnn-tiny", EVENTS / 2, 2, Freeze.NONE),
                new Case("interformer", "interformer-tiny", EVENTS / 2, 2, Freeze.NONE),
                // a checkpoint soon after 4 batches: the search (512 events) is not over in it
                new Case(
                        "optfusion-before-freeze",
                        "optfusion-soft-tiny",
                        4 * BATCH,
                        10,
                        Freeze.CHECKPOINT_BEFORE),
                new Case(
                        "optfusion-after-freeze",
                        "optfusion-soft-tiny",
                        EVENTS / 2,
                        2,
                        Freeze.CHECKPOINT_AFTER));
    }

    @BeforeAll
    static void readEvents() {
        events = MovieLensReader.read(BundledData.movieLensDir(), EVENTS);
    }

    private static Configuration config(
            String prefix, Path checkpoints, boolean bounded, String model) {
        Configuration conf = LocalFlink.configuration(checkpoints, Duration.ofMillis(500));
        conf.set(JobOptions.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        conf.set(JobOptions.EVENTS_TOPIC, prefix + ".events");
        conf.set(JobOptions.PREDICTIONS_TOPIC, prefix + ".predictions");
        conf.set(JobOptions.METRICS_TOPIC, prefix + ".metrics");
        conf.set(JobOptions.DEAD_LETTER_TOPIC, prefix + ".deadletter");
        conf.set(JobOptions.GROUP_ID, prefix);
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, prefix);
        conf.set(JobOptions.BOUNDED, bounded);
        conf.set(JobOptions.MODELS, List.of(model));
        conf.set(JobOptions.DEVICE, "cpu");
        conf.set(JobOptions.BATCH_SIZE, BATCH);
        conf.set(JobOptions.METRICS_REPORT_EVERY, 500);
        conf.set(JobOptions.SEQUENCE_LENGTH, SEQUENCE_LENGTH);
        for (String t :
                List.of(".events", ".predictions", ".metrics", ".deadletter", ".examples")) {
            KAFKA.createTopic(prefix + t, t.equals(".events") ? 2 : 1);
        }
        return conf;
    }

    /**
     * The job with a test-only sink of the enriched examples, and optionally a failure injected.
     */
    private static StreamExecutionEnvironment job(
            Configuration conf, String prefix, FailOnceAfterCheckpoint failure) {
        StreamExecutionEnvironment env = LocalFlink.environment(conf);
        DataStream<DecodedRecord> decoded = StreamCtrPipeline.source(env, conf);
        if (failure != null) {
            decoded =
                    decoded.map(failure)
                            .returns(new AvroTypeInfo<>(DecodedRecord.class))
                            .name("failure injection")
                            .uid("failure-injection");
        }
        StreamCtrPipeline.Streams streams =
                StreamCtrPipeline.buildFrom(decoded, conf, StreamCtrPipeline.models(conf));
        StreamCtrPipeline.addSinks(streams, conf);
        DataStream<Example> examples = streams.examples();
        if (failure != null) {
            examples =
                    examples.map(new FailOnceAfterCheckpoint.Progress())
                            .returns(new AvroTypeInfo<>(Example.class))
                            .name("enricher progress")
                            .uid("enricher-progress");
        }
        examples.sinkTo(
                        KafkaSinks.create(
                                conf,
                                prefix + ".examples",
                                Example.class,
                                x -> x.getEvent().getUserId(),
                                "examples"))
                .name("examples sink")
                .uid("examples-sink");
        return env;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modelKinds")
    void recoversFromAFailureWithoutLosingOrDoublingAnything(Case c, @TempDir Path checkpoints)
            throws Exception {
        String prefix = "fail-" + c.name();
        Configuration conf = config(prefix, checkpoints, true, c.model());
        KafkaTestIO.produce(KAFKA.bootstrapServers(), prefix + ".events", events);
        FailOnceAfterCheckpoint.reset();

        List<TrainerLog.Line> freezes;
        try (TrainerLog log = TrainerLog.capture()) {
            job(conf, prefix, new FailOnceAfterCheckpoint(c.failAfter(), c.slowdownMillis()))
                    .execute("recovery-itcase-" + c.name());
            freezes = log.startingWith("model '" + c.model() + "' " + FROZE);
        }

        FailOnceAfterCheckpoint.Failure failure = FailOnceAfterCheckpoint.failure();
        assertThat(failure).as("the failure was injected mid-stream").isNotNull();
        assertThat(failure.checkpointedRecords())
                .isGreaterThanOrEqualTo(c.failAfter())
                .isLessThan(EVENTS);
        List<Prediction> predictions =
                KafkaTestIO.readAll(
                        KAFKA.bootstrapServers(), prefix + ".predictions", Prediction.getDecoder());
        assertExactlyOncePredictions(predictions);
        assertVersionsContinueFromTheCheckpoint(predictions, failure.wallMillis());
        assertSequencesIntact(
                KafkaTestIO.readAll(
                        KAFKA.bootstrapServers(), prefix + ".examples", Example.getDecoder()));
        MetricsReport last = lastReport(prefix + ".metrics");
        assertThat(last.getFinalReport()).isTrue();
        assertThat(last.getCount()).as("labelled predictions counted once").isEqualTo(EVENTS);
        assertThat(last.getPredictions()).isEqualTo(EVENTS);

        List<TrainerLog.Line> freezesAfterRestore =
                freezes.stream().filter(l -> l.timeMillis() >= failure.wallMillis()).toList();
        switch (c.freeze()) {
            case NONE -> assertThat(freezes).isEmpty();
            case CHECKPOINT_BEFORE -> {
                // restored mid-search: the search goes on from the checkpoint and ends once, after
                // the restart
                assertThat(failure.checkpointedRecords())
                        .as("records in the restored checkpoint")
                        .isLessThan(SEARCH_EVENTS);
                assertThat(freezesAfterRestore).hasSize(1);
                // every event is labelled and scored before it is trained on: had the restore reset
                // the
                // search's count, the freeze would come only after the checkpoint's events plus the
                // whole search
                long scoredByFreeze =
                        predictions.stream()
                                .filter(
                                        p ->
                                                p.getProcessingTime()
                                                        <= freezesAfterRestore.get(0).timeMillis())
                                .count();
                assertThat(scoredByFreeze)
                        .as("events scored when the search ended")
                        .isBetween(SEARCH_EVENTS, SEARCH_EVENTS + 2L * BATCH);
            }
            case CHECKPOINT_AFTER -> {
                // restored frozen: the stage and architecture come back with the weights, no second
                // search
                assertThat(failure.checkpointedRecords())
                        .as("records in the restored checkpoint")
                        .isGreaterThan(SEARCH_EVENTS + BATCH);
                assertThat(freezes).hasSize(1);
                assertThat(freezesAfterRestore).isEmpty();
            }
        }
    }

    @Test
    void continuesFromASavepointInANewJob(@TempDir Path checkpoints, @TempDir Path savepoints)
            throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        Configuration first = config("savepoint", checkpoints, false, "dnn-tiny");
        KafkaTestIO.produce(bootstrap, "savepoint.events", events.subList(0, EVENTS / 2));
        JobClient job = job(first, "savepoint", null).executeAsync("savepoint-itcase-1");
        awaitPredictions("savepoint.predictions", EVENTS / 2);
        String savepoint =
                job.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get();
        List<Prediction> before =
                KafkaTestIO.readAll(bootstrap, "savepoint.predictions", Prediction.getDecoder());
        long lastVersionBefore = before.get(before.size() - 1).getModelVersion();

        KafkaTestIO.produce(bootstrap, "savepoint.events", events.subList(EVENTS / 2, EVENTS));
        Configuration second = config("savepoint", checkpoints, false, "dnn-tiny");
        second.setString("execution.state-recovery.path", savepoint);
        JobClient resumed = job(second, "savepoint", null).executeAsync("savepoint-itcase-2");
        awaitPredictions("savepoint.predictions", EVENTS);
        resumed.cancel().get();

        List<Prediction> all =
                KafkaTestIO.readAll(bootstrap, "savepoint.predictions", Prediction.getDecoder());
        assertExactlyOncePredictions(all);
        // the savepoint holds the model after training on the last batch scored before it
        assertThat(all.get(EVENTS / 2).getModelVersion())
                .as("the new job starts at the savepoint's step")
                .isEqualTo(lastVersionBefore + 1);
        assertSequencesIntact(
                KafkaTestIO.readAll(bootstrap, "savepoint.examples", Example.getDecoder()));
    }

    /**
     * Predictions made before the failure that were committed (those before the restored
     * checkpoint's barrier) and those made after the restart: the first after continues at the step
     * the model had in the checkpoint, the one after the last batch committed before.
     */
    private static void assertVersionsContinueFromTheCheckpoint(
            List<Prediction> predictions, long failedAtMillis) {
        List<Prediction> before =
                predictions.stream().filter(p -> p.getProcessingTime() <= failedAtMillis).toList();
        List<Prediction> after =
                predictions.stream().filter(p -> p.getProcessingTime() > failedAtMillis).toList();
        assertThat(before).as("predictions committed before the failure").isNotEmpty();
        assertThat(after).as("predictions made after the restart").isNotEmpty();
        long lastBefore = before.get(before.size() - 1).getModelVersion();
        assertThat(lastBefore).isPositive();
        assertThat(after.get(0).getModelVersion())
                .as("first version after the restart")
                .isEqualTo(lastBefore + 1);
    }

    private static void assertExactlyOncePredictions(List<Prediction> predictions) {
        assertThat(predictions).hasSize(EVENTS);
        assertThat(predictions.stream().map(Prediction::getEventId).collect(Collectors.toSet()))
                .isEqualTo(events.stream().map(ClickEvent::getEventId).collect(Collectors.toSet()));
        long previous = 0;
        for (Prediction p :
                predictions) { // one output partition: the learner's order, across the restart
            assertThat(p.getModelVersion())
                    .as("model version never goes back")
                    .isGreaterThanOrEqualTo(previous);
            previous = p.getModelVersion();
        }
    }

    /** Every example's sequences equal the user's earlier events, split by label, last L. */
    private static void assertSequencesIntact(List<Example> examples) {
        assertThat(examples).hasSize(EVENTS);
        Map<String, List<ClickEvent>> earlier = new HashMap<>();
        for (Example x : examples) { // per user, the examples topic holds the enricher's order
            ClickEvent e = x.getEvent();
            List<ClickEvent> before =
                    earlier.computeIfAbsent(e.getUserId(), u -> new ArrayList<>());
            assertThat(x.getHistory().getClicked().getItems())
                    .as("clicked sequence of %s", e.getEventId())
                    .isEqualTo(lastItems(before, 1));
            assertThat(x.getHistory().getNonClicked().getItems())
                    .as("non-clicked sequence of %s", e.getEventId())
                    .isEqualTo(lastItems(before, 0));
            before.add(e);
        }
    }

    private static List<Integer> lastItems(List<ClickEvent> events, int label) {
        List<Integer> items =
                events.stream()
                        .filter(e -> e.getLabel() == label)
                        .map(e -> StableHash.hash(e.getItemId()))
                        .toList();
        return items.subList(Math.max(0, items.size() - SEQUENCE_LENGTH), items.size());
    }

    private static MetricsReport lastReport(String topic) throws Exception {
        List<MetricsReport> reports =
                KafkaTestIO.readAll(KAFKA.bootstrapServers(), topic, MetricsReport.getDecoder());
        return reports.get(reports.size() - 1);
    }

    private static void awaitPredictions(String topic, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (KafkaTestIO.readAll(KAFKA.bootstrapServers(), topic, Prediction.getDecoder()).size()
                < count) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(
                        "timed out waiting for " + count + " predictions on " + topic);
            }
            Thread.sleep(500);
        }
    }
}
