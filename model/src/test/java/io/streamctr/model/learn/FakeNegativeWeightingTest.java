package io.streamctr.model.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamctr.model.enrich.JoinedLabels;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.ftrl.FtrlConfig;
import io.streamctr.model.ftrl.FtrlLearner;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.EventKind;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fake-negative weighting (Ktena et al. 2019, section 4.3) as per-example loss weights: the
 * weights, the deep trainer's weighted loss and FTRL's weighted update against brute force, and
 * weights of 1 bit for bit the unweighted learners.
 */
class FakeNegativeWeightingTest {

    private static final TrainerConfig TRAINER = TrainerConfig.defaults().withSeed(3);

    @Test
    void positivesWeighOnePlusPAndFakeNegativesOneMinusPTimesOnePlusP() {
        Example e = FreshWithinBatchTest.stream(1, 1).get(0);
        Example shown = joined(e, 0);
        assertThat(LossWeighting.FAKE_NEGATIVE.weight(joined(e, 1), 0.2)).isEqualTo(1.2);
        assertThat(LossWeighting.FAKE_NEGATIVE.weight(shown, 0.2)).isCloseTo(0.96, within(1e-12));
        assertThat(LossWeighting.FAKE_NEGATIVE.weight(e, 0.2)).as("a LABELLED event").isEqualTo(1);
        assertThat(LossWeighting.NONE.weight(shown, 0.2)).isEqualTo(1);
    }

    @Test
    void theDeepTrainersLossIsTheWeightedMeanOfItsRows() {
        try (DeepLearner learner = deep()) {
            OnlineTrainer trainer = learner.trainer();
            learner.process(FreshWithinBatchTest.stream(64, 99));
            List<Example> rows = FreshWithinBatchTest.stream(32, 5);
            FeatureBatch batch = new FeatureEncoder(trainer.spec()).encode(rows);
            float[] weights = new float[rows.size()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = 0.25f * (i % 7);
            }
            float[] logits = trainer.predictLogits(batch);
            float[] base = trainer.baseRateOffsets(batch);
            double sum = 0;
            for (int i = 0; i < rows.size(); i++) {
                double x = (double) logits[i] + base[i];
                int y = rows.get(i).getEvent().getLabel();
                sum += weights[i] * (Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x))));
            }
            batch.setLossWeights(weights);
            assertThat((double) trainer.train(batch).loss())
                    .isCloseTo(sum / rows.size(), within(1e-5));
        }
    }

    @Test
    void weightsOfOneLeaveTheDeepLearnerBitIdentical() {
        List<Example> labelled = FreshWithinBatchTest.stream(64, 8); // LABELLED: weight 1 each
        try (DeepLearner plain = deep();
                DeepLearner weighted = deep()) {
            plain.process(labelled);
            weighted.process(labelled, LossWeighting.FAKE_NEGATIVE);
            assertThat(weighted.snapshot()).isEqualTo(plain.snapshot());

            List<Example> shown = new ArrayList<>();
            labelled.forEach(e -> shown.add(joined(e, e.getEvent().getLabel())));
            plain.process(shown);
            weighted.process(shown, LossWeighting.FAKE_NEGATIVE);
            assertThat(weighted.snapshot()).isNotEqualTo(plain.snapshot());
        }
    }

    @Test
    void ftrlLearnsTheWeightedGradientAsABruteForceFtrlDoes() {
        List<Example> stream = new ArrayList<>();
        for (Example e : FreshWithinBatchTest.stream(300, 21)) {
            stream.add(joined(e, e.getEvent().getLabel()));
        }
        FtrlConfig config = FtrlConfig.defaults().withBits(12);
        FtrlLearner learner = new FtrlLearner(FreshWithinBatchTest.spec(), config);
        float[] scores = learner.process(stream, LossWeighting.FAKE_NEGATIVE).scores();
        BruteForceFtrl reference = new BruteForceFtrl(config);
        for (int i = 0; i < stream.size(); i++) {
            int[] coords = learner.features().coordinates(stream.get(i));
            double p = reference.score(coords);
            assertThat(scores[i]).as("score %d", i).isCloseTo((float) p, within(1e-6f));
            int y = stream.get(i).getEvent().getLabel();
            reference.learn(coords, LossWeighting.FAKE_NEGATIVE.weight(stream.get(i), p) * (p - y));
        }

        FtrlLearner unweighted = new FtrlLearner(FreshWithinBatchTest.spec(), config);
        FtrlLearner labelled = new FtrlLearner(FreshWithinBatchTest.spec(), config);
        unweighted.process(FreshWithinBatchTest.stream(300, 21));
        labelled.process(FreshWithinBatchTest.stream(300, 21), LossWeighting.FAKE_NEGATIVE);
        assertThat(labelled.snapshot()).isEqualTo(unweighted.snapshot());
        assertThat(learner.snapshot()).isNotEqualTo(unweighted.snapshot());
    }

    private static DeepLearner deep() {
        return (DeepLearner)
                Learners.create(
                        "dnn-tiny",
                        FreshWithinBatchTest.spec(),
                        TRAINER,
                        "cpu",
                        FreshnessConfig.defaults().withBits(12, 12));
    }

    private static Example joined(Example e, int label) {
        ClickEvent shown =
                ClickEvent.newBuilder(e.getEvent())
                        .setKind(EventKind.IMPRESSION)
                        .setLabel(null)
                        .build();
        return JoinedLabels.labelled(Example.newBuilder(e).setEvent(shown).build(), label);
    }

    /**
     * FTRL-Proximal per coordinate (McMahan et al. 2013), a bias plus one weight per coordinate.
     */
    private static final class BruteForceFtrl {
        private final FtrlConfig c;
        private final Map<Integer, double[]> zn = new HashMap<>();
        private final double[] bias = new double[2];

        BruteForceFtrl(FtrlConfig config) {
            this.c = config;
        }

        double score(int[] coords) {
            double logit = w(bias);
            for (int k : coords) {
                logit += w(zn.computeIfAbsent(k, x -> new double[2]));
            }
            return 1 / (1 + Math.exp(-Math.max(-35, Math.min(35, logit))));
        }

        void learn(int[] coords, double g) {
            double[] ws = new double[coords.length];
            for (int k = 0; k < coords.length; k++) {
                ws[k] = w(zn.get(coords[k]));
            }
            update(bias, w(bias), g);
            for (int k = 0; k < coords.length; k++) {
                update(zn.get(coords[k]), ws[k], g);
            }
        }

        private void update(double[] s, double w, double g) {
            double sigma = (Math.sqrt(s[1] + g * g) - Math.sqrt(s[1])) / c.alpha();
            s[0] += g - sigma * w;
            s[1] += g * g;
        }

        private double w(double[] s) {
            if (Math.abs(s[0]) <= c.l1()) {
                return 0;
            }
            return -(s[0] - Math.signum(s[0]) * c.l1())
                    / ((c.beta() + Math.sqrt(s[1])) / c.alpha() + c.l2());
        }
    }
}
