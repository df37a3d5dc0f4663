package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * One cross layer of DCN (Wang et al., 2017, CrossNet v1), also OptFusion's cross block: {@code out
 * = x0 * (x · w) + b + x} with w ∈ R^d (no bias on the projection) and b ∈ R^d initialized to zero;
 * w is uniform in ±1/√d, PyTorch's default for a Linear(d, 1).
 *
 * <p>Shapes: x0 [B, d], x [B, d] → [B, d]. As a block its inputs are (x0, x).
 */
public final class CrossLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int width;
    private final Parameter weight;
    private final Parameter bias;

    public CrossLayer(int width) {
        super(VERSION);
        this.width = width;
        this.weight =
                addParameter(
                        Parameter.builder()
                                .setName("cross_weight")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(width, 1))
                                .optInitializer(
                                        new UniformInitializer((float) (1 / Math.sqrt(width))))
                                .build());
        this.bias =
                addParameter(
                        Parameter.builder()
                                .setName("cross_bias")
                                .setType(Parameter.Type.BIAS)
                                .optShape(new Shape(width))
                                .optInitializer(new ConstantInitializer(0f))
                                .build());
    }

    /** x0 * (x · w) + b + x. */
    public NDArray cross(ParameterStore ps, NDArray x0, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training); // [d, 1]
        NDArray b = ps.getValue(bias, x.getDevice(), training); // [d]
        return x0.mul(x.matMul(w)).add(b).add(x); // [B, d]
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(cross(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    public int width() {
        return width;
    }
}
