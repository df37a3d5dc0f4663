package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;

/**
 * Mean over the masked positions of a bag or sequence; rows with no valid position give zeros
 * (never NaN), so a new user's empty history is a zero vector.
 *
 * <p>Shapes: values [B, L, D], mask [B, L] (1 = valid) → [B, D]; also [B, M, K, D] with mask [B, M,
 * K] → [B, M, D] (the pooled axis is the one before D).
 */
public final class MaskedMeanPool {

    private MaskedMeanPool() {}

    public static NDArray pool(NDArray values, NDArray mask) {
        int axis = values.getShape().dimension() - 2;
        NDArray m = mask.expandDims(-1); // [..., L, 1]
        NDArray sum = values.mul(m).sum(new int[] {axis}); // [..., D]
        NDArray count = m.sum(new int[] {axis}).maximum(1f); // [..., 1]
        return sum.div(count);
    }
}
