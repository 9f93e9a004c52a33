package io.github.rnn4j.io;

import io.github.rnn4j.internal.Handover;
import io.github.rnn4j.model.Tensor;

import java.util.Arrays;

/**
 * An array just read from a file: its shape and its values as doubles in row-major order, handed over without a
 * copy. The reader that made it keeps no reference, so the loader may give the array to a layer as its own.
 *
 * <p>Package-private plumbing between the readers and the loaders; not thread-safe until handed over.
 */
final class ArrayData {
    private final String source;
    private final int[] shape;
    private final double[] data;
    private final String dtype;

    /**
     * @param source the array in messages, for example {@code model.h5: dataset '/dense/kernel:0'}
     */
    ArrayData(String source, int[] shape, double[] data) {
        this(source, shape, data, null);
    }

    /**
     * @param source the array in messages, for example {@code model.h5: dataset '/dense/kernel:0'}
     * @param dtype the element type in the file, as numpy names it ({@code float32}, {@code bool}); null if unknown
     */
    ArrayData(String source, int[] shape, double[] data, String dtype) {
        this.source = source;
        this.shape = shape;
        this.data = data;
        this.dtype = dtype;
    }

    /** The element type in the file, as numpy names it ({@code float32}, {@code bool}); null when not recorded. */
    String dtype() {
        return dtype;
    }

    /** The array in messages. */
    String source() {
        return source;
    }

    /** The shape, a new array. */
    int[] shape() {
        return shape.clone();
    }

    /** The values, row-major: the array itself, not a copy (the caller takes ownership). */
    double[] data() {
        return data;
    }

    /** The values as a {@link Tensor} that takes ownership of them: no copy (this object must not be used after). */
    Tensor toTensor() {
        return Handover.tensors().owning(shape, data);
    }

    /**
     * Refuses non-finite values: a NaN or infinite weight read from a file means a damaged file (or a diverged
     * model), never something to run. The loaders call this on every weight; plain array readers do not, since
     * NaN is legitimate data in a NumPy file.
     *
     * @return this array
     * @throws FileFormatException naming the array, the position {@code [i][j]...} and the value
     */
    ArrayData requireFinite() throws FileFormatException {
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                throw new FileFormatException(source + ": value " + position(i) + " is " + data[i] + "; weights must"
                        + " be finite (a NaN or infinite weight means a damaged file or a diverged model)");
            }
        }
        return this;
    }

    /** The multi-index {@code [i][j]...} of a row-major flat index. */
    private String position(int flat) {
        if (shape.length == 0) {
            return "[]";
        }
        int[] idx = new int[shape.length];
        int rest = flat;
        for (int k = shape.length - 1; k >= 0; k--) {
            idx[k] = shape[k] == 0 ? 0 : rest % shape[k];
            rest = shape[k] == 0 ? 0 : rest / shape[k];
        }
        StringBuilder sb = new StringBuilder();
        for (int i : idx) {
            sb.append('[').append(i).append(']');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return source + " " + io.github.rnn4j.internal.Checks.dims(shape);
    }
}
