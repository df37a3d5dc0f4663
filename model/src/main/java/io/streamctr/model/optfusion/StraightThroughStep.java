package io.streamctr.model.optfusion;

import ai.djl.ndarray.NDArray;

/**
 * The straight-through estimator of OptFusion's connections (paper Sec. 3.2, Bengio et al., 2013):
 * forward the unit step S(α) = 1 if α > 0 else 0; backward dS/dα = 1.
 *
 * <p>Written as {@code step(α) + (α − stopGradient(α))}: the second term is exactly 0 in the
 * forward pass (so the forward value is exactly 0 or 1) and passes the gradient through unchanged.
 */
public final class StraightThroughStep {

    private StraightThroughStep() {}

    /** Shapes: α [*] → [*]. */
    public static NDArray apply(NDArray alpha) {
        NDArray step = alpha.gt(0f).toType(alpha.getDataType(), false).stopGradient(); // [*]
        return step.add(alpha.sub(alpha.stopGradient())); // [*]
    }
}
