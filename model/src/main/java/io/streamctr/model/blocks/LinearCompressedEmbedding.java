package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * Linear compressed embedding (InterFormer appendix A.2.1): a learned linear map over the token
 * axis, the same for every embedding column, compressing F tokens to K (X' = W·X, W ∈ R^{K×F}).
 *
 * <p>Shapes: X [B, F, D] → [B, K, D].
 */
public final class LinearCompressedEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int outputs;
    private final Parameter weight;

    public LinearCompressedEmbedding(int inputs, int outputs) {
        super(VERSION);
        this.outputs = outputs;
        this.weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(outputs, inputs))
                                .optInitializer(new XavierInitializer())
                                .build());
    }

    public NDArray compress(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training); // [K, F]
        return w.matMul(x); // [K, F] x [B, F, D] → [B, K, D]
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(compress(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), outputs, in.get(2))};
    }
}
