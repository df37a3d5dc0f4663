package io.streamctr.model.interformer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.streamctr.model.blocks.BlockFixture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InterFormerBlocksTest {

    @Test
    void personalizedFfnEqualsTheExplicitMatrixProduct() {
        try (BlockFixture f = new BlockFixture(1)) {
            PersonalizedFfn ffn =
                    f.init(
                            new PersonalizedFfn(2, 4, List.of(6), true),
                            new Shape(1, 2, 4),
                            new Shape(1, 1, 4));
            NDArray summary = f.normal(3, 2, 4);
            NDArray sequence = f.normal(3, 5, 4);
            float[] w = ffn.weight(f.ps, summary, sequence, false).toFloatArray(); // [3, 4, 4]
            float[] s = sequence.toFloatArray();
            NDArray out = ffn.apply(f.ps, summary, sequence, false);
            assertThat(out.getShape()).isEqualTo(new Shape(3, 5, 4));
            float[] o = out.toFloatArray();
            for (int b = 0; b < 3; b++) {
                for (int t = 0; t < 5; t++) {
                    for (int j = 0; j < 4; j++) {
                        float expected = 0;
                        for (int i = 0; i < 4; i++) {
                            expected += s[(b * 5 + t) * 4 + i] * w[(b * 4 + i) * 4 + j];
                        }
                        assertThat(o[(b * 5 + t) * 4 + j]).isCloseTo(expected, within(1e-5f));
                    }
                }
            }
            // the weight differs between users: it is personalized
            assertThat(ffn.weight(f.ps, summary, sequence, false).get(0).toFloatArray())
                    .isNotEqualTo(ffn.weight(f.ps, summary, sequence, false).get(1).toFloatArray());
        }
    }

    @Test
    void sequenceArchKeepsShapeZeroesPaddingAndIgnoresIt() {
        try (BlockFixture f = new BlockFixture(2)) {
            SequenceArch arch =
                    f.init(
                            new SequenceArch(2, 8, 2, List.of(), true),
                            new Shape(1, 2, 8),
                            new Shape(1, 1, 8),
                            new Shape(1, 1));
            NDArray summary = f.normal(2, 2, 8);
            NDArray sequence = f.normal(2, 6, 8);
            NDArray mask = f.leftAlignedMask(6, 4, 2);
            NDArray out = arch.apply(f.ps, summary, sequence, mask, false);
            assertThat(out.getShape()).isEqualTo(new Shape(2, 6, 8));
            NDArray again =
                    arch.apply(f.ps, summary, f.scramblePadding(sequence, mask), mask, false);
            float[] a = out.toFloatArray();
            float[] b = again.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertThat(b[i]).isCloseTo(a[i], within(1e-5f));
            }
            for (float v : out.get(1).get("2:").toFloatArray()) {
                assertThat(Math.abs(v)).isZero(); // -0.0 is fine
            }
        }
    }

    @Test
    void summariesHaveTheConfiguredTokenCounts() {
        try (BlockFixture f = new BlockFixture(3)) {
            NonSequenceSummary nonSeq = f.init(new NonSequenceSummary(5, 3, 8), new Shape(1, 5, 8));
            SequenceSummary seq =
                    f.init(new SequenceSummary(3, 2, 2, 8, 2), new Shape(1, 1, 8), new Shape(1, 1));
            assertThat(nonSeq.summarize(f.ps, f.normal(4, 5, 8), false).getShape())
                    .isEqualTo(new Shape(4, 3, 8));
            NDArray tokens = f.normal(4, 9, 8);
            NDArray mask = f.leftAlignedMask(9, 9, 5, 3, 3); // 3 CLS tokens always valid
            NDArray out = seq.summarize(f.ps, tokens, mask, false);
            assertThat(out.getShape()).isEqualTo(new Shape(4, 7, 8));
            assertThat(
                            seq.summarize(f.ps, f.scramblePadding(tokens, mask), mask, false)
                                    .toFloatArray())
                    .containsExactly(out.toFloatArray());
        }
    }

    @ParameterizedTest
    @EnumSource(InterFormerConfig.Interaction.class)
    void interactionArchMapsBackToTheNonSequenceTokens(InterFormerConfig.Interaction kind) {
        try (BlockFixture f = new BlockFixture(4)) {
            InterFormerConfig config = InterFormerConfig.tiny().withInteraction(kind);
            InteractionArch arch =
                    f.init(new InteractionArch(7, 4, config), new Shape(1, 7, config.dim()));
            assertThat(arch.apply(f.ps, f.normal(3, 7, config.dim()), false).getShape())
                    .isEqualTo(new Shape(3, 4, config.dim()));
        }
    }
}
