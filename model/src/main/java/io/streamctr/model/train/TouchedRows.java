package io.streamctr.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.streamctr.model.features.EventRows;
import io.streamctr.model.features.FeatureBatch;
import java.util.Arrays;
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

    /** With copies per (event, row) pair: the pairs, each pair's position in {@code rows}. */
    private final EventRows pairs;

    private final int[] pairToRow;
    private final NDManager batchManager;
    private final Map<Parameter, NDArray[]> reduced = new IdentityHashMap<>();

    /** Copies {@code rows} (sorted, distinct) of each table; the copies require a gradient. */
    static TouchedRows copies(long[] rows, List<Parameter> tables, NDManager batchManager) {
        return new TouchedRows(rows, tables, batchManager, true);
    }

    /**
     * Copies one row of each table per (event, row) pair of the batch ({@link
     * FeatureBatch#eventRows()}), [P, D]: the backward pass then gives each event's gradient of a
     * row apart, and {@link #squaredGradient} the sum of their squares, what an adaptive sparse
     * rule accumulates when it learns event by event. {@link #gradient} sums them per row.
     */
    static TouchedRows perEvent(EventRows pairs, List<Parameter> tables, NDManager batchManager) {
        return new TouchedRows(pairs, tables, batchManager);
    }

    private TouchedRows(EventRows pairs, List<Parameter> tables, NDManager batchManager) {
        long[] distinct = pairs.rows().clone();
        Arrays.sort(distinct);
        int u = 0;
        for (int i = 0; i < distinct.length; i++) {
            if (i == 0 || distinct[i] != distinct[i - 1]) {
                distinct[u++] = distinct[i];
            }
        }
        this.rows = Arrays.copyOf(distinct, u);
        this.copied = true;
        this.pairs = pairs;
        this.batchManager = batchManager;
        this.pairToRow = new int[pairs.size()];
        for (int p = 0; p < pairToRow.length; p++) {
            pairToRow[p] = Arrays.binarySearch(rows, pairs.rows()[p]);
        }
        this.index = batchManager.create(rows); // [U] int64
        NDArray pairIndex = batchManager.create(pairs.rows()); // [P] int64
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // a leaf, not a view into the table's graph
        try {
            for (Parameter table : tables) {
                NDArray copy = table.getArray().get(new NDIndex("{}", pairIndex)); // [P, D]
                copy.setRequiresGradient(true);
                copies.put(table, copy);
            }
        } finally {
            JniUtils.setGradMode(previous);
        }
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
        this.pairs = null;
        this.pairToRow = null;
        this.batchManager = batchManager;
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
        return pairs == null ? copy.getGradient() : reduce(table, copy)[0];
    }

    /**
     * The sum over the batch's events of the squared gradient of each event's own lookups of {@code
     * table}'s touched rows [U, D] with copies per (event, row) pair; else the square of {@link
     * #gradient} (one event's gradient, or the batch's taken as one).
     */
    NDArray squaredGradient(Parameter table) {
        if (pairs == null) {
            return gradient(table).square();
        }
        return reduce(table, copies.get(table))[1];
    }

    /** Whether {@link #squaredGradient} sums per-event squares. */
    boolean perEvent() {
        return pairs != null;
    }

    /** The per-pair gradient [P, D] summed per row, and its squares summed per row, [U, D] each. */
    private NDArray[] reduce(Parameter table, NDArray copy) {
        NDArray[] done = reduced.get(table);
        if (done != null) {
            return done;
        }
        NDArray g = copy.getGradient();
        float[] values = g.toFloatArray();
        int p = pairToRow.length;
        int width = p == 0 ? 0 : values.length / p;
        float[] sum = new float[rows.length * width];
        float[] squares = new float[rows.length * width];
        for (int i = 0; i < p; i++) {
            int to = pairToRow[i] * width;
            int from = i * width;
            for (int d = 0; d < width; d++) {
                float v = values[from + d];
                sum[to + d] += v;
                squares[to + d] += v * v;
            }
        }
        long[] dims = g.getShape().getShape().clone();
        dims[0] = rows.length;
        Shape shape = new Shape(dims);
        done =
                new NDArray[] {
                    batchManager.create(sum, shape).toDevice(g.getDevice(), false),
                    batchManager.create(squares, shape).toDevice(g.getDevice(), false)
                };
        reduced.put(table, done);
        return done;
    }

    /**
     * The batch's model inputs: ids relative to the copied rows, or the tables' own ids when not
     * {@link #copied()}.
     */
    NDList inputs(FeatureBatch batch, NDManager manager) {
        if (pairs != null) {
            return batch.toNDList(manager, pairs);
        }
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
