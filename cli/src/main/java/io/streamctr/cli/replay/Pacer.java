package io.streamctr.cli.replay;

import io.streamctr.schemas.ClickEvent;

/**
 * Decides when the next event of a replay may be sent: at a fixed rate, on the data's own clock, or
 * at once.
 */
interface Pacer {

    /** Blocks until {@code event} may go. */
    void await(ClickEvent event) throws InterruptedException;

    /** Sends as fast as the producer takes the events. */
    static Pacer unpaced() {
        return event -> {};
    }

    /** The time source and sleep of a pacer; tests use a simulated one. */
    interface Clock {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;

        static Clock system() {
            return new Clock() {
                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }

                @Override
                public void sleepNanos(long nanos) throws InterruptedException {
                    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
                }
            };
        }
    }
}
