package io.streamctr.model.dnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.streamctr.model.blocks.HashedEmbedding;
import io.streamctr.model.blocks.InputEmbedding;
import io.streamctr.model.blocks.Mlp;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureInputs;
import io.streamctr.model.features.FeatureSpec;

/**
 * The first model: an MLP (FNN) over the hashed embeddings of the event's categorical fields, the
 * mean-pooled bags of its multi-valued fields, its numeric fields and the mean-pooled (item + side)
 * embeddings of each behaviour sequence, plus an optional wide first-order term.
 *
 * <p>Shapes (see {@link FeatureBatch}): inputs in FeatureBatch order → logits [B]. The MLP input is
 * [categorical F·D ‖ numeric N ‖ bags M·D ‖ sequences S·D], embedded by {@link InputEmbedding}.
 */
public final class DnnModel extends AbstractBlock {

    private static final byte VERSION = 1;

    private final FeatureSpec spec;
    private final InputEmbedding embedding;
    private final HashedEmbedding wide;
    private final SequentialBlock mlp;

    public DnnModel(FeatureSpec spec, DnnConfig config) {
        super(VERSION);
        this.spec = spec;
        this.embedding = addChildBlock("embedding", new InputEmbedding(spec, spec.embeddingDim()));
        this.wide =
                config.wide()
                        ? addChildBlock("wide", new HashedEmbedding(spec.embeddingRows(), 1))
                        : null;
        this.mlp =
                addChildBlock("mlp", Mlp.builder().setHidden(config.hidden()).optOutput(1).build());
    }

    /** F·D + M·D + N + S·D. */
    int mlpInputWidth() {
        int d = spec.embeddingDim();
        return spec.categoricalCount() * d
                + spec.multiValuedCount() * d
                + spec.numericCount()
                + spec.sequenceCount() * d;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        embedding.initialize(manager, dataType, new Shape(1));
        if (wide != null) {
            wide.initialize(manager, dataType, new Shape(1));
        }
        mlp.initialize(manager, dataType, new Shape(1, mlpInputWidth()));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        FeatureInputs in = FeatureInputs.of(inputs);
        long b = in.batchSize();
        NDArray fields = embedding.categorical(ps, in, training); // [B, F, D]
        NDList parts = embedding.flatNonSequence(ps, in, fields, training); // [B, F*D + N + M*D]
        parts.add(embedding.pooledSequences(ps, in, training).reshape(b, -1)); // [B, S*D]
        NDArray x = NDArrays.concat(parts, 1); // [B, F*D + N + M*D + S*D]
        NDArray logits =
                mlp.forward(ps, new NDList(x), training).singletonOrThrow().reshape(b); // [B]
        if (wide != null) {
            logits =
                    logits.add(
                            wide.embed(ps, in.categorical(), training)
                                    .sum(new int[] {1, 2})); // [B]
        }
        return new NDList(logits);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(FeatureInputs.batchSize(inputShapes))};
    }
}
