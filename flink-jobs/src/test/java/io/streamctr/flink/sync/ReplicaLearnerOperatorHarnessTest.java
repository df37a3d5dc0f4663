package io.streamctr.flink.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.flink.TestExamples;
import io.streamctr.flink.learn.LearnerConfig;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.FreshnessConfig;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.Prediction;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

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
}
