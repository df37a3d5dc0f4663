package io.streamctr.flink.sync;

import io.streamctr.model.sync.ReplicaDelta;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One record of the sync topic: a chunk of a replica's {@link ReplicaDelta} (deltas are cut into
 * chunks of at most {@link #CHUNK_BYTES}, under Kafka's default 1 MB record limit) or a replica's
 * end marker (its examples ended and it has nothing left to synchronise as of {@code round}).
 *
 * <p>Bytes: kind (1 chunk, 2 end; plus {@link #TAGGED} when attempt and epoch follow), learner name
 * (modified UTF-8), round (long), replica and replicas (ints), chunk index and chunk count (ints),
 * run (int), attempt (int) and epoch (long) when tagged, payload length (int) and payload. Untagged
 * bytes (the first format) read as run 0, attempt 0, epoch 0.
 *
 * <p>Run and epoch tell a replica restored from checkpoint C which messages belong to the state it
 * restored: those its sender wrote before the sender's own snapshot C (epoch at most C), and those
 * of its own attempt; the rest were written by an attempt that failed after C and are dropped (the
 * sync topic is not transactional: docs/scale-out.md).
 *
 * @param kind {@link #CHUNK} or {@link #END}
 * @param learner the learner's name
 * @param round the round
 * @param replica the replica that wrote it
 * @param replicas P
 * @param chunk this chunk's index
 * @param chunks the delta's chunks
 * @param payload the chunk's bytes (empty for an end marker)
 * @param run the writing task's {@link #run} (the checkpoint it restored from, its attempt number)
 * @param attempt the writing task's attempt number
 * @param epoch one more than the last checkpoint the writer had snapshotted when it wrote this
 */
public record SyncMessage(
        byte kind,
        String learner,
        long round,
        int replica,
        int replicas,
        int chunk,
        int chunks,
        byte[] payload,
        int run,
        int attempt,
        long epoch) {

    public static final byte CHUNK = 1;
    public static final byte END = 2;

    /** Added to the kind byte when attempt and epoch follow the header. */
    public static final byte TAGGED = 0x10;

    /** The largest payload of one chunk. */
    public static final int CHUNK_BYTES = 512 * 1024;

    /** A delta's chunks, written by {@code run} ({@code attempt}) at {@code epoch}. */
    public static List<SyncMessage> chunks(
            String learner, ReplicaDelta delta, int run, int attempt, long epoch) {
        byte[] bytes = delta.toBytes();
        int n = Math.max(1, (bytes.length + CHUNK_BYTES - 1) / CHUNK_BYTES);
        List<SyncMessage> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] part =
                    Arrays.copyOfRange(
                            bytes, i * CHUNK_BYTES, Math.min(bytes.length, (i + 1) * CHUNK_BYTES));
            out.add(
                    new SyncMessage(
                            CHUNK,
                            learner,
                            delta.round(),
                            delta.replica(),
                            delta.replicas(),
                            i,
                            n,
                            part,
                            run,
                            attempt,
                            epoch));
        }
        return out;
    }

    /** A replica's end marker as of {@code round}. */
    public static SyncMessage end(
            String learner,
            long round,
            int replica,
            int replicas,
            int run,
            int attempt,
            long epoch) {
        return new SyncMessage(
                END, learner, round, replica, replicas, 0, 0, new byte[0], run, attempt, epoch);
    }

    /**
     * One run of a replica: the checkpoint it restored from (-1: none) and its attempt number,
     * hashed. All tasks of the job restart together after a failure, from the same checkpoint, so
     * the replicas of one run share it.
     */
    public static int run(long restoredCheckpoint, int attemptNumber) {
        return 31 * Long.hashCode(restoredCheckpoint) + attemptNumber + 1;
    }

    /**
     * Whether a replica of {@code run}, restored from checkpoint {@code restored} (-1: none), takes
     * this message: written by its own run, or before its writer's snapshot {@code restored}.
     */
    public boolean belongsTo(int run, long restored) {
        return this.run == run || epoch <= restored;
    }

    public byte[] toBytes() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 64);
                DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(kind + TAGGED);
            out.writeUTF(learner);
            out.writeLong(round);
            out.writeInt(replica);
            out.writeInt(replicas);
            out.writeInt(chunk);
            out.writeInt(chunks);
            out.writeInt(run);
            out.writeInt(attempt);
            out.writeLong(epoch);
            out.writeInt(payload.length);
            out.write(payload);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@link #toBytes()}; IllegalArgumentException for other bytes. */
    public static SyncMessage fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte kind = in.readByte();
            boolean tagged = kind >= TAGGED;
            if (tagged) {
                kind -= TAGGED;
            }
            if (kind != CHUNK && kind != END) {
                throw new IllegalArgumentException("not a sync message: kind " + kind);
            }
            String learner = in.readUTF();
            long round = in.readLong();
            int replica = in.readInt();
            int replicas = in.readInt();
            int chunk = in.readInt();
            int chunks = in.readInt();
            int run = tagged ? in.readInt() : 0;
            int attempt = tagged ? in.readInt() : 0;
            long epoch = tagged ? in.readLong() : 0;
            int length = in.readInt();
            if (length < 0 || length != in.available()) {
                throw new IllegalArgumentException(
                        "sync message claims " + length + " bytes, " + in.available() + " left");
            }
            byte[] payload = new byte[length];
            in.readFully(payload);
            return new SyncMessage(
                    kind, learner, round, replica, replicas, chunk, chunks, payload, run, attempt,
                    epoch);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "truncated sync message of " + bytes.length + " bytes", e);
        }
    }
}
