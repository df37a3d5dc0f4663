package io.streamctr.flink.learn;

import java.io.Serializable;

/**
 * When a partial mini-batch is due (issue 18, item 1: event → prediction latency): at the latest
 * {@code timeoutMs} after its first example arrived ({@code ctr.train.batch-timeout}), and, with an
 * idle gap, as soon as no example arrived for {@code idleMs} ({@code
 * ctr.train.batch-idle-timeout}): the input stopped, so waiting longer only delays the predictions
 * already buffered. A stream that keeps the learner busy never leaves such a gap, so its batches
 * stay full.
 *
 * @param timeoutMs a partial batch is processed at most this long after its first example, > 0
 * @param idleMs a partial batch is processed after this long without an example, >= 0 (0: never)
 */
public record BatchDeadline(long timeoutMs, long idleMs) implements Serializable {

    public BatchDeadline {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("batch timeout must be > 0 ms, got " + timeoutMs);
        }
        if (idleMs < 0) {
            throw new IllegalArgumentException(
                    "batch idle timeout must be >= 0 ms (0: none), got " + idleMs);
        }
    }

    /**
     * The processing time a batch whose first example came at {@code startedAt} and whose latest
     * came at {@code lastArrivalAt} is due.
     */
    public long due(long startedAt, long lastArrivalAt) {
        long byTimeout = startedAt + timeoutMs;
        return idleMs == 0 ? byTimeout : Math.min(byTimeout, lastArrivalAt + idleMs);
    }
}
