package io.streamctr.flink;

import io.streamctr.schemas.DecodedRecord;
import io.streamctr.schemas.Example;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * Test-only failure injection: passes records through and throws once, at the first record after a
 * checkpoint has completed whose barrier came after at least {@code afterRecords} records. So the
 * job must recover mid-stream from a real checkpoint that holds at least that many records (and,
 * with a slowdown, not many more).
 *
 * <p>Past {@code afterRecords} and until that checkpoint has completed, each record is slowed down
 * by {@code slowdownMillis} and held back while more than {@link #MAX_AHEAD} records are on their
 * way to the learner ({@link Progress} counts the examples the enricher emits). Otherwise the
 * source runs ahead of a slow learner by whole network buffers, the barrier queues behind them, and
 * the checkpoint completes only when the input is used up, too late to fail. Holding back cannot
 * deadlock: the learner runs in another task, and checkpoint notifications reach this task between
 * records. What happened is kept in static fields: the MiniCluster runs in the test's JVM and the
 * restarted task is a new instance.
 */
public final class FailOnceAfterCheckpoint
        implements MapFunction<DecodedRecord, DecodedRecord>,
                CheckpointedFunction,
                CheckpointListener {

    private static final long serialVersionUID = 1L;

    /**
     * The injected failure.
     *
     * @param checkpointedRecords records before the barrier of the checkpoint the job restores from
     * @param failedAtRecord the record that threw
     * @param wallMillis wall-clock time of the throw
     */
    public record Failure(long checkpointedRecords, long failedAtRecord, long wallMillis) {}

    /** Records this map may be ahead of the enricher's output before it waits. */
    public static final long MAX_AHEAD = 64;

    private static final AtomicReference<Failure> FAILURE = new AtomicReference<>();
    private static final AtomicLong ENRICHED = new AtomicLong();

    /** Counts the examples the enricher emits (chained to it, so at the learner's pace). */
    public static final class Progress implements MapFunction<Example, Example> {
        private static final long serialVersionUID = 1L;

        @Override
        public Example map(Example value) {
            ENRICHED.incrementAndGet();
            return value;
        }
    }

    private final long afterRecords;
    private final long slowdownMillis;
    private transient Map<Long, Long> recordsAtBarrier;
    private transient long seen;
    private transient long checkpointedRecords;

    public FailOnceAfterCheckpoint(long afterRecords) {
        this(afterRecords, 2);
    }

    public FailOnceAfterCheckpoint(long afterRecords, long slowdownMillis) {
        this.afterRecords = afterRecords;
        this.slowdownMillis = slowdownMillis;
    }

    /** Arms the next run: forgets an earlier failure. */
    public static void reset() {
        FAILURE.set(null);
        ENRICHED.set(0);
    }

    /** The failure injected since {@link #reset()}, or null. */
    public static Failure failure() {
        return FAILURE.get();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        recordsAtBarrier = new HashMap<>();
        checkpointedRecords = -1;
    }

    @Override
    public DecodedRecord map(DecodedRecord value) throws InterruptedException {
        seen++;
        if (FAILURE.get() == null) {
            if (checkpointedRecords >= 0
                    && FAILURE.compareAndSet(
                            null,
                            new Failure(checkpointedRecords, seen, System.currentTimeMillis()))) {
                throw new IllegalStateException(
                        "injected failure at record "
                                + seen
                                + ", after a checkpoint of "
                                + checkpointedRecords
                                + " records");
            }
            if (seen >= afterRecords) {
                Thread.sleep(slowdownMillis);
                long deadline = System.currentTimeMillis() + 10_000;
                while (seen - ENRICHED.get() > MAX_AHEAD && System.currentTimeMillis() < deadline) {
                    Thread.sleep(1);
                }
            }
        }
        return value;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        recordsAtBarrier.put(context.getCheckpointId(), seen);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        Long records = recordsAtBarrier.remove(checkpointId);
        if (records != null && records >= afterRecords && checkpointedRecords < 0) {
            checkpointedRecords = records;
        }
    }
}
