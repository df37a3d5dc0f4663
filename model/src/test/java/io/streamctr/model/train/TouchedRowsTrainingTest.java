package io.streamctr.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered model trains the same, bit for bit (losses, then parameters and Adam moments in
 * the snapshot), when a step embeds from its copy of the touched rows ({@link TouchedRows}, the
 * default) as when it embeds from the whole tables and takes those rows of their dense gradient. A
 * model that used an id for anything but a table lookup (the copy's ids are positions in the
 * touched rows) or a table the trainer does not copy would differ here.
 */
class TouchedRowsTrainingTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(8, 1 << 10, List.of(), List.of("genres"), 4, List.of(), "genres", 8);
    private static final int STEPS = 4;

    static Stream<String> models() {
        return ModelRegistry.names().stream();
    }

    private record Run(float[] losses, byte[] snapshot) {}

    private static Run train(String model, List<FeatureBatch> batches, boolean dense) {
        float[] losses = new float[batches.size()];
        try (OnlineTrainer trainer =
                new OnlineTrainer(
                        model,
                        ModelRegistry.create(model, SPEC),
                        SPEC,
                        TrainerConfig.defaults(),
                        Device.cpu())) {
            trainer.denseEmbeddingGradients(dense);
            // the whole tables' gradient has no per-event squares (PerEventSquaresTest has them)
            trainer.perEventSquares(false);
            for (int i = 0; i < batches.size(); i++) {
                losses[i] = trainer.train(batches.get(i)).loss();
            }
            assertThat(trainer.skippedSteps())
                    .as("%s skipped steps (dense %s)", model, dense)
                    .isZero();
            return new Run(losses, trainer.snapshot());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void copiesOfTheTouchedRowsTrainAsTheWholeTables(String model) {
        FeatureEncoder encoder = new FeatureEncoder(SPEC);
        List<FeatureBatch> batches = new ArrayList<>();
        for (int i = 0; i < STEPS; i++) {
            batches.add(encoder.encode(Examples.random(32, 20 + i)));
        }
        Run copies = train(model, batches, false);
        Run whole = train(model, batches, true);
        assertThat(copies.losses()).as("%s losses", model).containsExactly(whole.losses());
        assertThat(copies.snapshot())
                .as("%s parameters and moments after %d steps", model, STEPS)
                .isEqualTo(whole.snapshot());
    }
}
