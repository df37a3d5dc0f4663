package io.streamctr.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * One hashed embedding table shared by every field group (row 0 = padding / missing); see {@link
 * io.streamctr.model.features.FeatureSpec} for the row layout. Initialized normal with std 1e-2, as
 * the OptFusion code does.
 *
 * <p>Shapes: ids [*] (int64 rows) → embeddings [*, D].
 */
public final class HashedEmbedding extends AbstractBlock {

    /**
     * Name of the table parameter; the trainer gives parameters so named the embedding learning
     * rate.
     */
    public static final String PARAMETER_NAME = "hashed_embedding";

    private static final byte VERSION = 1;

    private final int rows;
    private final int dim;
    private final Parameter table;

    public HashedEmbedding(int rows, int dim) {
        super(VERSION);
        this.rows = rows;
        this.dim = dim;
        this.table =
                addParameter(
                        Parameter.builder()
                                .setName(PARAMETER_NAME)
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(rows, dim))
                                .optInitializer(new NormalInitializer(0.01f))
                                .build());
    }

    /** Embeds ids of any shape: [*] → [*, D]. */
    public NDArray embed(ParameterStore ps, NDArray ids, boolean training) {
        NDArray weight = ps.getValue(table, ids.getDevice(), training); // [rows, D]
        return Embedding.embedding(ids, weight, SparseFormat.DENSE).singletonOrThrow(); // [*, D]
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(embed(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(dim)};
    }

    @Override
    public DataType[] getOutputDataTypes() {
        return new DataType[] {DataType.FLOAT32};
    }

    public int rows() {
        return rows;
    }

    public int dim() {
        return dim;
    }
}
