package io.streamctr.flink.sync;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One replica's entry of the learner's operator state: which replica of how many, its learner's
 * snapshot, its {@link io.streamctr.model.sync.ReplicaSync} state, the training batches since its
 * last cut, the sync messages it holds and the examples it held back while it waited for a round
 * ({@code ctr.sync.max-batches-ahead}), not yet scored.
 *
 * <p>Bytes: format byte {@link #FORMAT}, replica and replicas (ints), local batches (int), the
 * learner and sync snapshots (int length, bytes each), the messages (int count, then int length and
 * bytes each), then, where there are any, the held examples the same way as the messages (Avro
 * single-object encoding; an entry without them ends after the messages, as before they existed).
 */
public record ReplicaEntry(
        int replica,
        int replicas,
        int localBatches,
        byte[] learner,
        byte[] sync,
        List<byte[]> messages,
        List<byte[]> held) {

    public static final byte FORMAT = 1;

    /** An entry without held examples. */
    public ReplicaEntry(
            int replica,
            int replicas,
            int localBatches,
            byte[] learner,
            byte[] sync,
            List<byte[]> messages) {
        this(replica, replicas, localBatches, learner, sync, messages, List.of());
    }

    public byte[] toBytes() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(replica);
            out.writeInt(replicas);
            out.writeInt(localBatches);
            out.writeInt(learner.length);
            out.write(learner);
            out.writeInt(sync.length);
            out.write(sync);
            out.writeInt(messages.size());
            for (byte[] m : messages) {
                out.writeInt(m.length);
                out.write(m);
            }
            if (!held.isEmpty()) {
                out.writeInt(held.size());
                for (byte[] e : held) {
                    out.writeInt(e.length);
                    out.write(e);
                }
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ReplicaEntry fromBytes(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != FORMAT) {
            throw new IllegalArgumentException(
                    "not a replica state entry (format "
                            + (bytes.length == 0 ? "none" : bytes[0])
                            + ", expected "
                            + FORMAT
                            + "): was the state written by a learner at parallelism 1?");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            in.readByte();
            int replica = in.readInt();
            int replicas = in.readInt();
            int localBatches = in.readInt();
            byte[] learner = block(in);
            byte[] sync = block(in);
            List<byte[]> messages = blocks(in);
            List<byte[]> held = in.available() > 0 ? blocks(in) : List.of();
            return new ReplicaEntry(replica, replicas, localBatches, learner, sync, messages, held);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "truncated replica state entry of " + bytes.length + " bytes", e);
        }
    }

    private static List<byte[]> blocks(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IllegalArgumentException("replica state list of " + n + " blocks");
        }
        List<byte[]> out = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            out.add(block(in));
        }
        return out;
    }

    private static byte[] block(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IllegalArgumentException(
                    "replica state block of " + length + " bytes, " + in.available() + " left");
        }
        byte[] b = new byte[length];
        in.readFully(b);
        return b;
    }
}
