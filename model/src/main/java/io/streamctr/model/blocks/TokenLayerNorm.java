package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * Layer normalization over the last axis only, with a learned scale and shift of size D (DJL's
 * {@code LayerNorm} normalizes over several axes by default, which is not what tokens need).
 *
 * <p>Shapes: [..., D] → [..., D].
 */
public final class TokenLayerNorm extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int dim;
    private final Parameter gamma;
    private final Parameter beta;

    public TokenLayerNorm(int dim) {
        super(VERSION);
        this.dim = dim;
        this.gamma =
                addParameter(
                        Parameter.builder()
                                .setName("gamma")
                                .setType(Parameter.Type.GAMMA)
                                .optShape(new Shape(dim))
                                .optInitializer(Initializer.ONES)
                                .build());
        this.beta =
                addParameter(
                        Parameter.builder()
                                .setName("beta")
                                .setType(Parameter.Type.BETA)
                                .optShape(new Shape(dim))
                                .optInitializer(Initializer.ZEROS)
                                .build());
    }

    public NDArray normalize(ParameterStore ps, NDArray x, boolean training) {
        NDArray g = ps.getValue(gamma, x.getDevice(), training); // [D]
        NDArray b = ps.getValue(beta, x.getDevice(), training); // [D]
        return LayerNorm.layerNorm(x, new Shape(dim), g, b, 1e-5f).singletonOrThrow(); // [..., D]
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(normalize(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
