package io.streamctr.model.blocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.streamctr.model.features.Examples;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureEncoder;
import io.streamctr.model.features.FeatureInputs;
import io.streamctr.model.features.FeatureSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link InputEmbedding} over {@link FeatureInputs}, checked against table lookups done by hand.
 */
class InputEmbeddingTest {

    private static final FeatureSpec SPEC =
            new FeatureSpec(4, 64, List.of(), List.of("genres"), 3, List.of(), "genres", 5);
    private static final int D = 3;

    @Test
    void shapesOfEachPart() {
        try (BlockFixture f = new BlockFixture(1)) {
            InputEmbedding e =
                    f.init(new InputEmbedding(SPEC, D), FeatureBatch.inputShapes(SPEC, 1));
            FeatureInputs in = FeatureInputs.of(batch().toNDList(f.manager));
            assertThat(in.batchSize()).isEqualTo(6);
            assertThat(e.categorical(f.ps, in, false).getShape()).isEqualTo(new Shape(6, 3, D));
            assertThat(e.bags(f.ps, in, false).getShape()).isEqualTo(new Shape(6, 1, D));
            assertThat(e.sequence(f.ps, in, 1, false).getShape()).isEqualTo(new Shape(6, 5, D));
            assertThat(e.pooledSequences(f.ps, in, false).getShape()).isEqualTo(new Shape(6, 2, D));
            assertThat(
                            e.flatNonSequence(
                                    f.ps,
                                    in,
                                    e.categorical(f.ps, in, false),
                                    false)) // no numeric field
                    .extracting(NDArray::getShape)
                    .containsExactly(new Shape(6, 3 * D), new Shape(6, D));
            NDList out = e.forward(f.ps, batch().toNDList(f.manager), false);
            assertThat(out.singletonOrThrow().getShape())
                    .isEqualTo(new Shape(6, 3 + 1 + 2, D))
                    .isEqualTo(e.getOutputShapes(FeatureBatch.inputShapes(SPEC, 6))[0]);
        }
    }

    @Test
    void pooledSequenceIsTheMeanOfItemPlusSideOverTheMask() {
        try (BlockFixture f = new BlockFixture(2)) {
            InputEmbedding e =
                    f.init(new InputEmbedding(SPEC, D), FeatureBatch.inputShapes(SPEC, 1));
            FeatureInputs in = FeatureInputs.of(batch().toNDList(f.manager));
            float[] table =
                    e.getParameters().get(0).getValue().getArray().toFloatArray(); // [rows, D]
            for (int s = 0; s < SPEC.sequenceCount(); s++) {
                long[] items = in.sequenceItems(s).toLongArray();
                long[] sides = in.sequenceSides(s).toLongArray();
                float[] mask = in.sequenceMask(s).toFloatArray();
                float[] pooled = e.pooledSequence(f.ps, in, s, false).toFloatArray(); // [B, D]
                float[] all =
                        e.pooledSequences(f.ps, in, false).get(":, " + s).toFloatArray(); // [B, D]
                for (int b = 0; b < 6; b++) {
                    float count = 0;
                    float[] sum = new float[D];
                    for (int l = 0; l < 5; l++) {
                        int p = b * 5 + l;
                        count += mask[p];
                        for (int d = 0; d < D; d++) {
                            sum[d] +=
                                    mask[p]
                                            * (table[(int) items[p] * D + d]
                                                    + table[(int) sides[p] * D + d]);
                        }
                    }
                    for (int d = 0; d < D; d++) {
                        float expected =
                                count == 0 ? 0f : sum[d] / count; // an empty history is zeros
                        assertThat(pooled[b * D + d])
                                .as("sequence %d row %d", s, b)
                                .isCloseTo(expected, within(1e-6f));
                        assertThat(all[b * D + d]).isEqualTo(pooled[b * D + d]);
                    }
                }
            }
        }
    }

    @Test
    void categoricalTokensAreTableRows() {
        try (BlockFixture f = new BlockFixture(3)) {
            InputEmbedding e =
                    f.init(new InputEmbedding(SPEC, D), FeatureBatch.inputShapes(SPEC, 1));
            FeatureInputs in = FeatureInputs.of(batch().toNDList(f.manager));
            NDArray table = e.getParameters().get(0).getValue().getArray();
            assertThat(e.getParameters().get(0).getKey()).endsWith(HashedEmbedding.PARAMETER_NAME);
            long[] ids = in.categorical().toLongArray();
            float[] tokens = e.categorical(f.ps, in, false).toFloatArray();
            for (int i = 0; i < ids.length; i++) {
                float[] row = table.get(ids[i]).toFloatArray();
                for (int d = 0; d < D; d++) {
                    assertThat(tokens[i * D + d]).isEqualTo(row[d]);
                }
            }
        }
    }

    /** 6 rows; Examples gives some users an empty history. */
    private static FeatureBatch batch() {
        return new FeatureEncoder(SPEC).encode(Examples.random(6, 5));
    }
}
