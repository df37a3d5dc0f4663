package io.streamctr.flink.sync;

import io.streamctr.model.sync.ReplicaDelta;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The other replicas' deltas one replica has received and not yet applied, by round: chunks are put
 * together into {@link ReplicaDelta}s; a round is complete when every other replica's delta of it
 * is. Its content is kept in operator state as the raw messages ({@link #messages()}), since the
 * sync source has moved past them.
 */
final class SyncInbox {

    private final String learner;
    private final int replica;
    private final int replicas;

    /** round → replica → chunks (null until received). */
    private final Map<Long, Map<Integer, SyncMessage[]>> rounds = new TreeMap<>();

    SyncInbox(String learner, int replica, int replicas) {
        this.learner = learner;
        this.replica = replica;
        this.replicas = replicas;
    }

    /**
     * Keeps a chunk of another replica of this learner at this P, of round {@code minRound} or
     * later; returns whether it was kept.
     */
    boolean add(SyncMessage m, long minRound) {
        if (m.kind() != SyncMessage.CHUNK
                || !learner.equals(m.learner())
                || m.replicas() != replicas
                || m.replica() == replica
                || m.round() < minRound
                || m.chunk() < 0
                || m.chunk() >= m.chunks()) {
            return false;
        }
        SyncMessage[] chunks =
                rounds.computeIfAbsent(m.round(), r -> new TreeMap<>())
                        .computeIfAbsent(m.replica(), p -> new SyncMessage[m.chunks()]);
        if (chunks.length != m.chunks()) {
            throw new IllegalStateException(
                    "replica "
                            + m.replica()
                            + "'s delta of round "
                            + m.round()
                            + " came in "
                            + chunks.length
                            + " and "
                            + m.chunks()
                            + " chunks");
        }
        chunks[m.chunk()] = m; // a duplicate (at-least-once) replaces an equal chunk
        return true;
    }

    /** Whether some other replica's delta of the round (part of it at least) is here. */
    boolean started(long round) {
        return rounds.containsKey(round);
    }

    /** Whether every other replica's delta of the round is here in full. */
    boolean complete(long round) {
        Map<Integer, SyncMessage[]> byReplica = rounds.get(round);
        if (byReplica == null || byReplica.size() != replicas - 1) {
            return false;
        }
        for (SyncMessage[] chunks : byReplica.values()) {
            for (SyncMessage c : chunks) {
                if (c == null) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The other replicas' deltas of a {@link #complete} round, removed from the inbox. */
    List<ReplicaDelta> take(long round) {
        if (!complete(round)) {
            throw new IllegalStateException("round " + round + " is not complete");
        }
        List<ReplicaDelta> out = new ArrayList<>();
        for (SyncMessage[] chunks : rounds.remove(round).values()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (SyncMessage c : chunks) {
                bytes.writeBytes(c.payload());
            }
            out.add(ReplicaDelta.fromBytes(bytes.toByteArray()));
        }
        return out;
    }

    /** Forgets rounds before {@code round}. */
    void dropBefore(long round) {
        rounds.keySet().removeIf(r -> r < round);
    }

    /** Every kept chunk, as its bytes (for operator state). */
    List<byte[]> messages() {
        List<byte[]> out = new ArrayList<>();
        for (Map<Integer, SyncMessage[]> byReplica : rounds.values()) {
            for (SyncMessage[] chunks : byReplica.values()) {
                for (SyncMessage c : chunks) {
                    if (c != null) {
                        out.add(c.toBytes());
                    }
                }
            }
        }
        return out;
    }
}
