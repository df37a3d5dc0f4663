package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The K most recent valid tokens of a sequence (InterFormer Eq. 11, after TransAct and LiRank),
 * most recent first. Positions are oldest first, so the most recent token is the last valid one;
 * the selection counts valid positions from the end and so does not assume the padding is
 * contiguous. A sequence with fewer than K valid tokens gets zero tokens for the rest.
 *
 * <p>Shapes: tokens [B, L, D], mask [B, L] (1 = valid) → [B, K, D].
 */
public final class RecentTokens {

    private RecentTokens() {}

    public static NDArray select(NDArray tokens, NDArray mask, int k) {
        int last = mask.getShape().dimension() - 1;
        // rank from the end among valid positions: 1 for the most recent, 2 for the one before, ...
        NDArray fromEnd =
                mask.sum(new int[] {last}, true).sub(mask.cumSum(last)).add(mask); // [B, L]
        NDArray ranks = mask.getManager().arange(1f, k + 1f).reshape(1, k, 1); // [1, K, 1]
        NDArray selector =
                fromEnd.expandDims(1)
                        .eq(ranks)
                        .toType(DataType.FLOAT32, false)
                        .mul(mask.expandDims(1)); // [B, K, L]
        return selector.matMul(tokens); // [B, K, D]
    }
}
