package io.streamctr.model.optfusion;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.SearchSchedule;
import io.streamctr.model.train.TrainerConfig;
import io.streamctr.model.train.TrainingStage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OptFusion-Hard frozen into an architecture whose every block fuses by PROD, the output block O
 * over all 8 outputs of n = 3 (what the search chose on MovieLens, where Hard then stalled at AUC
 * 0.54): on a small planted problem the loss must still fall and the scores must still differ
 * between events. With the paper's raw product the fused input of O is ~10⁻¹⁰ and neither holds.
 */
class ProductCollapseTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(8, 256, List.of(), List.of("genres"), 4, List.of(), "genres", 6);
    private static final int STEPS = 120;

    /** Every edge kept, PROD chosen by every fusing block. */
    private static FusionArchitecture allProd(FusionGraph graph) {
        float[] alpha = new float[graph.edges().size()];
        Arrays.fill(alpha, 0.5f);
        float[][] beta = new float[graph.fusingNodes().size()][FusionOp.values().length];
        for (float[] row : beta) {
            row[FusionOp.PROD.ordinal()] = 1f;
        }
        return new FusionArchitecture(graph, OptFusionConfig.Variant.HARD, alpha, beta);
    }

    /**
     * Mean loss over the data before and after STEPS steps, the spread of the final scores, and
     * whether all are finite.
     */
    private record Outcome(
            double lossBefore, double lossAfter, double scoreSpread, boolean finite) {}

    private static Outcome train(ProductScaling product) {
        OptFusionConfig config =
                new OptFusionConfig(
                        3,
                        true,
                        AttentionReading.PAPER,
                        OptFusionConfig.Variant.HARD,
                        new SearchSchedule(0, 0.01f, true),
                        product);
        FeatureEncoder encoder = new FeatureEncoder(SPEC);
        List<FeatureBatch> data = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            data.add(encoder.encode(Examples.random(64, 100 + i)));
        }
        try (OnlineTrainer t =
                new OnlineTrainer(
                        "optfusion-hard",
                        new OptFusionModel(SPEC, config),
                        SPEC,
                        TrainerConfig.defaults()
                                .withSeed(7)
                                .withLearningRates(
                                        1e-3f, TrainerConfig.defaults().embeddingLearningRate()),
                        Device.cpu())) {
            OptFusionModel model = (OptFusionModel) t.block();
            assertThat(t.stage()).isEqualTo(TrainingStage.RETRAIN);
            model.restoreArchitectureState(allProd(model.graph()).toBytes());
            assertThat(ArchitectureWriter.summary(model.architecture()))
                    .endsWith("O=PROD(E,S0,C1,D1,C2,D2,C3,D3)");

            double before = meanLoss(t, data);
            for (int s = 0; s < STEPS; s++) {
                assertThat(t.train(data.get(s % data.size())).skipped()).isFalse();
            }
            double after = meanLoss(t, data);
            float[] scores = t.predict(data.get(0));
            boolean finite = Double.isFinite(after);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float p : scores) {
                finite &= Float.isFinite(p);
                min = Math.min(min, p);
                max = Math.max(max, p);
            }
            return new Outcome(before, after, max - min, finite);
        }
    }

    /** Binary cross-entropy of the trainer's predictions over the batches (no update). */
    private static double meanLoss(OnlineTrainer t, List<FeatureBatch> data) {
        double sum = 0;
        int n = 0;
        for (FeatureBatch b : data) {
            float[] p = t.predict(b);
            for (int i = 0; i < p.length; i++) {
                double q = Math.min(Math.max(p[i], 1e-7), 1 - 1e-7);
                sum -= b.label(i) == 1 ? Math.log(q) : Math.log(1 - q);
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void hardWithProdOverEightInputsStillLearns() {
        Outcome o = train(ProductScaling.RMS);
        assertThat(o.finite()).isTrue();
        assertThat(o.lossAfter())
                .as("loss after %d steps (before: %.4f)", STEPS, o.lossBefore())
                .isLessThan(0.85 * o.lossBefore());
        assertThat(o.scoreSpread())
                .as("max - min of the click probabilities of one batch")
                .isGreaterThan(0.1);
    }

    @Test
    void withThePapersRawProductTheSameModelCollapses() {
        Outcome o = train(ProductScaling.NONE);
        assertThat(o.lossAfter())
                .as("loss after %d steps (before: %.4f)", STEPS, o.lossBefore())
                .isGreaterThan(0.95 * o.lossBefore());
        assertThat(o.scoreSpread()).isLessThan(1e-3);
    }
}
