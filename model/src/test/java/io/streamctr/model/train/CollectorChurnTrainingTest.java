package io.streamctr.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.runtime.CollectorChurn;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered model trains to the same losses, bit for bit, when the garbage collector frees
 * Java buffers and their memory is reused between each step's forward and backward pass. A constant
 * that the backward pass reads from a Java buffer (DJL's {@code mul(Number)} and friends, see
 * {@link io.streamctr.model.runtime.ScalarOps}) breaks this at the first step.
 */
class CollectorChurnTrainingTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(8, 1 << 10, List.of(), List.of("genres"), 4, List.of(), "genres", 8);
    private static final int STEPS = 4;

    static Stream<String> models() {
        return ModelRegistry.names().stream();
    }

    private static float[] losses(String model, List<FeatureBatch> batches, boolean churn) {
        float[] losses = new float[batches.size()];
        try (OnlineTrainer trainer =
                new OnlineTrainer(
                        model,
                        ModelRegistry.create(model, SPEC),
                        SPEC,
                        TrainerConfig.defaults(),
                        Device.cpu())) {
            if (churn) {
                trainer.beforeBackward(CollectorChurn::run);
            }
            for (int i = 0; i < batches.size(); i++) {
                losses[i] = trainer.train(batches.get(i)).loss();
            }
            assertThat(trainer.skippedSteps())
                    .as("%s skipped steps (churn %s)", model, churn)
                    .isZero();
        }
        return losses;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void theCollectorDoesNotChangeTraining(String model) {
        FeatureEncoder encoder = new FeatureEncoder(SPEC);
        List<FeatureBatch> batches = new ArrayList<>();
        for (int i = 0; i < STEPS; i++) {
            batches.add(encoder.encode(Examples.random(32, 10 + i)));
        }
        assertThat(losses(model, batches, true))
                .as(model)
                .containsExactly(losses(model, batches, false));
    }
}
