package io.streamctr.model.baselines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import io.streamctr.model.features.FeatureSpec;

/**
 * Logistic regression: one weight per hashed value of every field (a 1-wide field embedding),
 * summed, plus a bias. Bags and sequences contribute the mean weight of their values.
 *
 * <p>Shapes: FeatureBatch inputs → logits [B].
 */
public final class LrModel extends FieldModel {

    private final Parameter bias;

    public LrModel(FeatureSpec spec) {
        super(spec, 1);
        this.bias =
                addParameter(
                        Parameter.builder()
                                .setName("bias")
                                .setType(Parameter.Type.BIAS)
                                .optShape(new Shape(1))
                                .optInitializer(new ConstantInitializer(0f))
                                .build());
    }

    @Override
    protected void initializeHead(NDManager manager, DataType dataType) {}

    @Override
    protected NDArray head(ParameterStore ps, NDArray fields, NDList in, boolean training) {
        NDArray b = ps.getValue(bias, fields.getDevice(), training); // [1]
        return fields.sum(new int[] {1, 2}).add(b); // [B]
    }
}
