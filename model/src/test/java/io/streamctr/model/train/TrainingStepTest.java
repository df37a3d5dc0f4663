package io.streamctr.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.Dropout;
import io.streamctr.model.dnn.DnnConfig;
import io.streamctr.model.dnn.DnnModel;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 18: {@link OnlineTrainer#forward} and its {@link TrainingStep}. */
class TrainingStepTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(8, 256, List.of(), List.of("genres"), 4, List.of(), "genres", 6);

    private static OnlineTrainer trainer(Block block) {
        return new OnlineTrainer(
                "dnn-tiny",
                block,
                SPEC,
                TrainerConfig.defaults().withLearningRates(1e-2f, 5e-2f),
                Device.cpu());
    }

    private static OnlineTrainer dnn() {
        return trainer(new DnnModel(SPEC, DnnConfig.tiny()));
    }

    private static FeatureBatch batch(long seed) {
        return new FeatureEncoder(SPEC).encode(Examples.random(64, seed));
    }

    @Test
    void theTrainingForwardsLogitsAreTheInferenceLogitsAndTheStepIsTrainsStep() {
        try (OnlineTrainer one = dnn();
                OnlineTrainer two = dnn()) {
            for (long seed = 1; seed <= 3; seed++) {
                FeatureBatch batch = batch(seed);
                float[] inference = one.predictLogits(batch);
                TrainResult result;
                try (TrainingStep step = one.forward(batch)) {
                    assertThat(step.onePass()).isTrue();
                    assertThat(step.logits()).isEqualTo(inference);
                    result = step.finish();
                }
                assertThat(result).isEqualTo(two.train(batch));
            }
            assertThat(one.step()).isEqualTo(3);
            assertThat(one.snapshot()).isEqualTo(two.snapshot());
        }
    }

    @Test
    void aStepClosedWithoutFinishingUpdatesNothingAndFinishesOnce() {
        try (OnlineTrainer trainer = dnn()) {
            byte[] before = trainer.snapshot();
            trainer.forward(batch(1)).close();
            assertThat(trainer.step()).isZero();
            assertThat(trainer.snapshot()).isEqualTo(before);
            TrainingStep step = trainer.forward(batch(1));
            step.finish();
            assertThatThrownBy(step::finish)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already finished");
            assertThat(trainer.step()).isEqualTo(1);
        }
    }

    @Test
    void aBatchWithoutLabelsIsScoredByInferenceAndNotTrained() {
        List<Example> examples = new ArrayList<>();
        for (Example e : Examples.random(16, 4)) {
            ClickEvent unlabelled = ClickEvent.newBuilder(e.getEvent()).setLabel(null).build();
            examples.add(Example.newBuilder(e).setEvent(unlabelled).build());
        }
        FeatureBatch batch = new FeatureEncoder(SPEC).encode(examples);
        try (OnlineTrainer trainer = dnn();
                TrainingStep step = trainer.forward(batch)) {
            assertThat(step.onePass()).isFalse();
            assertThat(step.logits()).isEqualTo(trainer.predictLogits(batch));
            TrainResult result = step.finish();
            assertThat(result.skipped()).isTrue();
            assertThat(result.labelled()).isZero();
            assertThat(trainer.step()).isZero();
        }
    }

    @Test
    void aModelWithDropoutKeepsTheInferencePass() {
        SequentialBlock withDropout =
                new SequentialBlock()
                        .add(new DnnModel(SPEC, DnnConfig.tiny()))
                        .add(Dropout.builder().optRate(0.5f).build());
        assertThat(TrainModeForward.sameInBothModes(withDropout)).isFalse();
        try (OnlineTrainer trainer = trainer(withDropout)) {
            assertThat(trainer.onePassExact()).isFalse();
            FeatureBatch batch = batch(2);
            try (TrainingStep step = trainer.forward(batch)) {
                assertThat(step.onePass()).isFalse();
                assertThat(step.logits()).isEqualTo(trainer.predictLogits(batch));
                assertThat(step.finish().skipped()).isFalse();
            }
            assertThat(trainer.step()).isEqualTo(1);
        }
    }

    @Test
    void theTwoPassSwitchKeepsTheInferencePass() {
        try (OnlineTrainer trainer = dnn()) {
            assertThat(trainer.onePassExact()).isTrue();
            trainer.onePass(false);
            try (TrainingStep step = trainer.forward(batch(3))) {
                assertThat(step.onePass()).isFalse();
                step.finish();
            }
            assertThat(trainer.step()).isEqualTo(1);
        }
    }
}
