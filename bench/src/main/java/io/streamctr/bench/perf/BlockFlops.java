package io.streamctr.bench.perf;

import io.streamctr.model.blocks.DotInteraction;
import java.util.List;

/**
 * The matrix-multiply-like operations of the shared blocks in {@code model/.../blocks/}, as their
 * code runs them, added to a {@link FlopCount.Builder} under the given name. {@code rows} is the
 * number of rows a row-wise layer is applied to: the batch B, or B·T for a layer applied to every
 * token of a [B, T, ·] input.
 */
public final class BlockFlops {

    private BlockFlops() {}

    /** {@code Mlp} / {@code Mlp} (Swish): a Linear per hidden layer, then the output Linear. */
    public static void mlp(
            FlopCount.Builder b, String name, long rows, long in, List<Integer> hidden, long out) {
        b.push(name);
        long width = in;
        for (int i = 0; i < hidden.size(); i++) {
            b.linear("linear" + i, rows, width, hidden.get(i));
            width = hidden.get(i);
        }
        b.linear("linear" + hidden.size(), rows, width, out);
        b.pop();
    }

    /**
     * {@code MultiHeadAttention}: query, key, value projections (D × D), per head the scores Q·Kᵀ
     * ([Tq, dh] × [dh, Tk]) and the context A·V ([Tq, Tk] × [Tk, dh]), the output projection.
     * Rotary embeddings and the masked softmax are element-wise.
     */
    public static void multiHeadAttention(
            FlopCount.Builder b,
            String name,
            long batch,
            long queries,
            long keys,
            int dim,
            int heads) {
        long dh = dim / heads;
        b.push(name);
        b.linear("query", batch * queries, dim, dim);
        b.linear("key", batch * keys, dim, dim);
        b.linear("value", batch * keys, dim, dim);
        b.matmul("scores", batch * heads, queries, dh, keys);
        b.matmul("context", batch * heads, queries, keys, dh);
        b.linear("output", batch * queries, dim, dim);
        b.pop();
    }

    /** {@code PoolingByMultiheadAttention}: the seed queries attend over the tokens. */
    public static void poolingByAttention(
            FlopCount.Builder b,
            String name,
            long batch,
            int seeds,
            long tokens,
            int dim,
            int heads) {
        multiHeadAttention(b, name, batch, seeds, tokens, dim, heads);
    }

    /**
     * {@code DotInteraction}: the Gram matrix Z·Zᵀ ([n, D] × [D, n] per row), then the selection of
     * its upper triangle as a product with a constant 0/1 matrix ([n²] × [n², n(n−1)/2] per row).
     */
    public static void dotInteraction(
            FlopCount.Builder b, String name, long rows, int tokens, int dim) {
        b.push(name);
        b.matmul("gram", rows, tokens, dim, tokens);
        b.matmulWithConstant(
                "select_pairs", 1, rows, (long) tokens * tokens, DotInteraction.pairs(tokens));
        b.pop();
    }

    /**
     * {@code CrossNetV2}: per layer W·x (full rank) or U·(V·x) (low rank r, when 0 < r < width).
     */
    public static void crossNetV2(
            FlopCount.Builder b, String name, long rows, long width, int layers, int rank) {
        boolean lowRank = rank > 0 && rank < width;
        b.push(name);
        for (int l = 0; l < layers; l++) {
            if (lowRank) {
                b.linear("down" + l, rows, width, rank);
                b.linear("up" + l, rows, rank, width);
            } else {
                b.linear("up" + l, rows, width, width);
            }
        }
        b.pop();
    }

    /**
     * {@code DhenLayer}: DOT + a projection of its pairs to the width, the cross network, the
     * residual MLP.
     */
    public static void dhen(
            FlopCount.Builder b,
            String name,
            long rows,
            int tokens,
            int dim,
            int crossLayers,
            int crossRank,
            List<Integer> residualHidden) {
        long width = (long) tokens * dim;
        b.push(name);
        dotInteraction(b, "dot", rows, tokens, dim);
        b.linear("dot_projection", rows, DotInteraction.pairs(tokens), width);
        crossNetV2(b, "cross", rows, width, crossLayers, crossRank);
        mlp(b, "residual", rows, width, residualHidden, width);
        b.pop();
    }

    /**
     * {@code MaskNet} over k sequences of {@code tokens} positions: mask MLP (kD → r·kD → kD) and
     * the kD → D combination.
     */
    public static void maskNet(
            FlopCount.Builder b, String name, long tokens, int sequences, int dim, int reduction) {
        long in = (long) sequences * dim;
        long hidden = reduction * in;
        b.push(name);
        b.linear("mask_hidden", tokens, in, hidden);
        b.linear("mask_output", tokens, hidden, in);
        b.linear("combine", tokens, in, dim);
        b.pop();
    }

    /** {@code SelfGating}: one Linear over the flattened tokens (T·D → T·D). */
    public static void selfGating(
            FlopCount.Builder b, String name, long rows, int tokens, int dim) {
        long width = (long) tokens * dim;
        b.linear(name, rows, width, width);
    }

    /** {@code LinearCompressedEmbedding}: W [K, F] times each row's tokens [F, D]. */
    public static void linearCompression(
            FlopCount.Builder b, String name, long rows, int inputs, int outputs, int dim) {
        b.matmul(name, rows, outputs, inputs, dim);
    }

    /** {@code RecentTokens}: a constant 0/1 selector [K, L] times each row's tokens [L, D]. */
    public static void recentTokens(
            FlopCount.Builder b, String name, long rows, int recent, long length, int dim) {
        b.matmulWithConstant(name, rows, recent, length, dim);
    }

    /**
     * {@code CrossLayer} (DCN v1): x·w, a [d] × [d, 1] product per row (the rest is element-wise).
     */
    public static void crossLayer(FlopCount.Builder b, String name, long rows, long width) {
        b.matmul(name, 1, rows, width, 1);
    }
}
