package io.streamctr.flink.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.Block;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.interformer.InterFormerModel;
import io.streamctr.model.optfusion.OptFusionModel;
import io.streamctr.model.optfusion.ProductScaling;
import io.streamctr.model.train.TrainerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-model options applied to the registry's blocks and to the trainer. */
class ModelOverridesTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(8, 512, List.of(), List.of("genres"), 4, List.of(), "genres", 8);

    @Test
    void setsOptFusionsSearchAndKeepsWhatIsNotSet() {
        OptFusionModel own = (OptFusionModel) ModelRegistry.create("optfusion-soft-tiny", SPEC);
        ModelOverrides overrides =
                new ModelOverrides(500L, null, ProductScaling.NONE, null, null, null, null);

        Block block = overrides.apply(own, SPEC);

        assertThat(block).isInstanceOf(OptFusionModel.class).isNotSameAs(own);
        OptFusionModel changed = (OptFusionModel) block;
        assertThat(changed.config().search().searchEvents()).isEqualTo(500L);
        assertThat(changed.config().search().architectureLearningRate())
                .isEqualTo(own.config().search().architectureLearningRate());
        assertThat(changed.config().product()).isEqualTo(ProductScaling.NONE);
        assertThat(changed.config().variant()).isEqualTo(own.config().variant());
    }

    @Test
    void setsInterFormersSizeAndKeepsItsMode() {
        InterFormerModel own =
                (InterFormerModel) ModelRegistry.create("interformer-tiny-sep", SPEC);

        Block block = new ModelOverrides(null, null, null, 16, 1, 4, null).apply(own, SPEC);

        InterFormerModel changed = (InterFormerModel) block;
        assertThat(changed.config().dim()).isEqualTo(16);
        assertThat(changed.config().layers()).isEqualTo(1);
        assertThat(changed.config().heads()).isEqualTo(4);
        assertThat(changed.config().mode()).isEqualTo(own.config().mode());
    }

    @Test
    void leavesOtherModelsAndAnUnsetTrainerAsTheyAre() {
        Block dnn = ModelRegistry.create("dnn-tiny", SPEC);
        TrainerConfig trainer = TrainerConfig.defaults();

        assertThat(new ModelOverrides(500L, 0.1f, null, 16, 1, 4, null).apply(dnn, SPEC))
                .isSameAs(dnn);
        assertThat(ModelOverrides.NONE.apply(trainer)).isSameAs(trainer);
        assertThat(new ModelOverrides(null, null, null, null, null, null, 1e-4f).apply(trainer))
                .isEqualTo(
                        new TrainerConfig(
                                trainer.learningRate(),
                                trainer.embeddingLearningRate(),
                                trainer.l2(),
                                1e-4f,
                                trainer.beta1(),
                                trainer.beta2(),
                                trainer.epsilon(),
                                trainer.seed(),
                                trainer.embeddingOptimizer(),
                                trainer.baseRateHalfLife(),
                                trainer.perEventSquares()));
    }

    @Test
    void rejectsAnOverrideTheModelDoesNotTakeOrABadSize() {
        assertThatThrownBy(
                        () ->
                                new ModelOverrides(null, null, null, null, 2, null, null)
                                        .checkFor("optfusion-soft", true))
                .hasMessage(
                        "ctr.model.optfusion-soft.layers applies to InterFormer models only, not to"
                                + " 'optfusion-soft'");
        assertThatThrownBy(
                        () ->
                                new ModelOverrides(null, null, null, 12, null, null, null)
                                        .checkFor("interformer", true))
                .hasMessageContaining("got dim 12, heads 4");
        // the tiny size has 2 heads: D 12 is 6 per head there
        new ModelOverrides(null, null, null, 12, null, null, null)
                .checkFor("interformer-tiny", true);
        assertThatThrownBy(() -> new ModelOverrides(-1L, null, null, null, null, null, null))
                .hasMessage("search-events must be >= 0, got -1");
        assertThatThrownBy(() -> new ModelOverrides(null, null, null, null, 0, null, null))
                .hasMessage("layers must be > 0, got 0");
    }
}
