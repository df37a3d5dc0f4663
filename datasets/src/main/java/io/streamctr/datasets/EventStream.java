package io.streamctr.datasets;

import io.streamctr.schemas.ClickEvent;
import java.io.Closeable;
import java.util.Iterator;
import java.util.List;

/**
 * A data set read as a stream of {@link ClickEvent}s, one at a time: the files stay on disk and are
 * read as the stream is consumed. Close it to release the files.
 */
public interface EventStream extends Iterator<ClickEvent>, Closeable {

    /** The bad lines met so far. */
    BadLines badLines();

    /**
     * How many events the stream will give in total: exact when {@link #totalIsExact()}, else an
     * estimate from the share of bytes read so far; -1 while unknown.
     */
    long expectedTotal();

    /** Whether {@link #expectedTotal()} is the exact count. */
    boolean totalIsExact();

    @Override
    void close();

    /** The events of a list, in list order; no bad lines, exact total. */
    static EventStream of(List<ClickEvent> events) {
        Iterator<ClickEvent> it = events.iterator();
        BadLines none = new BadLines(-1);
        return new EventStream() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public ClickEvent next() {
                return it.next();
            }

            @Override
            public BadLines badLines() {
                return none;
            }

            @Override
            public long expectedTotal() {
                return events.size();
            }

            @Override
            public boolean totalIsExact() {
                return true;
            }

            @Override
            public void close() {}
        };
    }
}
