package io.streamctr.model.baselines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.streamctr.model.blocks.FieldInteractions;
import io.streamctr.model.features.FeatureSpec;

/**
 * Factorization machine (Rendle, 2010): logistic regression plus Σ_{i<j} ⟨v_i, v_j⟩ over the field
 * embeddings.
 *
 * <p>Shapes: FeatureBatch inputs → logits [B].
 */
public final class FmModel extends FieldModel {

    private final LrModel linear;

    public FmModel(FeatureSpec spec) {
        super(spec, spec.embeddingDim());
        this.linear = addChildBlock("linear", new LrModel(spec));
    }

    @Override
    protected void initializeHead(NDManager manager, DataType dataType) {
        linear.initialize(
                manager, dataType, io.streamctr.model.features.FeatureBatch.inputShapes(spec, 1));
    }

    @Override
    protected NDArray head(ParameterStore ps, NDArray fields, NDList in, boolean training) {
        NDArray first = linear.forward(ps, in, training).singletonOrThrow(); // [B]
        return first.add(FieldInteractions.fmPairwise(fields)); // [B]
    }
}
