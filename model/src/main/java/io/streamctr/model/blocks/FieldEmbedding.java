package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.streamctr.model.features.FeatureBatch;
import io.streamctr.model.features.FeatureSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The event as a list of field embeddings, the input of the field-interaction models (FM, DCN,
 * PNN, OptFusion, ...). The fields are, in order: the F categorical tokens, the M multi-valued
 * fields (each a masked mean of its bag), the S behaviour sequences (each a masked mean of
 * item + side embeddings, as in {@code DnnModel}) and the N numeric fields (each the value times a
 * learned vector, a linear projection). So nf = F + M + S + N fields and d = nf·D when flattened.
 *
 * <p>Shapes: FeatureBatch inputs → [B, nf, D].
 */
public final class FieldEmbedding extends AbstractBlock {

    /** Name of the numeric projection parameter. */
    public static final String NUMERIC_PARAMETER = "numeric_projection";

    private static final byte VERSION = 1;

    private final FeatureSpec spec;
    private final int dim;
    private final HashedEmbedding table;
    private final Parameter numeric;

    public FieldEmbedding(FeatureSpec spec, int dim) {
        super(VERSION);
        this.spec = spec;
        this.dim = dim;
        this.table = addChildBlock("table", new HashedEmbedding(spec.embeddingRows(), dim));
        this.numeric = spec.numericCount() == 0 ? null : addParameter(Parameter.builder()
                .setName(NUMERIC_PARAMETER)
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(spec.numericCount(), dim))
                .optInitializer(new NormalInitializer(0.01f))
                .build());
    }

    /** nf = F + M + S + N. */
    public static int fieldCount(FeatureSpec spec) {
        return spec.categoricalCount() + spec.multiValuedCount() + spec.sequenceCount() + spec.numericCount();
    }

    public int fieldCount() {
        return fieldCount(spec);
    }

    public int dim() {
        return dim;
    }

    /** The field embeddings [B, nf, D]. */
    public NDArray fields(ParameterStore ps, NDList in, boolean training) {
        List<NDArray> parts = new ArrayList<>();
        parts.add(table.embed(ps, in.get(FeatureBatch.CATEGORICAL), training)); // [B, F, D]
        if (spec.multiValuedCount() > 0) {
            NDArray bags = table.embed(ps, in.get(FeatureBatch.MULTI_IDS), training); // [B, M, K, D]
            parts.add(MaskedMeanPool.pool(bags, in.get(FeatureBatch.MULTI_MASK))); // [B, M, D]
        }
        for (int s = 0; s < spec.sequenceCount(); s++) {
            int i = FeatureBatch.sequenceItemsIndex(s);
            NDArray items = table.embed(ps, in.get(i), training); // [B, L, D]
            NDArray sides = table.embed(ps, in.get(i + 1), training); // [B, L, D]
            parts.add(MaskedMeanPool.pool(items.add(sides), in.get(i + 2)).expandDims(1)); // [B, 1, D]
        }
        if (numeric != null) {
            NDArray w = ps.getValue(numeric, in.get(0).getDevice(), training); // [N, D]
            parts.add(in.get(FeatureBatch.NUMERIC).expandDims(-1).mul(w)); // [B, N, D]
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 1); // [B, nf, D]
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        table.initialize(manager, dataType, new Shape(1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(fields(ps, inputs, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[FeatureBatch.CATEGORICAL].get(0), fieldCount(), dim)};
    }
}
