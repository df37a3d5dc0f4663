package io.streamctr.model.din;

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
import io.streamctr.model.blocks.TargetAttention;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureInputs;
import io.streamctr.model.features.FeatureSpec;

/**
 * DIN (Zhou et al., KDD 2018), the sequence baseline of docs/models.md: target attention of the
 * candidate item (item + side embedding) over the clicked sequence ({@link TargetAttention}), the
 * other sequences mean-pooled, then an MLP over [categorical embeddings ‖ bags ‖ numeric ‖ user
 * interest ‖ pooled other sequences], plus an optional wide term.
 *
 * <p>Shapes (see {@link FeatureBatch}): inputs in FeatureBatch order → logits [B]. The MLP input
 * width is F·D + M·D + N + S·D.
 */
public final class DinModel extends AbstractBlock {

    private static final byte VERSION = 1;

    /** The clicked sequence is the behaviour sequence the target attends over. */
    private static final int CLICKED = 0;

    private final FeatureSpec spec;
    private final int dim;
    private final InputEmbedding embedding;
    private final TargetAttention attention;
    private final SequentialBlock mlp;
    private final HashedEmbedding wide;

    public DinModel(FeatureSpec spec, DinConfig config) {
        super(VERSION);
        this.spec = spec;
        this.dim = config.dim();
        this.embedding = addChildBlock("embedding", new InputEmbedding(spec, dim));
        this.attention =
                addChildBlock("attention", new TargetAttention(dim, config.attentionHidden()));
        this.mlp =
                addChildBlock("mlp", Mlp.builder().setHidden(config.hidden()).optOutput(1).build());
        this.wide =
                config.wide()
                        ? addChildBlock("wide", new HashedEmbedding(spec.embeddingRows(), 1))
                        : null;
    }

    int mlpInputWidth() {
        return (spec.categoricalCount() + spec.multiValuedCount() + spec.sequenceCount()) * dim
                + spec.numericCount();
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        embedding.initialize(manager, dataType, new Shape(1));
        attention.initialize(
                manager, dataType, new Shape(1, 1, dim), new Shape(1, dim), new Shape(1, 1));
        mlp.initialize(manager, dataType, new Shape(1, mlpInputWidth()));
        if (wide != null) {
            wide.initialize(manager, dataType, new Shape(1));
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        FeatureInputs in = FeatureInputs.of(inputs);
        long b = in.batchSize();
        NDArray fields = embedding.categorical(ps, in, training); // [B, F, D]
        NDArray target =
                fields.get(":, 1")
                        .add(fields.get(":, 2")); // [B, D]: item + side, as in the sequences
        NDList parts = embedding.flatNonSequence(ps, in, fields, training); // [B, F*D + N + M*D]
        for (int s = 0; s < spec.sequenceCount(); s++) {
            parts.add(
                    s == CLICKED
                            ? attention.attend(
                                    ps,
                                    embedding.sequence(ps, in, s, training),
                                    target,
                                    in.sequenceMask(s),
                                    training)
                            : embedding.pooledSequence(ps, in, s, training)); // [B, D] either way
        }
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
