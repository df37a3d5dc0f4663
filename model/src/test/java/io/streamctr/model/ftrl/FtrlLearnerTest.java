package io.streamctr.model.ftrl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamctr.model.features.FeatureSpec;
import io.streamctr.schemas.Example;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FtrlLearnerTest {

    private static final FeatureSpec SPEC = FtrlFixtures.spec();

    /** 2^12 coordinates: small enough for many learners, with some hash collisions. */
    private static final FtrlConfig SMALL = FtrlConfig.defaults().withBits(12);

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 64, 400})
    void matchesBruteForceAlgorithmOneAtEveryBatchSize(int batchSize) {
        check(SMALL, batchSize);
    }

    @Test
    void matchesBruteForceAlgorithmOneWithL1AndWithoutCrosses() {
        check(new FtrlConfig(0.1, 0.5, 0.3, 0.2, 12, false), 16);
    }

    private static void check(FtrlConfig config, int batchSize) {
        List<Example> stream = FtrlFixtures.stream(400, 7);
        FtrlLearner learner = new FtrlLearner(SPEC, config);
        ReferenceFtrl reference =
                new ReferenceFtrl(config.alpha(), config.beta(), config.l1(), config.l2());
        List<Double> expected = new ArrayList<>();
        long labelled = 0;
        for (Example e : stream) {
            expected.add(
                    reference.step(learner.features().coordinates(e), e.getEvent().getLabel()));
            labelled += e.getEvent().getLabel() == null ? 0 : 1;
        }
        List<Float> actual = new ArrayList<>();
        for (int i = 0; i < stream.size(); i += batchSize) {
            for (float p :
                    learner.scoreThenLearn(
                            stream.subList(i, Math.min(stream.size(), i + batchSize)))) {
                actual.add(p);
            }
        }
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.size(); i++) {
            assertThat((double) actual.get(i))
                    .as("event %d", i)
                    .isCloseTo(expected.get(i), within(1e-6));
        }
        assertThat(learner.step()).isEqualTo(labelled).isLessThan(stream.size());
        // it learned something: the second half is scored better than a constant would be
        assertThat(Math.abs(expected.get(399) - expected.get(0))).isGreaterThan(0.01);
    }

    @Test
    void scoresEachEventWithTheLabelsBeforeItInTheBatchAndNeverItsOwnOrLater() {
        List<Example> batch = FtrlFixtures.stream(200, 11);
        float[] base = new FtrlLearner(SPEC, SMALL).scoreThenLearn(batch);
        for (int i = 20; i < batch.size(); i += 45) {
            for (int j = 0; j < batch.size(); j += 9) {
                if (batch.get(j).getEvent().getLabel() == null) {
                    continue;
                }
                List<Example> changed = new ArrayList<>(batch);
                changed.set(
                        j,
                        FtrlFixtures.withLabel(
                                batch.get(j), 1 - batch.get(j).getEvent().getLabel()));
                float[] p = new FtrlLearner(SPEC, SMALL).scoreThenLearn(changed);
                if (j < i) {
                    assertThat(p[i])
                            .as("event %d after flipping earlier event %d", i, j)
                            .isNotEqualTo(base[i]);
                } else {
                    assertThat(p[i])
                            .as("event %d after flipping event %d", i, j)
                            .isEqualTo(base[i]);
                }
            }
            List<Example> unlabelled = new ArrayList<>(batch);
            unlabelled.set(i, FtrlFixtures.withLabel(batch.get(i), null));
            assertThat(new FtrlLearner(SPEC, SMALL).scoreThenLearn(unlabelled)[i])
                    .isEqualTo(base[i]);
        }
    }

    @Test
    void unlabelledEventsAreScoredButNotLearnedFrom() {
        List<Example> stream = FtrlFixtures.stream(50, 3);
        List<Example> unlabelled =
                stream.stream().map(e -> FtrlFixtures.withLabel(e, null)).toList();
        FtrlLearner learner = new FtrlLearner(SPEC, SMALL);
        float[] p = learner.scoreThenLearn(unlabelled);
        assertThat(learner.step()).isZero();
        for (float v : p) {
            assertThat(v).isEqualTo(0.5f);
        }
    }

    @Test
    void snapshotRestoreContinuesIdentically() {
        List<Example> stream = FtrlFixtures.stream(400, 5);
        FtrlLearner a = new FtrlLearner(SPEC, SMALL);
        a.scoreThenLearn(stream.subList(0, 200));
        byte[] snapshot = a.snapshot();
        FtrlLearner b = new FtrlLearner(SPEC, SMALL);
        b.scoreThenLearn(FtrlFixtures.stream(30, 99)); // state that restore must replace, not merge
        b.restore(snapshot);
        assertThat(b.step()).isEqualTo(a.step());
        assertThat(b.snapshot()).isEqualTo(snapshot);
        float[] pa = a.scoreThenLearn(stream.subList(200, 400));
        float[] pb = b.scoreThenLearn(stream.subList(200, 400));
        assertThat(pb).containsExactly(pa);
        assertThat(b.step()).isEqualTo(a.step());
    }

    @Test
    void snapshotHoldsOnlyTheCoordinatesSeen() {
        FtrlLearner learner = new FtrlLearner(SPEC, FtrlConfig.defaults());
        assertThat(learner.snapshot()).hasSize(1 + 4 + 8 + 16 + 4);
        learner.scoreThenLearn(FtrlFixtures.stream(300, 2));
        int bytes = learner.snapshot().length;
        assertThat(bytes).isGreaterThan(1_000).isLessThan(20 * 2_000 + 100);
        assertThat(bytes - 33).isEqualTo(20 * ByteBuffer.wrap(learner.snapshot(), 29, 4).getInt());
    }

    @Test
    void badSnapshotsAreRejectedWithAClearMessageAndKeepTheState() {
        FtrlLearner learner = new FtrlLearner(SPEC, SMALL);
        learner.scoreThenLearn(FtrlFixtures.stream(100, 4));
        byte[] good = learner.snapshot();
        long step = learner.step();

        assertThatThrownBy(() -> learner.restore(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> learner.restore(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        byte[] version = good.clone();
        version[0] = 9;
        assertThatThrownBy(() -> learner.restore(version))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
        assertThatThrownBy(
                        () -> learner.restore(new FtrlLearner(SPEC, SMALL.withBits(13)).snapshot()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2^13");
        assertThatThrownBy(() -> learner.restore(Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> learner.restore(Arrays.copyOf(good, 10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> learner.restore(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trailing");
        byte[] outOfOrder = good.clone();
        ByteBuffer.wrap(outOfOrder)
                .putInt(33 + 20, 0); // the second coordinate's index below the first's
        assertThatThrownBy(() -> learner.restore(outOfOrder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not increasing");
        byte[] negative = good.clone();
        ByteBuffer.wrap(negative).putDouble(33 + 12, -1.0); // n of the first coordinate
        assertThatThrownBy(() -> learner.restore(negative))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid n");

        assertThat(learner.step()).isEqualTo(step);
        assertThat(learner.snapshot()).isEqualTo(good);
    }

    @Test
    void rejectsBadLabelsAndArguments() {
        Example bad = FtrlFixtures.withLabel(FtrlFixtures.stream(1, 1).get(0), 2);
        FtrlLearner learner = new FtrlLearner(SPEC, SMALL);
        assertThatThrownBy(() -> learner.scoreThenLearn(List.of(bad)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label must be 0, 1 or null, got 2");
        assertThatThrownBy(() -> learner.scoreThenLearn(null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FtrlLearner(null, SMALL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FtrlConfig(0, 1, 0, 1, 22, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alpha");
        assertThatThrownBy(() -> new FtrlConfig(0.05, 1, -1, 1, 22, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("l1");
        assertThatThrownBy(() -> SMALL.withBits(31))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bits");
    }
}
