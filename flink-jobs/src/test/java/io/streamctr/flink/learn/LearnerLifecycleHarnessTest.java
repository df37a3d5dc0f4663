package io.streamctr.flink.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamctr.flink.TestExamples;
import io.streamctr.flink.export.ExportConfig;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.Learners;
import io.streamctr.model.learn.OnlineLearner;
import io.streamctr.model.pkg.ModelPackage;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.Example;
import io.streamctr.schemas.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 15 in the learner operator: a warm start from a package, a frozen learner, exports. */
class LearnerLifecycleHarnessTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(8, 512, List.of(), List.of("genres"), 4, List.of(), "genres", 8);
    private static final int BATCH = 16;

    private static LearnerConfig config(String model) {
        return new LearnerConfig(model, SPEC, TrainerConfig.defaults(), BATCH, 60_000, "cpu");
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

    /** A package of {@code model} trained on 80 events, in {@code dir}. */
    private static Path trainedPackage(String model, Path dir) throws Exception {
        try (OnlineLearner learner =
                Learners.create(model, SPEC, TrainerConfig.defaults(), "cpu")) {
            List<Example> examples = TestExamples.examples(80, 11);
            for (int from = 0; from < examples.size(); from += BATCH) {
                learner.process(examples.subList(from, from + BATCH));
            }
            ModelPackage.save(learner, dir);
        }
        return dir;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dnn-tiny", "ftrl"})
    void aWarmStartedLearnerContinuesFromThePackage(String model, @TempDir Path tmp)
            throws Exception {
        Path pkg = trainedPackage(model, tmp.resolve("pkg"));
        List<Example> next = TestExamples.examples(2 * BATCH, 12);
        float[] packageScores;
        float firstScored;
        long step;
        try (ModelPackage loaded = ModelPackage.load(pkg, "cpu")) {
            step = loaded.manifest().step();
            firstScored = loaded.scorer().score(next.subList(0, 1))[0];
            packageScores = loaded.learner().process(next.subList(0, BATCH)).scores();
        }
        LearnerEntry entry = LearnerEntry.parse("warm=" + model);
        LearnerConfig config =
                config(model)
                        .withName("warm")
                        .withWarmStart(WarmStart.read("test", pkg.toUri().toString(), entry, SPEC));

        try (var h = new OneInputStreamOperatorTestHarness<>(new LearnerOperator(config))) {
            h.open();
            List<Prediction> out = feed(h, next);

            assertThat(step).isPositive();
            assertThat(out).hasSize(2 * BATCH).allMatch(p -> p.getModelName().equals("warm"));
            assertThat(out.get(0).getModelVersion()).isEqualTo(step);
            assertThat(out.get(0).getScore()).isEqualTo(firstScored);
            for (int i = 0; i < BATCH; i++) {
                assertThat(out.get(i).getScore()).as("event %d", i).isEqualTo(packageScores[i]);
            }
            // a deep learner's second batch is scored after one training step on the first
            long second = model.equals("ftrl") ? step + BATCH : step + 1;
            assertThat(out.get(BATCH).getModelVersion()).isEqualTo(second);
        }
    }

    @Test
    void aLearnerWithoutStateInARestoredJobStartsFromItsPackage(@TempDir Path tmp)
            throws Exception {
        Path pkg = trainedPackage("ftrl", tmp.resolve("pkg"));
        LearnerConfig config =
                config("ftrl")
                        .withName("added")
                        .withWarmStart(
                                WarmStart.read(
                                        "test",
                                        pkg.toString(),
                                        LearnerEntry.parse("added=ftrl"),
                                        SPEC));

        try (var h = new OneInputStreamOperatorTestHarness<>(new LearnerOperator(config))) {
            // restored from a savepoint that has no state under this learner's uid
            h.initializeState(OperatorSubtaskState.builder().build());
            h.open();
            List<Prediction> out = feed(h, TestExamples.examples(BATCH, 16));

            assertThat(out.get(0).getModelVersion()).isEqualTo(80);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dnn-tiny", "ftrl"})
    void aFrozenLearnerScoresAndNeverLearns(String model, @TempDir Path tmp) throws Exception {
        Path pkg = trainedPackage(model, tmp.resolve("pkg"));
        LearnerEntry entry = LearnerEntry.parse("champion=" + model);
        LearnerConfig config =
                config(model)
                        .withName("champion")
                        .withTrain(false)
                        .withWarmStart(WarmStart.read("test", pkg.toString(), entry, SPEC));
        long step;
        try (ModelPackage loaded = ModelPackage.load(pkg, "cpu")) {
            step = loaded.manifest().step();
        }
        List<Example> events = TestExamples.examples(3 * BATCH, 13);

        try (var h = new OneInputStreamOperatorTestHarness<>(new LearnerOperator(config))) {
            h.open();
            List<Prediction> first = feed(h, events);
            List<Prediction> again = feed(h, events);

            assertThat(first).hasSize(3 * BATCH);
            assertThat(first).allMatch(p -> p.getModelVersion() == step);
            assertThat(again).allMatch(p -> p.getModelVersion() == step);
            for (int i = 0; i < first.size(); i++) {
                assertThat(again.get(i).getScore()).isEqualTo(first.get(i).getScore());
            }
            // labelled events with differing labels: a learner would have moved
            assertThat(first.stream().map(Prediction::getScore).distinct().count())
                    .isGreaterThan(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dnn-tiny", "ftrl"})
    void exportsAPackageWhenItsCheckpointCompletes(String model, @TempDir Path tmp)
            throws Exception {
        Path exports = tmp.resolve("exports");
        LearnerConfig config =
                config(model).withExport(ExportConfig.of(exports.toUri().toString(), "2 steps", 2));

        try (var h = new OneInputStreamOperatorTestHarness<>(new LearnerOperator(config))) {
            h.open();
            feed(h, TestExamples.examples(3 * BATCH, 14));
            h.prepareSnapshotPreBarrier(1L);
            h.snapshot(1L, 1L);
            assertThat(exports).doesNotExist(); // staged, not published before it completes
            h.notifyOfCompletedCheckpoint(1L);
            long expectedStep = model.equals("ftrl") ? 3 * BATCH : 3;
            Path published = exports.resolve(model).resolve("step-" + expectedStep);
            try (ModelPackage loaded = ModelPackage.load(published, "cpu")) {
                assertThat(loaded.manifest().step()).isEqualTo(expectedStep);
                assertThat(loaded.manifest().model()).isEqualTo(model);
            }
            // a checkpoint with too few steps since: nothing new
            feed(h, TestExamples.examples(1, 15));
            h.prepareSnapshotPreBarrier(2L);
            h.snapshot(2L, 2L);
            h.notifyOfCompletedCheckpoint(2L);
            try (var listed = Files.list(exports.resolve(model))) {
                assertThat(listed.map(p -> p.getFileName().toString()).toList())
                        .containsExactly("step-" + expectedStep);
            }
        }
    }
}
