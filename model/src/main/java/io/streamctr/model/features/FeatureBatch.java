package io.streamctr.model.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.BitSet;

/**
 * One mini-batch in the layout every model consumes, as plain Java arrays (row-major). Built by
 * {@link FeatureEncoder}; turned into tensors by {@link #toNDList(NDManager)}, which models read by
 * name through {@link FeatureInputs}.
 *
 * <p>Shapes (B = batch, F = categorical tokens, N = numeric fields, M = multi-valued fields, K =
 * values per multi-valued field, S = sequences, L = sequence length):
 *
 * <ul>
 *   <li>categorical ids [B, F] (embedding rows; 0 = missing)
 *   <li>numeric [B, N]
 *   <li>multi-valued ids [B, M, K] and their mask [B, M, K] (1 = value, 0 = padding)
 *   <li>per sequence s: item ids [B, L], side ids [B, L], mask [B, L]; positions are oldest first
 *       and left-aligned (padding on the right), so the most recent item is the last unmasked one
 *   <li>labels [B] and a label mask [B] (1 where the label is known)
 * </ul>
 */
public final class FeatureBatch {

    /**
     * Index of each input in {@link #toNDList(NDManager)}; models read them through {@link
     * FeatureInputs}.
     */
    public static final int CATEGORICAL = 0;

    public static final int NUMERIC = 1;
    public static final int MULTI_IDS = 2;
    public static final int MULTI_MASK = 3;
    public static final int FIRST_SEQUENCE = 4;

    final FeatureSpec spec;
    final int size;
    final long[] categorical;
    final float[] numeric;
    final long[] multiIds;
    final float[] multiMask;
    final long[][] sequenceItems;
    final long[][] sequenceSides;
    final float[][] sequenceMask;
    final float[] labels;
    final float[] labelMask;

    /**
     * Logits added to the model's in the training loss (another model's part of a joint logit);
     * null for none.
     */
    private float[] offsets;

    private float[] logitScales;

    /** Per-row weights of the training loss; null for 1. */
    private float[] lossWeights;

    FeatureBatch(FeatureSpec spec, int size) {
        this.spec = spec;
        this.size = size;
        int f = spec.categoricalCount();
        int l = spec.sequenceLength();
        int mk = spec.multiValuedCount() * spec.maxValuesPerField();
        this.categorical = new long[size * f];
        this.numeric = new float[size * spec.numericCount()];
        this.multiIds = new long[size * mk];
        this.multiMask = new float[size * mk];
        int s = spec.sequenceCount();
        this.sequenceItems = new long[s][size * l];
        this.sequenceSides = new long[s][size * l];
        this.sequenceMask = new float[s][size * l];
        this.labels = new float[size];
        this.labelMask = new float[size];
    }

    /**
     * Index of sequence s's item ids in {@link #toNDList(NDManager)}; sides follow at +1, mask at
     * +2.
     */
    public static int sequenceItemsIndex(int s) {
        return FIRST_SEQUENCE + 3 * s;
    }

    public int size() {
        return size;
    }

    public FeatureSpec spec() {
        return spec;
    }

    /** Rows whose label is known. */
    public int labelledCount() {
        int n = 0;
        for (float m : labelMask) {
            n += m > 0 ? 1 : 0;
        }
        return n;
    }

    /** The label of row i, or -1 when unknown. */
    public int label(int i) {
        return labelMask[i] > 0 ? (int) labels[i] : -1;
    }

    /**
     * Every embedding row the batch uses (categorical, multi-valued, sequence items and sides,
     * padding row 0 included when used), sorted and distinct: the rows whose embeddings can have a
     * gradient from this batch.
     */
    public long[] distinctRows() {
        // a bit per table row: linear in the ids (a boxed sort-distinct took ~20 ms a step at batch
        // 256)
        BitSet used = new BitSet(spec.embeddingRows());
        mark(used, categorical);
        mark(used, multiIds);
        for (int s = 0; s < sequenceItems.length; s++) {
            mark(used, sequenceItems[s]);
            mark(used, sequenceSides[s]);
        }
        long[] rows = new long[used.cardinality()];
        int n = 0;
        for (int r = used.nextSetBit(0); r >= 0; r = used.nextSetBit(r + 1)) {
            rows[n++] = r;
        }
        return rows;
    }

    private static void mark(BitSet used, long[] ids) {
        for (long id : ids) {
            used.set((int) id);
        }
    }

