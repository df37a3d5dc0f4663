package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;

/**
 * Softmax over the last axis restricted to valid positions. Padded positions get weight exactly 0
 * whatever their score, and a row with no valid position gets all-zero weights (never NaN), so a
 * new user's empty sequence attends to nothing.
 *
 * <p>Shapes: scores [..., T], mask broadcastable to [..., T] (1 = valid) → weights [..., T].
 */
public final class MaskedSoftmax {

    /** Added to the scores of padded positions: exp underflows to exactly 0 in float32. */
    private static final float NEG_LARGE = -1e9f;

    private MaskedSoftmax() {}

    public static NDArray softmax(NDArray scores, NDArray mask) {
        int last = scores.getShape().dimension() - 1;
        NDArray shifted = scores.add(mask.sub(1f).mul(-NEG_LARGE)); // [..., T]; padding → -1e9
        // exp(-1e9 - max) is exactly 0, so a row with a valid position already sums to 1 over its
        // valid positions; the mask zeroes all-padding rows without a division (no 0/0 to guard)
        return shifted.softmax(last).mul(mask); // [..., T]
    }
}
