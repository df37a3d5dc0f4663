package io.streamctr.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.nn.Block;
import io.streamctr.model.dnn.DnnConfig;
import io.streamctr.model.dnn.DnnModel;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnlineTrainerTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(8, 256, List.of(), List.of("genres"), 4, List.of(), "genres", 6);

    private static OnlineTrainer newTrainer() {
        Block block = new DnnModel(SPEC, DnnConfig.tiny());
        return new OnlineTrainer(
                "dnn-tiny",
                block,
                SPEC,
                TrainerConfig.defaults().withLearningRates(1e-2f, 5e-2f),
                Device.cpu());
    }

    private static FeatureBatch batch(long seed) {
        return new FeatureEncoder(SPEC).encode(Examples.random(64, seed));
    }

    @Test
    void oneStepOnAFixedBatchLowersTheLoss() {
        try (OnlineTrainer trainer = newTrainer()) {
            FeatureBatch b = batch(1);
            TrainResult first = trainer.train(b);
            TrainResult second = trainer.train(b);
            assertThat(first.skipped()).isFalse();
            assertThat(second.loss()).isLessThan(first.loss());
            assertThat(trainer.step()).isEqualTo(2);
        }
    }

    @Test
    void predictsProbabilitiesWithoutTraining() {
        try (OnlineTrainer trainer = newTrainer()) {
            float[] scores = trainer.predict(batch(2));
            assertThat(scores).hasSize(64);
            for (float s : scores) {
                assertThat(s).isBetween(0f, 1f);
            }
            assertThat(trainer.step()).isZero();
            assertThat(trainer.predict(batch(2))).containsExactly(scores);
        }
    }

    @Test
    void learnsTheSignalOverManySteps() {
        try (OnlineTrainer trainer = newTrainer()) {
            float firstLoss = trainer.train(batch(100)).loss();
            float lastLoss = Float.NaN;
            for (int i = 0; i < 60; i++) {
                lastLoss = trainer.train(batch(101 + i)).loss();
            }
            assertThat(lastLoss).isLessThan(firstLoss * 0.8f);
        }
    }

    @Test
    void emptyHistoriesGiveFiniteScores() {
        List<Example> examples = new ArrayList<>();
        for (Example e : Examples.random(8, 3)) {
            examples.add(Example.newBuilder(e).setHistory(Examples.emptyHistory()).build());
        }
        try (OnlineTrainer trainer = newTrainer()) {
            FeatureBatch b = new FeatureEncoder(SPEC).encode(examples);
            for (float s : trainer.predict(b)) {
                assertThat(Float.isFinite(s)).isTrue();
            }
            assertThat(Float.isFinite(trainer.train(b).loss())).isTrue();
        }
    }

    @Test
    void restoredTrainerScoresAndTrainsIdentically() {
        try (OnlineTrainer original = newTrainer();
                OnlineTrainer restored = newTrainer()) {
            for (int i = 0; i < 5; i++) {
                original.train(batch(10 + i));
            }
            byte[] snapshot = original.snapshot();
            // the second trainer trains on other data first: restore must overwrite all of it
            restored.train(batch(99));
            restored.restore(snapshot);

            assertThat(restored.step()).isEqualTo(original.step());
            FeatureBatch probe = batch(20);
            assertThat(restored.predict(probe)).containsExactly(original.predict(probe));

            TrainResult a = original.train(batch(21));
            TrainResult b = restored.train(batch(21));
            assertThat(b.loss()).isEqualTo(a.loss());
            assertThat(b.step()).isEqualTo(a.step());
            // Adam's moments were restored too: the step after is identical, not just the scores
            assertThat(restored.predict(probe)).containsExactly(original.predict(probe));
            assertThat(restored.snapshot()).isEqualTo(original.snapshot());
        }
    }

    @Test
    void unlabelledBatchIsNotATrainingStep() {
        List<Example> examples = new ArrayList<>();
        for (Example e : Examples.random(4, 5)) {
            e.getEvent().setLabel(null);
            examples.add(e);
        }
        try (OnlineTrainer trainer = newTrainer()) {
            TrainResult r = trainer.train(new FeatureEncoder(SPEC).encode(examples));
            assertThat(r.skipped()).isTrue();
            assertThat(trainer.step()).isZero();
        }
    }
}
