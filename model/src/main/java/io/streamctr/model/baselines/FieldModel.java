package io.streamctr.model.baselines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.streamctr.model.blocks.FieldEmbedding;
import io.streamctr.model.features.FeatureInputs;
import io.streamctr.model.features.FeatureSpec;

/**
 * Common shape of the baselines: a {@link FieldEmbedding} ([B, nf, D]) feeding a model-specific
 * head that returns logits [B]. The subclass adds its head's children in its constructor, after
 * this one, and initializes them in {@link #initializeHead}.
 *
 * <p>Shapes: FeatureBatch inputs → logits [B].
 */
abstract class FieldModel extends AbstractBlock {

    private static final byte VERSION = 1;

    protected final FeatureSpec spec;
    protected final FieldEmbedding embedding;

    FieldModel(FeatureSpec spec, int dim) {
        super(VERSION);
        this.spec = spec;
        this.embedding = addChildBlock("embedding", new FieldEmbedding(spec, dim));
    }

    /** nf, the number of fields. */
    protected int fields() {
        return embedding.fieldCount();
    }

    /** d = nf·D, the flattened embedding width. */
    protected int flatWidth() {
        return embedding.fieldCount() * embedding.dim();
    }

    /** Initializes the head's children (the embedding is done). */
    protected abstract void initializeHead(NDManager manager, DataType dataType);

    /** Logits [B] from the field embeddings [B, nf, D]. */
    protected abstract NDArray head(ParameterStore ps, NDArray fields, NDList in, boolean training);

    @Override
    protected final void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        embedding.initialize(manager, dataType, inputShapes);
        initializeHead(manager, dataType);
    }

    @Override
    protected final NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray fields = embedding.fields(ps, in, training); // [B, nf, D]
        return new NDList(head(ps, fields, in, training)); // [B]
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(FeatureInputs.batchSize(inputShapes))};
    }
}
