package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One cross layer of DCNv2 (Wang et al., 2021): {@code out = x0 ⊙ (W x + b) + x} with a full-rank W
 * ∈ R^{d×d}.
 *
 * <p>Shapes: x0 [B, d], x [B, d] → [B, d]. As a block its inputs are (x0, x).
 */
public final class CrossLayerV2 extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int width;
    private final Linear linear;

    public CrossLayerV2(int width) {
        super(VERSION);
        this.width = width;
        this.linear = addChildBlock("linear", Linear.builder().setUnits(width).build());
    }

    /** x0 ⊙ (W x + b) + x. */
    public NDArray cross(ParameterStore ps, NDArray x0, NDArray x, boolean training) {
        NDArray wx = linear.forward(ps, new NDList(x), training).singletonOrThrow(); // [B, d]
        return x0.mul(wx).add(x); // [B, d]
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        linear.initialize(manager, dataType, new Shape(1, width));
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
}
