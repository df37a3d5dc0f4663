package io.streamctr.cli;

/**
 * A usage or input error of a command (an unknown name, a bad option value, a missing or unreadable
 * path, data with no event in it): {@link Main} prints its message as one line on stderr, {@code
 * streamctr COMMAND: message}, and exits with code 2, without a stack trace unless {@code
 * --verbose}. The message names what was wrong and what was expected.
 */
public final class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
