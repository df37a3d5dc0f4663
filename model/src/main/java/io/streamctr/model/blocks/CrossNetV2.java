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
import java.util.ArrayList;
import java.util.List;

/**
 * The DCNv2 cross network (Wang et al. 2021; InterFormer section 3.2): x_{l+1} = x_0 ⊙ (W_l x_l +
 * b_l) + x_l, with the low-rank form W_l = U_l V_l (rank r) when 0 < r < width (the InterFormer
 * appendix B.2 uses rank 32).
 *
 * <p>Shapes: x [B, W] → [B, W].
 */
public final class CrossNetV2 extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int width;
    private final int rank;
    private final List<Linear> down = new ArrayList<>();
    private final List<Linear> up = new ArrayList<>();

    public CrossNetV2(int width, int layers, int rank) {
        super(VERSION);
        if (layers <= 0) {
            throw new IllegalArgumentException("cross layers must be > 0, got " + layers);
        }
        this.width = width;
        this.rank = rank > 0 && rank < width ? rank : 0;
        for (int l = 0; l < layers; l++) {
            if (this.rank > 0) {
                down.add(
                        addChildBlock(
                                "down_" + l,
                                Linear.builder().setUnits(this.rank).optBias(false).build()));
            }
            up.add(addChildBlock("up_" + l, Linear.builder().setUnits(width).build()));
        }
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        for (int l = 0; l < up.size(); l++) {
            if (rank > 0) {
                down.get(l).initialize(manager, dataType, new Shape(1, width));
                up.get(l).initialize(manager, dataType, new Shape(1, rank));
            } else {
                up.get(l).initialize(manager, dataType, new Shape(1, width));
            }
        }
    }

    public NDArray cross(ParameterStore ps, NDArray x0, boolean training) {
        NDArray x = x0; // [B, W]
        for (int l = 0; l < up.size(); l++) {
            NDArray h = rank > 0 ? linear(ps, down.get(l), x, training) : x; // [B, r] or [B, W]
            x = x0.mul(linear(ps, up.get(l), h, training)).add(x); // [B, W]
        }
        return x;
    }

    private static NDArray linear(ParameterStore ps, Linear layer, NDArray x, boolean training) {
        return layer.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(cross(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
