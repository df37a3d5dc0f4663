package io.streamctr.model.sync;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one replica ships in one synchronisation round: per {@link StateArray} of its learner, the
 * rows it changed since the round's agreed state and their values now (the sparse exchange: an
 * embedding row no event of the replica touched is not sent; a dense parameter is one row).
 *
 * <p>Bytes: format byte {@link #FORMAT}, model name (modified UTF-8), round (long), replica and
 * replicas (ints), the layout's fingerprint (int, {@link ReplicaSync#fingerprint}), the arrays
 * (int); per array: its width (int), whether doubles (byte), changed rows (int), their ids (ints),
 * their values (rows × width floats or doubles). About 4 + 4·width bytes per changed float row.
 *
 * @param model the model's name
 * @param round the round this delta belongs to (0, 1, …)
 * @param replica the replica that cut it (0 ≤ replica < replicas)
 * @param replicas P
 * @param fingerprint the layout of the arrays it was cut from
 * @param arrays one entry per state array, in the learner's order
 */
public record ReplicaDelta(
        String model, long round, int replica, int replicas, int fingerprint, List<Rows> arrays) {

    /** First byte of the encoding. */
    public static final byte FORMAT = 1;

    /**
     * The changed rows of one array.
     *
     * @param width values per row
     * @param doubles whether the values travel as doubles
     * @param ids the changed rows, ascending
     * @param values their values, ids.length × width
     */
    public record Rows(int width, boolean doubles, int[] ids, double[] values) {
        public Rows {
            if (values.length != (long) ids.length * width) {
                throw new IllegalArgumentException(
                        ids.length
                                + " rows of "
                                + width
                                + " need "
                                + ids.length * width
                                + " values, got "
                                + values.length);
            }
        }
    }

    public ReplicaDelta {
        if (replicas < 1 || replica < 0 || replica >= replicas) {
            throw new IllegalArgumentException(
                    "replica " + replica + " of " + replicas + ": need 0 <= replica < replicas");
        }
        if (round < 0) {
            throw new IllegalArgumentException("round must be >= 0, got " + round);
        }
        arrays = List.copyOf(arrays);
    }

    /** Changed rows over all arrays. */
    public long changedRows() {
        long n = 0;
        for (Rows r : arrays) {
            n += r.ids().length;
        }
        return n;
    }

    /** The encoding. */
    public byte[] toBytes() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeUTF(model);
            out.writeLong(round);
            out.writeInt(replica);
            out.writeInt(replicas);
            out.writeInt(fingerprint);
            out.writeInt(arrays.size());
            for (Rows r : arrays) {
                out.writeInt(r.width());
                out.writeBoolean(r.doubles());
                out.writeInt(r.ids().length);
                for (int id : r.ids()) {
                    out.writeInt(id);
                }
                for (double v : r.values()) {
                    if (r.doubles()) {
                        out.writeDouble(v);
                    } else {
                        out.writeFloat((float) v);
                    }
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@link #toBytes()}; IllegalArgumentException for bytes that are not a delta. */
    public static ReplicaDelta fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length == 0 || bytes[0] != FORMAT) {
            throw new IllegalArgumentException(
                    "not a replica delta: "
                            + (bytes == null || bytes.length == 0
                                    ? "no bytes"
                                    : "format " + bytes[0] + ", expected " + FORMAT));
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            in.readByte();
            String model = in.readUTF();
            long round = in.readLong();
            int replica = in.readInt();
            int replicas = in.readInt();
            int fingerprint = in.readInt();
            int count = in.readInt();
            List<Rows> arrays = new ArrayList<>();
            for (int a = 0; a < count; a++) {
                int width = in.readInt();
                boolean doubles = in.readBoolean();
                int n = in.readInt();
                long need = (long) n * (4 + (long) width * (doubles ? 8 : 4));
                if (n < 0 || width < 0 || need > in.available()) {
                    throw new IllegalArgumentException(
                            "replica delta array "
                                    + a
                                    + " claims "
                                    + n
                                    + " rows of "
                                    + width
                                    + ", "
                                    + in.available()
                                    + " bytes left");
                }
                int[] ids = new int[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = in.readInt();
                }
                double[] values = new double[n * width];
                for (int i = 0; i < values.length; i++) {
                    values[i] = doubles ? in.readDouble() : in.readFloat();
                }
                arrays.add(new Rows(width, doubles, ids, values));
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException(
                        "replica delta has " + in.available() + " bytes after its end");
            }
            return new ReplicaDelta(model, round, replica, replicas, fingerprint, arrays);
        } catch (EOFException e) {
            throw new IllegalArgumentException(
                    "truncated replica delta of " + bytes.length + " bytes", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
