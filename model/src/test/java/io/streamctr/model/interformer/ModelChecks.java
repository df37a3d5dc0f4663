package io.streamctr.model.interformer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureSpec;
import io.streamctr.model.runtime.DjlRuntime;
import java.util.ArrayList;
import java.util.List;

/** Checks shared by the model tests (InterFormer, DIN). */
public final class ModelChecks {

    private ModelChecks() {}

    /** Names of the parameters whose gradient is all zero after one backward pass on the batch. */
    public static List<String> parametersWithoutGradient(
            Block block, FeatureSpec spec, FeatureBatch batch) {
        List<String> missing = new ArrayList<>();
        try (NDManager manager = DjlRuntime.engine().newBaseManager(Device.cpu())) {
            DjlRuntime.engine().setRandomSeed(3);
            block.initialize(manager, DataType.FLOAT32, FeatureBatch.inputShapes(spec, 1));
            for (Pair<String, Parameter> p : block.getParameters()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
            boolean previous = JniUtils.isGradMode();
            try (NDScope ignored = new NDScope();
                    NDManager batchManager = manager.newSubManager()) {
                JniUtils.setGradMode(true);
                NDArray logits =
                        block.forward(
                                        new ParameterStore(batchManager, false),
                                        batch.toNDList(batchManager),
                                        true)
                                .singletonOrThrow(); // [B]
                NDArray y = batch.labels(batchManager);
                NDArray loss =
                        logits.maximum(0f)
                                .sub(logits.mul(y))
                                .add(logits.abs().neg().exp().add(1f).log())
                                .mean();
                JniUtils.backward(
                        (PtNDArray) loss,
                        (PtNDArray) batchManager.ones(loss.getShape()),
                        false,
                        false);
                JniUtils.setGradMode(false);
                for (Pair<String, Parameter> p : block.getParameters()) {
                    float norm = p.getValue().getArray().getGradient().abs().sum().getFloat();
                    if (!(norm > 0) || !Float.isFinite(norm)) {
                        missing.add(p.getKey() + " (|grad| = " + norm + ")");
                    }
                }
            } finally {
                JniUtils.setGradMode(previous);
            }
        }
        return missing;
    }
}
