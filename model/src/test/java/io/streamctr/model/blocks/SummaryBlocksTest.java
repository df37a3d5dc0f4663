package io.streamctr.model.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryBlocksTest {

    @Test
    void selfGatingKeepsShapeAndOnlyShrinksEntries() {
        try (BlockFixture f = new BlockFixture(1)) {
            SelfGating gating = f.init(new SelfGating(3, 4), new Shape(1, 3, 4));
            NDArray z = f.normal(5, 3, 4);
            NDArray out = gating.gate(f.ps, z, false);
            assertThat(out.getShape()).isEqualTo(new Shape(5, 3, 4));
            float[] in = z.toFloatArray();
            float[] o = out.toFloatArray();
            for (int i = 0; i < in.length; i++) {
                float ratio = o[i] / in[i]; // the gate σ(·)
                assertThat(ratio).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void linearCompressionIsTheSameMapForEveryColumn() {
        try (BlockFixture f = new BlockFixture(2)) {
            LinearCompressedEmbedding lce =
                    f.init(new LinearCompressedEmbedding(5, 2), new Shape(1, 5, 3));
            NDArray x = f.normal(4, 5, 3);
            NDArray out = lce.compress(f.ps, x, false);
            assertThat(out.getShape()).isEqualTo(new Shape(4, 2, 3));
            float[] w = lce.getParameters().get(0).getValue().getArray().toFloatArray(); // [2, 5]
            float[] xv = x.toFloatArray();
            float[] ov = out.toFloatArray();
            for (int b = 0; b < 4; b++) {
                for (int k = 0; k < 2; k++) {
                    for (int d = 0; d < 3; d++) {
                        float expected = 0;
                        for (int i = 0; i < 5; i++) {
                            expected += w[k * 5 + i] * xv[(b * 5 + i) * 3 + d];
                        }
                        assertThat(ov[(b * 2 + k) * 3 + d]).isCloseTo(expected, within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void maskNetMergesSequencesAndZeroesPositionsPaddedEverywhere() {
        try (BlockFixture f = new BlockFixture(3)) {
            MaskNet maskNet = f.init(new MaskNet(2, 4, 2), new Shape(1, 1, 4));
            NDArray clicked = f.normal(2, 5, 4);
            NDArray other = f.normal(2, 5, 4);
            NDArray m1 = f.leftAlignedMask(5, 3, 0);
            NDArray m2 = f.leftAlignedMask(5, 1, 0);
            NDList out = maskNet.merge(f.ps, List.of(clicked, other), List.of(m1, m2), false);
            assertThat(out.get(0).getShape()).isEqualTo(new Shape(2, 5, 4));
            assertThat(out.get(1).toFloatArray()).containsExactly(1, 1, 1, 0, 0, 0, 0, 0, 0, 0);
            float[] merged = out.get(0).toFloatArray();
            for (int i = 12; i < merged.length; i++) { // row 0 positions 3.., all of row 1
                assertThat(merged[i]).isZero();
            }
            NDList again =
                    maskNet.merge(
                            f.ps,
                            List.of(f.scramblePadding(clicked, m1), f.scramblePadding(other, m2)),
                            List.of(m1, m2),
                            false);
            assertThat(again.get(0).toFloatArray()).containsExactly(merged);
        }
    }

    @Test
    void recentTokensAreTheLastValidOnesMostRecentFirst() {
        try (BlockFixture f = new BlockFixture(4)) {
            NDArray tokens =
                    f.manager
                            .arange(1f, 7f)
                            .reshape(1, 6, 1)
                            .repeat(0, 3); // values 1..6 by position
            NDArray mask = f.leftAlignedMask(6, 4, 1, 0);
            float[] out = RecentTokens.select(tokens, mask, 2).toFloatArray(); // [3, 2, 1]
            assertThat(out).containsExactly(4, 3, 1, 0, 0, 0);
        }
    }

    @Test
    void dotInteractionGivesEveryPairOnce() {
        try (BlockFixture f = new BlockFixture(5)) {
            NDArray z = f.manager.create(new float[] {1, 0, 0, 2, 3, 4}, new Shape(1, 3, 2));
            assertThat(DotInteraction.interact(z).toFloatArray()).containsExactly(0, 3, 8);
        }
    }

    @Test
    void crossNetworksAndDhenKeepWidths() {
        try (BlockFixture f = new BlockFixture(6)) {
            CrossNetV2 lowRank = f.init(new CrossNetV2(12, 2, 3), new Shape(1, 12));
            CrossNetV2 fullRank = f.init(new CrossNetV2(12, 1, 0), new Shape(1, 12));
            DhenLayer dhen = f.init(new DhenLayer(3, 4, 1, 2, List.of(8)), new Shape(1, 3, 4));
            NDArray z = f.normal(5, 3, 4);
            assertThat(lowRank.cross(f.ps, z.reshape(5, 12), false).getShape())
                    .isEqualTo(new Shape(5, 12));
            assertThat(fullRank.cross(f.ps, z.reshape(5, 12), false).getShape())
                    .isEqualTo(new Shape(5, 12));
            NDArray y = dhen.interact(f.ps, z, false);
            assertThat(y.getShape()).isEqualTo(new Shape(5, 12));
            // layer-normalized rows: mean 0, variance 1
            float[] row = y.get(0).toFloatArray();
            double mean = 0;
            for (float v : row) {
                mean += v / row.length;
            }
            assertThat(mean).isCloseTo(0, within(1e-4));
        }
    }
}
