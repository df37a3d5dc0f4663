package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * DIN's local activation unit (Zhou et al. 2018, section 4.3): each behaviour e_j gets the weight
 * a(e_j, t) = MLP([e_j ‖ t ‖ e_j − t ‖ e_j ⊙ t]) against the target item t, and the user interest
 * is Σ_j a_j e_j over the valid positions. As in the paper, the weights are not softmax-normalized,
 * so the interest keeps the intensity of the history; an empty history gives a zero vector.
 *
 * <p>Shapes: behaviours [B, L, D], target [B, D], mask [B, L] (1 = valid) → [B, D].
 */
public final class TargetAttention extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int dim;
    private final SequentialBlock unit;

    public TargetAttention(int dim, List<Integer> hidden) {
        super(VERSION);
        this.dim = dim;
        this.unit =
                addChildBlock(
                        "unit",
                        Mlp.builder()
                                .setHidden(hidden)
                                .optActivation(Mlp.Activation.SWISH)
                                .optOutput(1)
                                .build());
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        unit.initialize(manager, dataType, new Shape(1, 4L * dim));
    }

    public NDArray attend(
            ParameterStore ps, NDArray behaviours, NDArray target, NDArray mask, boolean training) {
        long b = behaviours.getShape().get(0);
        long l = behaviours.getShape().get(1);
        NDArray t = target.expandDims(1).repeat(1, l); // [B, L, D]
        NDArray features =
                NDArrays.concat(
                        new NDList(behaviours, t, behaviours.sub(t), behaviours.mul(t)),
                        2); // [B, L, 4D]
        NDArray scores =
                unit.forward(ps, new NDList(features), training)
                        .singletonOrThrow()
                        .reshape(b, l); // [B, L]
        NDArray weights = scores.mul(mask); // [B, L]
        return weights.expandDims(1)
                .matMul(behaviours.mul(mask.expandDims(2)))
                .reshape(b, dim); // [B, D]
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(attend(ps, inputs.get(0), inputs.get(1), inputs.get(2), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), dim)};
    }
}
