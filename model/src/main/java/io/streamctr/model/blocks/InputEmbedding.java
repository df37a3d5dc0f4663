package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureInputs;
import io.streamctr.model.features.FeatureSpec;

/**
 * The embedding of a {@link FeatureBatch}'s ids, the one every model starts from: one {@link
 * HashedEmbedding} table (child {@code table}) looked up for the categorical tokens, the
 * multi-valued bags (each the masked mean of its values) and the behaviour sequences (each position
 * the item embedding plus its side embedding, as tokens or as their masked mean). Numeric fields
 * are not embedded here: each model projects them its own way.
 *
 * <p>Shapes (B = batch, F = categorical tokens, M = multi-valued fields, S = sequences, L =
 * sequence length, D = dim): {@link #categorical} [B, F, D], {@link #bags} [B, M, D], {@link
 * #sequence} [B, L, D], {@link #pooledSequences} [B, S, D], {@link #flatNonSequence} [B, F·D + N +
 * M·D] in parts. As a block: FeatureBatch inputs → [B, F + M + S, D], the three concatenated.
 */
public final class InputEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final FeatureSpec spec;
    private final int dim;
    private final HashedEmbedding table;

    public InputEmbedding(FeatureSpec spec, int dim) {
        super(VERSION);
        this.spec = spec;
        this.dim = dim;
        this.table = addChildBlock("table", new HashedEmbedding(spec.embeddingRows(), dim));
    }

    public int dim() {
        return dim;
    }

    /** Embeddings of the categorical tokens [B, F, D]. */
    public NDArray categorical(ParameterStore ps, FeatureInputs in, boolean training) {
        return table.embed(ps, in.categorical(), training); // [B, F, D]
    }

    /**
     * The multi-valued fields, each the masked mean of its values' embeddings [B, M, D]; needs M >
     * 0.
     */
    public NDArray bags(ParameterStore ps, FeatureInputs in, boolean training) {
        NDArray values = table.embed(ps, in.multiIds(), training); // [B, M, K, D]
        return MaskedMeanPool.pool(values, in.multiMask()); // [B, M, D]
    }

    /**
     * Sequence s as tokens, item + side embedding at each position [B, L, D]; its mask is {@link
     * FeatureInputs#sequenceMask}.
     */
    public NDArray sequence(ParameterStore ps, FeatureInputs in, int s, boolean training) {
        NDArray items = table.embed(ps, in.sequenceItems(s), training); // [B, L, D]
        NDArray sides = table.embed(ps, in.sequenceSides(s), training); // [B, L, D]
        return items.add(sides); // [B, L, D]
    }

    /** Sequence s as the masked mean of its tokens [B, D]; an empty sequence gives zeros. */
    public NDArray pooledSequence(ParameterStore ps, FeatureInputs in, int s, boolean training) {
        return MaskedMeanPool.pool(sequence(ps, in, s, training), in.sequenceMask(s)); // [B, D]
    }

    /** Every sequence pooled, one token each [B, S, D]. */
    public NDArray pooledSequences(ParameterStore ps, FeatureInputs in, boolean training) {
        NDList pooled = new NDList(spec.sequenceCount());
        for (int s = 0; s < spec.sequenceCount(); s++) {
            pooled.add(pooledSequence(ps, in, s, training).expandDims(1)); // [B, 1, D]
        }
        return NDArrays.concat(pooled, 1); // [B, S, D]
    }

    /**
     * The non-sequence inputs of an MLP, flattened per row: [categorical F·D ‖ numeric N ‖ bags
     * M·D] (numeric when N > 0, bags when M > 0), as parts [B, F·D], [B, N], [B, M·D] to
     * concatenate on axis 1 after the model adds its sequence parts. {@code categorical} is this
     * block's {@link #categorical} of the same inputs, passed in so that a model reading it too
     * (DIN's target item) looks it up once.
     */
    public NDList flatNonSequence(
            ParameterStore ps, FeatureInputs in, NDArray categorical, boolean training) {
        long b = in.batchSize();
        NDList parts = new NDList();
        parts.add(categorical.reshape(b, -1)); // [B, F*D]
        if (spec.numericCount() > 0) {
            parts.add(in.numeric()); // [B, N]
        }
        if (spec.multiValuedCount() > 0) {
            parts.add(bags(ps, in, training).reshape(b, -1)); // [B, M*D]
        }
        return parts;
    }

    /**
     * The token groups to concatenate on axis 1: categorical [B, F, D], bags [B, M, D] when M > 0,
     * pooled sequences [B, S, D].
     */
    public NDList tokenGroups(ParameterStore ps, FeatureInputs in, boolean training) {
        NDList parts = new NDList(3);
        parts.add(categorical(ps, in, training)); // [B, F, D]
        if (spec.multiValuedCount() > 0) {
            parts.add(bags(ps, in, training)); // [B, M, D]
        }
        parts.add(pooledSequences(ps, in, training)); // [B, S, D]
        return parts;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        table.initialize(manager, dataType, new Shape(1));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(
                NDArrays.concat(
                        tokenGroups(ps, FeatureInputs.of(inputs), training),
                        1)); // [B, F + M + S, D]
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        int tokens = spec.categoricalCount() + spec.multiValuedCount() + spec.sequenceCount();
        return new Shape[] {new Shape(FeatureInputs.batchSize(inputShapes), tokens, dim)};
    }
}
