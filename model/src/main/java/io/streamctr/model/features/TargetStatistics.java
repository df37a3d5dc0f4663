package io.streamctr.model.features;

import io.streamctr.model.sync.Combine;
import io.streamctr.model.sync.StateArray;
import io.streamctr.schemas.ClickEvent;
import io.streamctr.schemas.Example;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Leak-free online target statistics: CatBoost's ordered target statistics (Prokhorenkova et al.,
 * NeurIPS 2018, §3.2) done on a stream. Per key it keeps decayed counts of labelled events and of
 * clicks; {@link #read} gives an event the statistics of the events learned before it and {@link
 * #update} then adds the event's label, so reading event i before updating with it, in stream
 * order, never lets its own label or a later one in.
 *
 * <p>Key groups, in order: user, item, with {@code valueGroups} each categorical field's value and
 * each multi-valued field's values (averaged over the event's K first), and with a side field the
 * user × side value pairs (averaged). Per group two features: log(1 + count) and the smoothed rate
 * (clicks + a·p) / (count + a), p the running click rate, given as its log-odds minus p's (0 for a
 * value never seen, positive above the base rate), so that a rate is on the same scale on a stream
 * with 1 % clicks as on one with 50 %.
 *
 * <p>Counts decay with the number of labelled events: a count made {@code t} events ago weighs
 * 2^(−t / halfLife). Keys are hashed into one table of 2^bits slots (collisions share a counter),
 * so the state is bounded: 16 · 2^bits bytes. Not thread-safe.
 */
public final class TargetStatistics {

    /** Format version of {@link #snapshot()}. */
    public static final byte SNAPSHOT_VERSION = 1;

    /** Pseudo-events at the prior p in the smoothed rate (the anchor's a = 2). */
    public static final double SMOOTHING = 2.0;

    private static final int USER = StableHash.hash("ts:user");
    private static final int ITEM = StableHash.hash("ts:item");
    private static final int USER_SIDE = StableHash.hash("ts:user*side");
    private static final double MAX_LOG_ODDS = 10.0;

    private final FeatureSpec spec;
    private final int bits;
    private final int mask;
    private final double halfLife;
    private final double decayPerEvent;
    private final boolean valueGroups;
    private final int[] categorical;
    private final int[] multiValued;
    private final float[] count;
    private final float[] clicks;
    private final long[] stamp;
    private final List<String> names;
    private long time;
    private double priorCount;
    private double priorClicks;

    /**
     * Every key group, the per-value ones included.
     *
     * @param spec the fields whose values are keys
     * @param bits log2 of the table's slots, 4..28
     * @param halfLife labelled events after which a count weighs half (> 0; infinite for no decay)
     */
    public TargetStatistics(FeatureSpec spec, int bits, double halfLife) {
        this(spec, bits, halfLife, true);
    }

    /**
     * @param spec the fields whose values are keys
     * @param bits log2 of the table's slots, 4..28
     * @param halfLife labelled events after which a count weighs half (> 0; infinite for no decay)
     * @param valueGroups whether each categorical and multi-valued field's values are key groups
     *     (else only user, item and user × side value)
     */
    public TargetStatistics(FeatureSpec spec, int bits, double halfLife, boolean valueGroups) {
        if (spec == null) {
            throw new IllegalArgumentException("spec must not be null");
        }
        if (bits < 4 || bits > 28) {
            throw new IllegalArgumentException("bits must be in [4, 28], got " + bits);
        }
        if (!(halfLife > 0)) {
            throw new IllegalArgumentException("half-life must be > 0 events, got " + halfLife);
        }
        this.spec = spec;
        this.bits = bits;
        this.mask = (1 << bits) - 1;
        this.halfLife = halfLife;
        this.decayPerEvent = Double.isInfinite(halfLife) ? 0.0 : Math.log(2) / halfLife;
        this.valueGroups = valueGroups;
        this.categorical =
                valueGroups ? namespaces("ts:cat:", spec.categoricalFields()) : new int[0];
        this.multiValued =
                valueGroups ? namespaces("ts:multi:", spec.multiValuedFields()) : new int[0];
        this.count = new float[1 << bits];
        this.clicks = new float[1 << bits];
        this.stamp = new long[1 << bits];
        List<String> groups = new ArrayList<>();
        groups.add("user");
        groups.add("item");
        if (valueGroups) {
            spec.categoricalFields().forEach(f -> groups.add("cat:" + f));
            spec.multiValuedFields().forEach(f -> groups.add("multi:" + f));
        }
        if (spec.sideField() != null) {
            groups.add("user*side");
        }
        List<String> n = new ArrayList<>();
        for (String g : groups) {
            n.add("ts.count:" + g);
            n.add("ts.rate:" + g);
        }
        this.names = List.copyOf(n);
    }