    /**
     * The batch's distinct (event, row) pairs and its ids as positions among them ({@link
     * EventRows}); pairs are numbered event by event, in order of first use within the event.
     */
    public EventRows eventRows() {
        int rowsInTable = spec.embeddingRows();
        int[] position = new int[rowsInTable]; // pair of (current event, row), valid when stamped
        int[] stamp = new int[rowsInTable];
        java.util.Arrays.fill(stamp, -1);
        long[] pairs = new long[64];
        int count = 0;
        int s = spec.sequenceCount();
        long[] cat = new long[categorical.length];
        long[] multi = new long[multiIds.length];
        long[][] items = new long[s][];
        long[][] sides = new long[s][];
        for (int q = 0; q < s; q++) {
            items[q] = new long[sequenceItems[q].length];
            sides[q] = new long[sequenceSides[q].length];
        }
        int f = spec.categoricalCount();
        int mk = spec.multiValuedCount() * spec.maxValuesPerField();
        int l = spec.sequenceLength();
        long[][] sources = new long[2 + 2 * s][];
        long[][] targets = new long[2 + 2 * s][];
        int[] widths = new int[2 + 2 * s];
        sources[0] = categorical;
        targets[0] = cat;
        widths[0] = f;
        sources[1] = multiIds;
        targets[1] = multi;
        widths[1] = mk;
        for (int q = 0; q < s; q++) {
            sources[2 + 2 * q] = sequenceItems[q];
            targets[2 + 2 * q] = items[q];
            sources[3 + 2 * q] = sequenceSides[q];
            targets[3 + 2 * q] = sides[q];
            widths[2 + 2 * q] = l;
            widths[3 + 2 * q] = l;
        }
        for (int e = 0; e < size; e++) {
            for (int a = 0; a < sources.length; a++) {
                int w = widths[a];
                for (int j = e * w; j < (e + 1) * w; j++) {
                    int row = (int) sources[a][j];
                    if (stamp[row] != e) {
                        stamp[row] = e;
                        if (count == pairs.length) {
                            pairs = java.util.Arrays.copyOf(pairs, 2 * count);
                        }
                        position[row] = count;
                        pairs[count++] = row;
                    }
                    targets[a][j] = position[row];
                }
            }
        }
        return new EventRows(java.util.Arrays.copyOf(pairs, count), cat, multi, items, sides);
    }

    /**
     * Model inputs as {@link #toNDList(NDManager)} with every id replaced by its (event, row)
     * pair's position ({@link #eventRows()}): ids into a copy of one row per pair.
     */
    public NDList toNDList(NDManager manager, EventRows pairs) {
        int f = spec.categoricalCount();
        int l = spec.sequenceLength();
        int m = spec.multiValuedCount();
        int k = spec.maxValuesPerField();
        NDList list = new NDList(FIRST_SEQUENCE + 3 * spec.sequenceCount());
        list.add(manager.create(pairs.categorical(), new Shape(size, f)));
        list.add(manager.create(numeric, new Shape(size, spec.numericCount())));
        list.add(manager.create(pairs.multiIds(), new Shape(size, m, k)));
        list.add(manager.create(multiMask, new Shape(size, m, k)));
        for (int s = 0; s < spec.sequenceCount(); s++) {
            list.add(manager.create(pairs.sequenceItems()[s], new Shape(size, l)));
            list.add(manager.create(pairs.sequenceSides()[s], new Shape(size, l)));
            list.add(manager.create(sequenceMask[s], new Shape(size, l)));
        }
        return list;
    }

    /** Model inputs as tensors on the manager's device, in the documented order. */
    public NDList toNDList(NDManager manager) {
        return toNDList(manager, (long[]) null);
    }

    /**
     * Model inputs as {@link #toNDList(NDManager)}, every id replaced by its position in {@code
     * rows} (sorted and distinct, holding every id of the batch, e.g. {@link #distinctRows()}): ids
     * into a table of those rows only, the [U, D] copy a training step embeds from so that its
     * gradient is [U, D] and not the whole table's. Masks, not ids, mark padding, so the models see
     * the same inputs. {@code rows == null} keeps the table's ids.
     */
    public NDList toNDList(NDManager manager, long[] rows) {
        int f = spec.categoricalCount();
        int l = spec.sequenceLength();
        int m = spec.multiValuedCount();
        int k = spec.maxValuesPerField();
        int[] position = rows == null ? null : positions(rows);
        NDList list = new NDList(FIRST_SEQUENCE + 3 * spec.sequenceCount());
        list.add(manager.create(ids(categorical, position), new Shape(size, f)));
        list.add(manager.create(numeric, new Shape(size, spec.numericCount())));
        list.add(manager.create(ids(multiIds, position), new Shape(size, m, k)));
        list.add(manager.create(multiMask, new Shape(size, m, k)));
        for (int s = 0; s < spec.sequenceCount(); s++) {
            list.add(manager.create(ids(sequenceItems[s], position), new Shape(size, l)));
            list.add(manager.create(ids(sequenceSides[s], position), new Shape(size, l)));
            list.add(manager.create(sequenceMask[s], new Shape(size, l)));
        }
        return list;
    }

