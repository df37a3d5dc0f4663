package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DOT interaction (inner-product interaction, InterFormer section 3.2; DLRM): the inner product
 * of every pair of distinct tokens.
 *
 * <p>Shapes: Z [B, n, D] → [B, n(n−1)/2] (pairs (i, j), i < j, row-major).
 */
public final class DotInteraction {

    private static final Map<Integer, float[]> SELECTORS = new ConcurrentHashMap<>();

    private DotInteraction() {}

    public static int pairs(int n) {
        return n * (n - 1) / 2;
    }

    public static NDArray interact(NDArray z) {
        long b = z.getShape().get(0);
        int n = (int) z.getShape().get(1);
        NDArray gram = z.matMul(z.transpose(0, 2, 1)).reshape(b, (long) n * n); // [B, n*n]
        NDArray select =
                z.getManager().create(selector(n), new Shape((long) n * n, pairs(n))); // [n*n, P]
        return gram.matMul(select); // [B, P]
    }

    /** A 0/1 matrix picking the strict upper triangle of an n×n matrix flattened row-major. */
    private static float[] selector(int n) {
        return SELECTORS.computeIfAbsent(
                n,
                k -> {
                    int p = pairs(k);
                    float[] m = new float[k * k * p];
                    int col = 0;
                    for (int i = 0; i < k; i++) {
                        for (int j = i + 1; j < k; j++) {
                            m[(i * k + j) * p + col] = 1f;
                            col++;
                        }
                    }
                    return m;
                });
    }
}
