package io.streamctr.model.interformer;

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
import io.streamctr.model.blocks.CrossNetV2;
import io.streamctr.model.blocks.DhenLayer;
import io.streamctr.model.blocks.DotInteraction;
import io.streamctr.model.blocks.Mlp;

/**
 * One layer of the Interaction Arch (InterFormer section 4.2, Eq. 7): X_next = MLP(Interaction(Z))
 * reshaped to the non-sequence token shape, where Z = [X ‖ S_sum] holds the non-sequence tokens and
 * (when the sequence → non-sequence flow is on) the sequence summary tokens, so the interaction is
 * behaviour-aware. Modules: DOT = [flatten(Z) ‖ pairwise inner products] (as DLRM keeps the
 * first-order part beside the dot products); DCNV2 = a cross network on flatten(Z); DHEN = one
 * {@link DhenLayer} (DOT + DCN ensemble, residual MLP, layer norm).
 *
 * <p>Shapes: Z [B, n, D] → [B, F, D] (n = F + summary tokens).
 */
public final class InteractionArch extends AbstractBlock {

    private static final byte VERSION = 1;

    private final InterFormerConfig.Interaction kind;
    private final int inputTokens;
    private final int outputTokens;
    private final int dim;
    private final CrossNetV2 cross;
    private final DhenLayer dhen;
    private final SequentialBlock mlp;

    public InteractionArch(int inputTokens, int outputTokens, InterFormerConfig config) {
        super(VERSION);
        this.kind = config.interaction();
        this.inputTokens = inputTokens;
        this.outputTokens = outputTokens;
        this.dim = config.dim();
        int width = inputTokens * dim;
        this.cross =
                kind == InterFormerConfig.Interaction.DCNV2
                        ? addChildBlock(
                                "dcnv2",
                                new CrossNetV2(width, config.crossLayers(), config.crossRank()))
                        : null;
        this.dhen =
                kind == InterFormerConfig.Interaction.DHEN
                        ? addChildBlock(
                                "dhen",
                                new DhenLayer(
                                        inputTokens,
                                        dim,
                                        config.crossLayers(),
                                        config.crossRank(),
                                        config.interactionHidden()))
                        : null;
        this.mlp =
                addChildBlock(
                        "mlp",
                        Mlp.builder()
                                .setHidden(config.interactionHidden())
                                .optActivation(Mlp.Activation.SWISH)
                                .optOutput(outputTokens * dim)
                                .build());
    }

    /** Width of the module's output. */
    private int featureWidth() {
        int width = inputTokens * dim;
        return kind == InterFormerConfig.Interaction.DOT
                ? width + DotInteraction.pairs(inputTokens)
                : width;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        if (cross != null) {
            cross.initialize(manager, dataType, new Shape(1, (long) inputTokens * dim));
        }
        if (dhen != null) {
            dhen.initialize(manager, dataType, new Shape(1, inputTokens, dim));
        }
        mlp.initialize(manager, dataType, new Shape(1, featureWidth()));
    }

    public NDArray apply(ParameterStore ps, NDArray z, boolean training) {
        long b = z.getShape().get(0);
        NDArray flat = z.reshape(b, (long) inputTokens * dim); // [B, n*D]
        NDArray features =
                switch (kind) {
                    case DOT ->
                            NDArrays.concat(
                                    new NDList(flat, DotInteraction.interact(z)),
                                    1); // [B, n*D + n(n-1)/2]
                    case DCNV2 -> cross.cross(ps, flat, training); // [B, n*D]
                    case DHEN -> dhen.interact(ps, z, training); // [B, n*D]
                };
        return mlp.forward(ps, new NDList(features), training)
                .singletonOrThrow()
                .reshape(b, outputTokens, dim); // [B, F, D]
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputTokens, dim)};
    }
}
