package io.streamctr.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GroupAucTest {

    @Test
    void weightsEachUsersAucByTheUsersSampleCountAndSkipsOneClassUsers() {
        String[] users = {"a", "a", "a", "b", "b", "c", "c", "c", "c", "d", "d", "e"};
        float[] scores = {0.9f, 0.1f, 0.5f, 0.2f, 0.8f, 0.3f, 0.3f, 0.6f, 0.1f, 0.4f, 0.7f, 0.5f};
        int[] labels = {1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1};

        GroupAuc gauc = GroupAuc.of(scores, labels, users, 0, users.length);

        // a: AUC 1 over 3 samples; b: AUC 0 over 2; c: (0.5 + 1 + 1 + 1) / 4 = 0.875 over 4;
        // d (two negatives) and e (one sample) have one class
        assertThat(gauc.gauc()).isCloseTo((3 * 1.0 + 2 * 0.0 + 4 * 0.875) / 9, within(1e-15));
        assertThat(gauc.users()).isEqualTo(3);
        assertThat(gauc.usersSkipped()).isEqualTo(2);
        assertThat(gauc.undefinedReason()).isNull();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void matchesBruteForceOnRandomData(long seed) {
        Random random = new Random(seed);
        int n = 1500;
        float[] scores = BruteForceReference.scores(random, n, seed % 2 == 0 ? 1 : -1);
        int[] labels = BruteForceReference.labels(random, scores);
        String[] users = BruteForceReference.users(random, n, 200);
        if (seed == 4) {
            for (int i = 0; i < n; i += 7) {
                users[i] = null;
            }
        }

        GroupAuc actual = GroupAuc.of(scores, labels, users, 100, n);
        GroupAuc expected = BruteForceReference.groupAuc(scores, labels, users, 100, n);

        assertThat(actual.gauc()).isCloseTo(expected.gauc(), within(BruteForceReference.TOLERANCE));
        assertThat(actual.users()).isEqualTo(expected.users());
        assertThat(actual.usersSkipped()).isEqualTo(expected.usersSkipped());
        assertThat(actual.users() + actual.usersSkipped()).isLessThanOrEqualTo(200);
    }

    @Test
    void allTiesGiveOneHalfAndScoresOfExactlyZeroAndOneCount() {
        String[] users = {"a", "a", "a", "b", "b", "b"};
        float[] scores = {0.5f, 0.5f, 0.5f, 0f, 1f, 1f};
        int[] labels = {1, 0, 0, 0, 1, 0};

        GroupAuc gauc = GroupAuc.of(scores, labels, users, 0, 6);

        // a: all tied, 0.5; b: the positive at 1 beats the 0 and ties the other 1: 0.75
        assertThat(gauc.gauc()).isCloseTo((3 * 0.5 + 3 * 0.75) / 6, within(1e-15));
        assertThat(gauc.gauc())
                .isCloseTo(
                        BruteForceReference.groupAuc(scores, labels, users, 0, 6).gauc(),
                        within(1e-15));
    }

    @Test
    void oneClassPerUserLeavesGaucUndefinedWithAReason() {
        GroupAuc gauc =
                GroupAuc.of(
                        new float[] {0.1f, 0.9f, 0.4f},
                        new int[] {1, 0, 1},
                        new String[] {"a", "b", "a"},
                        0,
                        3);

        assertThat(gauc.gauc()).isNull();
        assertThat(gauc.users()).isZero();
        assertThat(gauc.usersSkipped()).isEqualTo(2);
        assertThat(gauc.undefinedReason()).isEqualTo(MetricsSnapshot.REASON_ONE_CLASS_PER_USER);
    }

    @Test
    void samplesWithoutAUserBelongToNoUser() {
        GroupAuc none =
                GroupAuc.of(new float[] {0.1f, 0.9f}, new int[] {0, 1}, new String[2], 0, 2);
        GroupAuc single = GroupAuc.of(new float[] {0.7f}, new int[] {1}, new String[] {"a"}, 0, 1);

        assertThat(none).isEqualTo(GroupAuc.NONE);
        assertThat(none.undefinedReason()).isEqualTo(MetricsSnapshot.REASON_NO_USER);
        assertThat(single).isEqualTo(new GroupAuc(null, 0, 1));
    }

    @Test
    void doesNotDependOnTheOrderOfTheSamples() {
        Random random = new Random(11);
        int n = 400;
        float[] scores = BruteForceReference.scores(random, n, -1);
        int[] labels = BruteForceReference.labels(random, scores);
        String[] users = BruteForceReference.users(random, n, 30);
        float[] rotatedScores = new float[n];
        int[] rotatedLabels = new int[n];
        String[] rotatedUsers = new String[n];
        for (int i = 0; i < n; i++) {
            rotatedScores[(i + 123) % n] = scores[i];
            rotatedLabels[(i + 123) % n] = labels[i];
            rotatedUsers[(i + 123) % n] = users[i];
        }

        assertThat(GroupAuc.of(rotatedScores, rotatedLabels, rotatedUsers, 0, n))
                .isEqualTo(GroupAuc.of(scores, labels, users, 0, n));
    }

    @Test
    void rejectsNegativeCountsAndAValueWithoutUsers() {
        assertThatThrownBy(() -> new GroupAuc(0.5, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over 0 users");
        assertThatThrownBy(() -> new GroupAuc(null, -1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("users=-1");
    }
}
