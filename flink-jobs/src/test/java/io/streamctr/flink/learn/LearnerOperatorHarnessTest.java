package io.streamctr.flink.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.flink.TestExamples;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LearnerOperatorHarnessTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(8, 512, List.of(), List.of("genres"), 4, List.of(), "genres", 8);
    private static final LearnerConfig CONFIG =
            new LearnerConfig("dnn-tiny", SPEC, TrainerConfig.defaults(), 16, 60_000, "cpu");

    private static OneInputStreamOperatorTestHarness<Example, Prediction> harness()
            throws Exception {
        return harness(CONFIG);
    }

    private static OneInputStreamOperatorTestHarness<Example, Prediction> harness(
            LearnerConfig config) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new LearnerOperator(config));
    }

    private static List<Prediction> feed(
            OneInputStreamOperatorTestHarness<Example, Prediction> h, List<Example> examples)
            throws Exception {
        h.getOutput().clear();
        for (Example e : examples) {
            h.processElement(new StreamRecord<>(e));
        }
        List<Prediction> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((Prediction) r.getValue());
            }
        }
        return out;
    }

    @Test
    void predictsEveryEventBeforeTrainingOnIt() throws Exception {
        try (var h = harness()) {
            h.open();
            List<Prediction> out = feed(h, TestExamples.examples(48, 1));
            assertThat(out).hasSize(48);
            // three full batches: versions 0, 1, 2 (the step before each batch's own update)
            assertThat(out.subList(0, 16)).allMatch(p -> p.getModelVersion() == 0);
            assertThat(out.subList(16, 32)).allMatch(p -> p.getModelVersion() == 1);
            assertThat(out.subList(32, 48)).allMatch(p -> p.getModelVersion() == 2);
            assertThat(out)
                    .allMatch(
                            p ->
                                    p.getScore() >= 0
                                            && p.getScore() <= 1
                                            && p.getModelName().equals("dnn-tiny"));
        }
    }

    @Test
    void partialBatchFlowsAfterTheTimeout() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.open();
            assertThat(feed(h, TestExamples.examples(5, 2))).isEmpty();
            h.setProcessingTime(60_000);
            assertThat(h.getOutput()).hasSize(5);
        }
    }

    @Test
    void partialBatchFlowsAfterAnIdleGapOnlyWhenTheInputPaused() throws Exception {
        try (var h =
                new OneInputStreamOperatorTestHarness<>(new LearnerOperator(CONFIG, false, 5))) {
            h.setProcessingTime(0);
            h.open();
            assertThat(feed(h, TestExamples.examples(3, 2))).isEmpty();
            h.setProcessingTime(4);
            assertThat(feed(h, TestExamples.examples(2, 5))).as("input still flowing").isEmpty();
            h.setProcessingTime(8);
            assertThat(h.getOutput()).as("4 ms since the last example: not yet").isEmpty();
            h.setProcessingTime(9);
            assertThat(h.getOutput()).as("5 ms without input: the 5 pending flow").hasSize(5);
        }
    }

    @Test
    void anOperatorWithAnIdleTimeoutTravelsInTheJobGraph() throws Exception {
        byte[] bytes =
                org.apache.flink.util.InstantiationUtil.serializeObject(
                        new LearnerOperator(CONFIG, false, 5));
        assertThat(bytes).isNotEmpty();
    }

    @Test
    void batchTimeoutStillBoundsABatchWhoseInputNeverPauses() throws Exception {
        LearnerConfig slow =
                new LearnerConfig("dnn-tiny", SPEC, TrainerConfig.defaults(), 1_000, 20, "cpu");
        try (var h = new OneInputStreamOperatorTestHarness<>(new LearnerOperator(slow, false, 5))) {
            h.setProcessingTime(0);
            h.open();
            int sent = 0;
            for (long t = 0; t < 20; t += 2) {
                h.setProcessingTime(t);
                feed(h, TestExamples.examples(1, (int) t + 10));
                sent++;
            }
            assertThat(h.getOutput()).as("a gap of 2 ms never reaches 5").isEmpty();
            h.setProcessingTime(20);
            assertThat(h.getOutput()).as("the 20 ms timeout").hasSize(sent);
        }
    }

    /**
     * Every model kind, OptFusion before (70 events) and after (600 events) its 512-event search.
     */
    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("ftrl", 70),
                Arguments.of("dnn-tiny", 70),
                Arguments.of("lr", 70),
                Arguments.of("fm", 70),
                Arguments.of("deepfm", 70),
                Arguments.of("dcn", 70),
                Arguments.of("dcnv2", 70),
                Arguments.of("edcn", 70),
                Arguments.of("pnn", 70),
                Arguments.of("optfusion-soft-tiny", 70),
                Arguments.of("optfusion-soft-tiny", 600),
                Arguments.of("optfusion-hard-tiny", 600),
                Arguments.of("interformer-tiny", 70),
                Arguments.of("din-tiny", 70));
    }

    @ParameterizedTest(name = "{0} after {1} events")
    @MethodSource("models")
    void restoresModelFromCheckpoint(String model, int eventsBefore) throws Exception {
        LearnerConfig config =
                new LearnerConfig(model, SPEC, TrainerConfig.defaults(), 16, 60_000, "cpu");
        List<Example> before = TestExamples.examples(eventsBefore, 3);
        List<Example> after = TestExamples.examples(32, 4);
        OperatorSubtaskState snapshot;
        List<Prediction> uninterrupted;
        try (var original = harness(config)) {
            original.open();
            feed(original, before); // full batches trained, the rest pending
            original.prepareSnapshotPreBarrier(1L); // what the task does before the barrier: flush
            assertThat(original.getOutput()).hasSize(eventsBefore);
            snapshot = original.snapshot(1L, 1L);
            uninterrupted = feed(original, after);
        }
        try (var restored = harness(config)) {
            restored.initializeState(snapshot);
            restored.open();
            List<Prediction> resumed = feed(restored, after);
            assertThat(resumed).hasSize(uninterrupted.size());
            for (int i = 0; i < resumed.size(); i++) {
                assertThat(resumed.get(i).getModelVersion())
                        .isEqualTo(uninterrupted.get(i).getModelVersion());
                assertThat(resumed.get(i).getScore()).isEqualTo(uninterrupted.get(i).getScore());
            }
            // a deep model made a step per batch before the snapshot (the last one partial), ftrl
            // an update
            // per labelled event: not from 0
            long expectedVersion = model.equals("ftrl") ? eventsBefore : (eventsBefore + 15) / 16;
            assertThat(resumed.get(0).getModelVersion()).isEqualTo(expectedVersion);
        }
    }

    @Test
    void theLiveStateDropsTheModelAfterACheckpointAndTheNextOneStillRestores() throws Exception {
        List<Example> before = TestExamples.examples(40, 3);
        List<Example> between = TestExamples.examples(32, 4);
        List<Example> after = TestExamples.examples(32, 5);
        OperatorSubtaskState second;
        List<Prediction> uninterrupted;
        try (var original = harness()) {
            original.open();
            feed(original, before);
            original.prepareSnapshotPreBarrier(1L);
            original.snapshot(1L, 1L);
            assertThat(liveModelState(original)).hasSize(1);
            feed(original, between); // the first batch after the checkpoint lets go of its bytes
            assertThat(liveModelState(original)).isEmpty();
            original.prepareSnapshotPreBarrier(2L);
            second = original.snapshot(2L, 2L);
            uninterrupted = feed(original, after);
        }
        try (var restored = harness()) {
            restored.initializeState(second);
            restored.open();
            List<Prediction> resumed = feed(restored, after);
            assertThat(resumed).hasSize(uninterrupted.size());
            for (int i = 0; i < resumed.size(); i++) {
                assertThat(resumed.get(i).getScore()).isEqualTo(uninterrupted.get(i).getScore());
            }
            assertThat(resumed.get(0).getModelVersion()).isEqualTo((40 + 15) / 16 + 32 / 16);
        }
    }

    private static List<byte[]> liveModelState(
            OneInputStreamOperatorTestHarness<Example, Prediction> h) throws Exception {
        List<byte[]> held = new ArrayList<>();
        h.getOperator()
                .getOperatorStateBackend()
                .getListState(
                        new ListStateDescriptor<>(
                                LearnerOperator.STATE_NAME,
                                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO))
                .get()
                .forEach(held::add);
        return held;
    }
}
