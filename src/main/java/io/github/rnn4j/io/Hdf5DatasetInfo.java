package io.github.rnn4j.io;

/**
 * What a dataset holds, read from its header alone: its path, shape and element type.
 *
 * <p>Built from the datatype (IV.A.2.d) and dataspace (IV.A.2.b) messages of the HDF5 File Format Specification
 * version 3.0 by {@link Hdf5File.Node#datasetInfo()}, before any of the dataset's data is read or allocated.
 */
final class Hdf5DatasetInfo {
    private final String path;
    /** The shape as read; the reader uses it directly, {@link #shape()} hands out copies. */
    final int[] shape;
    final ElementType element;
    final Hdf5Datatype type;

    Hdf5DatasetInfo(String path, int[] shape, ElementType element, Hdf5Datatype type) {
        this.path = path;
        this.shape = shape;
        this.element = element;
        this.type = type;
    }

    /** The dataset's path. */
    String path() {
        return path;
    }

    /** The dataset's shape, a new array ({@code []} for a scalar). */
    int[] shape() {
        return shape.clone();
    }

    /** The element type of the stored data (each becomes a double when read). */
    ElementType element() {
        return element;
    }

    /** The number of elements. */
    long elements() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return path + " " + io.github.rnn4j.internal.Checks.dims(shape) + " " + element
                + (type.bigEndian ? " big-endian" : "");
    }
}
