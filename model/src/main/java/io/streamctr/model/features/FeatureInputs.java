package io.streamctr.model.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * A model's inputs by name: a read-only view over the tensors of {@link FeatureBatch#toNDList} (or,
 * for shapes, {@link FeatureBatch#inputShapes}), so that no model picks an input by position; the
 * positions are {@link FeatureBatch}'s.
 *
 * <p>Shapes (B = batch, F = categorical tokens, N = numeric fields, M = multi-valued fields, K =
 * values per multi-valued field, L = sequence length): categorical [B, F], numeric [B, N],
 * multi-valued ids and mask [B, M, K], per sequence s item ids, side ids and mask [B, L].
 */
public final class FeatureInputs {

    private final NDList list;

    private FeatureInputs(NDList list) {
        this.list = list;
    }

    /** The view over the inputs of a model's forward pass. */
    public static FeatureInputs of(NDList inputs) {
        return new FeatureInputs(inputs);
    }

    /** B of the inputs whose shapes are given (a block's {@code getOutputShapes}). */
    public static long batchSize(Shape[] inputShapes) {
        return inputShapes[FeatureBatch.CATEGORICAL].get(0);
    }

    /** B. */
    public long batchSize() {
        return categorical().getShape().get(0);
    }

    /** Categorical ids [B, F]: user, item, item side, then the categorical fields. */
    public NDArray categorical() {
        return list.get(FeatureBatch.CATEGORICAL);
    }

    /** Numeric values [B, N]. */
    public NDArray numeric() {
        return list.get(FeatureBatch.NUMERIC);
    }

    /** Multi-valued ids [B, M, K]. */
    public NDArray multiIds() {
        return list.get(FeatureBatch.MULTI_IDS);
    }

    /** Multi-valued mask [B, M, K] (1 = value, 0 = padding). */
    public NDArray multiMask() {
        return list.get(FeatureBatch.MULTI_MASK);
    }

    /** Item ids of sequence s [B, L], oldest first, padding on the right. */
    public NDArray sequenceItems(int s) {
        return list.get(FeatureBatch.sequenceItemsIndex(s));
    }

    /** Side ids of sequence s [B, L]. */
    public NDArray sequenceSides(int s) {
        return list.get(FeatureBatch.sequenceItemsIndex(s) + 1);
    }

    /** Mask of sequence s [B, L] (1 = item, 0 = padding). */
    public NDArray sequenceMask(int s) {
        return list.get(FeatureBatch.sequenceItemsIndex(s) + 2);
    }
}
