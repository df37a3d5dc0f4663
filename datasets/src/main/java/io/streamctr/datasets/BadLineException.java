package io.streamctr.datasets;

/**
 * Thrown by a {@link LineMapper} for a line it cannot turn into events; the stream counts the line
 * as bad, keeps the message as the reason and goes on. Carries no stack trace: it is an expected
 * outcome on dirty data, not a bug.
 */
public final class BadLineException extends RuntimeException {

    public BadLineException(String reason) {
        super(reason, null, false, false);
    }
}
