package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.datasets.BundledData;
import io.streamctr.datasets.MovieLensReader;
import io.streamctr.embedded.EmbeddedKafkaExtension;
import io.streamctr.embedded.LocalFlink;
import io.streamctr.flink.enrich.TrainOn;
import io.streamctr.model.features.StableHash;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.DeadLetter;
import io.streamctr.schemas.DecodedRecord;
import io.streamctr.schemas.EventKind;
import io.streamctr.schemas.MetricsReport;
import io.streamctr.schemas.Prediction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 through the whole job: labelled MovieLens events split into impressions and clicks that
 * come later (some after the window, one on an unknown impression, some twice), replayed in
 * event-time order, with a failure injected while attribution windows are open. Every impression is
 * predicted once (read_committed), every impression trained on once with its joined label (the
 * learner's own count, restored with its state), the metrics cover every joined impression.
 */
class DelayedLabelsITCase {

    private static final int EVENTS = 1_000;
    private static final long WINDOW_MS = 5 * 60_000;

    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    /** The split of the labelled events and what the join must make of it. */
    record Split(List<ClickEvent> records, int impressions, int joinedClicks, int lateClicks) {}

    /**
     * Each event becomes an impression; a positive also a click after a delay from its id's hash:
     * most within the window (up to 4 min), every 10th just after it, every 7th clicked twice. Plus
     * one click on an impression that never was. Sorted by event time (stable), as a producer
     * writes them.
     */
    static Split split(List<ClickEvent> events) {
        List<ClickEvent> out = new ArrayList<>();
        int joined = 0;
        int late = 0;
        for (ClickEvent e : events) {
            out.add(ClickEvent.newBuilder(e).setLabel(null).setKind(EventKind.IMPRESSION).build());
            if (e.getLabel() != 1) {
                continue;
            }
            int h = Math.floorMod(StableHash.hash(e.getEventId()), 1_000);
            boolean isLate = h % 10 == 0;
            long delay = isLate ? WINDOW_MS + 30_000 : 1_000 + h * 240L;
            out.add(click(e, "c1", e.getEventTime() + delay));
            if (isLate) {
                late++;
            } else {
                joined++;
                if (h % 7 == 0) {
                    out.add(click(e, "c2", e.getEventTime() + delay + 1_000));
                }
            }
        }
        ClickEvent first = events.get(0);
        out.add(
                ClickEvent.newBuilder(click(first, "ghost", first.getEventTime() + 1))
                        .setImpressionId("no-such-impression")
                        .build());
        out.sort(Comparator.comparingLong(ClickEvent::getEventTime));
        return new Split(out, events.size(), joined, late);
    }

    private static ClickEvent click(ClickEvent impression, String suffix, long time) {
        return ClickEvent.newBuilder(impression)
                .setEventId(impression.getEventId() + "-" + suffix)
                .setEventTime(time)
                .setLabel(null)
                .setKind(EventKind.CLICK)
                .setImpressionId(impression.getEventId())
                .build();
    }

    @Test
    void joinsDelayedClicksExactlyOnceAcrossAFailure(@TempDir Path checkpoints) throws Exception {
        List<ClickEvent> events = MovieLensReader.read(BundledData.movieLensDir(), EVENTS);
        Split split = split(events);
        String prefix = "delayed";
        Configuration conf = LocalFlink.configuration(checkpoints, Duration.ofMillis(500));
        conf.set(JobOptions.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers());
        conf.set(JobOptions.EVENTS_TOPIC, prefix + ".events");
        conf.set(JobOptions.PREDICTIONS_TOPIC, prefix + ".predictions");
        conf.set(JobOptions.METRICS_TOPIC, prefix + ".metrics");
        conf.set(JobOptions.DEAD_LETTER_TOPIC, prefix + ".deadletter");
        conf.set(JobOptions.GROUP_ID, prefix);
        conf.set(JobOptions.TRANSACTIONAL_ID_PREFIX, prefix);
        conf.set(JobOptions.BOUNDED, true);
        conf.set(JobOptions.MODELS, List.of("dnn-tiny"));
        conf.set(JobOptions.DEVICE, "cpu");
        conf.set(JobOptions.BATCH_SIZE, 32);
        conf.set(JobOptions.METRICS_REPORT_EVERY, 500);
        conf.set(JobOptions.LABELS_ATTRIBUTION_WINDOW, Duration.ofMillis(WINDOW_MS));
        conf.set(JobOptions.LABELS_TRAIN_ON, TrainOn.CLICK);
        for (String t : List.of(".events", ".predictions", ".metrics", ".deadletter")) {
            KAFKA.createTopic(prefix + t, t.equals(".events") ? 2 : 1);
        }
        KafkaTestIO.produce(KAFKA.bootstrapServers(), prefix + ".events", split.records());
        FailOnceAfterCheckpoint.reset();

        List<TrainerLog.Line> trained;
        try (TrainerLog log = TrainerLog.capture(AbstractStreamOperator.class)) {
            StreamExecutionEnvironment env = LocalFlink.environment(conf);
            DataStream<DecodedRecord> decoded =
                    StreamCtrPipeline.source(env, conf)
                            .map(new FailOnceAfterCheckpoint(split.records().size() / 2, 2))
                            .returns(new AvroTypeInfo<>(DecodedRecord.class))
                            .name("failure injection")
                            .uid("failure-injection");
            StreamCtrPipeline.Streams streams =
                    StreamCtrPipeline.buildFrom(decoded, conf, StreamCtrPipeline.models(conf));
            streams.examples()
                    .map(new FailOnceAfterCheckpoint.Progress())
                    .name("enricher progress")
                    .uid("enricher-progress");
            StreamCtrPipeline.addSinks(streams, conf);
            env.execute("delayed-labels-itcase");
            trained = log.startingWith("learner 'dnn-tiny' trained on ");
        }

        FailOnceAfterCheckpoint.Failure failure = FailOnceAfterCheckpoint.failure();
        assertThat(failure).as("the failure was injected mid-stream").isNotNull();
        assertThat(failure.checkpointedRecords()).isLessThan(split.records().size());

        // every impression predicted once, without a label; no click is predicted
        List<Prediction> predictions =
                KafkaTestIO.readAll(
                        KAFKA.bootstrapServers(), prefix + ".predictions", Prediction.getDecoder());
        assertThat(predictions).hasSize(split.impressions());
        assertThat(predictions.stream().map(Prediction::getEventId).collect(Collectors.toSet()))
                .isEqualTo(events.stream().map(ClickEvent::getEventId).collect(Collectors.toSet()));
        assertThat(predictions).allMatch(p -> p.getLabel() == null);

        // every impression trained on once, by the learner's own count (restored with it)
        assertThat(trained)
                .last()
                .satisfies(
                        l ->
                                assertThat(l.message())
                                        .isEqualTo(
                                                "learner 'dnn-tiny' trained on "
                                                        + split.impressions()
                                                        + " labelled examples; 0 impressions"
                                                        + " without their label"));

        // the metrics: every impression's score against its joined label
        List<MetricsReport> reports =
                KafkaTestIO.readAll(
                        KAFKA.bootstrapServers(), prefix + ".metrics", MetricsReport.getDecoder());
        MetricsReport last = reports.get(reports.size() - 1);
        assertThat(last.getFinalReport()).isTrue();
        assertThat(last.getPredictions()).isEqualTo(split.impressions());
        assertThat(last.getCount()).isEqualTo(split.impressions());
        assertThat(last.getJoinedLabels()).isEqualTo(split.impressions());
        assertThat(last.getPendingLabels()).isZero();
        assertThat(last.getLifetimeCtr())
                .isCloseTo(split.joinedClicks() / (double) split.impressions(), within());
        // windows closed mid-stream on the events' watermarks, not only at the input's end
        assertThat(reports)
                .filteredOn(r -> !r.getFinalReport() && r.getLifetimeCtr() != null)
                .anySatisfy(
                        r ->
                                assertThat(Math.round(r.getCount() * (1 - r.getLifetimeCtr())))
                                        .as("negatives joined before the end")
                                        .isPositive());

        // late clicks and the ghost click are dead letters with their reasons, duplicates are not
        List<DeadLetter> dead =
                KafkaTestIO.readAll(
                        KAFKA.bootstrapServers(), prefix + ".deadletter", DeadLetter.getDecoder());
        assertThat(dead.stream().filter(d -> d.getReason().startsWith("late click")).count())
                .isEqualTo(split.lateClicks());
        assertThat(dead.stream().filter(d -> d.getReason().startsWith("click on impression")))
                .hasSize(1);
        assertThat(dead).hasSize(split.lateClicks() + 1);
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
