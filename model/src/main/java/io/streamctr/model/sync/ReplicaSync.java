package io.streamctr.model.sync;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One replica's side of data-parallel training with parameter averaging: the state the replicas
 * agreed on at the last round, the cut of this replica's {@link ReplicaDelta} for the next round,
 * and the round's application once all P deltas are in. A replica keeps training between its cut
 * and the round's application: what it learned meanwhile (its values now minus those it shipped) is
 * kept on top of the combined state, so nothing learned is dropped; replicas that did not train in
 * between hold identical values after the round (bit for bit: every replica adds the same deltas in
 * replica order to the same agreed values).
 *
 * <p>Rules per array: {@link Combine}. Rows are compared bit for bit with the agreed values: a row
 * is shipped when any of its values changed (an embedding row the replica's events touched, or one
 * whose optimizer state moved). Not thread-safe; one replica, one thread.
 */
public final class ReplicaSync {

    /** First byte of {@link #snapshot()}. */
    public static final byte FORMAT = 1;

    private final String model;
    private final List<StateArray> arrays;
    private final int replica;
    private final int replicas;
    private final int fingerprint;

    /** Per array, the values every replica agreed on at the last round. */
    private double[][] agreed;

    private long round;

    /** This replica's delta of {@link #round}, once cut. */
    private ReplicaDelta cut;

    /** Starts at round 0 from the learner's values now (the same on every replica). */
    public ReplicaSync(String model, List<StateArray> arrays, int replica, int replicas) {
        if (replicas < 1 || replica < 0 || replica >= replicas) {
            throw new IllegalArgumentException(
                    "replica " + replica + " of " + replicas + ": need 0 <= replica < replicas");
        }
        this.model = model;
        this.arrays = List.copyOf(arrays);
        this.replica = replica;
        this.replicas = replicas;
        this.fingerprint = fingerprint(this.arrays);
        this.agreed = readAll();
    }

    /** A hash of the arrays' names, shapes, rules and precisions. */
    public static int fingerprint(List<StateArray> arrays) {
        int h = 17;
        for (StateArray a : arrays) {
            h = 31 * h + a.name().hashCode();
            h = 31 * h + a.rows();
            h = 31 * h + a.width();
            h = 31 * h + a.combine().ordinal();
            h = 31 * h + (a.doubles() ? 1 : 0);
        }
        return h;
    }

    /** Rounds applied so far; the next cut belongs to this round. */
    public long round() {
        return round;
    }

    public int replica() {
        return replica;
    }

    public int replicas() {
        return replicas;
    }

    /** Whether this replica cut its delta of {@link #round()} and waits for the others'. */
    public boolean awaiting() {
        return cut != null;
    }

    /** This replica's delta of the current round, once cut; else null. */
    public ReplicaDelta cutDelta() {
        return cut;
    }

    /**
     * Cuts this replica's delta of the current round: the rows that differ from the agreed values.
     * IllegalStateException if already cut.
     */
    public ReplicaDelta cut() {
        if (cut != null) {
            throw new IllegalStateException("round " + round + " is already cut");
        }
        List<ReplicaDelta.Rows> rows = new ArrayList<>(arrays.size());
        for (int a = 0; a < arrays.size(); a++) {
            StateArray array = arrays.get(a);
            rows.add(changedRows(array, agreed[a], array.peek()));
        }
        cut = new ReplicaDelta(model, round, replica, replicas, fingerprint, rows);
        return cut;
    }

    private static ReplicaDelta.Rows changedRows(StateArray array, double[] base, double[] now) {
        int width = array.width();
        int[] ids = new int[array.rows()];
        int n = 0;
        for (int r = 0; r < array.rows(); r++) {
            int from = r * width;
            for (int j = from; j < from + width; j++) {
                if (Double.doubleToRawLongBits(base[j]) != Double.doubleToRawLongBits(now[j])) {
                    ids[n++] = r;
                    break;
                }
            }
        }
        double[] values = new double[n * width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(now, ids[i] * width, values, i * width, width);
        }
        return new ReplicaDelta.Rows(
                width, array.doubles(), java.util.Arrays.copyOf(ids, n), values);
    }

