package io.streamctr.cli.replay;

import io.streamctr.schemas.ClickEvent;

/**
 * Replays on the data's own clock, {@code speedup} times faster: an event whose time is {@code d}
 * ms after the first event's is due {@code d / speedup} ms after the first was sent. An event that
 * is already due (the producer was slow, or the data is not quite in order) goes at once, and later
 * events keep to the original schedule, so the average speed-up holds.
 */
final class EventTimePacer implements Pacer {

    private final double speedup;
    private final Clock clock;
    private boolean started;
    private long firstEventMillis;
    private long startNanos;

    EventTimePacer(double speedup, Clock clock) {
        if (!(speedup > 0) || Double.isInfinite(speedup)) {
            throw new IllegalArgumentException("speed-up must be > 0 and finite, got " + speedup);
        }
        this.speedup = speedup;
        this.clock = clock;
    }

    @Override
    public void await(ClickEvent event) throws InterruptedException {
        long now = clock.nanoTime();
        if (!started) {
            started = true;
            firstEventMillis = event.getEventTime();
            startNanos = now;
            return;
        }
        double offsetNanos = (event.getEventTime() - firstEventMillis) * 1e6 / speedup;
        long wait = startNanos + (long) offsetNanos - now;
        if (wait > 0) {
            clock.sleepNanos(wait);
        }
    }
}
