package io.github.rnn4j.cli;

/**
 * A bad argument or input file found by a command: printed as one line naming the argument or file and what was
 * expected, exit status 2.
 */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
