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
import io.streamctr.model.runtime.ScalarOps;

/**
 * Multi-head scaled dot-product attention (Vaswani et al.; InterFormer section 3.3, Eq. 2–3) with a
 * key padding mask and, optionally, rotary position embeddings on queries and keys (section 4.3).
 * Query, key and value projections have no bias (a key bias would only shift every score of a query
 * by the same amount); the output projection has one.
 *
 * <p>Shapes (B = batch, Tq = queries, Tk = keys, D = model size, H = heads, dh = D / H): query [B,
 * Tq, D], keys [B, Tk, D], key mask [B, Tk] (1 = valid) → [B, Tq, D]. A query whose keys are all
 * padding gets the output projection's bias only (never NaN).
 */
public final class MultiHeadAttention extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int dim;
    private final int heads;
    private final boolean rotary;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;

    public MultiHeadAttention(int dim, int heads, boolean rotary) {
        super(VERSION);
        if (heads <= 0 || dim % heads != 0) {
            throw new IllegalArgumentException(
                    "model size " + dim + " must be a multiple of the heads " + heads);
        }
        if (rotary && (dim / heads) % 2 != 0) {
            throw new IllegalArgumentException(
                    "rotary embeddings need an even head size, got " + dim / heads);
        }
        this.dim = dim;
        this.heads = heads;
        this.rotary = rotary;
        this.query = addChildBlock("query", Linear.builder().setUnits(dim).optBias(false).build());
        this.key = addChildBlock("key", Linear.builder().setUnits(dim).optBias(false).build());
        this.value = addChildBlock("value", Linear.builder().setUnits(dim).optBias(false).build());
        this.output = addChildBlock("output", Linear.builder().setUnits(dim).build());
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape tokens = new Shape(1, dim);
        query.initialize(manager, dataType, tokens);
        key.initialize(manager, dataType, tokens);
        value.initialize(manager, dataType, tokens);
        output.initialize(manager, dataType, tokens);
    }

    /** Attention of the queries over the keys (which are also the values). */
    public NDArray attend(
            ParameterStore ps, NDArray queries, NDArray keys, NDArray keyMask, boolean training) {
        long b = queries.getShape().get(0);
        long tq = queries.getShape().get(1);
        long tk = keys.getShape().get(1);
        int dh = dim / heads;
        NDArray q = split(linear(ps, query, queries, training), b, tq); // [B, H, Tq, dh]
        NDArray k = split(linear(ps, key, keys, training), b, tk); // [B, H, Tk, dh]
        NDArray v = split(linear(ps, value, keys, training), b, tk); // [B, H, Tk, dh]
        if (rotary) {
            q = RotaryEmbedding.apply(q); // [B, H, Tq, dh]
            k = RotaryEmbedding.apply(k); // [B, H, Tk, dh]
        }
        NDArray scores =
                ScalarOps.div(
                        q.matMul(k.transpose(0, 1, 3, 2)), (float) Math.sqrt(dh)); // [B, H, Tq, Tk]
        NDArray weights =
                MaskedSoftmax.softmax(scores, keyMask.reshape(b, 1, 1, tk)); // [B, H, Tq, Tk]
        NDArray context = weights.matMul(v).transpose(0, 2, 1, 3).reshape(b, tq, dim); // [B, Tq, D]
        return linear(ps, output, context, training); // [B, Tq, D]
    }

    private NDArray split(NDArray x, long b, long t) {
        return x.reshape(b, t, heads, dim / heads).transpose(0, 2, 1, 3); // [B, H, T, dh]
    }

    private static NDArray linear(ParameterStore ps, Linear layer, NDArray x, boolean training) {
        return layer.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(attend(ps, inputs.get(0), inputs.get(1), inputs.get(2), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
