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
import io.streamctr.model.features.FeatureInputs;
import io.streamctr.model.features.FeatureSpec;

/**
 * The event as a list of field embeddings, the input of the field-interaction models (FM, DCN, PNN,
 * OptFusion, ...). The fields are, in order: the F categorical tokens, the M multi-valued fields
 * (each a masked mean of its bag), the S behaviour sequences (each a masked mean of item + side
 * embeddings), these three from {@link InputEmbedding}, and the N numeric fields (each the value
 * times a learned vector, a linear projection). So nf = F + M + S + N fields and d = nf·D when
 * flattened.
 *
 * <p>Shapes: FeatureBatch inputs → [B, nf, D].
 */
public final class FieldEmbedding extends AbstractBlock {

    /** Name of the numeric projection parameter. */
    public static final String NUMERIC_PARAMETER = "numeric_projection";

    private static final byte VERSION = 1;

    private final FeatureSpec spec;
    private final int dim;
    private final InputEmbedding table;
    private final Parameter numeric;

    public FieldEmbedding(FeatureSpec spec, int dim) {
        super(VERSION);
        this.spec = spec;
        this.dim = dim;
        this.table = addChildBlock("table", new InputEmbedding(spec, dim));
        this.numeric =
                spec.numericCount() == 0
                        ? null
                        : addParameter(
                                Parameter.builder()
                                        .setName(NUMERIC_PARAMETER)
                                        .setType(Parameter.Type.WEIGHT)
                                        .optShape(new Shape(spec.numericCount(), dim))
                                        .optInitializer(new NormalInitializer(0.01f))
                                        .build());
    }

    /** nf = F + M + S + N. */
    public static int fieldCount(FeatureSpec spec) {
        return spec.categoricalCount()
                + spec.multiValuedCount()
                + spec.sequenceCount()
                + spec.numericCount();
    }

    public int fieldCount() {
        return fieldCount(spec);
    }

    public int dim() {
        return dim;
    }

    /** The field embeddings [B, nf, D]. */
    public NDArray fields(ParameterStore ps, NDList inputs, boolean training) {
        FeatureInputs in = FeatureInputs.of(inputs);
        NDList parts = table.tokenGroups(ps, in, training); // [B, F, D], [B, M, D], [B, S, D]
        if (numeric != null) {
            NDArray w = ps.getValue(numeric, in.categorical().getDevice(), training); // [N, D]
            parts.add(in.numeric().expandDims(-1).mul(w)); // [B, N, D]
        }
        return NDArrays.concat(parts, 1); // [B, nf, D]
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        table.initialize(manager, dataType, new Shape(1));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(fields(ps, inputs, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(FeatureInputs.batchSize(inputShapes), fieldCount(), dim)};
    }
}
