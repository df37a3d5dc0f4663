package io.streamctr.flink;

import io.streamctr.schemas.DecodedRecord;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test-only failure injection: passes records through and throws once, after at least
 * {@code afterRecords} records and at least one completed checkpoint in this attempt, so the job
 * must recover mid-stream from a real checkpoint. The flag is static: the MiniCluster runs in the
 * test's JVM and the restarted task is a new instance.
 */
public final class FailOnceAfterCheckpoint implements MapFunction<DecodedRecord, DecodedRecord>, CheckpointListener {

    private static final long serialVersionUID = 1L;

    public static final AtomicBoolean FAILED = new AtomicBoolean();

    private final long afterRecords;
    private long seen;
    private boolean checkpointCompleted;

    public FailOnceAfterCheckpoint(long afterRecords) {
        this.afterRecords = afterRecords;
    }

    @Override
    public DecodedRecord map(DecodedRecord value) {
        if (++seen >= afterRecords && checkpointCompleted && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure after " + seen + " records");
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointCompleted = true;
    }
}
