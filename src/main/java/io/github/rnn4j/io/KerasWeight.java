package io.github.rnn4j.io;

import io.github.rnn4j.internal.Checks;

import java.io.IOException;
import java.util.Arrays;

/**
 * One stored weight of a Keras layer: its shape is known from the file's header, its values are read only when
 * asked for, so that a reader checks the shape against the layer's configuration before anything is allocated.
 * Values read from a file are refused when NaN or infinite (damage). Not thread-safe: one loading run.
 */
final class KerasWeight {
    private final String what;
    private final int[] shape;
    private final Hdf5File.Node node;
    private double[] data;

    private KerasWeight(String what, int[] shape, Hdf5File.Node node, double[] data) {
        this.what = what;
        this.shape = shape;
        this.node = node;
        this.data = data;
    }

    /** A weight in a file: only its header is read now. */
    static KerasWeight stored(Hdf5File.Node node) throws IOException {
        return new KerasWeight(node.path(), node.datasetInfo().shape(), node, null);
    }

    /** A weight computed by the loader (for example Keras 1 per-gate weights joined), from values it owns. */
    static KerasWeight computed(String what, int[] shape, double[] data) {
        return new KerasWeight(what, shape, null, data);
    }

    /** Where the weight is, for messages. */
    String path() {
        return what;
    }

    int[] shape() {
        return shape.clone();
    }

    int rank() {
        return shape.length;
    }

    /** The values in row-major order, read from the file on first use and checked to be finite. */
    double[] data() throws IOException {
        if (data == null) {
            data = node.readArray().requireFinite().data();
        }
        return data;
    }

    /** The values of a rank-2 weight as new rows: the one copy of a weight on its way into a layer. */
    double[][] matrix() throws IOException {
        if (shape.length != 2) {
            throw new FileFormatException(what + " has shape " + Checks.dims(shape) + ", expected a matrix");
        }
        double[] flat = data();
        double[][] rows = new double[shape[0]][];
        for (int i = 0; i < shape[0]; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * shape[1], (i + 1) * shape[1]);
        }
        return rows;
    }

    /**
     * Columns {@code [from, to)} of a rank-2 weight as new rows, copied straight from the values: a recurrent kernel
     * split into the column blocks a cell keeps.
     */
    double[][] columns(int from, int to) throws IOException {
        if (shape.length != 2 || from < 0 || to > shape[1] || from > to) {
            throw new FileFormatException(what + " has shape " + Checks.dims(shape) + ", expected a matrix with"
                    + " columns [" + from + ", " + to + ")");
        }
        double[] flat = data();
        double[][] rows = new double[shape[0]][];
        for (int i = 0; i < shape[0]; i++) {
            rows[i] = Arrays.copyOfRange(flat, i * shape[1] + from, i * shape[1] + to);
        }
        return rows;
    }

    /** The values of a rank-1 weight: the array itself, which the caller may hand to a layer to own. */
    double[] vector() throws IOException {
        if (shape.length != 1) {
            throw new FileFormatException(what + " has shape " + Checks.dims(shape) + ", expected a vector");
        }
        return data();
    }

    @Override
    public String toString() {
        return what + Checks.dims(shape);
    }
}
