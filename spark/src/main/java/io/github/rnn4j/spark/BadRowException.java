package io.github.rnn4j.spark;

/**
 * A row that cannot be scored: a null or malformed input value, or a value the model refuses. The scorer turns it
 * into a null prediction and a count, or rethrows it as an {@link IllegalArgumentException} when fail-fast is on.
 */
final class BadRowException extends Exception {
    private static final long serialVersionUID = 1L;

    BadRowException(String message) {
        super(message, null, false, false);
    }
}
