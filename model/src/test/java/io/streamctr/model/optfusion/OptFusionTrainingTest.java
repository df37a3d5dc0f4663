package io.streamctr.model.optfusion;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.SearchSchedule;
import io.streamctr.model.train.TrainResult;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.model.train.TrainingStage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one-shot search on a stream, the freeze, Soft and Hard, and the architecture in the snapshot.
 */
class OptFusionTrainingTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(4, 64, List.of(), List.of("genres"), 4, List.of(), "genres", 6);
    private static final int BATCH = 32;

    private static OptFusionConfig config(OptFusionConfig.Variant variant, boolean warm) {
        return new OptFusionConfig(
                2,
                true,
                AttentionReading.PAPER,
                variant,
                new SearchSchedule(2 * BATCH, 0.05f, warm));
    }

    private static OnlineTrainer trainer(OptFusionConfig config) {
        String name = "optfusion-" + config.variant().name().toLowerCase();
        return new OnlineTrainer(
                name,
                new OptFusionModel(SPEC, config),
                SPEC,
                TrainerConfig.defaults().withLearningRates(1e-2f, 5e-2f),
                Device.cpu());
    }

    private static FeatureBatch batch(long seed) {
        return new FeatureEncoder(SPEC).encode(Examples.random(BATCH, seed));
    }

    private static OptFusionModel model(OnlineTrainer t) {
        return (OptFusionModel) t.block();
    }

    private static float[][] architectureValues(OnlineTrainer t) {
        List<Parameter> arch = model(t).architectureParameters();
        return new float[][] {
            arch.get(0).getArray().toFloatArray(), arch.get(1).getArray().toFloatArray()
        };
    }

    private static List<float[]> weightValues(OnlineTrainer t) {
        List<float[]> values = new ArrayList<>();
        for (var p : t.block().getParameters()) {
            if (!model(t).architectureParameters().contains(p.getValue())) {
                values.add(p.getValue().getArray().toFloatArray());
            }
        }
        return values;
    }

    @Test
    void searchStepsTheArchitectureThenFreezesItAfterTheBudget() {
        try (OnlineTrainer t = trainer(config(OptFusionConfig.Variant.SOFT, true))) {
            assertThat(t.stage()).isEqualTo(TrainingStage.SEARCH);
            float[] initialAlpha = architectureValues(t)[0];
            assertThat(initialAlpha).containsOnly(0.5f);

            t.train(batch(1));
            assertThat(t.stage()).isEqualTo(TrainingStage.SEARCH);
            assertThat(architectureValues(t)[0]).isNotEqualTo(initialAlpha);
            t.train(batch(2));
            assertThat(t.stage()).isEqualTo(TrainingStage.RETRAIN);
            assertThat(t.searchedEvents()).isEqualTo(2 * BATCH);
            assertThat(model(t).isArchitectureFrozen()).isTrue();

            float[][] frozen = architectureValues(t);
            String json = model(t).architectureJson();
            List<float[]> weightsAtFreeze = weightValues(t);
            for (int i = 0; i < 4; i++) {
                TrainResult r = t.train(batch(3 + i));
                assertThat(r.skipped()).isFalse();
            }
            assertThat(architectureValues(t)[0]).containsExactly(frozen[0]);
            assertThat(architectureValues(t)[1]).containsExactly(frozen[1]);
            assertThat(model(t).architectureJson()).isEqualTo(json);
            assertThat(t.step()).isEqualTo(6);
            assertThat(weightValues(t).get(0)).isNotEqualTo(weightsAtFreeze.get(0));
        }
    }

    @Test
    void hardRunsExactlyOneOperationPerBlock() {
        try (OnlineTrainer t = trainer(config(OptFusionConfig.Variant.HARD, true))) {
            t.train(batch(1));
            t.train(batch(2));
            assertThat(t.stage()).isEqualTo(TrainingStage.RETRAIN);
            FusionArchitecture arch = model(t).architecture();
            for (int row = 0; row < arch.graph().fusingNodes().size(); row++) {
                float[] w = arch.opWeights(row);
                int ones = 0;
                int zeros = 0;
                for (float v : w) {
                    ones += v == 1f ? 1 : 0;
                    zeros += v == 0f ? 1 : 0;
                }
                assertThat(ones).isEqualTo(1);
                assertThat(zeros).isEqualTo(3);
            }
            // the unchosen CONCAT layers do not take part: changing them changes no score
            FeatureBatch probe = batch(9);
            float[] before = t.predict(probe);
            int changed = 0;
            for (int row = 0; row < arch.graph().fusingNodes().size(); row++) {
                if (arch.chosen(row) != FusionOp.CONCAT) {
                    String name =
                            "fusion_"
                                    + arch.graph()
                                            .nodes()
                                            .get(arch.graph().fusingNodes().get(row))
                                            .name();
                    Block fusion =
                            t.block().getChildren().stream()
                                    .filter(c -> c.getKey().endsWith(name))
                                    .findFirst()
                                    .orElseThrow()
                                    .getValue();
                    ((FusionBlock) fusion)
                            .concatLinear()
                            .getParameters()
                            .get("weight")
                            .getArray()
                            .addi(1f);
                    changed++;
                }
            }
            assertThat(t.predict(probe)).containsExactly(before);
            assertThat(changed).isPositive();
        }
    }

    @Test
    void restoreAfterTheFreezeKeepsTheFrozenArchitecture() {
        for (OptFusionConfig.Variant variant : OptFusionConfig.Variant.values()) {
            OptFusionConfig config = config(variant, true);
            try (OnlineTrainer original = trainer(config);
                    OnlineTrainer restored = trainer(config)) {
                for (int i = 0; i < 3; i++) {
                    original.train(batch(10 + i));
                }
                assertThat(original.stage()).isEqualTo(TrainingStage.RETRAIN);
                byte[] snapshot = original.snapshot();

                restored.restore(snapshot);

                assertThat(restored.stage()).isEqualTo(TrainingStage.RETRAIN);
                assertThat(restored.searchedEvents()).isEqualTo(original.searchedEvents());
                assertThat(model(restored).architectureJson())
                        .isEqualTo(model(original).architectureJson());
                FeatureBatch probe = batch(20);
                assertThat(restored.predict(probe)).containsExactly(original.predict(probe));
                assertThat(restored.train(batch(21)).loss())
                        .isEqualTo(original.train(batch(21)).loss());
                assertThat(restored.predict(probe)).containsExactly(original.predict(probe));
                assertThat(restored.snapshot()).isEqualTo(original.snapshot());
            }
        }
    }

    @Test
    void restoringASearchSnapshotReturnsToTheSearch() {
        OptFusionConfig config = config(OptFusionConfig.Variant.SOFT, true);
        try (OnlineTrainer t = trainer(config)) {
            t.train(batch(1));
            byte[] searching = t.snapshot();
            t.train(batch(2));
            assertThat(t.stage()).isEqualTo(TrainingStage.RETRAIN);

            t.restore(searching);

            assertThat(t.stage()).isEqualTo(TrainingStage.SEARCH);
            assertThat(model(t).isArchitectureFrozen()).isFalse();
            assertThat(t.searchedEvents()).isEqualTo(BATCH);
            t.train(batch(2));
            assertThat(t.stage()).isEqualTo(TrainingStage.RETRAIN);
        }
    }

    @Test
    void reinitializedRetrainStartsFromFreshWeightsAndKeepsTheVersion() {
        try (OnlineTrainer t = trainer(config(OptFusionConfig.Variant.SOFT, false))) {
            t.train(batch(1));
            List<float[]> searched = weightValues(t);
            t.train(batch(2)); // spends the budget: freeze, then re-initialize
            assertThat(t.stage()).isEqualTo(TrainingStage.RETRAIN);
            assertThat(t.step()).isEqualTo(2);
            List<float[]> fresh = weightValues(t);
            assertThat(fresh.get(0)).isNotEqualTo(searched.get(0));
            // the embedding table is back at its N(0, 0.01) initialization
            float max = 0;
            for (float v : fresh.get(0)) {
                max = Math.max(max, Math.abs(v));
            }
            assertThat(max).isLessThan(0.1f);
            TrainResult r = t.train(batch(3));
            assertThat(r.skipped()).isFalse();
            assertThat(r.step()).isEqualTo(3);
        }
    }

    @Test
    void everyVariantTrainsAndScoresFinitely() {
        for (OptFusionConfig.Variant variant : OptFusionConfig.Variant.values()) {
            for (AttentionReading reading : AttentionReading.values()) {
                try (OnlineTrainer t = trainer(config(variant, true).withAttention(reading))) {
                    FeatureBatch b = batch(5);
                    TrainResult first = t.train(b);
                    TrainResult second = t.train(b);
                    assertThat(second.loss())
                            .as("%s %s", variant, reading)
                            .isLessThan(first.loss());
                    for (int i = 0; i < 3; i++) {
                        assertThat(t.train(batch(6 + i)).skipped()).isFalse();
                    }
                    for (float s : t.predict(batch(30))) {
                        assertThat(Float.isFinite(s)).isTrue();
                    }
                }
            }
        }
    }
}
