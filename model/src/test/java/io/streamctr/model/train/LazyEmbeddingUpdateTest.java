package io.streamctr.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.streamctr.model.blocks.HashedEmbedding;
import io.streamctr.model.dnn.DnnConfig;
import io.streamctr.model.dnn.DnnModel;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Embedding tables get lazy Adam: a step changes exactly the rows its batch used. */
class LazyEmbeddingUpdateTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(4, 512, List.of(), List.of("genres"), 4, List.of(), "genres", 6);

    private static float[] table(OnlineTrainer trainer) {
        for (Pair<String, Parameter> p : trainer.block().getParameters()) {
            if (p.getKey().endsWith(HashedEmbedding.PARAMETER_NAME)
                    && p.getValue().getArray().getShape().get(1) == 4) {
                NDArray array = p.getValue().getArray();
                return array.toFloatArray();
            }
        }
        throw new AssertionError("no embedding table");
    }

    @Test
    void aStepChangesOnlyTheRowsItsBatchUsed() {
        FeatureEncoder encoder = new FeatureEncoder(SPEC);
        try (OnlineTrainer trainer =
                new OnlineTrainer(
                        "dnn-tiny",
                        new DnnModel(SPEC, DnnConfig.tiny()),
                        SPEC,
                        TrainerConfig.defaults(),
                        Device.cpu())) {
            trainer.train(
                    encoder.encode(Examples.random(32, 1))); // moments now non-zero on these rows
            float[] before = table(trainer);
            FeatureBatch second = encoder.encode(Examples.random(32, 2));
            trainer.train(second);
            float[] after = table(trainer);

            Set<Long> used =
                    Arrays.stream(second.distinctRows()).boxed().collect(Collectors.toSet());
            int changed = 0;
            for (int row = 0; row < before.length / 4; row++) {
                boolean rowChanged = false;
                for (int d = 0; d < 4; d++) {
                    rowChanged |= before[row * 4 + d] != after[row * 4 + d];
                }
                if (rowChanged) {
                    changed++;
                    assertThat(used)
                            .as("row %d changed but the batch did not use it", row)
                            .contains((long) row);
                }
            }
            assertThat(changed).isGreaterThan(0);
        }
    }
}
