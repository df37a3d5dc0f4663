package io.streamctr.model.interformer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainResult;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InterFormerModelTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(8, 256, List.of(), List.of("genres"), 4, List.of(), "genres", 6);
    private static final FeatureSpec WITH_NUMERIC =
            new FeatureSpec(
                    8,
                    256,
                    List.of("city"),
                    List.of("genres"),
                    4,
                    List.of("price", "age"),
                    "genres",
                    6);
    private static final TrainerConfig TRAINER = TrainerConfig.defaults();

    private static OnlineTrainer trainer(InterFormerConfig config) {
        return trainer(SPEC, config);
    }

    private static OnlineTrainer trainer(FeatureSpec spec, InterFormerConfig config) {
        return new OnlineTrainer(
                "interformer-tiny",
                new InterFormerModel(spec, config),
                spec,
                TRAINER,
                Device.cpu());
    }

    private static FeatureBatch batch(long seed) {
        return new FeatureEncoder(SPEC).encode(Examples.random(32, seed));
    }

    @ParameterizedTest
    @EnumSource(InterFormerConfig.Mode.class)
    void everyAblationModeScoresEveryRowAndTrains(InterFormerConfig.Mode mode) {
        try (OnlineTrainer t = trainer(InterFormerConfig.tiny().withMode(mode))) {
            float[] scores = t.predict(batch(1));
            assertThat(scores).hasSize(32);
            for (float s : scores) {
                assertThat(s).isBetween(0f, 1f);
            }
            assertThat(t.train(batch(2)).skipped()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(InterFormerConfig.Interaction.class)
    void everyInteractionModuleScoresEveryRow(InterFormerConfig.Interaction interaction) {
        try (OnlineTrainer t =
                trainer(WITH_NUMERIC, InterFormerConfig.tiny().withInteraction(interaction))) {
            float[] scores =
                    t.predict(new FeatureEncoder(WITH_NUMERIC).encode(Examples.random(16, 3)));
            assertThat(scores).hasSize(16);
            assertAllFinite(scores);
        }
    }

    @ParameterizedTest
    @EnumSource(InterFormerConfig.Mode.class)
    void everyParameterReceivesAGradient(InterFormerConfig.Mode mode) {
        InterFormerModel model =
                new InterFormerModel(WITH_NUMERIC, InterFormerConfig.tiny().withMode(mode));
        FeatureBatch b =
                new FeatureEncoder(WITH_NUMERIC).encode(withContext(Examples.random(32, 4)));
        assertThat(ModelChecks.parametersWithoutGradient(model, WITH_NUMERIC, b)).isEmpty();
    }

    @Test
    void newUsersWithEmptySequencesGetFiniteScoresAndLoss() {
        List<Example> examples = new ArrayList<>();
        for (Example e : Examples.random(8, 5)) {
            examples.add(Example.newBuilder(e).setHistory(Examples.emptyHistory()).build());
        }
        FeatureBatch allPadding = new FeatureEncoder(SPEC).encode(examples);
        for (InterFormerConfig.Mode mode : InterFormerConfig.Mode.values()) {
            try (OnlineTrainer t = trainer(InterFormerConfig.tiny().withMode(mode))) {
                assertAllFinite(t.predict(allPadding));
                TrainResult r = t.train(allPadding);
                assertThat(r.skipped()).as("mode %s", mode).isFalse();
                assertAllFinite(t.predict(allPadding));
            }
        }
    }

    @Test
    void restoredModelScoresIdentically() {
        try (OnlineTrainer original = trainer(InterFormerConfig.tiny());
                OnlineTrainer restored = trainer(InterFormerConfig.tiny())) {
            for (int i = 0; i < 3; i++) {
                original.train(batch(10 + i));
            }
            restored.train(batch(99));
            restored.restore(original.snapshot());
            FeatureBatch probe = batch(20);
            assertThat(restored.predict(probe)).containsExactly(original.predict(probe));
            assertThat(restored.train(batch(21)).loss())
                    .isEqualTo(original.train(batch(21)).loss());
            assertThat(restored.predict(probe)).containsExactly(original.predict(probe));
        }
    }

    @Test
    void learnsALabelThatOnlyTheSequenceExplains() {
        FeatureEncoder encoder = new FeatureEncoder(SPEC);
        try (OnlineTrainer t = trainer(InterFormerConfig.tiny())) {
            float first = t.train(encoder.encode(PlantedSequences.examples(64, 6, 1000))).loss();
            float recent = 0;
            int steps = 60;
            for (int i = 1; i <= steps; i++) {
                float loss =
                        t.train(encoder.encode(PlantedSequences.examples(64, 6, 1000 + i))).loss();
                if (i > steps - 10) {
                    recent += loss / 10;
                }
            }
            assertThat(first).isGreaterThan(0.6f);
            assertThat(recent).isLessThan(0.35f);
        }
    }

    @Test
    void paddedSequencePositionsDoNotChangeTheScore() {
        InterFormerModel model = new InterFormerModel(SPEC, InterFormerConfig.tiny());
        try (io.streamctr.model.blocks.BlockFixture f =
                new io.streamctr.model.blocks.BlockFixture(9)) {
            model.initialize(
                    f.manager,
                    ai.djl.ndarray.types.DataType.FLOAT32,
                    FeatureBatch.inputShapes(SPEC, 1));
            FeatureBatch b = batch(30);
            ai.djl.ndarray.NDList inputs = b.toNDList(f.manager);
            float[] before = model.forward(f.ps, inputs, false).singletonOrThrow().toFloatArray();
            for (int s = 0; s < SPEC.sequenceCount(); s++) {
                int i = FeatureBatch.sequenceItemsIndex(s);
                ai.djl.ndarray.NDArray padding =
                        inputs.get(i + 2).eq(0f).toType(ai.djl.ndarray.types.DataType.INT64, false);
                ai.djl.ndarray.NDArray noise =
                        f.manager.randomInteger(
                                1,
                                SPEC.embeddingRows(),
                                inputs.get(i).getShape(),
                                ai.djl.ndarray.types.DataType.INT64);
                inputs.set(
                        i, inputs.get(i).add(noise.mul(padding))); // ids at padded positions only
                inputs.set(i + 1, inputs.get(i + 1).add(noise.mul(padding)));
            }
            float[] after = model.forward(f.ps, inputs, false).singletonOrThrow().toFloatArray();
            assertThat(after).containsExactly(before);
        }
    }

    @Test
    void registeredByName() {
        assertThat(ModelRegistry.names())
                .contains(
                        "interformer",
                        "interformer-tiny",
                        "interformer-sole",
                        "interformer-sep",
                        "interformer-n2s",
                        "interformer-s2n");
        assertThat(ModelRegistry.create("interformer-tiny", SPEC))
                .isInstanceOf(InterFormerModel.class);
    }

    /** Adds the categorical and numeric fields of WITH_NUMERIC, so their parameters are used. */
    static List<Example> withContext(List<Example> examples) {
        java.util.Random r = new java.util.Random(11);
        for (Example e : examples) {
            e.getEvent().setCategorical(java.util.Map.of("city", "c" + r.nextInt(5)));
            e.getEvent()
                    .setNumeric(
                            java.util.Map.of(
                                    "price", r.nextFloat(), "age", (float) r.nextGaussian()));
        }
        return examples;
    }

    private static void assertAllFinite(float[] scores) {
        for (float s : scores) {
            assertThat(Float.isFinite(s)).isTrue();
            assertThat(s).isBetween(0f, 1f);
        }
    }
}
