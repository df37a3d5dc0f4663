package io.streamctr.model.din;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.interformer.ModelChecks;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DinModelTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(8, 256, List.of(), List.of("genres"), 4, List.of(), "genres", 6);
    private static final FeatureSpec WITH_NUMERIC =
            new FeatureSpec(
                    8, 256, List.of("city"), List.of("genres"), 4, List.of("price"), "genres", 6);

    private static OnlineTrainer trainer() {
        return new OnlineTrainer(
                "din-tiny",
                new DinModel(SPEC, DinConfig.tiny()),
                SPEC,
                TrainerConfig.defaults().withLearningRates(1e-2f, 5e-2f),
                Device.cpu());
    }

    private static FeatureBatch batch(long seed) {
        return new FeatureEncoder(SPEC).encode(Examples.random(32, seed));
    }

    @Test
    void scoresEveryRowAndLearns() {
        try (OnlineTrainer t = trainer()) {
            assertThat(t.predict(batch(1))).hasSize(32);
            FeatureBatch b = batch(2);
            float first = t.train(b).loss();
            for (int i = 0; i < 5; i++) {
                t.train(b);
            }
            assertThat(t.train(b).loss()).isLessThan(first);
        }
    }

    @Test
    void everyParameterReceivesAGradient() {
        List<Example> examples = Examples.random(32, 4);
        for (Example e : examples) {
            e.getEvent().setCategorical(Map.of("city", "c" + e.getEvent().getItemId().length()));
            e.getEvent().setNumeric(Map.of("price", 0.5f));
        }
        FeatureBatch b = new FeatureEncoder(WITH_NUMERIC).encode(examples);
        assertThat(
                        ModelChecks.parametersWithoutGradient(
                                new DinModel(WITH_NUMERIC, DinConfig.tiny()), WITH_NUMERIC, b))
                .isEmpty();
    }

    @Test
    void newUsersWithEmptySequencesGetFiniteScores() {
        List<Example> examples = new ArrayList<>();
        for (Example e : Examples.random(8, 5)) {
            examples.add(Example.newBuilder(e).setHistory(Examples.emptyHistory()).build());
        }
        FeatureBatch allPadding = new FeatureEncoder(SPEC).encode(examples);
        try (OnlineTrainer t = trainer()) {
            assertThat(Float.isFinite(t.train(allPadding).loss())).isTrue();
            for (float s : t.predict(allPadding)) {
                assertThat(Float.isFinite(s)).isTrue();
            }
        }
    }

    @Test
    void restoredModelScoresIdentically() {
        try (OnlineTrainer original = trainer();
                OnlineTrainer restored = trainer()) {
            original.train(batch(10));
            original.train(batch(11));
            restored.restore(original.snapshot());
            assertThat(restored.predict(batch(12))).containsExactly(original.predict(batch(12)));
        }
    }

    @Test
    void registeredByName() {
        assertThat(ModelRegistry.names()).contains("din", "din-tiny");
        assertThat(ModelRegistry.create("din-tiny", SPEC)).isInstanceOf(DinModel.class);
    }
}
