package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * Pooling by multi-head attention (Lee et al., Set Transformer; InterFormer Eq. 4): P learnable
 * seed queries attend over the valid tokens of a sequence. No position information enters, so the
 * output does not depend on the order of the tokens.
 *
 * <p>Shapes: tokens [B, T, D], mask [B, T] (1 = valid) → [B, P, D].
 */
public final class PoolingByMultiheadAttention extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int seeds;
    private final int dim;
    private final Parameter seedQueries;
    private final MultiHeadAttention attention;

    public PoolingByMultiheadAttention(int seeds, int dim, int heads) {
        super(VERSION);
        this.seeds = seeds;
        this.dim = dim;
        this.seedQueries =
                addParameter(
                        Parameter.builder()
                                .setName("seeds")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(seeds, dim))
                                .optInitializer(new NormalInitializer(0.1f))
                                .build());
        this.attention = addChildBlock("attention", new MultiHeadAttention(dim, heads, false));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        attention.initialize(
                manager, dataType, new Shape(1, seeds, dim), new Shape(1, 1, dim), new Shape(1, 1));
    }

    public NDArray pool(ParameterStore ps, NDArray tokens, NDArray mask, boolean training) {
        long b = tokens.getShape().get(0);
        NDArray s = ps.getValue(seedQueries, tokens.getDevice(), training); // [P, D]
        NDArray queries = s.expandDims(0).repeat(0, b); // [B, P, D]
        return attention.attend(ps, queries, tokens, mask, training); // [B, P, D]
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(pool(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), seeds, dim)};
    }
}
