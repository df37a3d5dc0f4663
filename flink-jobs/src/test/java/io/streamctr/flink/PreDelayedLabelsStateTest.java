package io.streamctr.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.flink.enrich.DelayedLabelConfig;
import io.streamctr.flink.enrich.LateClicks;
import io.streamctr.flink.enrich.SequenceEnricher;
import io.streamctr.flink.enrich.SequenceExpiry;
import io.streamctr.flink.enrich.TrainOn;
import io.streamctr.flink.format.RecordFormat;
import io.streamctr.flink.learn.LearnerConfig;
import io.streamctr.flink.learn.LearnerOperator;
import io.streamctr.flink.metrics.MetricsOperator;
import io.streamctr.model.enrich.JoinedLabels;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.EventKind;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.MetricsReport;
import io.streamctr.schemas.Prediction;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * State written before issue 16 (resources {@code savepoints/pre-issue-16}, by the operators of
 * commit 03f8815) restores into the operators with delayed labels: the enricher's RocksDB
 * sequences, the learner's model (its new impression-scores state starts empty), the metrics'
 * version-1 accumulator (nothing joined, nothing pending); and each goes on with impressions.
 */
class PreDelayedLabelsStateTest {

    private static OperatorSubtaskState old(String name) throws Exception {
        try {
            Path path =
                    Path.of(
                            PreDelayedLabelsStateTest.class
                                    .getResource("/savepoints/pre-issue-16/" + name)
                                    .toURI());
            return OperatorSnapshotUtil.readStateHandle(path.toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ClickEvent impression(ClickEvent from, String id, long time) {
        return ClickEvent.newBuilder(from)
                .setEventId(id)
                .setEventTime(time)
                .setLabel(null)
                .setKind(EventKind.IMPRESSION)
                .build();
    }

    @Test
    void theEnrichersSequencesRestoreAndItJoinsClicksAfterwards() throws Exception {
        List<ClickEvent> before = TestExamples.events(40, 5);
        ClickEvent last = before.get(before.size() - 1);
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new SequenceEnricher(
                                        "genres",
                                        8,
                                        Duration.ofDays(30),
                                        "ctr.events",
                                        List.of(),
                                        RecordFormat.AVRO,
                                        new DelayedLabelConfig(
                                                Duration.ofMinutes(10),
                                                TrainOn.CLICK,
                                                LateClicks.DEAD_LETTER),
                                        SequenceExpiry.EVENT_TIME)),
                        ClickEvent::getUserId,
                        Types.STRING)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.initializeState(old("enricher-rocksdb"));
            h.open();
            long t = last.getEventTime() + 1;
            h.processElement(new StreamRecord<>(impression(last, "after-1", t)));
            h.processElement(
                    new StreamRecord<>(
                            ClickEvent.newBuilder(last)
                                    .setEventId("click-1")
                                    .setEventTime(t + 1_000)
                                    .setLabel(null)
                                    .setKind(EventKind.CLICK)
                                    .setImpressionId("after-1")
                                    .build()));
            List<Example> out = new ArrayList<>();
            h.getOutput().forEach(o -> out.add((Example) ((StreamRecord<?>) o).getValue()));

            assertThat(out).hasSize(2);
            Example scored = out.get(0);
            int restoredItems =
                    scored.getHistory().getClicked().getItems().size()
                            + scored.getHistory().getNonClicked().getItems().size();
            assertThat(restoredItems).as("the user's sequences from the old state").isPositive();
            assertThat(scored.getHistory().getLastEventTime()).isEqualTo(last.getEventTime());
            assertThat(JoinedLabels.isJoined(out.get(1).getEvent())).isTrue();
            assertThat(out.get(1).getHistory()).isEqualTo(scored.getHistory());
        }
    }

    @Test
    void theLearnerGoesOnFromItsModelAndJoinsImpressions() throws Exception {
        FeatureSpec spec =
                new FeatureSpec(8, 512, List.of(), List.of("genres"), 4, List.of(), "genres", 8);
        LearnerConfig config =
                new LearnerConfig("dnn-tiny", spec, TrainerConfig.defaults(), 16, 60_000, "cpu");
        try (var h = new OneInputStreamOperatorTestHarness<>(new LearnerOperator(config))) {
            h.initializeState(old("learner"));
            h.open();
            Example x = TestExamples.examples(1, 7).get(0);
            Example shown =
                    Example.newBuilder(x)
                            .setEvent(
                                    ClickEvent.newBuilder(x.getEvent())
                                            .setLabel(null)
                                            .setKind(EventKind.IMPRESSION)
                                            .build())
                            .build();
            h.processElement(new StreamRecord<>(shown));
            h.processElement(new StreamRecord<>(JoinedLabels.labelled(shown, 1)));
            h.endInput();
            List<Prediction> out = new ArrayList<>();
            h.getOutput()
                    .forEach(
                            o -> {
                                if (o instanceof StreamRecord<?> r) {
                                    out.add((Prediction) r.getValue());
                                }
                            });
            // 40 examples in batches of 16 (the last partial one flushed): 3 steps before
            assertThat(out)
                    .singleElement()
                    .satisfies(p -> assertThat(p.getModelVersion()).isEqualTo(3));
            assertThat(h.getSideOutput(LearnerOperator.JOINED)).hasSize(1);
        }
    }

    @Test
    void theMetricsOfVersionOneRestoreWithNothingJoinedOrPending() throws Exception {
        try (var h =
                new TwoInputStreamOperatorTestHarness<Prediction, Prediction, MetricsReport>(
                        new MetricsOperator("dnn", 100, 1_000).withJoinedLabels())) {
            h.initializeState(old("metrics-v1"));
            h.open();
            h.endInput1();
            h.endInput2();
            List<MetricsReport> reports = new ArrayList<>();
            h.getOutput()
                    .forEach(
                            o -> {
                                if (o instanceof StreamRecord<?> r) {
                                    reports.add((MetricsReport) r.getValue());
                                }
                            });
            assertThat(reports)
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.getPredictions()).isEqualTo(30);
                                assertThat(r.getCount()).isEqualTo(20);
                                assertThat(r.getJoinedLabels()).isZero();
                                assertThat(r.getPendingLabels()).isZero();
                            });
        }
    }
}
