package io.github.rnn4j.io;

import java.io.IOException;

/**
 * Thrown when a file's contents break the rules of its format: bad magic bytes, a truncated body, a header that
 * contradicts the data, a weight whose shape does not fit its layer.
 *
 * <p>The message names the file and says what was found, for example
 * {@code weights.npy: truncated: the header needs 96 bytes of data, the file has 40}.
 */
public class FileFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    FileFormatException(String message) {
        super(message);
    }

    FileFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
