package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Self-gating (InterFormer Eq. 10–11): Gating(Z) = Z ⊙ σ(MLP(flatten(Z))). The gate of every entry
 * is computed from all T tokens together, so the selection is personalized; each gate lies in (0,
 * 1), so |output| ≤ |input| entry by entry.
 *
 * <p>Shapes: Z [B, T, D] → [B, T, D].
 */
public final class SelfGating extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int tokens;
    private final int dim;
    private final Linear gate;

    public SelfGating(int tokens, int dim) {
        super(VERSION);
        this.tokens = tokens;
        this.dim = dim;
        this.gate = addChildBlock("gate", Linear.builder().setUnits((long) tokens * dim).build());
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        gate.initialize(manager, dataType, new Shape(1, (long) tokens * dim));
    }

    public NDArray gate(ParameterStore ps, NDArray z, boolean training) {
        long b = z.getShape().get(0);
        NDArray flat = z.reshape(b, (long) tokens * dim); // [B, T*D]
        NDArray g =
                Activation.sigmoid(
                        gate.forward(ps, new NDList(flat), training)
                                .singletonOrThrow()); // [B, T*D]
        return z.mul(g.reshape(b, tokens, dim)); // [B, T, D]
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(gate(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
