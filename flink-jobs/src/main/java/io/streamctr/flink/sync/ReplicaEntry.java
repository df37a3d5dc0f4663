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
 * last cut and the sync messages it holds.
 *
 * <p>Bytes: format byte {@link #FORMAT}, replica and replicas (ints), local batches (int), the
 * learner and sync snapshots (int length, bytes each), the messages (int count, then int length and
 * bytes each).
 */
public record ReplicaEntry(
        int replica,
        int replicas,
        int localBatches,
        byte[] learner,
        byte[] sync,
        List<byte[]> messages) {

    public static final byte FORMAT = 1;

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
            int n = in.readInt();
            List<byte[]> messages = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                messages.add(block(in));
            }
            return new ReplicaEntry(replica, replicas, localBatches, learner, sync, messages);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "truncated replica state entry of " + bytes.length + " bytes", e);
        }
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
