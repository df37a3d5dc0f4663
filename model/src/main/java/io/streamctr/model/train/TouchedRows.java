package io.streamctr.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.streamctr.model.features.FeatureBatch;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedding rows one training step touches and, per embedding table, a copy of those rows that
 * the step embeds from: a leaf [U, D] with a gradient of its own. Embedding from the whole table
 * [R, D] would give every lookup a dense [R, D] gradient (zero-filled, scattered into, added into
 * the table's gradient, zeroed after the step: 8 MiB a lookup at R = 131k, D = 16), which cost more
 * than half of a small model's training step; the copy's gradient is [U, D], U the distinct rows of
 * the batch. The values and the gradient are the table's rows and their gradient, in {@code rows}
 * order, so the lazy Adam update of those rows is the same.
 *
 * <p>The copies live in the batch's scope. The model must be fed the {@link #inputs} (ids relative
 * to {@code rows}) and the {@link #parameterStore(NDManager)}, which hands out the copies in place
 * of the tables.
 */
final class TouchedRows {

    private final long[] rows;
    private final NDArray index;
    private final Map<Parameter, NDArray> copies = new IdentityHashMap<>();

    private final boolean copied;

    /** Copies {@code rows} (sorted, distinct) of each table; the copies require a gradient. */
    static TouchedRows copies(long[] rows, List<Parameter> tables, NDManager batchManager) {
        return new TouchedRows(rows, tables, batchManager, true);
    }

    /**
     * No copies: the step embeds from the whole tables and {@link #gradient} selects the rows from
     * the table's dense gradient (the reference for tests).
     */
    static TouchedRows wholeTables(long[] rows, NDManager batchManager) {
        return new TouchedRows(rows, List.of(), batchManager, false);
    }

    private TouchedRows(
            long[] rows, List<Parameter> tables, NDManager batchManager, boolean copied) {
        this.rows = rows;
        this.copied = copied;
        this.index = batchManager.create(rows); // [U] int64
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // a leaf, not a view into the table's graph
        try {
            for (Parameter table : tables) {
                NDArray copy = table.getArray().get(new NDIndex("{}", index)); // [U, D]
                copy.setRequiresGradient(true);
                copies.put(table, copy);
            }
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /** The table rows, sorted and distinct; row i of every copy is table row rows()[i]. */
    long[] rows() {
        return rows;
    }

    /** The rows as an int64 tensor [U], to index the table and its Adam moments. */
    NDArray index() {
        return index;
    }

    /**
     * Whether the step embeds from copies of the rows (else from the whole tables, with the table's
     * own ids).
     */
    boolean copied() {
        return copied;
    }

    /** The gradient [U, D] of {@code table}'s touched rows after the backward pass. */
    NDArray gradient(Parameter table) {
        if (!copied) {
            return table.getArray().getGradient().get(new NDIndex("{}", index));
        }
        NDArray copy = copies.get(table);
        if (copy == null) {
            throw new IllegalArgumentException(
                    "not an embedding table of this step: " + table.getName());
        }
        return copy.getGradient();
    }

    /**
     * The batch's model inputs: ids relative to the copied rows, or the tables' own ids when not
     * {@link #copied()}.
     */
    NDList inputs(FeatureBatch batch, NDManager manager) {
        return copied ? batch.toNDList(manager, rows) : batch.toNDList(manager);
    }

    /**
     * A parameter store that gives the copies for the tables (if any), every other parameter as
     * usual.
     */
    ParameterStore parameterStore(NDManager manager) {
        return new ParameterStore(manager, false) {
            @Override
            public NDArray getValue(Parameter parameter, Device device, boolean training) {
                NDArray copy = copies.get(parameter);
                return copy != null ? copy : super.getValue(parameter, device, training);
            }
        };
    }
}