    /** Position of each table row in {@code rows}, -1 for rows not in it. */
    private int[] positions(long[] rows) {
        int[] position = new int[spec.embeddingRows()];
        Arrays.fill(position, -1);
        for (int i = 0; i < rows.length; i++) {
            if (i > 0 && rows[i] <= rows[i - 1]) {
                throw new IllegalArgumentException(
                        "rows must be sorted and distinct: " + rows[i - 1] + " then " + rows[i]);
            }
            position[(int) rows[i]] = i;
        }
        return position;
    }

    private static long[] ids(long[] ids, int[] position) {
        if (position == null) {
            return ids;
        }
        long[] local = new long[ids.length];
        for (int j = 0; j < ids.length; j++) {
            int p = position[(int) ids[j]];
            if (p < 0) {
                throw new IllegalArgumentException(
                        "row " + ids[j] + " of the batch is not among the given rows");
            }
            local[j] = p;
        }
        return local;
    }

    /** Labels [B] as a tensor. */
    public NDArray labels(NDManager manager) {
        return manager.create(labels, new Shape(size));
    }

    /**
     * Sets logits [B] that the training loss adds to the model's (Wide & Deep's joint training: the
     * model learns what the other part leaves unexplained); null for none.
     */
    public void setOffsets(float[] offsets) {
        if (offsets != null && offsets.length != size) {
            throw new IllegalArgumentException(
                    "offsets must have one logit per row: " + offsets.length + " for " + size);
        }
        this.offsets = offsets;
    }

    /** The offsets [B] as a tensor, or null when none are set. */
    public NDArray offsets(NDManager manager) {
        return offsets == null ? null : manager.create(offsets, new Shape(size));
    }

    /**
     * Sets per-row weights [B] of the model's own logit in the training loss (the weight each event
     * was scored with when another part learns how much to trust the model); null for 1.
     */
    public void setLogitScales(float[] scales) {
        if (scales != null && scales.length != size) {
            throw new IllegalArgumentException(
                    "logit scales must have one weight per row: " + scales.length + " for " + size);
        }
        this.logitScales = scales;
    }

    /** The logit scales [B] as a tensor, or null when none are set. */
    public NDArray logitScales(NDManager manager) {
        return logitScales == null ? null : manager.create(logitScales, new Shape(size));
    }

    /**
     * Sets per-row weights [B] of the log loss in training (importance weights, e.g. fake-negative
     * weighting); null for 1, which is also what a batch starts with.
     */
    public void setLossWeights(float[] weights) {
        if (weights != null && weights.length != size) {
            throw new IllegalArgumentException(
                    "loss weights must have one weight per row: "
                            + weights.length
                            + " for "
                            + size);
        }
        if (weights != null) {
            for (int i = 0; i < weights.length; i++) {
                if (!(weights[i] >= 0f) || Float.isInfinite(weights[i])) {
                    throw new IllegalArgumentException(
                            "loss weight " + i + " must be finite and >= 0, got " + weights[i]);
                }
            }
        }
        this.lossWeights = weights;
    }

    /** The loss weights [B] as a tensor, or null when none are set. */
    public NDArray lossWeights(NDManager manager) {
        return lossWeights == null ? null : manager.create(lossWeights, new Shape(size));
    }

    /** Label mask [B] as a tensor (1 = labelled). */
    public NDArray labelMask(NDManager manager) {
        return manager.create(labelMask, new Shape(size));
    }

    /** Input shapes for a batch of the given size (used to initialize blocks). */
    public static Shape[] inputShapes(FeatureSpec spec, int batch) {
        int l = spec.sequenceLength();
        Shape[] shapes = new Shape[FIRST_SEQUENCE + 3 * spec.sequenceCount()];
        shapes[CATEGORICAL] = new Shape(batch, spec.categoricalCount());
        shapes[NUMERIC] = new Shape(batch, spec.numericCount());
        shapes[MULTI_IDS] = new Shape(batch, spec.multiValuedCount(), spec.maxValuesPerField());
        shapes[MULTI_MASK] = shapes[MULTI_IDS];
        for (int s = 0; s < spec.sequenceCount(); s++) {
            for (int j = 0; j < 3; j++) {
                shapes[sequenceItemsIndex(s) + j] = new Shape(batch, l);
            }
        }
        return shapes;
    }
}
