package io.streamctr.model.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.FreshnessConfig;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.train.EmbeddingOptimizer;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two replicas of a learner, trained on different data, then synchronised: they hold equal state,
 * equal to the brute-force combination of their states (the mean for parameters and moments, the
 * sum of increments for accumulators, the maximum for stamps), for every kind of learner state.
 */
class ReplicaSyncTest {

    static final FeatureSpec SPEC =
            new FeatureSpec(4, 64, List.of(), List.of("genres"), 4, List.of(), "genres", 6);

    private static final FreshnessConfig FRESH = FreshnessConfig.defaults().withBits(12, 12);

    static Stream<Arguments> learners() {
        return Stream.of(
                Arguments.of("ftrl", TrainerConfig.defaults(), FRESH),
                // AdaGrad tables, base rate, residual FTRL, target statistics: every rule
                Arguments.of("dnn-tiny", TrainerConfig.defaults(), FRESH),
                Arguments.of("dnn-tiny", TrainerConfig.adam(), FreshnessConfig.off()),
                Arguments.of(
                        "dnn-tiny",
                        TrainerConfig.defaults().withEmbeddingOptimizer(EmbeddingOptimizer.FTRL),
                        FreshnessConfig.off()));
    }

    static OnlineLearner learner(String model, TrainerConfig config, FreshnessConfig fresh) {
        return Learners.create(model, SPEC, config.withSeed(7), "cpu", fresh);
    }

