package io.streamctr.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * Arithmetic with a constant that is safe on the autograd path. Use these instead of DJL's {@code
 * mul(Number)}, {@code div(Number)}, {@code maximum(Number)}, {@code minimum(Number)} and {@code
 * Activation.swish} on any array a gradient flows through.
 *
 * <p>Why: on the CPU, DJL's PyTorch engine (0.35.1) makes the constant a 0-d tensor over a Java
 * direct buffer ({@code torch::from_blob}, no copy) and closes it as soon as the operation returns.
 * Autograd keeps that tensor for the backward pass of mul, div, maximum and minimum, but not its
 * memory: once the garbage collector frees the buffer, the backward pass reads whatever was written
 * there since. Training then gets wrong, sometimes NaN or infinite, gradients at random (seen: a
 * few steps in a thousand, NaN in a whole layer's gradient, runs with the same seed that disagree,
 * and none of it without a collector, under Epsilon GC). Here the constant is a tensor that
 * libtorch allocates and owns ({@code torch::full}), so autograd's reference keeps it alive. add
 * and sub with a constant are safe (their backward does not read it).
 *
 * <p>Shapes: x [*] → [*].
 */
public final class ScalarOps {

    private ScalarOps() {}

    /** x · v. */
    public static NDArray mul(NDArray x, float v) {
        try (NDArray c = constant(x, v)) {
            return x.mul(c);
        }
    }

    /** x / v. */
    public static NDArray div(NDArray x, float v) {
        try (NDArray c = constant(x, v)) {
            return x.div(c);
        }
    }

    /** max(x, v) element-wise. */
    public static NDArray maximum(NDArray x, float v) {
        try (NDArray c = constant(x, v)) {
            return x.maximum(c);
        }
    }

    /**
     * Swish with β = 1: x · sigmoid(x) (DJL's {@code Activation.swish} multiplies by β as a
     * Number).
     */
    public static NDArray swish(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /** {@link #swish(NDArray)} over the head of a list, for a {@code LambdaBlock}. */
    public static NDList swish(NDList list) {
        return new NDList(swish(list.singletonOrThrow()));
    }

    /**
     * A 0-d tensor of x's type on x's device whose memory libtorch owns; closing the Java handle
     * leaves it to autograd's own reference.
     */
    private static NDArray constant(NDArray x, float v) {
        NDArray c = x.getManager().full(new Shape(), v, x.getDataType());
        return c.getDevice().equals(x.getDevice()) ? c : c.toDevice(x.getDevice(), false);
    }
}
