package io.github.rnn4j.io;

import java.io.IOException;

/**
 * Dataspaces: the dimensions of a dataset or attribute, and the checks that turn them into a Java shape and an
 * element count.
 *
 * <p>Implements section IV.A.2.b of the HDF5 File Format Specification version 3.0 ("The Dataspace Message"):
 * versions 1 and 2, scalar (rank 0), simple (rank 1-32) and, in version 2, null dataspaces; maximum dimensions and
 * permutation indexes are not read. A shape must fit in {@code int}s and hold at most 2^31-1 elements.
 */
final class Hdf5Dataspace {
    private Hdf5Dataspace() {
    }

    /** Reads a dataspace message: the dimensions, empty for a scalar, {@code null} for a null dataspace. */
    static long[] read(Hdf5File file, Hdf5Buffer b) throws IOException {
        int version = b.u8();
        int rank = b.u8();
        int flags = b.u8();
        boolean isNull = false;
        if (version == 1) {
            b.skip(5);
        } else if (version == 2) {
            int type = b.u8();
            isNull = type == 2;
        } else {
            throw file.damaged("dataspace message version " + version);
        }
        if (rank > 32) {
            throw file.damaged("dataspace of rank " + rank);
        }
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = b.length();
        }
        return isNull ? null : dims;
    }

    /** The dimensions as a shape ({@code [0]} for a null dataspace), each checked to fit in an {@code int}. */
    static int[] shape(Hdf5File file, long[] dims, String what) throws FileFormatException {
        if (dims == null) {
            return new int[] {0};
        }
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) {
                throw file.damaged(what + " has dimension " + i + " of size " + Long.toUnsignedString(dims[i]));
            }
            shape[i] = (int) dims[i];
        }
        return shape;
    }

    /** The number of elements of a shape, checked to be at most 2^31-1 (what a {@code Tensor} holds). */
    static int count(Hdf5File file, int[] shape) throws FileFormatException {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new FileFormatException(file.source() + ": a dataset of shape "
                        + io.github.rnn4j.internal.Checks.dims(shape)
                        + " has more than 2^31-1 elements, more than a Tensor holds");
            }
        }
        return (int) n;
    }
}
