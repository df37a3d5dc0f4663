package io.streamctr.bench;

import io.streamctr.schemas.Example;
import java.util.ArrayList;
import java.util.List;

/**
 * Full mini-batches taken in order from a list of examples, starting over at the end, so a
 * measurement longer than one pass over the data keeps every batch at its full size.
 */
public final class BatchCursor {

    private final List<Example> examples;
    private final int batchSize;
    private int next;
    private long passes;

    public BatchCursor(List<Example> examples, int batchSize) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no examples");
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
        }
        this.examples = examples;
        this.batchSize = batchSize;
    }

    /** The next batch-size examples, wrapping around the end of the list. */
    public List<Example> next() {
        if (next + batchSize <= examples.size()) {
            List<Example> slice = examples.subList(next, next + batchSize);
            next += batchSize;
            return slice;
        }
        List<Example> slice = new ArrayList<>(batchSize);
        while (slice.size() < batchSize) {
            int take = Math.min(batchSize - slice.size(), examples.size() - next);
            slice.addAll(examples.subList(next, next + take));
            next += take;
            if (next == examples.size()) {
                next = 0;
                passes++;
            }
        }
        return slice;
    }

    /** Completed passes over the examples. */
    public long passes() {
        return passes;
    }
}
