package io.streamctr.flink.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.flink.TestExamples;
import io.streamctr.model.enrich.JoinedLabels;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.LossWeighting;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.EventKind;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.Prediction;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 in the learner: an impression is predicted once; its joined example is trained on
 * without a second prediction, and its impression-time score goes to the joined side output.
 */
class JoinedExamplesHarnessTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(8, 512, List.of(), List.of("genres"), 4, List.of(), "genres", 8);
    private static final LearnerConfig CONFIG =
            new LearnerConfig("dnn-tiny", SPEC, TrainerConfig.defaults(), 8, 60_000, "cpu");

    /** Unlabelled impressions built from the test examples. */
    private static List<Example> impressions(int n) {
        List<Example> out = new ArrayList<>();
        for (Example x : TestExamples.examples(n, 3)) {
            ClickEvent e =
                    ClickEvent.newBuilder(x.getEvent())
                            .setLabel(null)
                            .setKind(EventKind.IMPRESSION)
                            .build();
            out.add(Example.newBuilder(x).setEvent(e).build());
        }
        return out;
    }

    private static List<Prediction> predictions(OneInputStreamOperatorTestHarness<?, ?> h) {
        List<Prediction> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((Prediction) r.getValue());
            }
        }
        return out;
    }

    private static List<Prediction> joined(OneInputStreamOperatorTestHarness<?, ?> h) {
        var side = h.getSideOutput(LearnerOperator.JOINED);
        return side == null
                ? List.of()
                : side.stream().map(r -> (Prediction) r.getValue()).toList();
    }

    @Test
    void predictsAnImpressionOnceAndTrainsOnItsJoinedExampleWithoutScoringItAgain()
            throws Exception {
        List<Example> shown = impressions(16);
        try (var h = new OneInputStreamOperatorTestHarness<>(new LearnerOperator(CONFIG))) {
            h.open();
            for (Example x : shown) {
                h.processElement(new StreamRecord<>(x));
            }
            List<Prediction> scored = predictions(h);
            assertThat(scored).hasSize(16).allMatch(p -> p.getLabel() == null);
            assertThat(scored).allMatch(p -> p.getModelVersion() <= 1);
            LearnerOperator op = (LearnerOperator) h.getOperator();
            assertThat(op.trainedExamples()).isZero(); // nothing labelled: no step
            assertThat(op.keptImpressions()).as("their inputs as scored").isEqualTo(16);

            h.getOutput().clear();
            for (int i = 0; i < 16; i++) {
                h.processElement(new StreamRecord<>(JoinedLabels.labelled(shown.get(i), i % 2)));
            }
            assertThat(predictions(h)).isEmpty();
            List<Prediction> joined = joined(h);
            assertThat(joined).hasSize(16);
            for (int i = 0; i < 16; i++) {
                assertThat(joined.get(i).getEventId()).isEqualTo(scored.get(i).getEventId());
                assertThat(joined.get(i).getScore()).isEqualTo(scored.get(i).getScore());
                assertThat(joined.get(i).getModelVersion())
                        .isEqualTo(scored.get(i).getModelVersion());
                assertThat(joined.get(i).getLabel()).isEqualTo(i % 2);
            }
            assertThat(op.trainedExamples()).isEqualTo(16);
            assertThat(op.learnerStep()).isEqualTo(2); // two batches of 8 labelled examples
            assertThat(op.keptImpressions()).as("released with their final labels").isZero();
        }
    }

    @Test
    void aRestoredLearnerKeepsTheOpenImpressionsScoresAndItsCount() throws Exception {
        List<Example> shown = impressions(8);
        OperatorSubtaskState snapshot;
        List<Prediction> scored;
        try (var h = new OneInputStreamOperatorTestHarness<>(new LearnerOperator(CONFIG))) {
            h.open();
            for (Example x : shown) {
                h.processElement(new StreamRecord<>(x));
            }
            h.processElement(new StreamRecord<>(JoinedLabels.labelled(shown.get(0), 1)));
            h.prepareSnapshotPreBarrier(1); // flushes the partial batch, as before a barrier
            snapshot = h.snapshot(1, 1);
            scored = predictions(h);
            assertThat(((LearnerOperator) h.getOperator()).trainedExamples()).isEqualTo(1);
            assertThat(((LearnerOperator) h.getOperator()).keptImpressions()).isEqualTo(7);
        }
        try (var h = new OneInputStreamOperatorTestHarness<>(new LearnerOperator(CONFIG))) {
            h.initializeState(snapshot);
            h.open();
            assertThat(((LearnerOperator) h.getOperator()).keptImpressions()).isEqualTo(7);
            h.processElement(new StreamRecord<>(JoinedLabels.labelled(shown.get(5), 0)));
            h.processElement(new StreamRecord<>(JoinedLabels.labelled(shown.get(0), 1)));
            h.endInput();
            assertThat(predictions(h)).isEmpty();
            // shown[0]'s score went with its first join: a second one has none to report
            assertThat(joined(h))
                    .singleElement()
                    .satisfies(
                            p -> {
                                assertThat(p.getEventId()).isEqualTo(scored.get(5).getEventId());
                                assertThat(p.getScore()).isEqualTo(scored.get(5).getScore());
                            });
            assertThat(((LearnerOperator) h.getOperator()).trainedExamples()).isEqualTo(3);
            assertThat(((LearnerOperator) h.getOperator()).keptImpressions()).isEqualTo(6);
        }
    }

    @Test
    void withFakeNegativesEveryImpressionTrainsAtOnceAndOnlyItsClickAgain() throws Exception {
        List<Example> shown = impressions(8);
        try (var h = new OneInputStreamOperatorTestHarness<>(new LearnerOperator(CONFIG, true))) {
            h.open();
            for (Example x : shown) {
                h.processElement(new StreamRecord<>(x));
            }
            LearnerOperator op = (LearnerOperator) h.getOperator();
            h.prepareSnapshotPreBarrier(1); // flushes: 8 impressions + 8 fake negatives, 1 step
            List<Prediction> scored = predictions(h);
            assertThat(scored).hasSize(8).allMatch(p -> p.getScore() >= 0 && p.getScore() <= 1);
            assertThat(op.trainedExamples()).isEqualTo(8);
            assertThat(op.learnerStep()).isEqualTo(1);

            h.getOutput().clear();
            h.processElement(new StreamRecord<>(JoinedLabels.labelled(shown.get(0), 1)));
            h.processElement(new StreamRecord<>(JoinedLabels.labelled(shown.get(1), 0)));
            h.prepareSnapshotPreBarrier(2);
            assertThat(predictions(h)).isEmpty();
            assertThat(op.trainedExamples()).as("the click only").isEqualTo(9);
            assertThat(joined(h)).extracting(Prediction::getLabel).containsExactly(1, 0);
            assertThat(joined(h).get(0).getScore()).isEqualTo(scored.get(0).getScore());
            assertThat(op.keptImpressions())
                    .as("the click's and the window's released")
                    .isEqualTo(6);
        }
    }

    @Test
    void withFakeNegativeWeightingTheScoresAreServedUncalibrated() throws Exception {
        List<Example> shown = impressions(8);
        List<Float> plain = new ArrayList<>();
        List<Float> weighted = new ArrayList<>();
        for (LossWeighting w : LossWeighting.values()) {
            try (var h =
                    new OneInputStreamOperatorTestHarness<>(new LearnerOperator(CONFIG, true, w))) {
                h.open();
                for (Example x : shown) {
                    h.processElement(new StreamRecord<>(x));
                }
                h.prepareSnapshotPreBarrier(1);
                predictions(h)
                        .forEach(
                                p ->
                                        (w == LossWeighting.NONE ? plain : weighted)
                                                .add(p.getScore()));
            }
        }
        // the first impression is scored by the same state (later ones after the per-event part
        // learned a fake negative, weighted or not): served as q / (1 - q) without FNW, q with
        assertThat(weighted).hasSize(8);
        assertThat(weighted.get(0)).isNotEqualTo(plain.get(0));
        assertThat(JoinedLabels.fakeNegativeCalibrated(weighted.get(0))).isEqualTo(plain.get(0));
        assertThatThrownBy(() -> new LearnerOperator(CONFIG, false, LossWeighting.FAKE_NEGATIVE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loss weighting FAKE_NEGATIVE needs fake negatives");
    }
}
