package io.streamctr.flink.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

/** The sync topic's records: bytes, the first format, and which run's records a replica takes. */
class SyncMessageTest {

    @Test
    void roundTripsWithRunAndEpoch() {
        SyncMessage m =
                new SyncMessage(
                        SyncMessage.CHUNK, "dnn", 7, 1, 2, 0, 3, new byte[] {1, 2, 3}, 42, 4, 9);
        SyncMessage back = SyncMessage.fromBytes(m.toBytes());
        assertThat(back.run()).isEqualTo(42);
        assertThat(back.attempt()).isEqualTo(4);
        assertThat(back.epoch()).isEqualTo(9);
        assertThat(back.round()).isEqualTo(7);
        assertThat(back.chunks()).isEqualTo(3);
        assertThat(back.payload()).containsExactly(1, 2, 3);
        SyncMessage end = SyncMessage.fromBytes(SyncMessage.end("dnn", 4, 0, 2, 8, 5, 6).toBytes());
        assertThat(end.kind()).isEqualTo(SyncMessage.END);
        assertThat(end.attempt()).isEqualTo(5);
    }

    @Test
    void readsTheFirstFormatAsRunZeroEpochZero() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(SyncMessage.END);
            out.writeUTF("dnn");
            out.writeLong(3);
            out.writeInt(1);
            out.writeInt(2);
            out.writeInt(0);
            out.writeInt(0);
            out.writeInt(0);
        }
        SyncMessage m = SyncMessage.fromBytes(bytes.toByteArray());
        assertThat(m.round()).isEqualTo(3);
        assertThat(m.run()).isZero();
        assertThat(m.attempt()).isZero();
        assertThat(m.epoch()).isZero();
        assertThatThrownBy(() -> SyncMessage.fromBytes(new byte[] {9, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a sync message");
    }

    @Test
    void aRestoredReplicaDropsWhatAFailedRunWroteAfterItsCheckpoint() {
        int failed = SyncMessage.run(-1, 0);
        int now = SyncMessage.run(5, 1);
        assertThat(now).isNotEqualTo(failed);
        // restored from checkpoint 5: the failed run's messages before its snapshot 5 belong
        assertThat(message(failed, 5).belongsTo(now, 5)).isTrue();
        assertThat(message(failed, 6).belongsTo(now, 5)).isFalse();
        // its own run's, whatever their epoch
        assertThat(message(now, 6).belongsTo(now, 5)).isTrue();
        // a run that restored nothing takes only its own
        assertThat(message(failed, 1).belongsTo(SyncMessage.run(-1, 1), -1)).isFalse();
        assertThat(message(failed, 1).belongsTo(failed, -1)).isTrue();
        // the same attempt restored from another checkpoint is another run
        assertThat(SyncMessage.run(7, 1)).isNotEqualTo(now);
    }

    private static SyncMessage message(int run, long epoch) {
        return new SyncMessage(SyncMessage.CHUNK, "dnn", 0, 0, 2, 0, 1, new byte[0], run, 0, epoch);
    }
}