    /** The names of the features {@link #read} writes, in order: count and rate of each group. */
    public List<String> names() {
        return names;
    }

    /** Whether each categorical and multi-valued field's values are key groups. */
    public boolean valueGroups() {
        return valueGroups;
    }

    /** Labelled events learned from so far. */
    public long time() {
        return time;
    }

    /** The running click rate p: (clicks + 1) / (events + 2), decayed as the counts. */
    public double prior() {
        return (priorClicks + 1.0) / (priorCount + 2.0);
    }

    /** Writes the statistics of the event, before its label, into {@code out[offset ..]}. */
    public void read(Example example, float[] out, int offset) {
        ClickEvent e = event(example);
        double p = prior();
        double priorLogOdds = Math.log(p / (1 - p));
        int user = StableHash.hash(e.getUserId());
        int o = offset;
        o = write(out, o, sums(slot(USER, user)), p, priorLogOdds);
        o = write(out, o, sums(slot(ITEM, StableHash.hash(e.getItemId()))), p, priorLogOdds);
        Map<String, String> cats = e.getCategorical();
        for (int c = 0; c < categorical.length; c++) {
            String v = cats.get(spec.categoricalFields().get(c));
            double[] s =
                    v == null || v.isEmpty()
                            ? new double[2]
                            : sums(slot(categorical[c], StableHash.hash(v)));
            o = write(out, o, s, p, priorLogOdds);
        }
        Map<String, List<String>> multi = e.getMultiValued();
        for (int m = 0; m < multiValued.length; m++) {
            List<String> values = multi.get(spec.multiValuedFields().get(m));
            o = writeMean(out, o, values, multiValued[m], p, priorLogOdds);
        }
        if (spec.sideField() != null) {
            o = writeMean(out, o, sideValues(e), mix(USER_SIDE, user), p, priorLogOdds);
        }
    }

    /** Adds the event's label to its keys' counts; an unlabelled event changes nothing. */
    public void update(Example example) {
        ClickEvent e = event(example);
        Integer label = e.getLabel();
        if (label == null) {
            return;
        }
        if (label != 0 && label != 1) {
            throw new IllegalArgumentException(
                    "label must be 0, 1 or null, got " + label + " (event " + e.getEventId() + ")");
        }
        double keep = Math.exp(-decayPerEvent);
        priorCount = priorCount * keep + 1;
        priorClicks = priorClicks * keep + label;
        time++;
        int user = StableHash.hash(e.getUserId());
        add(slot(USER, user), label);
        add(slot(ITEM, StableHash.hash(e.getItemId())), label);
        Map<String, String> cats = e.getCategorical();
        for (int c = 0; c < categorical.length; c++) {
            String v = cats.get(spec.categoricalFields().get(c));
            if (v != null && !v.isEmpty()) {
                add(slot(categorical[c], StableHash.hash(v)), label);
            }
        }
        Map<String, List<String>> multi = e.getMultiValued();
        for (int m = 0; m < multiValued.length; m++) {
            addAll(multi.get(spec.multiValuedFields().get(m)), multiValued[m], label);
        }
        if (spec.sideField() != null) {
            addAll(sideValues(e), mix(USER_SIDE, user), label);
        }
    }

    private int writeMean(
            float[] out, int o, List<String> values, int namespace, double p, double priorLogOdds) {
        int k = values == null ? 0 : Math.min(spec.maxValuesPerField(), values.size());
        if (k == 0) {
            return write(out, o, new double[2], p, priorLogOdds);
        }
        double logCount = 0;
        double logOdds = 0;
        for (int j = 0; j < k; j++) {
            double[] s = sums(slot(namespace, StableHash.hash(values.get(j))));
            logCount += Math.log1p(s[0]);
            logOdds += logOdds(s, p) - priorLogOdds;
        }
        out[o] = (float) (logCount / k);
        out[o + 1] = (float) (logOdds / k);
        return o + 2;
    }

