package io.streamctr.model.metrics;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Counts of positives and negatives per distinct score, for an exact AUC over an unbounded
 * stream. Memory is O(distinct scores), about 32 bytes each; adding a sample is O(1) amortised with
 * no boxing; {@link #twiceU()} is O(D + k log k) for D distinct scores of which k are new since the
 * last call.
 *
 * <p>Scores are keyed by {@link BinaryMetrics#sortableKey}, so -0.0 and 0.0 are one score. Entries
 * live in parallel arrays in insertion order, found through an open-addressing table, and are
 * kept in score order by merging the entries added since the last walk into {@code order}.
 */
final class ScoreCounts {

    private static final int EMPTY_SLOT = -1;

    private int[] keys = new int[16];
    private long[] positives = new long[16];
    private long[] negatives = new long[16];
    private int size;

    private int[] slots = newSlots(32);

    private int[] order = new int[16];
    private int ordered;

    void add(float score, int label) {
        add(BinaryMetrics.sortableKey(score), label == 1 ? 1 : 0, label == 1 ? 0 : 1);
    }

    private void add(int key, long positiveCount, long negativeCount) {
        int id = idOf(key);
        positives[id] += positiveCount;
        negatives[id] += negativeCount;
    }

    int distinct() {
        return size;
    }

    /**
     * Twice the Mann–Whitney U statistic: Σ over positives of 2·(negatives scored lower) +
     * (negatives scored equal). An exact integer while P·N < 2^62.
     */
    long twiceU() {
        sortNewEntries();
        long negativesBelow = 0;
        long twiceU = 0;
        for (int i = 0; i < size; i++) {
            int id = order[i];
            twiceU += positives[id] * (2 * negativesBelow + negatives[id]);
            negativesBelow += negatives[id];
        }
        return twiceU;
    }

    /** Writes the entries in score order: key deltas and counts as variable-length longs. */
    void writeTo(DataOutput out) throws IOException {
        sortNewEntries();
        out.writeInt(size);
        long previousKey = Integer.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            int id = order[i];
            writeVarLong(out, keys[id] - previousKey);
            writeVarLong(out, positives[id]);
            writeVarLong(out, negatives[id]);
            previousKey = keys[id];
        }
    }

    static ScoreCounts readFrom(DataInput in) throws IOException {
        int distinct = in.readInt();
        if (distinct < 0) {
            throw new IllegalArgumentException("Expected a non-negative number of distinct scores, got " + distinct);
        }
        ScoreCounts counts = new ScoreCounts();
        long key = Integer.MIN_VALUE;
        for (int i = 0; i < distinct; i++) {
            long delta = readVarLong(in);
            if (delta > Integer.MAX_VALUE - key || (i > 0 && delta == 0)) {
                throw new IllegalArgumentException(
                        "Corrupt score counts: key delta " + delta + " after key " + key + " at entry " + i);
            }
            key += delta;
            counts.add((int) key, readVarLong(in), readVarLong(in));
        }
        return counts;
    }

    long totalPositives() {
        long total = 0;
        for (int id = 0; id < size; id++) {
            total += positives[id];
        }
        return total;
    }

    long totalNegatives() {
        long total = 0;
        for (int id = 0; id < size; id++) {
            total += negatives[id];
        }
        return total;
    }

    private int idOf(int key) {
        int mask = slots.length - 1;
        int slot = mix(key) & mask;
        while (slots[slot] != EMPTY_SLOT) {
            if (keys[slots[slot]] == key) {
                return slots[slot];
            }
            slot = (slot + 1) & mask;
        }
        int id = size++;
        if (id == keys.length) {
            int capacity = keys.length * 2;
            keys = Arrays.copyOf(keys, capacity);
            positives = Arrays.copyOf(positives, capacity);
            negatives = Arrays.copyOf(negatives, capacity);
        }
        keys[id] = key;
        slots[slot] = id;
        if (2 * size > slots.length) {
            rehash(slots.length * 2);
        }
        return id;
    }

    private void rehash(int capacity) {
        slots = newSlots(capacity);
        int mask = capacity - 1;
        for (int id = 0; id < size; id++) {
            int slot = mix(keys[id]) & mask;
            while (slots[slot] != EMPTY_SLOT) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = id;
        }
    }

    /** Merges the ids added since the last call into {@code order}, in place from the back. */
    private void sortNewEntries() {
        int fresh = size - ordered;
        if (fresh == 0) {
            return;
        }
        long[] byKey = new long[fresh];
        for (int j = 0; j < fresh; j++) {
            int id = ordered + j;
            byKey[j] = ((long) keys[id] << 32) | id;
        }
        Arrays.sort(byKey);
        if (order.length < size) {
            order = Arrays.copyOf(order, keys.length);
        }
        int i = ordered - 1;
        int j = fresh - 1;
        for (int w = size - 1; j >= 0; w--) {
            int freshId = (int) byKey[j];
            if (i >= 0 && keys[order[i]] > keys[freshId]) {
                order[w] = order[i--];
            } else {
                order[w] = freshId;
                j--;
            }
        }
        ordered = size;
    }

    private static int[] newSlots(int capacity) {
        int[] table = new int[capacity];
        Arrays.fill(table, EMPTY_SLOT);
        return table;
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private static void writeVarLong(DataOutput out, long value) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    private static long readVarLong(DataInput in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.readByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    throw new IllegalArgumentException("Corrupt variable-length number: " + value);
                }
                return value;
            }
        }
        throw new IllegalArgumentException("Corrupt variable-length number: more than 10 bytes");
    }
}
