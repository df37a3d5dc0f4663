package io.streamctr.model.baselines;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.streamctr.model.ModelRegistry;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.runtime.DjlRuntime;
import io.streamctr.model.train.OnlineTrainer;
import io.streamctr.model.train.TrainResult;
import io.streamctr.model.train.TrainerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every baseline, by its registered name: output shape, one step lowers the loss, save → load. */
class BaselinesTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(4, 64, List.of(), List.of("genres"), 4, List.of(), "genres", 6);

    private static OnlineTrainer trainer(String name) {
        return new OnlineTrainer(
                name,
                ModelRegistry.create(name, SPEC),
                SPEC,
                TrainerConfig.defaults().withLearningRates(1e-2f, 5e-2f),
                Device.cpu());
    }

    private static FeatureBatch batch(long seed) {
        return new FeatureEncoder(SPEC).encode(Examples.random(32, seed));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "lr",
                "fm",
                "fnn",
                "deepfm",
                "dcn",
                "dcnv2",
                "dcnv2-parallel",
                "edcn",
                "pnn",
                "optfusion-soft",
                "optfusion-hard"
            })
    void outputsOneLogitPerRow(String name) {
        Block block = ModelRegistry.create(name, SPEC);
        try (NDManager manager = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            block.initialize(manager, DataType.FLOAT32, FeatureBatch.inputShapes(SPEC, 1));
            assertThat(block.getOutputShapes(FeatureBatch.inputShapes(SPEC, 5)))
                    .containsExactly(new Shape(5));
        }
        try (OnlineTrainer t = trainer(name)) {
            float[] scores = t.predict(batch(1));
            assertThat(scores).hasSize(32);
            for (float s : scores) {
                assertThat(s).isBetween(0f, 1f);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "lr",
                "fm",
                "fnn",
                "deepfm",
                "dcn",
                "dcnv2",
                "dcnv2-parallel",
                "edcn",
                "pnn",
                "optfusion-soft",
                "optfusion-hard"
            })
    void oneStepOnAFixedBatchLowersTheLoss(String name) {
        try (OnlineTrainer t = trainer(name)) {
            FeatureBatch b = batch(2);
            TrainResult first = t.train(b);
            TrainResult second = t.train(b);
            assertThat(first.skipped()).isFalse();
            assertThat(second.loss()).as(name).isLessThan(first.loss());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "lr",
                "fm",
                "fnn",
                "deepfm",
                "dcn",
                "dcnv2",
                "dcnv2-parallel",
                "edcn",
                "pnn",
                "optfusion-soft",
                "optfusion-hard"
            })
    void survivesSaveAndLoad(String name) throws Exception {
        FeatureBatch probe = batch(3);
        try (OnlineTrainer t = trainer(name);
                OnlineTrainer other = trainer(name)) {
            for (int i = 0; i < 3; i++) {
                t.train(batch(10 + i));
            }
            other.restore(t.snapshot());
            assertThat(other.predict(probe)).containsExactly(t.predict(probe));
        }
        // the DJL block format too (saveParameters → loadParameters)
        try (NDManager manager = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            Block a = ModelRegistry.create(name, SPEC);
            a.initialize(manager, DataType.FLOAT32, FeatureBatch.inputShapes(SPEC, 1));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            a.saveParameters(new DataOutputStream(bytes));
            Block b = ModelRegistry.create(name, SPEC);
            b.initialize(manager, DataType.FLOAT32, FeatureBatch.inputShapes(SPEC, 1));
            b.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            for (int i = 0; i < a.getParameters().size(); i++) {
                assertThat(b.getParameters().get(i).getValue().getArray().toFloatArray())
                        .containsExactly(
                                a.getParameters().get(i).getValue().getArray().toFloatArray());
            }
        }
    }
}