    private static int write(float[] out, int o, double[] s, double p, double priorLogOdds) {
        out[o] = (float) Math.log1p(s[0]);
        out[o + 1] = (float) (logOdds(s, p) - priorLogOdds);
        return o + 2;
    }

    private static double logOdds(double[] s, double p) {
        double rate = (s[1] + SMOOTHING * p) / (s[0] + SMOOTHING);
        double lo = Math.log(rate / (1 - rate));
        return Math.max(-MAX_LOG_ODDS, Math.min(MAX_LOG_ODDS, lo));
    }

    private List<String> sideValues(ClickEvent e) {
        List<String> values = e.getMultiValued().get(spec.sideField());
        if (values != null && !values.isEmpty()) {
            return values;
        }
        String single = e.getCategorical().get(spec.sideField());
        return single == null || single.isEmpty() ? null : List.of(single);
    }

    /** The decayed (count, clicks) of a slot at the current time. */
    private double[] sums(int slot) {
        double keep = decay(slot);
        return new double[] {count[slot] * keep, clicks[slot] * keep};
    }

    private double decay(int slot) {
        long age = time - stamp[slot];
        return age == 0 || decayPerEvent == 0 ? 1.0 : Math.exp(-decayPerEvent * age);
    }

    private void addAll(List<String> values, int namespace, int label) {
        if (values == null) {
            return;
        }
        int k = Math.min(spec.maxValuesPerField(), values.size());
        for (int j = 0; j < k; j++) {
            add(slot(namespace, StableHash.hash(values.get(j))), label);
        }
    }

    /**
     * Adds one event to the slot, after the time has advanced past it (as the prior: one decay per
     * event).
     */
    private void add(int slot, int label) {
        double keep = decay(slot);
        count[slot] = (float) (count[slot] * keep + 1);
        clicks[slot] = (float) (clicks[slot] * keep + label);
        stamp[slot] = time;
    }

    private int slot(int namespace, int value) {
        return mix(namespace, value) & mask;
    }

    private static ClickEvent event(Example example) {
        if (example == null || example.getEvent() == null) {
            throw new IllegalArgumentException("example and its event must not be null");
        }
        return example.getEvent();
    }

    private static int[] namespaces(String prefix, List<String> fields) {
        return fields.stream().mapToInt(f -> StableHash.hash(prefix + f)).toArray();
    }

    /**
     * One MurmurHash3_x86_32 round of {@code value} on seed {@code namespace}, then its finalizer.
     */
    private static int mix(int namespace, int value) {
        int k = value * 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15);
        k *= 0x1b873593;
        int h = namespace ^ k;
        h = Integer.rotateLeft(h, 13);
        h = h * 5 + 0xe6546b64;
        h ^= 4;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /**
     * The state as the arrays data-parallel replicas exchange ({@link
     * io.streamctr.model.sync.ReplicaSync}), named {@code <prefix>…}: each slot's count and clicks
     * add the replicas' increments ({@link Combine#SUM}: each replica counted its own events), its
     * stamp takes the latest ({@link Combine#MAX}); the time and the prior add their increments
     * (events seen in all). Exact without decay; with a half-life a slot's increments are taken at
     * different stamps, an approximation of the order of a round's events over the half-life.
     */
    public List<StateArray> syncArrays(String prefix) {
        int slots = count.length;
        return List.of(
                StateArray.ofFloats(prefix + "ts count", slots, 1, Combine.SUM, count),
                StateArray.ofFloats(prefix + "ts clicks", slots, 1, Combine.SUM, clicks),
                StateArray.of(
                        prefix + "ts stamp",
                        slots,
                        1,
                        Combine.MAX,
                        true,
                        () -> {
                            double[] v = new double[slots];
                            for (int i = 0; i < slots; i++) {
                                v[i] = stamp[i];
                            }
                            return v;
                        },
                        v -> {
                            for (int i = 0; i < slots; i++) {
                                stamp[i] = (long) v[i];
                            }
                        }),
                StateArray.of(
                        prefix + "ts time and prior",
                        1,
                        3,
                        Combine.SUM,
                        true,
                        () -> new double[] {time, priorCount, priorClicks},
                        v -> {
                            time = Math.round(v[0]);
                            priorCount = Math.max(0, v[1]);
                            priorClicks = Math.max(0, v[2]);
                        }));
    }

