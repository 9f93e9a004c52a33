package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;

import java.util.Arrays;

/**
 * The shape of one sample's value, without the batch axis: {@code [timeSteps, features]} for a sequence,
 * {@code [features]} for a vector. A dimension of {@link #UNKNOWN} is not fixed (Keras's {@code None}), as the
 * time steps of most recurrent inputs. Immutable and thread-safe.
 */
public final class Shape {
    /** A dimension that is not fixed ahead of the call (Keras {@code None}). */
    public static final int UNKNOWN = -1;

    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    /**
     * A shape of rank 1 or 2.
     *
     * @param dims one or two dimensions, each at least 0 or {@link #UNKNOWN}
     * @return the shape
     * @throws IllegalArgumentException when the rank is not 1 or 2 or a dimension is below {@link #UNKNOWN}
     */
    public static Shape of(int... dims) {
        Checks.notNull("dims", dims);
        if (dims.length < 1 || dims.length > 2) {
            throw new IllegalArgumentException("dims has " + dims.length + " dimensions " + Checks.dims(dims)
                    + ", expected 1 (a vector) or 2 (a sequence [timeSteps][features])");
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < UNKNOWN) {
                throw new IllegalArgumentException("dims[" + i + "] is " + dims[i] + ", expected >= 0 or UNKNOWN");
            }
        }
        return new Shape(dims.clone());
    }

    /**
     * The shape {@code [timeSteps][features]} of a sequence; {@code timeSteps} may be {@link #UNKNOWN}.
     *
     * @param timeSteps the number of steps, or {@link #UNKNOWN}
     * @param features the features of each step
     * @return a rank-2 shape
     */
    public static Shape sequence(int timeSteps, int features) {
        return of(timeSteps, features);
    }

    /**
     * The shape {@code [features]} of a vector.
     *
     * @param features the vector length
     * @return a rank-1 shape
     */
    public static Shape vector(int features) {
        return of(features);
    }

    /**
     * 2 for a sequence, 1 for a vector.
     *
     * @return the rank
     */
    public int rank() {
        return dims.length;
    }

    /**
     * Whether this is the shape of a sequence.
     *
     * @return {@code true} for rank 2
     */
    public boolean isSequence() {
        return dims.length == 2;
    }

    /**
     * Dimension {@code i}, or {@link #UNKNOWN}.
     *
     * @param i 0 or 1, below {@link #rank()}
     * @return the dimension
     */
    public int dim(int i) {
        return dims[i];
    }

    /**
     * The last dimension: the features of a sequence's steps or the length of a vector.
     *
     * @return the last dimension
     */
    public int features() {
        return dims[dims.length - 1];
    }

    /**
     * The time steps of a sequence shape, or {@link #UNKNOWN}.
     *
     * @return the first dimension of a sequence
     */
    public int timeSteps() {
        if (dims.length != 2) {
            throw new IllegalStateException("shape " + this + " is a vector: it has no time steps");
        }
        return dims[0];
    }

    /**
     * The dimensions, a new array.
     *
     * @return a copy of the dimensions
     */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * The number of values, or {@link #UNKNOWN} when a dimension is not fixed.
     *
     * @return the product of the dimensions, or {@link #UNKNOWN}
     */
    public long size() {
        long n = 1;
        for (int d : dims) {
            if (d == UNKNOWN) {
                return UNKNOWN;
            }
            n *= d;
        }
        return n;
    }

    /**
     * Whether a concrete shape fits this one, where {@link #UNKNOWN} matches any size.
     *
     * @param actual the shape of a value
     * @return {@code true} when the ranks match and every dimension known on both sides is equal
     */
    public boolean accepts(Shape actual) {
        if (actual.dims.length != dims.length) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != UNKNOWN && actual.dims[i] != UNKNOWN && dims[i] != actual.dims[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Prints as {@code [?][12]}, the same way every message in rnn4j prints shapes. */
    @Override
    public String toString() {
        return Checks.dims(dims);
    }
}
