package io.streamctr.flink.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.flink.TestExamples;
import io.streamctr.flink.learn.LearnerConfig;
import io.streamctr.flink.learn.LearnerEntry;
import io.streamctr.flink.learn.LearnerOperator;
import io.streamctr.flink.learn.WarmStart;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.FreshnessConfig;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.pkg.ModelPackage;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.Prediction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas of a learner on operator test harnesses, their sync messages handed over by the test:
 * equal after a round; restored at the same P each continues as itself; restored at another P (3,
 * or 1) every replica starts from the same merged state at a later round.
 */
class ReplicaLearnerOperatorHarnessTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(8, 512, List.of(), List.of("genres"), 4, List.of(), "genres", 8);
    private static final int BATCH = 16;
    private static final int K = 4;
    private static final LearnerConfig CONFIG =
            new LearnerConfig(
                    "dnn-tiny",
                    SPEC,
                    TrainerConfig.defaults(),
                    BATCH,
                    60_000,
                    "cpu",
                    FreshnessConfig.defaults().withBits(10, 10));

    private static TwoInputStreamOperatorTestHarness<Example, byte[], Prediction> replica(
            int index, int replicas) throws Exception {
        return new TwoInputStreamOperatorTestHarness<>(
                new ReplicaLearnerOperator(CONFIG, replicas, K), 128, replicas, index);
    }

    private static List<Prediction> feed(
            TwoInputStreamOperatorTestHarness<Example, byte[], Prediction> h,
            List<Example> examples)
            throws Exception {
        h.getOutput().clear();
        for (Example e : examples) {
            h.processElement1(new StreamRecord<>(e));
        }
        List<Prediction> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof Prediction p) {
                out.add(p);
            }
        }
        return out;
    }

    /** Hands every replica's pending sync messages to every other replica, until none is left. */
    @SafeVarargs
    private static void exchange(
            TwoInputStreamOperatorTestHarness<Example, byte[], Prediction>... replicas)
            throws Exception {
        boolean any = true;
        while (any) {
            any = false;
            for (var from : replicas) {
                List<byte[]> messages = new ArrayList<>();
                var queue = from.getSideOutput(ReplicaLearnerOperator.SYNC);
                if (queue == null) {
                    continue;
                }
                queue.forEach(r -> messages.add(r.getValue()));
                queue.clear();
                for (byte[] m : messages) {
                    any = true;
                    for (var to : replicas) {
                        to.processElement2(new StreamRecord<>(m)); // its own are ignored
                    }
                }
            }
        }
    }

    private static List<Example> probe() {
        List<Example> out = new ArrayList<>();
        for (Example e : TestExamples.examples(BATCH, 99)) {
            out.add(
                    new Example(
                            ClickEvent.newBuilder(e.getEvent()).setLabel(null).build(),
                            e.getHistory()));
        }
        return out;
    }

    private static float[] scores(List<Prediction> predictions) {
        float[] out = new float[predictions.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = predictions.get(i).getScore();
        }
        return out;
    }

    @Test
    void replicasAreEqualAfterARoundAndRestoreAtTheSameOrAnotherP() throws Exception {
        OperatorSubtaskState s0;
        OperatorSubtaskState s1;
        float[] probe0;
        float[] probe1;
        try (var r0 = replica(0, 2);
                var r1 = replica(1, 2)) {
            r0.open();
            r1.open();
            // K batches each: both cut round 0; then the round is applied on both
            feed(r0, TestExamples.examples(K * BATCH, 1));
            feed(r1, TestExamples.examples(K * BATCH, 2));
            exchange(r0, r1);
            List<Prediction> p0 = feed(r0, probe());
            List<Prediction> p1 = feed(r1, probe());
            assertThat(p0).allSatisfy(p -> assertThat(p.getSyncRound()).isEqualTo(1));
            assertThat(p1).allSatisfy(p -> assertThat(p.getReplica()).isEqualTo(1));
            assertThat(p0.get(0).getModelVersion()).isEqualTo(2L * K); // both replicas' steps
            assertThat(scores(p1)).containsExactly(scores(p0));
            // replica 1 learns on alone (half a round): the replicas now differ
            feed(r1, TestExamples.examples(2 * BATCH, 3));
            probe0 = scores(feed(r0, probe()));
            probe1 = scores(feed(r1, probe()));
            assertThat(probe1).isNotEqualTo(probe0);
            s0 = r0.snapshot(1, 1);
            s1 = r1.snapshot(1, 1);
        }
        OperatorSubtaskState both = AbstractStreamOperatorTestHarness.repackageState(s0, s1);

        // the same P: each replica continues as itself
        try (var again1 = replica(1, 2)) {
            again1.initializeState(
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(both, 128, 2, 2, 1));
            again1.open();
            List<Prediction> p = feed(again1, probe());
            assertThat(scores(p)).containsExactly(probe1);
            assertThat(p.get(0).getSyncRound()).isEqualTo(1);
        }

        // three replicas: every one starts from the merge, at round 2
        float[] merged = null;
        for (int i = 0; i < 3; i++) {
            try (var r = replica(i, 3)) {
                r.initializeState(
                        AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                both, 128, 2, 3, i));
                r.open();
                List<Prediction> p = feed(r, probe());
                assertThat(p.get(0).getSyncRound()).isEqualTo(2);
                if (merged == null) {
                    merged = scores(p);
                    assertThat(merged).isNotEqualTo(probe0).isNotEqualTo(probe1);
                } else {
                    assertThat(scores(p)).containsExactly(merged);
                }
            }
        }

        // one replica of the replicated operator: the same merge
        try (var single = replica(0, 1)) {
            single.initializeState(
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(both, 128, 2, 1, 0));
            single.open();
            assertThat(scores(feed(single, probe()))).containsExactly(merged);
        }
    }

    private static List<Prediction> predictions(
            TwoInputStreamOperatorTestHarness<Example, byte[], Prediction> h) {
        List<Prediction> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof Prediction p) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<String> ids(List<Prediction> predictions) {
        return predictions.stream().map(p -> p.getEventId().toString()).toList();
    }

    /**
     * ctr.sync.max-batches-ahead = 1: after its cut a replica trains one more batch, then holds its
     * examples until the round applies; a checkpoint taken meanwhile keeps them (with the partial
     * batch), so the replica restored from it scores the same examples, equally, once the round
     * applies.
     */
    @Test
    void holdsExamplesPastTheBoundUntilTheRoundAppliesAndKeepsThemInCheckpoints() throws Exception {
        List<Example> later = TestExamples.examples(3 * BATCH, 7);
        OperatorSubtaskState both;
        List<byte[]> fromReplica1 = new ArrayList<>();
        List<Prediction> released;
        try (var r0 = bounded(0);
                var r1 = bounded(1)) {
            r0.open();
            r1.open();
            feed(r0, TestExamples.examples(K * BATCH, 1)); // K batches: cuts round 0
            List<Prediction> ahead = feed(r0, later);
            assertThat(ahead).hasSize(BATCH); // one batch past the cut, 2 held
            assertThat(ahead).allSatisfy(p -> assertThat(p.getSyncRound()).isZero());
            feed(r1, TestExamples.examples(K * BATCH, 2));
            r1.getSideOutput(ReplicaLearnerOperator.SYNC)
                    .forEach(r -> fromReplica1.add(r.getValue()));
            both =
                    AbstractStreamOperatorTestHarness.repackageState(
                            r0.snapshot(1, 1), r1.snapshot(1, 1));
            r0.getOutput().clear();
            for (byte[] m : fromReplica1) {
                r0.processElement2(new StreamRecord<>(m));
            }
            released = predictions(r0);
        }
        assertThat(released).hasSize(2 * BATCH);
        assertThat(released).allSatisfy(p -> assertThat(p.getSyncRound()).isEqualTo(1));
        assertThat(ids(released))
                .containsExactlyElementsOf(
                        later.subList(BATCH, 3 * BATCH).stream()
                                .map(e -> e.getEvent().getEventId().toString())
                                .toList());

        try (var again = bounded(0)) {
            again.initializeState(
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(both, 128, 2, 2, 0));
            again.open();
            assertThat(predictions(again)).isEmpty(); // still waiting for the round
            for (byte[] m : fromReplica1) {
                again.processElement2(new StreamRecord<>(m));
            }
            List<Prediction> restored = predictions(again);
            assertThat(ids(restored)).containsExactlyElementsOf(ids(released));
            assertThat(scores(restored)).containsExactly(scores(released));
        }
    }

    /**
     * ctr.train.batch-idle-timeout at P > 1: a partial batch is scored once no example came for the
     * idle time, long before the batch timeout (60 s here); without it, only at the timeout.
     */
    @Test
    void aPartialBatchIsScoredAfterTheIdleTimeout() throws Exception {
        List<Example> few = TestExamples.examples(3, 8);
        try (var idle =
                        new TwoInputStreamOperatorTestHarness<>(
                                new ReplicaLearnerOperator(CONFIG, 2, K, 0, 50), 128, 2, 0);
                var plain = replica(0, 2)) {
            for (var h : List.of(idle, plain)) {
                h.open();
                h.setProcessingTime(1_000);
                feed(h, few);
                h.setProcessingTime(1_049);
            }
            assertThat(predictions(idle)).isEmpty();
            idle.setProcessingTime(1_050);
            plain.setProcessingTime(1_050);
            assertThat(ids(predictions(idle)))
                    .containsExactlyElementsOf(
                            few.stream().map(e -> e.getEvent().getEventId().toString()).toList());
            assertThat(predictions(plain)).isEmpty();
            plain.setProcessingTime(61_000);
            assertThat(predictions(plain)).hasSize(3);
        }
    }

    private static TwoInputStreamOperatorTestHarness<Example, byte[], Prediction> bounded(int index)
            throws Exception {
        return new TwoInputStreamOperatorTestHarness<>(
                new ReplicaLearnerOperator(CONFIG, 2, K, 1), 128, 2, index);
    }

    /**
     * From P = 1 to P = 2 (docs/scale-out.md): the replicas cannot read the single learner's split
     * list state (one replica would get it); with its export as warm start every replica starts
     * from the package and drops the old states; without one the replica that got the model fails.
     */
    @Test
    void restoresTheStateOfALearnerAtParallelismOneFromItsExport(@TempDir Path tmp)
            throws Exception {
        OperatorSubtaskState single;
        try (var h =
                new OneInputStreamOperatorTestHarness<>(new LearnerOperator(CONFIG), 128, 1, 0)) {
            h.open();
            for (Example e : TestExamples.examples(2 * BATCH, 5)) {
                h.processElement(new StreamRecord<>(e));
            }
            single = h.snapshot(1, 1);
        }
        Path pkg = tmp.resolve("pkg");
        try (OnlineLearner learner = CONFIG.newLearner()) {
            learner.process(TestExamples.examples(BATCH, 6));
            ModelPackage.save(learner, pkg);
        }
        float[] packageScores;
        try (ModelPackage loaded = ModelPackage.load(pkg, "cpu")) {
            packageScores = loaded.scorer().score(probe());
        }
        LearnerConfig warm =
                CONFIG.withWarmStart(
                        WarmStart.read(
                                "test",
                                pkg.toUri().toString(),
                                LearnerEntry.parse("dnn-tiny"),
                                SPEC));

        for (int i = 0; i < 2; i++) {
            try (var r =
                    new TwoInputStreamOperatorTestHarness<>(
                            new ReplicaLearnerOperator(warm, 2, K), 128, 2, i)) {
                r.initializeState(
                        AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                single, 128, 1, 2, i));
                r.open();
                assertThat(scores(feed(r, probe())))
                        .as("replica %d", i)
                        .containsExactly(packageScores);
                List<String> names = new ArrayList<>(); // of the states that hold an element
                for (OperatorStateHandle handle : r.snapshot(2, 2).getManagedOperatorState()) {
                    handle.getStateNameToPartitionOffsets()
                            .forEach(
                                    (name, info) -> {
                                        if (info.getOffsets().length > 0) {
                                            names.add(name);
                                        }
                                    });
                }
                assertThat(names)
                        .contains(ReplicaLearnerOperator.STATE_NAME)
                        .doesNotContain(
                                LearnerOperator.STATE_NAME, LearnerOperator.SCORES_STATE_NAME);
            }
        }

        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            try (var r = replica(i, 2)) {
                r.initializeState(
                        AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                single, 128, 1, 2, i));
                r.open();
            } catch (IllegalStateException e) {
                failures.add(e.getMessage());
            }
        }
        assertThat(failures)
                .singleElement()
                .satisfies(
                        m ->
                                assertThat(m)
                                        .contains(
                                                "restored the state of a learner at parallelism 1")
                                        .contains("ctr.model.dnn-tiny.warm-start=DIR"));
    }
}
