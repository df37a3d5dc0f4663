package io.streamctr.model.train;

import ai.djl.ndarray.NDArray;

/**
 * The FTRL-Proximal update of some rows of an embedding table (McMahan et al., KDD 2013, Algorithm
 * 1, per coordinate; the settings of the project's FTRL learner and anchor: β 1, λ1 0, λ2 1): with
 * g the coordinate's gradient, σ = (√(n + g²) − √n)/α, z += g − σ·w, n += g², then w = 0 if |z| ≤
 * λ1, else −(z − sgn(z)·λ1) / ((β + √n)/α + λ2).
 *
 * <p>A model's embeddings start random, not at 0: {@link #initialZ} gives z for a weight w0 with n
 * = 0, z = −w0·(β/α + λ2), so that the rule's weight is w0 (FTRL's regularizer then pulls toward 0
 * as the anchor's does).
 *
 * <p>Shapes: w, g, z, n [U, D] (U the touched rows).
 */
final class FtrlRows {

    /** β, the learning-rate smoothing. */
    static final float BETA = 1f;

    /** λ1, the L1 strength. */
    static final float L1 = 0f;

    /** λ2, the L2 strength. */
    static final float L2 = 1f;

    private FtrlRows() {}

    /** z [U, D] (a new array) for which the weight is {@code w} when n = 0. */
    static NDArray initialZ(NDArray w, float alpha) {
        return w.mul(-(BETA / alpha + L2));
    }

    /**
     * Updates {@code z} and {@code n} in place and returns the new rows (a new array).
     *
     * @param w the rows' current weights [U, D] (the rule's own, as it last wrote them)
     * @param g their gradient (of the batch's summed loss) [U, D]
     */
    static NDArray step(NDArray w, NDArray g, NDArray z, NDArray n, float alpha) {
        return step(w, g, g.square(), z, n, alpha);
    }

    /**
     * As {@link #step(NDArray, NDArray, NDArray, NDArray, float)} with n += {@code squares}, the
     * sum over the batch's events of each event's squared gradient [U, D], as FTRL learning one
     * event at a time accumulates it.
     */
    static NDArray step(NDArray w, NDArray g, NDArray squares, NDArray z, NDArray n, float alpha) {
        NDArray sqrtBefore = n.sqrt();
        n.addi(squares);
        NDArray sqrtAfter = n.sqrt();
        NDArray sigma = sqrtAfter.sub(sqrtBefore).divi(alpha);
        z.addi(g.sub(sigma.muli(w)));
        NDArray shrunk = L1 > 0 ? z.abs().subi(L1).maximum(0f).muli(z.sign()) : z;
        return shrunk.div(sqrtAfter.addi(BETA).divi(alpha).addi(L2)).negi();
    }
}
