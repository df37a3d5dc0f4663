package io.streamctr.model.enrich;

import io.streamctr.schemas.BehaviourSequence;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * One behaviour sequence in primitive arrays, oldest first: the enricher's state form of a {@link
 * BehaviourSequence} (issue 18: no boxed Avro lists to build, write and read per event). Immutable:
 * {@link #appended} returns a new sequence, so an example may keep a view of the one it was scored
 * with while the user's state moves on.
 *
 * <p>Shapes: L = the sequence's length, at most the enricher's max length; {@code items} [L],
 * {@code sides} [L], {@code times} [L].
 */
public final class CompactSequence {

    /** The empty sequence. */
    public static final CompactSequence EMPTY =
            new CompactSequence(new int[0], new int[0], new long[0]);

    private final int[] items;
    private final int[] sides;
    private final long[] times;

    /**
     * The sequence of these arrays, which it owns from now on (not copied).
     *
     * @throws IllegalArgumentException if the arrays' lengths differ
     */
    public CompactSequence(int[] items, int[] sides, long[] times) {
        if (items.length != sides.length || items.length != times.length) {
            throw new IllegalArgumentException(
                    "a sequence's arrays must have one length, got items "
                            + items.length
                            + ", sides "
                            + sides.length
                            + ", times "
                            + times.length);
        }
        this.items = items;
        this.sides = sides;
        this.times = times;
    }

    /** The compact form of an Avro sequence (the enricher's older state format). */
    public static CompactSequence of(BehaviourSequence seq) {
        List<Integer> items = seq.getItems();
        List<Integer> sides = seq.getSides();
        List<Long> times = seq.getTimes();
        int n = items.size();
        if (sides.size() != n || times.size() != n) {
            throw new IllegalArgumentException(
                    "a sequence's lists must have one length, got items "
                            + n
                            + ", sides "
                            + sides.size()
                            + ", times "
                            + times.size());
        }
        int[] i = new int[n];
        int[] s = new int[n];
        long[] t = new long[n];
        for (int k = 0; k < n; k++) {
            i[k] = items.get(k);
            s[k] = sides.get(k);
            t[k] = times.get(k);
        }
        return new CompactSequence(i, s, t);
    }

    public int length() {
        return items.length;
    }

    public int item(int k) {
        return items[k];
    }

    public int side(int k) {
        return sides[k];
    }

    public long time(int k) {
        return times[k];
    }

    /**
     * A new sequence with one item appended, keeping the {@code maxLength} most recent; this one is
     * not modified.
     */
    public CompactSequence appended(int item, int side, long time, int maxLength) {
        int keep = Math.min(items.length, maxLength - 1);
        int from = items.length - keep;
        int[] i = new int[keep + 1];
        int[] s = new int[keep + 1];
        long[] t = new long[keep + 1];
        System.arraycopy(items, from, i, 0, keep);
        System.arraycopy(sides, from, s, 0, keep);
        System.arraycopy(times, from, t, 0, keep);
        i[keep] = item;
        s[keep] = side;
        t[keep] = time;
        return new CompactSequence(i, s, t);
    }

    /**
     * The Avro sequence an example carries: read-only list views of these arrays, no copy (values
     * are boxed when read).
     */
    public BehaviourSequence toAvro() {
        return BehaviourSequence.newBuilder()
                .setItems(new IntView(items))
                .setSides(new IntView(sides))
                .setTimes(new LongView(times))
                .build();
    }

    private static final class IntView extends AbstractList<Integer> implements RandomAccess {
        private final int[] values;

        IntView(int[] values) {
            this.values = values;
        }

        @Override
        public Integer get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    private static final class LongView extends AbstractList<Long> implements RandomAccess {
        private final long[] values;

        LongView(long[] values) {
            this.values = values;
        }

        @Override
        public Long get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }
}
