package io.streamctr.model.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RotaryEmbeddingTest {

    @Test
    void preservesTheNormOfEveryToken() {
        try (BlockFixture f = new BlockFixture(1)) {
            NDArray x = f.normal(3, 2, 7, 8); // [B, H, T, dh]
            NDArray rotated = RotaryEmbedding.apply(x);
            assertThat(rotated.getShape()).isEqualTo(x.getShape());
            float[] before = x.square().sum(new int[] {3}).toFloatArray();
            float[] after = rotated.square().sum(new int[] {3}).toFloatArray();
            for (int i = 0; i < before.length; i++) {
                assertThat(after[i]).isCloseTo(before[i], within(1e-4f * (1 + before[i])));
            }
        }
    }

    @Test
    void scoresDependOnRelativePositionOnly() {
        int t = 12;
        int d = 8;
        Random r = new Random(7);
        try (BlockFixture f = new BlockFixture(2)) {
            for (int trial = 0; trial < 20; trial++) {
                // the same query and the same key at every position
                NDArray q = f.normal(1, 1, d).repeat(1, t); // [1, T, d]
                NDArray k = f.normal(1, 1, d).repeat(1, t); // [1, T, d]
                float[][] scores =
                        toMatrix(
                                RotaryEmbedding.apply(q)
                                        .matMul(RotaryEmbedding.apply(k).transpose(0, 2, 1)),
                                t);
                int m = r.nextInt(t);
                int n = r.nextInt(t);
                int shift = r.nextInt(t - Math.max(m, n));
                assertThat(scores[m + shift][n + shift]).isCloseTo(scores[m][n], within(1e-4f));
            }
        }
    }

    @Test
    void rejectsAnOddHeadSize() {
        try (BlockFixture f = new BlockFixture(3)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> RotaryEmbedding.apply(f.normal(1, 2, 3)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("even");
        }
    }

    private static float[][] toMatrix(NDArray a, int t) {
        float[] v = a.toFloatArray();
        float[][] m = new float[t][t];
        for (int i = 0; i < t; i++) {
            System.arraycopy(v, i * t, m[i], 0, t);
        }
        return m;
    }
}
