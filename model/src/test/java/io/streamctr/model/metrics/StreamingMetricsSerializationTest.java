package io.streamctr.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamingMetricsSerializationTest {

    @ParameterizedTest(name = "window {0}, {1} samples")
    @CsvSource({"5, 0", "5, 3", "5, 5", "7, 1000", "1000, 999", "64, 5000"})
    void restoredAccumulatorGivesIdenticalSnapshotsAndContinuesIdentically(
            int windowSize, int samples) {
        Random random = new Random(windowSize + samples);
        StreamingMetrics original = new StreamingMetrics(windowSize);
        addRandom(original, random, samples);

        StreamingMetrics restored = StreamingMetrics.fromBytes(original.toBytes());

        assertSame(restored, original);
        assertThat(restored.toBytes()).isEqualTo(original.toBytes());

        float[] scores = BruteForceReference.scores(random, 777, 2);
        int[] labels = BruteForceReference.labels(random, scores);
        original.addAll(scores, labels);
        restored.addAll(scores, labels);

        assertSame(restored, original);
        assertThat(restored.toBytes()).isEqualTo(original.toBytes());
    }

    @Test
    void formIsCompactForFewDistinctScores() {
        StreamingMetrics metrics = new StreamingMetrics(10);
        Random random = new Random(9);
        float[] scores = BruteForceReference.scores(random, 100_000, 2);
        metrics.addAll(scores, BruteForceReference.labels(random, scores));

        assertThat(metrics.toBytes().length).isLessThan(2_000);
    }

    @Test
    void rejectsAnotherFormatVersion() {
        byte[] bytes = new StreamingMetrics(3).toBytes();
        bytes[0] = 99;

        assertThatThrownBy(() -> StreamingMetrics.fromBytes(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 1, 2 or 3, got 99");
    }

    @Test
    void rejectsTruncatedAndOverlongBytes() {
        StreamingMetrics metrics = new StreamingMetrics(3);
        metrics.addAll(new float[] {0.1f, 0.9f, 0.4f, 0.6f}, new int[] {0, 1, 0, 1});
        byte[] bytes = metrics.toBytes();

        assertThatThrownBy(() -> StreamingMetrics.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Truncated");
        assertThatThrownBy(() -> StreamingMetrics.fromBytes(Arrays.copyOf(bytes, bytes.length + 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 more bytes");
    }

    @Test
    void restoresTheWindowsUserIdsSoGaucContinuesIdentically() {
        Random random = new Random(21);
        StreamingMetrics original = new StreamingMetrics(300);
        float[] scores = BruteForceReference.scores(random, 1000, 2);
        int[] labels = BruteForceReference.labels(random, scores);
        String[] users = BruteForceReference.users(random, 1000, 25);
        users[999] = null;
        users[998] = "ünïcode-üser";
        original.addAll(scores, labels, users);

        StreamingMetrics restored = StreamingMetrics.fromBytes(original.toBytes());

        assertSame(restored, original);
        assertThat(restored.window().gauc()).isNotNull();
        assertThat(restored.windowCalibration()).isEqualTo(original.windowCalibration());
        original.add(0.5f, 1, "user-3");
        restored.add(0.5f, 1, "user-3");
        assertSame(restored, original);
        assertThat(restored.toBytes()).isEqualTo(original.toBytes());
    }

    @Test
    void readsFormatVersions1And2WhichHaveNoUserIdsOrNoRounding() {
        StreamingMetrics metrics = new StreamingMetrics(4);
        metrics.addAll(new float[] {0.1f, 0.9f, 0.4f, 0.6f, 0.3f}, new int[] {0, 1, 0, 1, 1});
        byte[] version3 = metrics.toBytes();
        // version 2 has no rounding-bits byte after the version; version 1 also ends before the
        // user
        // section: a dictionary size (int 0) and one 0 byte per sample
        byte[] version2 = new byte[version3.length - 1];
        version2[0] = 2;
        System.arraycopy(version3, 2, version2, 1, version3.length - 2);
        byte[] version1 = Arrays.copyOf(version2, version2.length - 4 - metrics.windowCount());
        version1[0] = 1;

        for (byte[] older : new byte[][] {version1, version2}) {
            StreamingMetrics restored = StreamingMetrics.fromBytes(older);

            assertSame(restored, metrics);
            assertThat(restored.lifetimeAucBits()).isZero();
            assertThat(restored.toBytes()).isEqualTo(version3);
        }
    }

    @Test
    void rejectsAUserIndexOutsideTheDictionary() {
        StreamingMetrics metrics = new StreamingMetrics(2);
        metrics.add(0.5f, 1, "a");
        byte[] bytes = metrics.toBytes();
        bytes[bytes.length - 1] = 2;

        assertThatThrownBy(() -> StreamingMetrics.fromBytes(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user index of 0..1, got 2");
    }

    private static void addRandom(StreamingMetrics metrics, Random random, int samples) {
        float[] scores = BruteForceReference.scores(random, samples, -1);
        metrics.addAll(
                scores,
                BruteForceReference.labels(random, scores),
                BruteForceReference.users(random, samples, 50));
    }

    private static void assertSame(StreamingMetrics restored, StreamingMetrics original) {
        // records compare Double fields with Double.equals: bit for bit
        assertThat(restored.lifetime()).isEqualTo(original.lifetime());
        assertThat(restored.window()).isEqualTo(original.window());
        assertThat(restored.count()).isEqualTo(original.count());
        assertThat(restored.windowCount()).isEqualTo(original.windowCount());
        assertThat(restored.windowSize()).isEqualTo(original.windowSize());
    }
}
