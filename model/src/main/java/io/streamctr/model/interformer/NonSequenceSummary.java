package io.streamctr.model.interformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.streamctr.model.blocks.LinearCompressedEmbedding;
import io.streamctr.model.blocks.SelfGating;

/**
 * The Cross Arch's non-sequence summary (InterFormer section 4.4, Eq. 10): X_sum = Gating(LCE(X)),
 * F tokens compressed to K by a linear map over the token axis, then self-gated.
 *
 * <p>Shapes: X [B, F, D] → X_sum [B, K, D].
 */
public final class NonSequenceSummary extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int features;
    private final int dim;
    private final LinearCompressedEmbedding compression;
    private final SelfGating gating;

    public NonSequenceSummary(int features, int summaryTokens, int dim) {
        super(VERSION);
        this.features = features;
        this.dim = dim;
        this.compression =
                addChildBlock("lce", new LinearCompressedEmbedding(features, summaryTokens));
        this.gating = addChildBlock("gating", new SelfGating(summaryTokens, dim));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = new Shape(1, features, dim);
        compression.initialize(manager, dataType, x);
        gating.initialize(manager, dataType, compression.getOutputShapes(new Shape[] {x}));
    }

    public NDArray summarize(ParameterStore ps, NDArray x, boolean training) {
        return gating.gate(ps, compression.compress(ps, x, training), training); // [B, K, D]
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(summarize(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return compression.getOutputShapes(inputShapes);
    }
}
