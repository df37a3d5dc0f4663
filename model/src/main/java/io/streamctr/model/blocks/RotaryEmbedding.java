package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings (Su et al., RoFormer; InterFormer section 4.3): rotates each pair of
 * channels (i, i + d/2) of a query or key at position p by the angle p·θ_i, θ_i = 10000^(-2i/d).
 * Rotations keep norms, and the dot product of a rotated query at position m with a rotated key at
 * position n depends on m − n only, so attention scores see relative positions.
 *
 * <p>Shapes: x [..., T, d] (d even; positions 0..T−1 along the axis before the last) → [..., T, d].
 */
public final class RotaryEmbedding {

    private static final double BASE = 10_000.0;

    private RotaryEmbedding() {}

    public static NDArray apply(NDArray x) {
        Shape shape = x.getShape();
        int rank = shape.dimension();
        int t = (int) shape.get(rank - 2);
        int d = (int) shape.get(rank - 1);
        if (d % 2 != 0) {
            throw new IllegalArgumentException(
                    "rotary embeddings need an even head size, got " + d);
        }
        int half = d / 2;
        float[] cos = new float[t * half];
        float[] sin = new float[t * half];
        for (int p = 0; p < t; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p * Math.pow(BASE, -2.0 * i / d);
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
        NDArray c = x.getManager().create(cos, new Shape(t, half)); // [T, d/2]
        NDArray s = x.getManager().create(sin, new Shape(t, half)); // [T, d/2]
        NDList halves = x.split(2, rank - 1);
        NDArray x1 = halves.get(0); // [..., T, d/2]
        NDArray x2 = halves.get(1); // [..., T, d/2]
        NDArray r1 = x1.mul(c).sub(x2.mul(s)); // [..., T, d/2]
        NDArray r2 = x1.mul(s).add(x2.mul(c)); // [..., T, d/2]
        return NDArrays.concat(new NDList(r1, r2), rank - 1); // [..., T, d]
    }
}
