package io.streamctr.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BinaryMetricsTest {

    static Stream<Arguments> seedsSizesAndRounding() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (long seed : new long[] {1, 7, 42}) {
            for (int size : new int[] {1, 2, 3, 10, 101, 1000, 2000}) {
                for (int decimals : new int[] {-1, 1}) {
                    cases.add(Arguments.of(seed, size, decimals));
                }
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "seed {0}, {1} samples, decimals {2}")
    @MethodSource("seedsSizesAndRounding")
    void aucMatchesPairCountingOnRandomData(long seed, int size, int decimals) {
        Random random = new Random(seed);
        float[] scores = BruteForceReference.scores(random, size, decimals);
        int[] labels = BruteForceReference.labels(random, scores);

        Double auc = BinaryMetrics.auc(scores, labels, 0, size);

        Double expected = BruteForceReference.auc(scores, labels, 0, size);
        if (expected == null) {
            assertThat(auc).isNull();
        } else {
            assertThat(auc).isCloseTo(expected, within(BruteForceReference.TOLERANCE));
        }
    }

    @Test
    void aucMatchesPairCountingOverASubRange() {
        Random random = new Random(3);
        float[] scores = BruteForceReference.scores(random, 500, 1);
        int[] labels = BruteForceReference.labels(random, scores);

        Double auc = BinaryMetrics.auc(scores, labels, 123, 456);

        assertThat(auc).isCloseTo(BruteForceReference.auc(scores, labels, 123, 456), within(1e-12));
    }

    @Test
    void aucOfTheTextbookExampleIsThreeQuarters() {
        float[] scores = {0.1f, 0.4f, 0.35f, 0.8f};
        int[] labels = {0, 0, 1, 1};

        assertThat(BinaryMetrics.auc(scores, labels, 0, 4)).isEqualTo(0.75);
    }

    @Test
    void aucIsOneHalfWhenAllScoresAreEqual() {
        float[] scores = {0.3f, 0.3f, 0.3f, 0.3f, 0.3f};
        int[] labels = {1, 0, 0, 1, 0};

        assertThat(BinaryMetrics.auc(scores, labels, 0, 5)).isEqualTo(0.5);
    }

    @Test
    void aucTreatsNegativeAndPositiveZeroAsATie() {
        float[] scores = {-0.0f, 0.0f};
        int[] labels = {1, 0};

        assertThat(BinaryMetrics.auc(scores, labels, 0, 2)).isEqualTo(0.5);
    }

    @Test
    void aucIsUndefinedForOneClassASingleSampleOrNothing() {
        float[] scores = {0.2f, 0.9f, 0.5f};

        assertThat(BinaryMetrics.auc(scores, new int[] {1, 1, 1}, 0, 3)).isNull();
        assertThat(BinaryMetrics.auc(scores, new int[] {0, 0, 0}, 0, 3)).isNull();
        assertThat(BinaryMetrics.auc(scores, new int[] {1, 0, 1}, 1, 2)).isNull();
        assertThat(BinaryMetrics.auc(scores, new int[] {1, 0, 1}, 2, 2)).isNull();
    }

    @Test
    void aucRejectsANaNScoreAndALabelOtherThanZeroOrOne() {
        assertThatThrownBy(
                        () ->
                                BinaryMetrics.auc(
                                        new float[] {Float.NaN, 0.5f}, new int[] {0, 1}, 0, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(
                        () -> BinaryMetrics.auc(new float[] {0.1f, 0.5f}, new int[] {0, 2}, 0, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 2");
    }

    @Test
    void crossEntropyIsFiniteForScoresOfExactlyZeroAndOne() {
        double clampedLoss = -Math.log(1e-12);

        assertThat(BinaryMetrics.crossEntropy(0f, 1)).isCloseTo(clampedLoss, within(1e-9));
        assertThat(BinaryMetrics.crossEntropy(1f, 0)).isCloseTo(clampedLoss, within(1e-4));
        assertThat(BinaryMetrics.crossEntropy(1f, 1)).isCloseTo(1e-12, within(1e-15));
        assertThat(BinaryMetrics.crossEntropy(0f, 0)).isCloseTo(1e-12, within(1e-15));
    }

    @Test
    void crossEntropyMatchesTheDefinition() {
        Random random = new Random(11);
        for (int i = 0; i < 1000; i++) {
            float p = random.nextFloat();
            int label = random.nextInt(2);

            assertThat(BinaryMetrics.crossEntropy(p, label))
                    .isCloseTo(BruteForceReference.crossEntropy(p, label), within(1e-12));
        }
    }

    @Test
    void normalizedEntropyIsOneWhenPredictingTheBaseRate() {
        long positives = 30;
        long count = 120;
        float baseRate = 0.25f;
        double sumCrossEntropy =
                positives * BinaryMetrics.crossEntropy(baseRate, 1)
                        + (count - positives) * BinaryMetrics.crossEntropy(baseRate, 0);

        assertThat(BinaryMetrics.normalizedEntropy(sumCrossEntropy, positives, count))
                .isCloseTo(1.0, within(1e-12));
    }

    @Test
    void normalizedEntropyIsUndefinedWithoutBothClasses() {
        assertThat(BinaryMetrics.normalizedEntropy(0, 0, 0)).isNull();
        assertThat(BinaryMetrics.normalizedEntropy(3.2, 0, 10)).isNull();
        assertThat(BinaryMetrics.normalizedEntropy(3.2, 10, 10)).isNull();
    }

    @Test
    void normalizedEntropyRejectsMorePositivesThanSamples() {
        assertThatThrownBy(() -> BinaryMetrics.normalizedEntropy(1.0, 11, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positives=11");
    }
}
