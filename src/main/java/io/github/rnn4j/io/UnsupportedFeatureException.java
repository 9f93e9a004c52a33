package io.github.rnn4j.io;

/**
 * Thrown when a well-formed file uses something rnn4j does not read: a big-endian or Fortran-ordered NumPy array,
 * an HDF5 feature outside the subset Keras writes, a Keras layer or layer option without an rnn4j equivalent.
 *
 * <p>The message names the file, the part (for example the Keras layer) and the feature, for example
 * {@code model.h5: layer 'conv1d_1' (Conv1D) is not supported; supported layers: ...}.
 */
public class UnsupportedFeatureException extends FileFormatException {
    private static final long serialVersionUID = 1L;

    UnsupportedFeatureException(String message) {
        super(message);
    }
}
