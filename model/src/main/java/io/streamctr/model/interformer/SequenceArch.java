package io.streamctr.model.interformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.streamctr.model.blocks.MultiHeadAttention;
import io.streamctr.model.blocks.TokenLayerNorm;
import java.util.List;

/**
 * One layer of the Sequence Arch (InterFormer section 4.3, Eq. 9): S' = PFFN(X_sum, S), then
 * multi-head self-attention with rotary position embeddings and the padding mask. The attention is
 * wrapped as a transformer sub-layer, S_next = LayerNorm(S' + MHA(S')), so layers stack; padded
 * positions come out as zeros.
 *
 * <p>Shapes: X_sum [B, K, D] (or none without personalization), S [B, T, D], mask [B, T] (T = CLS
 * tokens + L) → [B, T, D].
 */
public final class SequenceArch extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int dim;
    private final PersonalizedFfn ffn;
    private final MultiHeadAttention attention;
    private final TokenLayerNorm norm;

    public SequenceArch(
            int summaryTokens, int dim, int heads, List<Integer> pffnHidden, boolean personalized) {
        super(VERSION);
        this.dim = dim;
        this.ffn =
                addChildBlock(
                        "pffn", new PersonalizedFfn(summaryTokens, dim, pffnHidden, personalized));
        this.attention = addChildBlock("attention", new MultiHeadAttention(dim, heads, true));
        this.norm = addChildBlock("norm", new TokenLayerNorm(dim));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        ffn.initialize(manager, dataType, new Shape(1, 1, dim), new Shape(1, 1, dim));
        attention.initialize(
                manager, dataType, new Shape(1, 1, dim), new Shape(1, 1, dim), new Shape(1, 1));
        norm.initialize(manager, dataType, new Shape(1, dim));
    }

    public NDArray apply(
            ParameterStore ps, NDArray summary, NDArray sequence, NDArray mask, boolean training) {
        NDArray s = ffn.apply(ps, summary, sequence, training); // [B, T, D]
        NDArray attended = attention.attend(ps, s, s, mask, training); // [B, T, D]
        return norm.normalize(ps, s.add(attended), training).mul(mask.expandDims(2)); // [B, T, D]
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), inputs.get(2), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[1]};
    }
}
