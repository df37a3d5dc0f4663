package io.streamctr.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.streamctr.model.dnn.DnnConfig;
import io.streamctr.model.dnn.DnnModel;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.runtime.DjlRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A trainer with AdaGrad or FTRL embedding tables and a base rate continues after a restore exactly
 * as it would have without one (the rule's state and the base rate's counts are in the snapshot),
 * and a snapshot that Adam wrote (format 1) restores into such a trainer with the tables' state
 * started afresh for the restored weights.
 */
class EmbeddingRuleSnapshotTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(4, 64, List.of(), List.of("genres"), 4, List.of(), "genres", 6);

    private static OnlineTrainer trainer(EmbeddingOptimizer rule, int halfLife) {
        TrainerConfig config =
                TrainerConfig.defaults()
                        .withEmbeddingOptimizer(rule)
                        .withBaseRateHalfLife(halfLife);
        return new OnlineTrainer(
                "dnn-tiny", new DnnModel(SPEC, DnnConfig.tiny()), SPEC, config, Device.cpu());
    }

    private static FeatureBatch batch(long seed) {
        return new FeatureEncoder(SPEC).encode(Examples.random(16, seed));
    }

    @ParameterizedTest
    @EnumSource(EmbeddingOptimizer.class)
    void aRestoredTrainerContinuesBitForBit(EmbeddingOptimizer rule) {
        try (OnlineTrainer original = trainer(rule, 100);
                OnlineTrainer restored = trainer(rule, 100)) {
            for (int i = 0; i < 3; i++) {
                original.train(batch(i));
            }
            byte[] snapshot = original.snapshot();
            assertThat(snapshot[0]).as("format").isEqualTo((byte) 3);
            restored.train(batch(99)); // state the restore must overwrite
            restored.restore(snapshot);
            assertThat(restored.snapshot()).isEqualTo(snapshot);

            FeatureBatch next = batch(3);
            assertThat(restored.predict(next)).containsExactly(original.predict(next));
            assertThat(restored.train(next).loss()).isEqualTo(original.train(next).loss());
            assertThat(restored.predict(batch(4))).containsExactly(original.predict(batch(4)));
            assertThat(restored.snapshot()).isEqualTo(original.snapshot());
        }
    }

    @Test
    void theBaseRateCountsAreInTheSnapshot() {
        try (OnlineTrainer original = trainer(EmbeddingOptimizer.ADAGRAD, 100);
                OnlineTrainer fresh = trainer(EmbeddingOptimizer.ADAGRAD, 100)) {
            original.train(batch(1));
            byte[] snapshot = original.snapshot();
            TrainerSnapshot.BaseRateState counts = TrainerSnapshot.fromBytes(snapshot).baseRate();
            assertThat(counts.halfLife()).isEqualTo(100);
            assertThat(counts.events()).isGreaterThan(15).isLessThan(16); // 16 events, decayed
            assertThat(counts.clicks()).isPositive();
            fresh.restore(snapshot);
            assertThat(TrainerSnapshot.fromBytes(fresh.snapshot()).baseRate()).isEqualTo(counts);
        }
    }

    @Test
    void anAdamSnapshotRestoresIntoFtrlWithItsStateStartedForTheRestoredWeights()
            throws IOException {
        byte[] adam;
        try (InputStream in = getClass().getResourceAsStream("/snapshots/dnn-tiny.snapshot")) {
            adam = in.readAllBytes();
        }
        try (OnlineTrainer ftrl = trainer(EmbeddingOptimizer.FTRL, 0);
                OnlineTrainer reference = trainer(EmbeddingOptimizer.ADAM, 0);
                NDManager manager = DjlRuntime.engine().newBaseManager()) {
            ftrl.train(batch(5)); // FTRL state the restore must replace
            ftrl.restore(adam);
            reference.restore(adam);
            NDList saved =
                    NDList.decode(manager, TrainerSnapshot.fromBytes(ftrl.snapshot()).arrays());
            NDList adamSaved =
                    NDList.decode(
                            manager, TrainerSnapshot.fromBytes(reference.snapshot()).arrays());
            int parameters = saved.size() / 3;
            int tables = 0;
            for (int i = 0; i < parameters; i++) {
                assertThat(saved.get(i).toFloatArray())
                        .as("parameter %d", i)
                        .containsExactly(adamSaved.get(i).toFloatArray());
                boolean table =
                        saved.get(i).getShape().dimension() == 2
                                && saved.get(i).getShape().get(0) == SPEC.embeddingRows();
                if (table) {
                    tables++;
                    float[] w = saved.get(i).toFloatArray();
                    float[] z = saved.get(parameters + i).toFloatArray();
                    float[] n = saved.get(2 * parameters + i).toFloatArray();
                    for (int k = 0; k < w.length; k++) {
                        assertThat(z[k])
                                .isEqualTo(
                                        -w[k] * (FtrlRows.BETA / 0.05f + FtrlRows.L2),
                                        within(1e-6f));
                        assertThat(n[k]).isZero();
                    }
                } else {
                    assertThat(saved.get(parameters + i).toFloatArray())
                            .as("dense Adam moment %d kept", i)
                            .containsExactly(adamSaved.get(parameters + i).toFloatArray());
                }
            }
            assertThat(tables).isPositive();
        }
    }
}
