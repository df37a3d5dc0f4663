package io.streamctr.flink;

import io.streamctr.schemas.DecodedRecord;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test-only failure injection: passes records through and throws once, after at least
 * {@code afterRecords} records and at least one completed checkpoint in this attempt, so the job
 * must recover mid-stream from a real checkpoint. Past {@code afterRecords} and until a checkpoint
 * has completed, each record is slowed down a little, so a fast job cannot finish first (blocking
 * would deadlock: checkpoint notifications run on the same task thread). The flag is static: the
 * MiniCluster runs in the test's JVM and the restarted task is a new instance.
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
    public DecodedRecord map(DecodedRecord value) throws InterruptedException {
        if (++seen >= afterRecords && !FAILED.get()) {
            if (checkpointCompleted && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after " + seen + " records");
            }
            Thread.sleep(2);
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointCompleted = true;
    }
}