    /** Forgets everything: every count, the prior and the time. */
    public void clear() {
        java.util.Arrays.fill(count, 0f);
        java.util.Arrays.fill(clicks, 0f);
        java.util.Arrays.fill(stamp, 0L);
        time = 0;
        priorCount = 0;
        priorClicks = 0;
    }

    /**
     * The state: version byte, bits, half-life, time, the prior's count and clicks, then the number
     * and (slot, count, clicks, stamp) of every used slot in slot order.
     */
    public byte[] snapshot() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(SNAPSHOT_VERSION);
            out.writeInt(bits);
            out.writeDouble(halfLife);
            out.writeLong(time);
            out.writeDouble(priorCount);
            out.writeDouble(priorClicks);
            int used = 0;
            for (int s = 0; s < count.length; s++) {
                used += count[s] != 0 ? 1 : 0;
            }
            out.writeInt(used);
            for (int s = 0; s < count.length; s++) {
                if (count[s] != 0) {
                    out.writeInt(s);
                    out.writeFloat(count[s]);
                    out.writeFloat(clicks[s]);
                    out.writeLong(stamp[s]);
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces the state with a {@link #snapshot()}'s, checked in full first:
     * IllegalArgumentException (state kept) when it is of another version, size or half-life,
     * truncated, or inconsistent.
     */
    public void restore(byte[] snapshot) {
        if (snapshot == null || snapshot.length == 0) {
            throw new IllegalArgumentException("target statistics snapshot is empty");
        }
        if (snapshot[0] != SNAPSHOT_VERSION) {
            throw new IllegalArgumentException(
                    "unsupported target statistics snapshot version "
                            + snapshot[0]
                            + ", expected "
                            + SNAPSHOT_VERSION);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            in.readByte();
            int savedBits = in.readInt();
            double savedHalfLife = in.readDouble();
            if (savedBits != bits || Double.compare(savedHalfLife, halfLife) != 0) {
                throw new IllegalArgumentException(
                        "target statistics snapshot has 2^"
                                + savedBits
                                + " slots and half-life "
                                + savedHalfLife
                                + ", this learner 2^"
                                + bits
                                + " and "
                                + halfLife);
            }
            long savedTime = in.readLong();
            double pc = in.readDouble();
            double pk = in.readDouble();
            int used = in.readInt();
            if (savedTime < 0
                    || !(pc >= 0)
                    || !(pk >= 0)
                    || pk > pc + 1e-6
                    || used < 0
                    || used > count.length) {
                throw new IllegalArgumentException(
                        "target statistics snapshot is inconsistent (time "
                                + savedTime
                                + ", prior "
                                + pk
                                + "/"
                                + pc
                                + ", "
                                + used
                                + " slots)");
            }
            if ((long) snapshot.length != 1L + 4 + 8 + 8 + 16 + 4 + 20L * used) {
                throw new IllegalArgumentException(
                        "target statistics snapshot of "
                                + used
                                + " slots must be "
                                + (1L + 4 + 8 + 8 + 16 + 4 + 20L * used)
                                + " bytes, got "
                                + snapshot.length);
            }
            int[] slots = new int[used];
            float[] counts = new float[used];
            float[] clickCounts = new float[used];
            long[] stamps = new long[used];
            for (int k = 0; k < used; k++) {
                slots[k] = in.readInt();
                counts[k] = in.readFloat();
                clickCounts[k] = in.readFloat();
                stamps[k] = in.readLong();
                if (slots[k] < 0
                        || slots[k] >= count.length
                        || (k > 0 && slots[k] <= slots[k - 1])
                        || !(counts[k] > 0)
                        || !(clickCounts[k] >= 0)
                        || stamps[k] < 0
                        || stamps[k] > savedTime) {
                    throw new IllegalArgumentException(
                            "target statistics snapshot slot " + k + " is invalid");
                }
            }
            clear();
            for (int k = 0; k < used; k++) {
                count[slots[k]] = counts[k];
                clicks[slots[k]] = clickCounts[k];
                stamp[slots[k]] = stamps[k];
            }
            time = savedTime;
            priorCount = pc;
            priorClicks = pk;
        } catch (EOFException e) {
            throw new IllegalArgumentException(
                    "target statistics snapshot is truncated (" + snapshot.length + " bytes)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
