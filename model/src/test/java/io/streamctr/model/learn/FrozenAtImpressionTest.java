package io.streamctr.model.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.model.enrich.JoinedLabels;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.EventKind;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a joined example (an impression back with its label) is trained on the fresh features
 * and the residual its impression was scored with, not on those of the moment it is trained; the
 * statistics still learn its label only then; the kept inputs survive a snapshot and go on release.
 */
class FrozenAtImpressionTest {

    private static final TrainerConfig TRAINER = TrainerConfig.defaults().withSeed(5);
    private static final FreshnessConfig FRESH = FreshnessConfig.defaults().withBits(12, 12);

    private DeepLearner learner;
    private Example shown;

    @BeforeEach
    void setUp() {
        learner = newLearner();
        learner.process(FreshWithinBatchTest.stream(64, 99)); // trained weights and statistics
        shown = impression(FreshWithinBatchTest.stream(1, 7).get(0), "imp-1");
    }

    @AfterEach
    void tearDown() {
        learner.close();
    }

    @Test
    void aJoinedExampleTrainsOnItsImpressionTimeFeatures() {
        learner.process(List.of(shown));
        float[] atImpression = learner.lastFreshValues().clone();
        float residualAtImpression = learner.lastResiduals()[0];
        learner.process(clicksOfTheSameUserAndItem(shown, 12)); // moves its user's and item's stats

        learner.process(List.of(impression(shown, "imp-2"))); // scored now: other features
        float[] now = learner.lastFreshValues().clone();
        assertThat(now).isNotEqualTo(atImpression);

        long labelledBefore = learner.targetStatistics().time();
        learner.process(List.of(JoinedLabels.labelled(shown, 1)));
        assertThat(learner.lastFreshValues()).containsExactly(atImpression);
        assertThat(learner.lastResiduals()[0]).isEqualTo(residualAtImpression);
        assertThat(learner.targetStatistics().time())
                .as("the statistics learn the joined label when it is trained")
                .isEqualTo(labelledBefore + 1);
    }

    @Test
    void withoutKeptInputsTheJoinedExampleGetsThemComputedWhenTrained() {
        learner.process(List.of(shown));
        learner.release(shown.getEvent().getEventId());
        assertThat(learner.frozenImpressions()).isZero();
        learner.process(clicksOfTheSameUserAndItem(shown, 12));
        learner.process(List.of(impression(shown, "imp-2")));
        float[] now = learner.lastFreshValues().clone();

        learner.process(List.of(JoinedLabels.labelled(shown, 1)));
        assertThat(learner.lastFreshValues()).containsExactly(now);
    }

    @Test
    void aSnapshotKeepsTheImpressionsInputsAndReleaseDropsThem() {
        learner.process(List.of(shown));
        float[] atImpression = learner.lastFreshValues().clone();
        byte[] snapshot = learner.snapshot();
        assertThat(snapshot[0]).isEqualTo(DeepLearner.SNAPSHOT_FORMAT_FROZEN);

        try (DeepLearner restored = newLearner()) {
            restored.restore(snapshot);
            assertThat(restored.frozenImpressions()).isEqualTo(1);
            restored.process(clicksOfTheSameUserAndItem(shown, 12));
            restored.process(List.of(JoinedLabels.labelled(shown, 0)));
            assertThat(restored.lastFreshValues()).containsExactly(atImpression);

            restored.release(shown.getEvent().getEventId());
            assertThat(restored.frozenImpressions()).isZero();
            assertThat(restored.snapshot()[0]).isEqualTo(DeepLearner.SNAPSHOT_FORMAT);
            restored.restore(snapshot);
            assertThat(restored.frozenImpressions()).isEqualTo(1);
            restored.restore(learner.snapshot()); // an older learner's format: none kept
            assertThat(restored.frozenImpressions()).isEqualTo(1);
        }
        learner.release(shown.getEvent().getEventId());
        try (DeepLearner restored = newLearner()) {
            restored.restore(snapshot);
            restored.restore(learner.snapshot());
            assertThat(restored.frozenImpressions()).isZero();
        }
    }

    @Test
    void aFakeNegativeRightAfterItsImpressionLeavesTheInputsForTheClick() {
        learner.process(List.of(shown, JoinedLabels.labelled(shown, 0)));
        float[] batch = learner.lastFreshValues();
        int x = batch.length / 2;
        float[] atImpression = Arrays.copyOf(batch, x);
        assertThat(Arrays.copyOfRange(batch, x, 2 * x)).containsExactly(atImpression);
        learner.process(clicksOfTheSameUserAndItem(shown, 12));
        learner.process(List.of(JoinedLabels.labelled(shown, 1)));
        assertThat(learner.lastFreshValues()).containsExactly(atImpression);
    }

    private static DeepLearner newLearner() {
        return (DeepLearner)
                Learners.create("dnn-tiny", FreshWithinBatchTest.spec(), TRAINER, "cpu", FRESH);
    }

    private static Example impression(Example e, String id) {
        ClickEvent event =
                ClickEvent.newBuilder(e.getEvent())
                        .setEventId(id)
                        .setLabel(null)
                        .setKind(EventKind.IMPRESSION)
                        .build();
        return Example.newBuilder(e).setEvent(event).build();
    }

    private static List<Example> clicksOfTheSameUserAndItem(Example e, int n) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ClickEvent event =
                    ClickEvent.newBuilder(e.getEvent())
                            .setEventId("click-" + i)
                            .setLabel(1)
                            .setKind(EventKind.LABELLED)
                            .build();
            out.add(Example.newBuilder(e).setEvent(event).build());
        }
        return out;
    }
}
