package io.streamctr.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.learn.DeepLearner;
import io.streamctr.model.learn.LearnedBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A finite loss with a NaN gradient must not reach the parameters. */
class NonFiniteGradientTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(4, 64, List.of(), List.of("genres"), 2, List.of(), "genres", 4);

    /** logits = sqrt(w - w) = 0 for every row: loss log 2, but d/dw = inf * 0 = NaN. */
    static final class NanGradientBlock extends AbstractBlock {
        private final Parameter w;

        NanGradientBlock() {
            w =
                    addParameter(
                            Parameter.builder()
                                    .setName("w")
                                    .setType(Parameter.Type.WEIGHT)
                                    .optShape(new Shape(1))
                                    .optInitializer(new ConstantInitializer(0.5f))
                                    .build());
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
            NDArray weight = ps.getValue(w, in.head().getDevice(), training); // [1]
            long b = in.get(FeatureBatch.CATEGORICAL).getShape().get(0);
            NDArray zero = weight.sub(weight).sqrt(); // [1], gradient NaN
            return new NDList(zero.broadcast(new Shape(b))); // [B]
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0))};
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {}
    }

    @Test
    void skipsTheStepAndKeepsTheParameters() {
        // no base rate: the scores are then the block's own, sigmoid(0) while its weight is
        // untouched
        try (OnlineTrainer trainer =
                new OnlineTrainer(
                        "nan",
                        new NanGradientBlock(),
                        SPEC,
                        TrainerConfig.defaults().withBaseRateHalfLife(0),
                        Device.cpu())) {
            FeatureBatch batch = new FeatureEncoder(SPEC).encode(Examples.random(8, 1));
            TrainResult result = trainer.train(batch);
            assertThat(Float.isFinite(result.loss())).isTrue();
            assertThat(result.skipped()).isTrue();
            assertThat(trainer.step()).isZero();
            assertThat(trainer.skippedSteps()).isEqualTo(1);
            float[] scores = trainer.predict(batch);
            assertThat(scores).containsOnly(0.5f); // sigmoid(0): the weight is untouched, not NaN
        }
    }

    @Test
    void aDeepLearnerScoresTheSkippedBatchWithItsOneTrainingForward() {
        try (DeepLearner learner =
                new DeepLearner(
                        new OnlineTrainer(
                                "nan",
                                new NanGradientBlock(),
                                SPEC,
                                TrainerConfig.defaults().withBaseRateHalfLife(0),
                                Device.cpu()))) {
            LearnedBatch result = learner.process(Examples.random(8, 1));
            assertThat(learner.trainer().onePassExact()).isTrue();
            assertThat(result.skipped()).isTrue();
            assertThat(result.scores())
                    .hasSize(8)
                    .containsOnly(0.5f); // sigmoid(0), before the step
            assertThat(learner.step()).isZero();
            assertThat(learner.skippedSteps()).isEqualTo(1);
            assertThat(learner.process(Examples.random(8, 2)).scores()).containsOnly(0.5f);
        }
    }
}
