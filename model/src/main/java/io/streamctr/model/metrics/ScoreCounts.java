package io.streamctr.model.metrics;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts of positives and negatives per distinct score, with the exact Mann–Whitney U kept up to
 * date, for an exact AUC over an unbounded stream.
 *
 * <p>A log-structured merge: samples gather in a small buffer; a full buffer (or a read) becomes a
 * sorted {@link ScoreRun}, whose pairs with every older run are counted by binary search, and runs
 * of similar size are merged so that there are O(log D) of them. Adding costs O(log² D) amortised
 * per sample, reading U is O(1) after the flush of at most {@value #BUFFER} samples, and memory is
 * O(D) for D distinct scores: about 20 bytes each once merged.
 */
final class ScoreCounts {

    private static final int BUFFER = 1024;

    private final long[] pending = new long[BUFFER];
    private int pendingCount;
    private final List<ScoreRun> runs = new ArrayList<>();
    private long twiceU;

    void add(float score, int label) {
        // score key in the high bits, label in the lowest: sorting orders by score
        pending[pendingCount++] = ((long) BinaryMetrics.sortableKey(score) << 1) | label;
        if (pendingCount == BUFFER) {
            flush();
        }
    }

    /**
     * Twice the Mann–Whitney U statistic: Σ over positives of 2·(negatives scored lower) +
     * (negatives scored equal). An exact integer while P·N < 2^62.
     */
    long twiceU() {
        flush();
        return twiceU;
    }

    long totalPositives() {
        flush();
        long total = 0;
        for (ScoreRun run : runs) {
            total += run.totalPositives();
        }
        return total;
    }

    long totalNegatives() {
        flush();
        long total = 0;
        for (ScoreRun run : runs) {
            total += run.totalNegatives();
        }
        return total;
    }

    /**
     * Σ over distinct scores of positives · negatives: the positive–negative pairs with equal
     * scores. O(D).
     */
    long tiedPairs() {
        ScoreRun all = compact();
        long tied = 0;
        for (int i = 0; i < all.size(); i++) {
            tied += all.positives(i) * all.negatives(i);
        }
        return tied;
    }

    /** Writes the distinct scores in order: key deltas and counts as variable-length longs. */
    void writeTo(DataOutput out) throws IOException {
        ScoreRun all = compact();
        out.writeInt(all.size());
        long previousKey = Integer.MIN_VALUE;
        for (int i = 0; i < all.size(); i++) {
            writeVarLong(out, all.keys[i] - previousKey);
            writeVarLong(out, all.positives(i));
            writeVarLong(out, all.negatives(i));
            previousKey = all.keys[i];
        }
    }

    static ScoreCounts readFrom(DataInput in) throws IOException {
        int distinct = in.readInt();
        if (distinct < 0) {
            throw new IllegalArgumentException(
                    "Expected a non-negative number of distinct scores, got " + distinct);
        }
        // grown as read, so a corrupt count cannot allocate more than the bytes hold
        int[] keys = new int[Math.min(distinct, 1 << 16)];
        long[] cumPositives = new long[keys.length + 1];
        long[] cumNegatives = new long[keys.length + 1];
        long key = Integer.MIN_VALUE;
        for (int i = 0; i < distinct; i++) {
            long delta = readVarLong(in);
            if (delta > Integer.MAX_VALUE - key || (i > 0 && delta == 0)) {
                throw new IllegalArgumentException(
                        "Corrupt score counts: key delta "
                                + delta
                                + " after key "
                                + key
                                + " at entry "
                                + i);
            }
            key += delta;
            if (i == keys.length) {
                int capacity = (int) Math.min(distinct, 2L * keys.length);
                keys = Arrays.copyOf(keys, capacity);
                cumPositives = Arrays.copyOf(cumPositives, capacity + 1);
                cumNegatives = Arrays.copyOf(cumNegatives, capacity + 1);
            }
            keys[i] = (int) key;
            cumPositives[i + 1] = cumPositives[i] + readVarLong(in);
            cumNegatives[i + 1] = cumNegatives[i] + readVarLong(in);
        }
        ScoreCounts counts = new ScoreCounts();
        if (distinct > 0) {
            ScoreRun run = new ScoreRun(keys, cumPositives, cumNegatives);
            counts.runs.add(run);
            counts.twiceU = run.twiceU();
        }
        return counts;
    }

    private void flush() {
        if (pendingCount == 0) {
            return;
        }
        ScoreRun fresh = sortedRun(pending, pendingCount);
        pendingCount = 0;
        twiceU += fresh.twiceU();
        for (ScoreRun run : runs) {
            twiceU += fresh.twiceCrossU(run);
        }
        runs.add(fresh);
        int last = runs.size() - 1;
        while (last > 0 && runs.get(last - 1).size() <= 2 * runs.get(last).size()) {
            ScoreRun merged = ScoreRun.merge(runs.get(last - 1), runs.remove(last));
            runs.set(--last, merged);
        }
    }

    private ScoreRun compact() {
        flush();
        while (runs.size() > 1) {
            int last = runs.size() - 1;
            runs.set(last - 1, ScoreRun.merge(runs.get(last - 1), runs.remove(last)));
        }
        return runs.isEmpty() ? new ScoreRun(new int[0], new long[1], new long[1]) : runs.get(0);
    }

    private static ScoreRun sortedRun(long[] keyedLabels, int length) {
        Arrays.sort(keyedLabels, 0, length);
        int[] keys = new int[length];
        long[] cumPositives = new long[length + 1];
        long[] cumNegatives = new long[length + 1];
        int n = -1;
        long previous = 0;
        for (int i = 0; i < length; i++) {
            long key = keyedLabels[i] >> 1;
            if (n < 0 || key != previous) {
                n++;
                keys[n] = (int) key;
                cumPositives[n + 1] = cumPositives[n];
                cumNegatives[n + 1] = cumNegatives[n];
                previous = key;
            }
            if ((keyedLabels[i] & 1L) == 1L) {
                cumPositives[n + 1]++;
            } else {
                cumNegatives[n + 1]++;
            }
        }
        int distinct = n + 1;
        return new ScoreRun(
                Arrays.copyOf(keys, distinct),
                Arrays.copyOf(cumPositives, distinct + 1),
                Arrays.copyOf(cumNegatives, distinct + 1));
    }

    static void writeVarLong(DataOutput out, long value) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    static long readVarLong(DataInput in) throws IOException {
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
