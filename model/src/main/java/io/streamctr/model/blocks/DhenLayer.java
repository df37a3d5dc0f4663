package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * One DHEN layer (Zhang et al. 2022; InterFormer section 3.2 and appendix B.2: "DOT product and DCN
 * as the ensembled modules"): Y = Norm(Linear(DOT(Z)) + DCNv2(z) + MLP_res(z)), z = flatten(Z). The
 * two interaction modules are ensembled by summation after the DOT pairs are projected to the width
 * of z; the residual MLP (Swish) is the shortcut that lets layers stack; Norm is a layer norm.
 *
 * <p>Shapes: Z [B, n, D] → [B, n·D].
 */
public final class DhenLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int tokens;
    private final int dim;
    private final Linear dotProjection;
    private final CrossNetV2 cross;
    private final SequentialBlock residual;
    private final TokenLayerNorm norm;

    public DhenLayer(
            int tokens, int dim, int crossLayers, int crossRank, List<Integer> residualHidden) {
        super(VERSION);
        this.tokens = tokens;
        this.dim = dim;
        int width = tokens * dim;
        this.dotProjection =
                addChildBlock("dot_projection", Linear.builder().setUnits(width).build());
        this.cross = addChildBlock("cross", new CrossNetV2(width, crossLayers, crossRank));
        this.residual =
                addChildBlock(
                        "residual",
                        Mlp.builder()
                                .setHidden(residualHidden)
                                .optActivation(Mlp.Activation.SWISH)
                                .optOutput(width)
                                .build());
        this.norm = addChildBlock("norm", new TokenLayerNorm(width));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape flat = new Shape(1, (long) tokens * dim);
        dotProjection.initialize(manager, dataType, new Shape(1, DotInteraction.pairs(tokens)));
        cross.initialize(manager, dataType, flat);
        residual.initialize(manager, dataType, flat);
        norm.initialize(manager, dataType, flat);
    }

    public NDArray interact(ParameterStore ps, NDArray z, boolean training) {
        long b = z.getShape().get(0);
        NDArray flat = z.reshape(b, (long) tokens * dim); // [B, n*D]
        NDArray dot =
                dotProjection
                        .forward(ps, new NDList(DotInteraction.interact(z)), training)
                        .singletonOrThrow(); // [B, n*D]
        NDArray crossed = cross.cross(ps, flat, training); // [B, n*D]
        NDArray shortcut =
                residual.forward(ps, new NDList(flat), training).singletonOrThrow(); // [B, n*D]
        return norm.normalize(ps, dot.add(crossed).add(shortcut), training); // [B, n*D]
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(interact(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), (long) tokens * dim)};
    }
}