    static void train(OnlineLearner learner, List<Example> events, int batch) {
        for (int i = 0; i < events.size(); i += batch) {
            learner.process(events.subList(i, Math.min(events.size(), i + batch)));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("learners")
    void aRoundLeavesBothReplicasAtTheBruteForceCombination(
            String model, TrainerConfig config, FreshnessConfig fresh) {
        try (OnlineLearner a = learner(model, config, fresh);
                OnlineLearner b = learner(model, config, fresh)) {
            List<StateArray> arraysA = SyncArrays.of(a);
            List<StateArray> arraysB = SyncArrays.of(b);
            ReplicaSync syncA = new ReplicaSync(model, arraysA, 0, 2);
            ReplicaSync syncB = new ReplicaSync(model, arraysB, 1, 2);
            double[][] start = read(arraysA);
            assertThat(read(arraysB)).isDeepEqualTo(start); // same seed: the same initial state
            train(a, Examples.random(96, 1), 16);
            train(b, Examples.random(64, 2), 16);
            double[][] expected = bruteForce(arraysA, start, read(arraysA), read(arraysB));
            ReplicaDelta deltaA = syncA.cut();
            ReplicaDelta deltaB = ReplicaDelta.fromBytes(syncB.cut().toBytes());
            syncA.apply(List.of(deltaA, deltaB));
            syncB.apply(List.of(deltaB, ReplicaDelta.fromBytes(deltaA.toBytes())));

            double[][] afterA = read(arraysA);
            assertThat(read(arraysB)).isDeepEqualTo(afterA); // bit for bit
            for (int k = 0; k < afterA.length; k++) {
                for (int i = 0; i < afterA[k].length; i++) {
                    double tolerance = 1e-6 * Math.max(1, Math.abs(expected[k][i]));
                    if (Math.abs(afterA[k][i] - expected[k][i]) > tolerance) {
                        throw new AssertionError(
                                arraysA.get(k).name()
                                        + "["
                                        + i
                                        + "] = "
                                        + afterA[k][i]
                                        + ", brute force "
                                        + expected[k][i]);
                    }
                }
            }
            assertThat(a.step()).isEqualTo(b.step()).isEqualTo(expectedStep(model, 96 + 64));
            List<Example> probe = unlabelledProbe();
            assertThat(b.score(probe)).containsExactly(a.score(probe));
            assertThat(syncA.round()).isEqualTo(1);
            System.out.printf(
                    "%s %s: delta of replica 0 %d bytes (%d rows), replica 1 %d bytes%n",
                    model,
                    config.embeddingOptimizer().optionName(),
                    deltaA.toBytes().length,
                    deltaA.changedRows(),
                    deltaB.toBytes().length);
        }
    }

    private static long expectedStep(String model, int labelled) {
        return "ftrl".equals(model) ? labelled : labelled / 16;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("learners")
    void whatAReplicaLearnsAfterItsCutIsKeptOnTopOfTheRound(
            String model, TrainerConfig config, FreshnessConfig fresh) {
        try (OnlineLearner a = learner(model, config, fresh);
                OnlineLearner b = learner(model, config, fresh)) {
            ReplicaSync syncA = new ReplicaSync(model, SyncArrays.of(a), 0, 2);
            ReplicaSync syncB = new ReplicaSync(model, SyncArrays.of(b), 1, 2);
            train(a, Examples.random(32, 1), 16);
            train(b, Examples.random(32, 2), 16);
            ReplicaDelta deltaA = syncA.cut();
            ReplicaDelta deltaB = syncB.cut();
            long stepB = b.step();
            train(b, Examples.random(16, 3), 16); // one more batch before the round arrives
            syncA.apply(List.of(deltaA, deltaB));
            syncB.apply(List.of(deltaA, deltaB));
            // A holds the round; B the round plus its extra batch
            assertThat(a.step()).isEqualTo(expectedStep(model, 64));
            assertThat(stepB).isEqualTo(expectedStep(model, 32));
            assertThat(b.step()).isEqualTo(a.step() + expectedStep(model, 16));
            // the round's delta of B's next cut holds its extra batch: after round 2 with A idle
            long before = a.step();
            ReplicaDelta nextA = syncA.cut();
            ReplicaDelta nextB = syncB.cut();
            assertThat(nextA.changedRows()).isZero();
            assertThat(nextB.changedRows()).isPositive();
            syncA.apply(List.of(nextA, nextB));
            syncB.apply(List.of(nextB, nextA));
            assertThat(read(SyncArrays.of(a))).isDeepEqualTo(read(SyncArrays.of(b)));
            assertThat(a.step()).isEqualTo(before + expectedStep(model, 16));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("learners")
    void theSyncStateRoundTripsAndAMergeIsTheMean(
            String model, TrainerConfig config, FreshnessConfig fresh) {
        try (OnlineLearner a = learner(model, config, fresh);
                OnlineLearner b = learner(model, config, fresh);
                OnlineLearner merged = learner(model, config, fresh)) {
            ReplicaSync syncA = new ReplicaSync(model, SyncArrays.of(a), 0, 2);
            train(a, Examples.random(32, 1), 16);
            train(b, Examples.random(48, 2), 16);
            ReplicaDelta cut = syncA.cut();
            byte[] saved = syncA.snapshot();
            ReplicaSync restored = new ReplicaSync(model, SyncArrays.of(a), 0, 2);
            restored.restore(saved);
            assertThat(restored.awaiting()).isTrue();
            assertThat(restored.cutDelta().toBytes()).isEqualTo(cut.toBytes());
            assertThat(restored.snapshot()).isEqualTo(saved);

            double[][] va = read(SyncArrays.of(a));
            double[][] vb = read(SyncArrays.of(b));
            ReplicaMerge.merge(merged, List.of(a.snapshot(), b.snapshot()));
            List<StateArray> arrays = SyncArrays.of(merged);
            double[][] got = read(arrays);
            for (int k = 0; k < got.length; k++) {
                boolean max = arrays.get(k).combine() == Combine.MAX;
                for (int i = 0; i < got[k].length; i++) {
                    double want = max ? Math.max(va[k][i], vb[k][i]) : (va[k][i] + vb[k][i]) / 2;
                    if (arrays.get(k).name().endsWith("step")) {
                        want = Math.round(want);
                    }
                    double tolerance = 1e-6 * Math.max(1, Math.abs(want));
                    if (Math.abs(got[k][i] - want) > tolerance) {
                        throw new AssertionError(
                                arrays.get(k).name()
                                        + "["
                                        + i
                                        + "] = "
                                        + got[k][i]
                                        + ", mean "
                                        + want);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("learners")
    void aRoundRefusesDeltasOfAnotherRoundOrLayout(
            String model, TrainerConfig config, FreshnessConfig fresh) {
        try (OnlineLearner a = learner(model, config, fresh)) {
            ReplicaSync sync = new ReplicaSync(model, SyncArrays.of(a), 0, 2);
            assertThatThrownBy(() -> sync.apply(List.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not cut");
            ReplicaDelta own = sync.cut();
            ReplicaDelta late = new ReplicaDelta(model, 3, 1, 2, own.fingerprint(), own.arrays());
            assertThatThrownBy(() -> sync.apply(List.of(own, late)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("round 3");
            ReplicaDelta alien = new ReplicaDelta(model, 0, 1, 2, 42, own.arrays());
            assertThatThrownBy(() -> sync.apply(List.of(own, alien)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("another layout");
            assertThatThrownBy(() -> sync.apply(List.of(own)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs 2 deltas, got 1");
            assertThatThrownBy(() -> ReplicaDelta.fromBytes(new byte[] {9}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("format 9");
        }
    }

    /** What the round must give, element by element, from the two replicas and the start. */
    private static double[][] bruteForce(
            List<StateArray> arrays, double[][] start, double[][] a, double[][] b) {
        double[][] out = new double[a.length][];
        for (int k = 0; k < a.length; k++) {
            out[k] = new double[a[k].length];
            for (int i = 0; i < a[k].length; i++) {
                out[k][i] =
                        switch (arrays.get(k).combine()) {
                            case MEAN -> (a[k][i] + b[k][i]) / 2;
                            case SUM -> a[k][i] + b[k][i] - start[k][i];
                            case MAX -> Math.max(a[k][i], b[k][i]);
                        };
            }
        }
        return out;
    }

    static double[][] read(List<StateArray> arrays) {
        double[][] out = new double[arrays.size()][];
        for (int k = 0; k < arrays.size(); k++) {
            out[k] = arrays.get(k).read();
        }
        return out;
    }

    private static List<Example> unlabelledProbe() {
        List<Example> out = new ArrayList<>();
        for (Example e : Examples.random(8, 9)) {
            e.getEvent().setLabel(null);
            out.add(e);
        }
        return out;
    }
}
