package io.streamctr.model.ftrl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.schemas.Example;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The residual FTRL's learned weight of another model's logit ({@link FtrlLearner} with {@code
 * learnsScaledWeight}): the weight is one more FTRL coordinate whose feature value is that logit.
 */
class ScaledWeightTest {

    private static final FeatureSpec SPEC = FtrlFixtures.spec();
    private static final FtrlConfig SMALL = FtrlConfig.defaults().withBits(12);
    private static final int SCALED = -2; // the reference's key of the scaled logit

    @ParameterizedTest
    @ValueSource(ints = {1, 64, 400})
    void matchesTheBruteForceReferenceWithARealValuedCoordinateOfItsOwnAlphaStartedAtOne(
            int batchSize) {
        List<Example> stream = FtrlFixtures.stream(400, 7);
        float[] offsets = values(stream.size(), 1, 0.5, -1);
        float[] scaled = values(stream.size(), 2, 2.0, 0);
        FtrlLearner learner = new FtrlLearner("r", SPEC, SMALL, 0.2);
        ReferenceFtrl reference = new ReferenceFtrl(0.05, 1, 0, 1).withAlpha(SCALED, 0.2);
        assertThat(learner.scaledWeight()).isEqualTo(1.0);
        for (int start = 0; start < stream.size(); start += batchSize) {
            int end = Math.min(stream.size(), start + batchSize);
            OffsetScores out =
                    learner.scoreThenLearn(
                            stream.subList(start, end),
                            java.util.Arrays.copyOfRange(offsets, start, end),
                            java.util.Arrays.copyOfRange(scaled, start, end));
            for (int i = start; i < end; i++) {
                Example e = stream.get(i);
                double weightBefore = i == 0 ? 1.0 : reference.weight(SCALED);
                double p =
                        reference.step(
                                learner.features().coordinates(e),
                                e.getEvent().getLabel(),
                                offsets[i],
                                Map.of(SCALED, (double) scaled[i]));
                assertThat((double) out.scores()[i - start])
                        .as("event %d", i)
                        .isCloseTo(p, within(1e-6));
                assertThat((double) out.weights()[i - start])
                        .as("weight of event %d", i)
                        .isCloseTo(weightBefore, within(1e-6));
                double logit =
                        offsets[i]
                                + out.weights()[i - start] * scaled[i]
                                + out.residuals()[i - start];
                assertThat(1 / (1 + Math.exp(-logit))).isCloseTo(p, within(1e-5));
            }
        }
        assertThat(learner.scaledWeight()).isCloseTo(reference.weight(SCALED), within(1e-9));
        assertThat(learner.scaledWeight()).isNotCloseTo(1.0, within(1e-3)); // it moved
    }

    @Test
    void withoutLearningTheWeightIsOneAndTheScaledLogitAnOffset() {
        List<Example> stream = FtrlFixtures.stream(300, 3);
        float[] offsets = values(stream.size(), 4, 0.5, -1);
        float[] scaled = values(stream.size(), 5, 2.0, 0);
        float[] sum = new float[stream.size()];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = offsets[i] + scaled[i];
        }
        OffsetScores out =
                new FtrlLearner("r", SPEC, SMALL).scoreThenLearn(stream, offsets, scaled);
        float[] expected = new FtrlLearner("r", SPEC, SMALL).scoreThenLearn(stream, sum);
        for (int i = 0; i < expected.length; i++) {
            assertThat(out.scores()[i]).isCloseTo(expected[i], within(1e-6f));
            assertThat(out.weights()[i]).isEqualTo(1f);
        }
    }

    @Test
    void dampsALogitThatCarriesOnlyNoise() {
        List<Example> stream = FtrlFixtures.stream(3000, 9);
        float[] noise = values(stream.size(), 6, 4.0, 0); // independent of the labels
        FtrlLearner learner = new FtrlLearner("r", SPEC, SMALL, 0.2);
        learner.scoreThenLearn(stream, null, noise);
        assertThat(Math.abs(learner.scaledWeight())).isLessThan(0.3);
    }

    @Test
    void snapshotCarriesTheWeightAndNamesAMismatch() {
        List<Example> stream = FtrlFixtures.stream(400, 5);
        float[] scaled = values(stream.size(), 7, 3.0, 0);
        FtrlLearner a = new FtrlLearner("r", SPEC, SMALL, 0.2);
        a.scoreThenLearn(
                stream.subList(0, 200), null, java.util.Arrays.copyOfRange(scaled, 0, 200));
        FtrlLearner b = new FtrlLearner("r", SPEC, SMALL, 0.2);
        b.restore(a.snapshot());
        assertThat(b.scaledWeight()).isEqualTo(a.scaledWeight()).isNotEqualTo(1.0);
        float[] rest = java.util.Arrays.copyOfRange(scaled, 200, 400);
        assertThat(b.scoreThenLearn(stream.subList(200, 400), null, rest).scores())
                .containsExactly(a.scoreThenLearn(stream.subList(200, 400), null, rest).scores());
        FtrlLearner plain = new FtrlLearner("r", SPEC, SMALL);
        assertThatThrownBy(() -> plain.restore(a.snapshot()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("with a learned weight of the deep logit");
        // a plain snapshot (an older job's) restores with the weight started afresh at 1
        plain.scoreThenLearn(stream.subList(0, 100));
        b.restore(plain.snapshot());
        assertThat(b.scaledWeight()).isEqualTo(1.0);
        assertThat(b.step()).isEqualTo(plain.step());
        assertThat(b.scoreThenLearn(stream.subList(100, 200), null, null).scores())
                .containsExactly(plain.scoreThenLearn(stream.subList(100, 200)));
        assertThatThrownBy(() -> new FtrlLearner("r", SPEC, SMALL, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alpha");
        b.clear();
        assertThat(b.scaledWeight()).isEqualTo(1.0);
    }

    /** n values of {@code mean} + a uniform spread of ±{@code spread}, seeded. */
    private static float[] values(int n, long seed, double spread, double mean) {
        Random random = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (mean + spread * (2 * random.nextDouble() - 1));
        }
        return out;
    }
}
