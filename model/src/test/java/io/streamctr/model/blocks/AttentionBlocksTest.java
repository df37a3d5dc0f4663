package io.streamctr.model.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class AttentionBlocksTest {

    @Test
    void maskedSoftmaxGivesZeroWeightsToPaddingAndToAllPaddingRows() {
        try (BlockFixture f = new BlockFixture(1)) {
            NDArray scores = f.normal(2, 4);
            NDArray mask = f.leftAlignedMask(4, 2, 0);
            float[] w = MaskedSoftmax.softmax(scores, mask).toFloatArray();
            assertThat(w[0] + w[1]).isCloseTo(1f, within(1e-6f));
            assertThat(new float[] {w[2], w[3], w[4], w[5], w[6], w[7]}).containsOnly(0f);
        }
    }

    @Test
    void multiHeadAttentionKeepsShapesAndIgnoresPaddedKeys() {
        try (BlockFixture f = new BlockFixture(2)) {
            MultiHeadAttention mha =
                    f.init(
                            new MultiHeadAttention(8, 2, true),
                            new Shape(1, 1, 8),
                            new Shape(1, 1, 8),
                            new Shape(1, 1));
            NDArray x = f.normal(3, 5, 8);
            NDArray mask = f.leftAlignedMask(5, 5, 2, 0);
            NDArray out = mha.attend(f.ps, x, x, mask, false);
            assertThat(out.getShape()).isEqualTo(new Shape(3, 5, 8));
            NDArray scrambled = f.scramblePadding(x, mask);
            NDArray again = mha.attend(f.ps, x, scrambled, mask, false);
            assertThat(again.toFloatArray()).containsExactly(out.toFloatArray());
            for (float v : out.toFloatArray()) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        }
    }

    @Test
    void poolingByAttentionIgnoresTheOrderOfTheSequence() {
        try (BlockFixture f = new BlockFixture(3)) {
            PoolingByMultiheadAttention pma =
                    f.init(
                            new PoolingByMultiheadAttention(2, 8, 2),
                            new Shape(1, 1, 8),
                            new Shape(1, 1));
            NDArray x = f.normal(2, 6, 8);
            NDArray mask = f.leftAlignedMask(6, 6, 4);
            NDArray out = pma.pool(f.ps, x, mask, false);
            assertThat(out.getShape()).isEqualTo(new Shape(2, 2, 8));

            long[] order = {3, 0, 5, 1, 4, 2};
            NDArray index = f.manager.create(order);
            NDArray permuted =
                    pma.pool(f.ps, x.get(":, {}", index), mask.get(":, {}", index), false);
            float[] a = out.toFloatArray();
            float[] b = permuted.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertThat(b[i]).isCloseTo(a[i], within(1e-5f));
            }
            assertThat(pma.pool(f.ps, f.scramblePadding(x, mask), mask, false).toFloatArray())
                    .containsExactly(a);
        }
    }

    @Test
    void poolingOverAnEmptySequenceIsFinite() {
        try (BlockFixture f = new BlockFixture(4)) {
            PoolingByMultiheadAttention pma =
                    f.init(
                            new PoolingByMultiheadAttention(2, 8, 2),
                            new Shape(1, 1, 8),
                            new Shape(1, 1));
            for (float v :
                    pma.pool(f.ps, f.normal(2, 3, 8), f.leftAlignedMask(3, 0, 0), false)
                            .toFloatArray()) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        }
    }

    @Test
    void targetAttentionIsZeroForAnEmptyHistoryAndIgnoresPadding() {
        try (BlockFixture f = new BlockFixture(5)) {
            TargetAttention din =
                    f.init(
                            new TargetAttention(8, java.util.List.of(6)),
                            new Shape(1, 1, 8),
                            new Shape(1, 8),
                            new Shape(1, 1));
            NDArray behaviours = f.normal(2, 4, 8);
            NDArray target = f.normal(2, 8);
            NDArray mask = f.leftAlignedMask(4, 3, 0);
            NDArray out = din.attend(f.ps, behaviours, target, mask, false);
            assertThat(out.getShape()).isEqualTo(new Shape(2, 8));
            float[] v = out.toFloatArray();
            for (int i = 8; i < 16; i++) {
                assertThat(v[i]).isZero();
            }
            assertThat(
                            din.attend(
                                            f.ps,
                                            f.scramblePadding(behaviours, mask),
                                            target,
                                            mask,
                                            false)
                                    .toFloatArray())
                    .containsExactly(v);
        }
    }
}