    /**
     * Applies the current round: {@code deltas} are the P replicas' deltas of it (this replica's
     * own among them, in any order). The combined values become the agreed ones; the learner gets
     * them plus what it learned since its cut; the round advances. Only the rows some replica
     * changed are read and written.
     *
     * @throws IllegalArgumentException when the deltas are not exactly one per replica of this
     *     round, or were cut from another layout
     */
    public void apply(List<ReplicaDelta> deltas) {
        if (cut == null) {
            throw new IllegalStateException("round " + round + " is not cut on replica " + replica);
        }
        List<ReplicaDelta> ordered = checked(deltas);
        for (int a = 0; a < arrays.size(); a++) {
            applyArray(a, ordered);
        }
        cut = null;
        round++;
    }

    private void applyArray(int a, List<ReplicaDelta> ordered) {
        StateArray array = arrays.get(a);
        int width = array.width();
        int[] ids = union(ordered, a);
        if (ids.length == 0) {
            return;
        }
        double[] base = agreed[a];
        double[] next = new double[ids.length * width]; // the combined rows
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(base, ids[i] * width, next, i * width, width);
        }
        double[] shipped = next.clone(); // this replica's rows as it cut them
        put(cut.arrays().get(a), ids, shipped);
        boolean max = array.combine() == Combine.MAX;
        double[] sum = max ? null : new double[next.length];
        for (ReplicaDelta d : ordered) {
            ReplicaDelta.Rows rows = d.arrays().get(a);
            for (int r = 0; r < rows.ids().length; r++) {
                int at = java.util.Arrays.binarySearch(ids, rows.ids()[r]) * width;
                for (int j = 0; j < width; j++) {
                    double v = rows.values()[r * width + j];
                    if (max) {
                        next[at + j] = Math.max(next[at + j], v);
                    } else {
                        sum[at + j] += v - next[at + j]; // next still holds the agreed value
                    }
                }
            }
        }
        if (!max) {
            double scale = array.combine() == Combine.MEAN ? 1.0 / ordered.size() : 1.0;
            for (int i = 0; i < next.length; i++) {
                next[i] += sum[i] * scale;
            }
        }
        if (!array.doubles()) {
            for (int i = 0; i < next.length; i++) {
                next[i] = (float) next[i];
            }
        }
        double[] now = array.readRows(ids);
        for (int i = 0; i < now.length; i++) {
            now[i] = max ? Math.max(next[i], now[i]) : next[i] + (now[i] - shipped[i]);
        }
        array.writeRows(ids, now);
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(next, i * width, base, ids[i] * width, width);
        }
    }

    /** The rows any delta changed in array {@code a}, ascending. */
    private static int[] union(List<ReplicaDelta> deltas, int a) {
        int n = 0;
        for (ReplicaDelta d : deltas) {
            n += d.arrays().get(a).ids().length;
        }
        int[] all = new int[n];
        int at = 0;
        for (ReplicaDelta d : deltas) {
            int[] ids = d.arrays().get(a).ids();
            System.arraycopy(ids, 0, all, at, ids.length);
            at += ids.length;
        }
        java.util.Arrays.sort(all);
        int u = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[u++] = all[i];
            }
        }
        return java.util.Arrays.copyOf(all, u);
    }

    /** Writes the delta's rows into {@code target}, laid out as {@code ids}. */
    private static void put(ReplicaDelta.Rows rows, int[] ids, double[] target) {
        int width = rows.width();
        for (int r = 0; r < rows.ids().length; r++) {
            int at = java.util.Arrays.binarySearch(ids, rows.ids()[r]) * width;
            System.arraycopy(rows.values(), r * width, target, at, width);
        }
    }

    private List<ReplicaDelta> checked(List<ReplicaDelta> deltas) {
        if (deltas == null || deltas.size() != replicas) {
            throw new IllegalArgumentException(
                    "round "
                            + round
                            + " needs "
                            + replicas
                            + " deltas, got "
                            + (deltas == null ? 0 : deltas.size()));
        }
        List<ReplicaDelta> ordered = new ArrayList<>(deltas);
        ordered.sort(Comparator.comparingInt(ReplicaDelta::replica));
        for (int p = 0; p < replicas; p++) {
            ReplicaDelta d = ordered.get(p);
            if (d.replica() != p || d.round() != round || d.replicas() != replicas) {
                throw new IllegalArgumentException(
                        "round "
                                + round
                                + " of "
                                + replicas
                                + " replicas got a delta of replica "
                                + d.replica()
                                + " of "
                                + d.replicas()
                                + ", round "
                                + d.round());
            }
            if (d.fingerprint() != fingerprint
                    || d.arrays().size() != arrays.size()
                    || !model.equals(d.model())) {
                throw new IllegalArgumentException(
                        "replica "
                                + p
                                + "'s delta of model '"
                                + d.model()
                                + "' was cut from"
                                + " another layout than model '"
                                + model
                                + "''s");
            }
        }
        return ordered;
    }

    private double[][] readAll() {
        double[][] values = new double[arrays.size()][];
        for (int a = 0; a < arrays.size(); a++) {
            values[a] = arrays.get(a).read();
        }
        return values;
    }

    /**
     * The sync state (not the learner's): the round, the agreed values where they differ from the
     * learner's now (the rows it changed since the last round: sparse, as a delta) and this
     * replica's cut if any. Restore it into a replica whose learner holds the values it had then.
     */
    public byte[] snapshot() {
        List<ReplicaDelta.Rows> rows = new ArrayList<>(arrays.size());
        for (int a = 0; a < arrays.size(); a++) {
            StateArray array = arrays.get(a);
            // rows where the agreed values differ from the learner's, with the agreed values
            rows.add(changedRows(array, array.peek(), agreed[a]));
        }
        byte[] diff =
                new ReplicaDelta(model, round, replica, replicas, fingerprint, rows).toBytes();
        byte[] own = cut == null ? new byte[0] : cut.toBytes();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(fingerprint);
            out.writeLong(round);
            out.writeInt(diff.length);
            out.write(diff);
            out.writeInt(own.length);
            out.write(own);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A hash of the learner's values now, bit for bit (for checks and logs). */
    public int stateHash() {
        int h = fingerprint;
        for (StateArray a : arrays) {
            h = 31 * h + java.util.Arrays.hashCode(a.peek());
        }
        return h;
    }

    /** The round of a {@link #snapshot()} (the rounds that replica had applied). */
    public static long roundOf(byte[] snapshot) {
        if (snapshot == null || snapshot.length < 13 || snapshot[0] != FORMAT) {
            throw new IllegalArgumentException("not a sync snapshot");
        }
        return java.nio.ByteBuffer.wrap(snapshot, 5, 8).getLong();
    }

    /**
     * Restores a {@link #snapshot()} of this replica (same layout) into a replica whose learner was
     * restored to the values it had when the snapshot was taken.
     */
    public void restore(byte[] snapshot) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            if (in.readByte() != FORMAT) {
                throw new IllegalArgumentException(
                        "sync snapshot format " + snapshot[0] + ", expected " + FORMAT);
            }
            if (in.readInt() != fingerprint) {
                throw new IllegalArgumentException(
                        "sync snapshot of another layout than model '" + model + "''s");
            }
            long savedRound = in.readLong();
            ReplicaDelta diff = ReplicaDelta.fromBytes(block(in));
            byte[] own = block(in);
            ReplicaDelta ownCut = own.length == 0 ? null : ReplicaDelta.fromBytes(own);
            if (ownCut != null && (ownCut.replica() != replica || ownCut.replicas() != replicas)) {
                throw new IllegalArgumentException(
                        "sync snapshot of replica "
                                + ownCut.replica()
                                + " of "
                                + ownCut.replicas()
                                + ", this is "
                                + replica
                                + " of "
                                + replicas);
            }
            if (diff.arrays().size() != arrays.size()) {
                throw new IllegalArgumentException(
                        "sync snapshot has "
                                + diff.arrays().size()
                                + " arrays, expected "
                                + arrays.size());
            }
            double[][] values = readAll();
            for (int a = 0; a < arrays.size(); a++) {
                ReplicaDelta.Rows rows = diff.arrays().get(a);
                int width = arrays.get(a).width();
                for (int i = 0; i < rows.ids().length; i++) {
                    System.arraycopy(
                            rows.values(), i * width, values[a], rows.ids()[i] * width, width);
                }
            }
            agreed = values;
            round = savedRound;
            cut = ownCut;
        } catch (EOFException e) {
            throw new IllegalArgumentException(
                    "truncated sync snapshot of " + snapshot.length + " bytes", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] block(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IllegalArgumentException(
                    "sync snapshot block of " + length + " bytes, " + in.available() + " left");
        }
        byte[] b = new byte[length];
        in.readFully(b);
        return b;
    }

    /**
     * Starts afresh at {@code startRound} from the learner's values now (after a restore at another
     * P, where every replica starts from the same merged state).
     */
    public void restart(long startRound) {
        agreed = readAll();
        round = startRound;
        cut = null;
    }
}
