package io.streamctr.model.metrics;

import static io.streamctr.model.metrics.BruteForceReference.assertMatches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StreamingMetricsTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void lifetimeMatchesBruteForceOverAllSamples(long seed) {
        Random random = new Random(seed);
        float[] scores = BruteForceReference.scores(random, 2000, seed == 3 ? 1 : -1);
        int[] labels = BruteForceReference.labels(random, scores);
        StreamingMetrics metrics = new StreamingMetrics(100);

        for (int i = 0; i < scores.length; i++) {
            metrics.add(scores[i], labels[i]);
            if (i % 97 == 0 || i < 5) {
                assertMatches(
                        metrics.lifetime(), BruteForceReference.snapshot(scores, labels, 0, i + 1));
            }
        }

        assertMatches(
                metrics.lifetime(), BruteForceReference.snapshot(scores, labels, 0, scores.length));
        assertThat(metrics.count()).isEqualTo(2000);
    }

    @Test
    void lifetimeAucStaysExactAcrossManyBufferFlushesWithHeavyTies() {
        Random random = new Random(8);
        int n = 20_000;
        float[] scores = BruteForceReference.scores(random, n, 2);
        int[] labels = BruteForceReference.labels(random, scores);
        StreamingMetrics metrics = new StreamingMetrics(1);

        for (int i = 0; i < n; i++) {
            metrics.add(scores[i], labels[i]);
            if (i % 333 == 0) {
                assertThat(metrics.lifetime().auc())
                        .isEqualTo(BinaryMetrics.auc(scores, labels, 0, i + 1));
            }
        }

        assertThat(metrics.lifetime().auc())
                .isCloseTo(
                        BruteForceReference.auc(scores, labels, 0, n),
                        within(BruteForceReference.TOLERANCE));
    }

    @ParameterizedTest(name = "window {0}, batches of {1}")
    @CsvSource({"1, 7", "10, 25", "25, 25", "64, 10", "500, 37", "3000, 100"})
    void windowMatchesBruteForceOverTheLastWSamplesAcrossBatches(int windowSize, int batchSize) {
        Random random = new Random(windowSize * 31L + batchSize);
        float[] scores = BruteForceReference.scores(random, 2000, 1);
        int[] labels = BruteForceReference.labels(random, scores);
        StreamingMetrics metrics = new StreamingMetrics(windowSize);

        int end = 0;
        while (end + batchSize <= scores.length) {
            int start = end;
            end += batchSize;
            metrics.addAll(
                    Arrays.copyOfRange(scores, start, end), Arrays.copyOfRange(labels, start, end));

            int windowStart = Math.max(0, end - windowSize);
            assertThat(metrics.windowCount()).isEqualTo(end - windowStart);
            assertMatches(
                    metrics.window(),
                    BruteForceReference.snapshot(scores, labels, windowStart, end));
        }
        assertMatches(metrics.lifetime(), BruteForceReference.snapshot(scores, labels, 0, end));
    }

    @Test
    void batchLargerThanTheWindowKeepsItsLastWSamples() {
        float[] scores = {0.9f, 0.8f, 0.1f, 0.2f, 0.7f, 0.3f};
        int[] labels = {0, 0, 1, 1, 1, 0};
        StreamingMetrics metrics = new StreamingMetrics(4);

        metrics.addAll(scores, labels);

        assertThat(metrics.windowCount()).isEqualTo(4);
        assertMatches(metrics.window(), BruteForceReference.snapshot(scores, labels, 2, 6));
        assertMatches(metrics.lifetime(), BruteForceReference.snapshot(scores, labels, 0, 6));
    }

    @Test
    void heavyTiesAndScoresOfExactlyZeroAndOneGiveFiniteFigures() {
        float[] scores = {0f, 1f, 0f, 1f, 0.5f, 0.5f, 0f, 1f};
        int[] labels = {1, 0, 0, 1, 1, 0, 0, 1};
        StreamingMetrics metrics = new StreamingMetrics(8);

        metrics.addAll(scores, labels);

        MetricsSnapshot expected = BruteForceReference.snapshot(scores, labels, 0, 8);
        assertMatches(metrics.lifetime(), expected);
        assertMatches(metrics.window(), expected);
        assertThat(metrics.lifetime().logLoss()).isFinite().isGreaterThan(5.0);
    }

    @Test
    void allScoresEqualGiveAnAucOfOneHalf() {
        StreamingMetrics metrics = new StreamingMetrics(10);
        for (int i = 0; i < 20; i++) {
            metrics.add(0.25f, i % 3 == 0 ? 1 : 0);
        }

        assertThat(metrics.lifetime().auc()).isEqualTo(0.5);
        assertThat(metrics.window().auc()).isEqualTo(0.5);
    }

    @Test
    void oneClassLeavesAucNeAndCalibrationUndefined() {
        StreamingMetrics metrics = new StreamingMetrics(5);
        metrics.addAll(new float[] {0.1f, 0.4f, 0.7f}, new int[] {0, 0, 0});

        MetricsSnapshot lifetime = metrics.lifetime();

        assertThat(lifetime.auc()).isNull();
        assertThat(lifetime.ne()).isNull();
        assertThat(lifetime.calibration()).isNull();
        assertThat(lifetime.ctr()).isEqualTo(0.0);
        assertThat(lifetime.predictionMean()).isCloseTo(0.4, within(1e-7));
        assertMatches(
                metrics.window(),
                BruteForceReference.snapshot(
                        new float[] {0.1f, 0.4f, 0.7f}, new int[] {0, 0, 0}, 0, 3));
    }

    @Test
    void singleSampleHasOnlyCountRatesAndLossDefined() {
        StreamingMetrics metrics = new StreamingMetrics(3);
        metrics.add(0.8f, 1);

        MetricsSnapshot lifetime = metrics.lifetime();

        assertMatches(
                lifetime, BruteForceReference.snapshot(new float[] {0.8f}, new int[] {1}, 0, 1));
        assertThat(lifetime.auc()).isNull();
        assertThat(lifetime.ne()).isNull();
        assertThat(lifetime.calibration()).isCloseTo(0.8, within(1e-7));
    }

    @Test
    void emptyAccumulatorHasEveryFigureUndefined() {
        StreamingMetrics metrics = new StreamingMetrics(3);

        assertThat(metrics.lifetime()).isEqualTo(MetricsSnapshot.EMPTY);
        assertThat(metrics.window()).isEqualTo(MetricsSnapshot.EMPTY);
        assertThat(metrics.windowCount()).isZero();
        assertThat(metrics.windowSize()).isEqualTo(3);
    }

    @Test
    void negativeZeroIsCountedAsTheScoreZero() {
        StreamingMetrics metrics = new StreamingMetrics(2);
        metrics.add(-0.0f, 1);
        metrics.add(0.0f, 0);

        assertThat(metrics.lifetime().auc()).isEqualTo(0.5);
        assertThat(metrics.window().auc()).isEqualTo(0.5);
    }

    @Test
    void rejectsALabelOtherThanZeroOrOne() {
        StreamingMetrics metrics = new StreamingMetrics(3);

        assertThatThrownBy(() -> metrics.add(0.5f, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label")
                .hasMessageContaining("got 2");
        assertThat(metrics.count()).isZero();
    }

    @Test
    void rejectsNaNInfiniteAndOutOfRangeScores() {
        StreamingMetrics metrics = new StreamingMetrics(3);

        assertThatThrownBy(() -> metrics.add(Float.NaN, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got NaN");
        assertThatThrownBy(() -> metrics.add(Float.POSITIVE_INFINITY, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got Infinity");
        assertThatThrownBy(() -> metrics.add(1.5f, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 1.5");
        assertThat(metrics.count()).isZero();
    }

    @Test
    void rejectsABatchWithABadSampleWithoutAddingAnyOfIt() {
        StreamingMetrics metrics = new StreamingMetrics(3);

        assertThatThrownBy(() -> metrics.addAll(new float[] {0.2f, Float.NaN}, new int[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 1");
        assertThatThrownBy(() -> metrics.addAll(new float[] {0.2f}, new int[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 labels and 1 scores");
        assertThat(metrics.count()).isZero();
    }

    @ParameterizedTest(name = "window size {0}")
    @ValueSource(ints = {0, -5})
    void rejectsAWindowSmallerThanOne(int windowSize) {
        assertThatThrownBy(() -> new StreamingMetrics(windowSize))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1, got " + windowSize);
    }

    @ParameterizedTest(name = "window {0}, batches of {1}")
    @CsvSource({"1, 7", "10, 25", "25, 25", "64, 10", "300, 37", "3000, 100"})
    void windowGaucMatchesBruteForceOverTheLastWSamplesAcrossBatches(
            int windowSize, int batchSize) {
        Random random = new Random(windowSize * 17L + batchSize);
        float[] scores = BruteForceReference.scores(random, 2000, 1);
        int[] labels = BruteForceReference.labels(random, scores);
        String[] users = BruteForceReference.users(random, 2000, 40);
        StreamingMetrics metrics = new StreamingMetrics(windowSize);

        int end = 0;
        while (end + batchSize <= scores.length) {
            int start = end;
            end += batchSize;
            metrics.addAll(
                    Arrays.copyOfRange(scores, start, end),
                    Arrays.copyOfRange(labels, start, end),
                    Arrays.copyOfRange(users, start, end));

            int windowStart = Math.max(0, end - windowSize);
            assertMatches(
                    metrics.window(),
                    BruteForceReference.snapshot(scores, labels, users, windowStart, end));
        }
        MetricsSnapshot lifetime = metrics.lifetime();
        assertMatches(lifetime, BruteForceReference.snapshot(scores, labels, 0, end));
        assertThat(lifetime.gauc()).isNull();
    }

    @Test
    void windowGaucOfAHandComputedCaseSkipsAndCountsOneClassUsers() {
        StreamingMetrics metrics = new StreamingMetrics(6);
        metrics.add(0.2f, 1, "evicted");
        metrics.add(0.9f, 1, "a");
        metrics.add(0.1f, 0, "a");
        metrics.add(0.3f, 1, "b");
        metrics.add(0.6f, 0, "b");
        metrics.add(0.4f, 0, "c");
        metrics.add(0.5f, 1);

        MetricsSnapshot window = metrics.window();

        // a: AUC 1 over 2 samples, b: AUC 0 over 2, c: one class; the unlabelled user and the
        // evicted sample are out
        assertThat(window.gauc()).isEqualTo(0.5);
        assertThat(window.gaucUsers()).isEqualTo(2);
        assertThat(window.gaucUsersSkipped()).isEqualTo(1);
        assertThat(window.gaucUndefinedReason()).isNull();
    }

    @Test
    void undefinedFiguresCarryAReason() {
        StreamingMetrics metrics = new StreamingMetrics(2);
        assertThat(metrics.window().aucUndefinedReason()).isEqualTo(MetricsSnapshot.REASON_EMPTY);
        assertThat(metrics.window().gaucUndefinedReason()).isEqualTo(MetricsSnapshot.REASON_EMPTY);

        metrics.add(0.3f, 0, "a");
        metrics.add(0.6f, 0);
        assertThat(metrics.window().aucUndefinedReason())
                .isEqualTo(MetricsSnapshot.REASON_ONE_CLASS);
        assertThat(metrics.window().gaucUndefinedReason())
                .isEqualTo(MetricsSnapshot.REASON_ONE_CLASS_PER_USER);

        metrics.add(0.8f, 1);
        metrics.add(0.1f, 0);
        assertThat(metrics.window().aucUndefinedReason()).isNull();
        assertThat(metrics.window().gaucUndefinedReason())
                .isEqualTo(MetricsSnapshot.REASON_NO_USER);
        assertThat(metrics.lifetime().aucUndefinedReason()).isNull();
    }

    @Test
    void constantPredictorAtTheWindowCtrHasAnNeOfOne() {
        StreamingMetrics metrics = new StreamingMetrics(100);
        for (int i = 0; i < 250; i++) {
            metrics.add(0.25f, i % 4 == 0 ? 1 : 0, "u" + i % 7);
        }

        assertThat(metrics.window().ctr()).isEqualTo(0.25);
        assertThat(metrics.window().ne()).isCloseTo(1.0, within(1e-9));
        assertThat(metrics.window().auc()).isEqualTo(0.5);
        assertThat(metrics.window().gauc()).isCloseTo(0.5, within(1e-15));
    }

    @Test
    void perfectPredictorHasAnNeNearZeroAndAnAucOfOne() {
        StreamingMetrics metrics = new StreamingMetrics(50);
        for (int i = 0; i < 120; i++) {
            int label = i % 3 == 0 ? 1 : 0;
            metrics.add(label, label, "u" + i % 5);
        }

        for (MetricsSnapshot snapshot :
                new MetricsSnapshot[] {metrics.window(), metrics.lifetime()}) {
            assertThat(snapshot.auc()).isEqualTo(1.0);
            assertThat(snapshot.ne()).isBetween(0.0, 1e-10);
            assertThat(snapshot.calibration()).isEqualTo(1.0);
        }
        assertThat(metrics.window().gauc()).isEqualTo(1.0);
    }

    @ParameterizedTest(name = "window {0}, batches of {1}")
    @CsvSource({"1, 7", "25, 25", "64, 10", "500, 37"})
    void windowCalibrationBucketsMatchCountingByScore(int windowSize, int batchSize) {
        Random random = new Random(windowSize + 7L * batchSize);
        float[] scores = BruteForceReference.scores(random, 1000, 2);
        scores[3] = 0f;
        scores[990] = 1f;
        scores[995] = 1f;
        int[] labels = BruteForceReference.labels(random, scores);
        StreamingMetrics metrics = new StreamingMetrics(windowSize);

        int end = 0;
        while (end + batchSize <= scores.length) {
            metrics.addAll(
                    Arrays.copyOfRange(scores, end, end + batchSize),
                    Arrays.copyOfRange(labels, end, end + batchSize));
            end += batchSize;

            List<CalibrationBucket> buckets = metrics.windowCalibration();
            double[][] expected =
                    BruteForceReference.calibration(
                            scores, labels, Math.max(0, end - windowSize), end);
            assertThat(buckets).hasSize(StreamingMetrics.CALIBRATION_BUCKETS);
            for (int b = 0; b < buckets.size(); b++) {
                CalibrationBucket bucket = buckets.get(b);
                assertThat(bucket.lower()).isCloseTo(b / 10.0, within(1e-15));
                assertThat(bucket.count())
                        .as("bucket %d count", b)
                        .isEqualTo((long) expected[b][0]);
                assertThat(bucket.positives())
                        .as("bucket %d positives", b)
                        .isEqualTo((long) expected[b][1]);
                assertThat(bucket.sumPredictions())
                        .isCloseTo(expected[b][2], within(BruteForceReference.TOLERANCE));
            }
        }
    }

    @Test
    void emptyCalibrationBucketsHaveNoRates() {
        StreamingMetrics metrics = new StreamingMetrics(4);
        metrics.add(1.0f, 1);
        metrics.add(0.95f, 0);

        List<CalibrationBucket> buckets = metrics.windowCalibration();

        assertThat(buckets.get(0).meanPrediction()).isNull();
        assertThat(buckets.get(0).observedCtr()).isNull();
        assertThat(buckets.get(9).count()).isEqualTo(2);
        assertThat(buckets.get(9).meanPrediction()).isCloseTo(0.975, within(1e-7));
        assertThat(buckets.get(9).observedCtr()).isEqualTo(0.5);
    }

    @Test
    void rejectsUserIdsOfAnotherLength() {
        StreamingMetrics metrics = new StreamingMetrics(3);

        assertThatThrownBy(() -> metrics.addAll(new float[] {0.2f}, new int[] {0}, new String[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 user ids and 1 scores");
        assertThat(metrics.count()).isZero();
    }

    @Test
    void keepsAMillionSamplesWithFrequentLifetimeReads() {
        Random random = new Random(5);
        int n = 1_000_000;
        float[] scores = BruteForceReference.scores(random, n, -1);
        int[] labels = BruteForceReference.labels(random, scores);
        StreamingMetrics metrics = new StreamingMetrics(10_000);

        for (int i = 0; i < n; i += 1000) {
            metrics.addAll(
                    Arrays.copyOfRange(scores, i, i + 1000),
                    Arrays.copyOfRange(labels, i, i + 1000));
            metrics.lifetime();
        }

        MetricsSnapshot lifetime = metrics.lifetime();
        assertThat(lifetime.count()).isEqualTo(n);
        assertThat(lifetime.auc())
                .isCloseTo(BinaryMetrics.auc(scores, labels, 0, n), within(1e-12));
        assertThat(lifetime.ctr())
                .isCloseTo(Arrays.stream(labels).average().orElseThrow(), within(1e-12));
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {6, 10, 16})
    void roundedLifetimeAucIsTheExactAucOfTheRoundedScoresWithinItsBoundOfTheExactOne(int bits) {
        Random random = new Random(bits);
        int n = 20_000;
        float[] scores = BruteForceReference.scores(random, n, -1);
        int[] labels = BruteForceReference.labels(random, scores);
        float scale = (float) Math.scalb(1.0, bits);
        float[] rounded = new float[n];
        for (int i = 0; i < n; i++) {
            rounded[i] = Math.round(scores[i] * scale) / scale;
        }
        StreamingMetrics metrics = new StreamingMetrics(100, bits);

        metrics.addAll(scores, labels);

        double exact = BinaryMetrics.auc(scores, labels, 0, n);
        assertThat(metrics.lifetime().auc())
                .isCloseTo(BinaryMetrics.auc(rounded, labels, 0, n), within(1e-12));
        assertThat(metrics.lifetimeAucErrorBound()).isPositive();
        assertThat(Math.abs(metrics.lifetime().auc() - exact))
                .isLessThanOrEqualTo(metrics.lifetimeAucErrorBound());
        // the other figures and the window use the scores as given
        assertMatches(metrics.window(), BruteForceReference.snapshot(scores, labels, n - 100, n));
        assertThat(metrics.lifetime().logLoss())
                .isCloseTo(
                        BruteForceReference.snapshot(scores, labels, 0, n).logLoss(), within(1e-9));
    }

    @Test
    void exactLifetimeAucHasAZeroBoundAndUndefinedIsNull() {
        StreamingMetrics metrics = new StreamingMetrics(10);
        assertThat(metrics.lifetimeAucErrorBound()).isNull();
        metrics.add(0.3f, 1);
        metrics.add(0.3f, 0);
        assertThat(metrics.lifetimeAucErrorBound()).isEqualTo(0.0);
        StreamingMetrics rounded = new StreamingMetrics(10, 4);
        rounded.add(0.30f, 1);
        rounded.add(0.31f, 0); // both round to 5/16: one tied pair of one
        assertThat(rounded.lifetime().auc()).isEqualTo(0.5);
        assertThat(rounded.lifetimeAucErrorBound()).isEqualTo(0.5);
    }

    @Test
    void roundedLifetimeStateStaysBoundedOverAMillionDistinctScoresAndSurvivesARestore() {
        Random random = new Random(9);
        int n = 1_000_000;
        float[] scores = BruteForceReference.scores(random, n, -1);
        int[] labels = BruteForceReference.labels(random, scores);
        StreamingMetrics exact = new StreamingMetrics(1_000);
        StreamingMetrics rounded = new StreamingMetrics(1_000, 16);

        exact.addAll(scores, labels);
        rounded.addAll(scores, labels);

        int exactBytes = exact.toBytes().length;
        int roundedBytes = rounded.toBytes().length;
        assertThat(roundedBytes)
                .as("at most 2^16 + 1 scores kept")
                .isLessThan(1_500_000)
                .isLessThan(exactBytes / 2);
        assertThat(Math.abs(rounded.lifetime().auc() - exact.lifetime().auc()))
                .isLessThanOrEqualTo(rounded.lifetimeAucErrorBound());
        StreamingMetrics restored = StreamingMetrics.fromBytes(rounded.toBytes());
        assertThat(restored.lifetimeAucBits()).isEqualTo(16);
        restored.add(0.123456f, 1);
        rounded.add(0.123456f, 1);
        assertThat(restored.toBytes()).isEqualTo(rounded.toBytes());
    }

    @Test
    void rejectsRoundingBitsOutsideTheFloatSignificand() {
        assertThatThrownBy(() -> new StreamingMetrics(10, 25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[0, 24]");
        assertThatThrownBy(() -> new StreamingMetrics(10, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
