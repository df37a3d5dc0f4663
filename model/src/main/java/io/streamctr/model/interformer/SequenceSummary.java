package io.streamctr.model.interformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.streamctr.model.blocks.PoolingByMultiheadAttention;
import io.streamctr.model.blocks.RecentTokens;
import io.streamctr.model.blocks.SelfGating;

/**
 * The Cross Arch's sequence summary (InterFormer section 4.4, Eq. 11): S_sum = Gating([CLS tokens ‖
 * PMA(S) ‖ the most recent tokens]). PMA attends over every valid token, CLS included; the recent
 * tokens are taken from the behaviour positions only.
 *
 * <p>Shapes: S [B, C + L, D] (C CLS tokens first), mask [B, C + L] → [B, C + P + R, D].
 */
public final class SequenceSummary extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int clsTokens;
    private final int recentTokens;
    private final int dim;
    private final PoolingByMultiheadAttention pma;
    private final SelfGating gating;

    public SequenceSummary(int clsTokens, int pmaTokens, int recentTokens, int dim, int heads) {
        super(VERSION);
        this.clsTokens = clsTokens;
        this.recentTokens = recentTokens;
        this.dim = dim;
        this.pma = addChildBlock("pma", new PoolingByMultiheadAttention(pmaTokens, dim, heads));
        this.gating =
                addChildBlock("gating", new SelfGating(clsTokens + pmaTokens + recentTokens, dim));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        pma.initialize(manager, dataType, new Shape(1, 1, dim), new Shape(1, 1));
        gating.initialize(manager, dataType, new Shape(1, 1, dim));
    }

    public NDArray summarize(ParameterStore ps, NDArray sequence, NDArray mask, boolean training) {
        NDArray cls = sequence.get(":, :{}", clsTokens); // [B, C, D]
        NDArray pooled = pma.pool(ps, sequence, mask, training); // [B, P, D]
        NDArray recent =
                RecentTokens.select(
                        sequence.get(":, {}:", clsTokens),
                        mask.get(":, {}:", clsTokens),
                        recentTokens); // [B, R, D]
        NDArray tokens = NDArrays.concat(new NDList(cls, pooled, recent), 1); // [B, C+P+R, D]
        return gating.gate(ps, tokens, training); // [B, C+P+R, D]
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(summarize(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {
            new Shape(
                    inputShapes[0].get(0),
                    clsTokens
                            + pma.getOutputShapes(new Shape[] {inputShapes[0]})[0].get(1)
                            + recentTokens,
                    dim)
        };
    }
}
