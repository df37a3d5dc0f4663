package io.streamctr.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.streamctr.model.baselines.LrModel;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The running base rate: its estimator, that event i sees only the labels before it, and the
 * trainer's offset.
 */
class BaseRateTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(4, 64, List.of(), List.of("genres"), 4, List.of(), "genres", 6);

    /** Events with these labels (null: unlabelled). */
    private static FeatureBatch batch(Integer... labels) {
        List<Example> examples = new ArrayList<>();
        List<Example> random = Examples.random(labels.length, 11);
        for (int i = 0; i < labels.length; i++) {
            ClickEvent event =
                    ClickEvent.newBuilder(random.get(i).getEvent()).setLabel(labels[i]).build();
            examples.add(Example.newBuilder(random.get(i)).setEvent(event).build());
        }
        return new FeatureEncoder(SPEC).encode(examples);
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    /** The reference: the Krichevsky–Trofimov rate of decayed counts, event by event. */
    private static double[] reference(int halfLife, Integer... labels) {
        double decay = Math.pow(0.5, 1.0 / halfLife);
        double n = 0;
        double c = 0;
        double[] out = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = logit((c + 0.5) / (n + 1));
            if (labels[i] != null) {
                n = n * decay + 1;
                c = c * decay + labels[i];
            }
        }
        return out;
    }

    @Test
    void eventIGetsTheDecayedRateOfTheLabelsBeforeIt() {
        Integer[] labels = {0, 0, 1, null, 0, 1, 1, 0};
        BaseRate rate = new BaseRate(3);
        float[] offsets = rate.offsets(batch(labels));
        double[] expected = reference(3, labels);
        for (int i = 0; i < labels.length; i++) {
            assertThat((double) offsets[i]).as("event %d", i).isCloseTo(expected[i], within(1e-6));
        }
        assertThat(offsets[0]).as("the prior: 1/2").isZero();
        assertThat(offsets[4]).as("an unlabelled event counts for nothing").isEqualTo(offsets[3]);
    }

    @Test
    void anEventsOwnLabelAndLaterOnesDoNotChangeItsOffset() {
        BaseRate rate = new BaseRate(50);
        float[] base = rate.offsets(batch(0, 1, 0, 0, 1));
        float[] changedOwnAndLater = rate.offsets(batch(0, 1, 1, 1, 0));
        float[] changedEarlier = rate.offsets(batch(0, 0, 0, 0, 1));
        assertThat(changedOwnAndLater[2]).isEqualTo(base[2]);
        assertThat(changedOwnAndLater[1]).isEqualTo(base[1]);
        assertThat(changedEarlier[2]).isNotEqualTo(base[2]);
    }

    @Test
    void observeCountsTheBatchSoTheNextBatchStartsWhereItEnded() {
        Integer[] first = {0, 0, 0, 1};
        Integer[] second = {0, null, 0};
        BaseRate rate = new BaseRate(20);
        rate.offsets(batch(first)); // reading changes nothing
        rate.observe(batch(first));
        float[] offsets = rate.offsets(batch(second));
        double[] expected = reference(20, 0, 0, 0, 1, 0, null, 0);
        for (int i = 0; i < second.length; i++) {
            assertThat((double) offsets[i]).isCloseTo(expected[first.length + i], within(1e-6));
        }
        assertThat(rate.events())
                .isCloseTo(
                        1
                                + Math.pow(0.5, 1 / 20.0)
                                        * (1
                                                + Math.pow(0.5, 1 / 20.0)
                                                        * (1 + Math.pow(0.5, 1 / 20.0))),
                        within(1e-9));
    }

    @Test
    void aStreamOfRareClicksGetsARareRateWithinAFewHundredEvents() {
        BaseRate rate = new BaseRate(10_000);
        Integer[] labels = new Integer[500];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 100 == 99 ? 1 : 0; // 1 %
        }
        rate.observe(batch(labels));
        assertThat(1 / (1 + Math.exp(-rate.logit()))).isBetween(0.008, 0.012);
    }

    @Test
    void badCountsAndHalfLivesAreRejected() {
        assertThatThrownBy(() -> new BaseRate(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("half-life");
        assertThatThrownBy(() -> new BaseRate(10).restore(1, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 <= clicks <= events");
        assertThatThrownBy(() -> TrainerConfig.defaults().withBaseRateHalfLife(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("half-life must be >= 0");
    }

    @Test
    void theTrainerAddsTheOffsetToTheModelsLogitInScoresAndLoss() {
        FeatureBatch batch = batch(0, 0, 1, 0, 0, 0, 0, 0);
        TrainerConfig config = TrainerConfig.defaults().withSeed(5).withBaseRateHalfLife(0);
        try (OnlineTrainer plain =
                        new OnlineTrainer("lr", new LrModel(SPEC), SPEC, config, Device.cpu());
                OnlineTrainer offset =
                        new OnlineTrainer(
                                "lr",
                                new LrModel(SPEC),
                                SPEC,
                                config.withBaseRateHalfLife(1_000),
                                Device.cpu())) {
            float[] p = plain.predict(batch);
            float[] q = offset.predict(batch);
            float[] offsets = new BaseRate(1_000).offsets(batch);
            for (int i = 0; i < p.length; i++) {
                assertThat(logit(q[i]) - logit(p[i]))
                        .as("event %d", i)
                        .isCloseTo(offsets[i], within(1e-4));
            }
            float plainLoss = plain.train(batch).loss();
            float offsetLoss = offset.train(batch).loss();
            assertThat(offsetLoss)
                    .as("7 of 8 negatives: the running rate's loss is lower")
                    .isLessThan(plainLoss);
            assertThat(TrainerSnapshot.fromBytes(offset.snapshot()).baseRate().events())
                    .isCloseTo(8, within(0.05)); // decayed
        }
    }
}
