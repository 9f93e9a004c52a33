package io.github.rnn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Plans a chunked read: collects where the chunks are from the index, proves that every chunk is written once, lies
 * in the file and inflates within the limits, and only then allocates and reads.
 *
 * <p>Implements the chunked storage of section IV.A.2.i of the HDF5 File Format Specification version 3.0 ("The Data
 * Layout Message", layout class 2) and of IV.B ("Data Object Data Storage"): a grid of equally sized chunks, edge
 * chunks cut at the dataset's extent, each undone through the dataset's filter pipeline ({@link Hdf5Filters}) in
 * reverse order, skipping the filters its mask excludes. Deflated chunks count against
 * {@link Limits#maxInflatedBytes()} and {@link Limits#maxInflateRatio()} before any is inflated.
 */
final class Hdf5Chunks {
    /** Where one chunk's filtered bytes are. */
    private static final class ChunkRef {
        final long[] offsets;
        final long address;
        final long size;
        final int mask;

        ChunkRef(long[] offsets, long address, long size, int mask) {
            this.offsets = offsets;
            this.address = address;
            this.size = size;
            this.mask = mask;
        }
    }

    private final Hdf5File file;
    private final String path;
    private final long[] chunk;
    /** The bytes of one unfiltered chunk. */
    final long chunkBytes;
    private final int chunkCount;
    private final ElementType element;
    private final Hdf5Datatype type;
    private final int[] shape;
    private final List<Hdf5Filters.Filter> filters;
    private final int count;
    private final List<ChunkRef> refs = new ArrayList<>();
    private double[] out;
    private double[] values;

    /**
     * A plan for a dataset of {@code shape} stored in chunks of {@code chunk} (without the element-size dimension).
     *
     * @param path the dataset's path, for messages
     * @throws FileFormatException when the chunks do not match the dataset's rank or element size
     */
    Hdf5Chunks(Hdf5File file, String path, long[] chunk, long elementSize, ElementType element, Hdf5Datatype type,
               int[] shape, List<Hdf5Filters.Filter> filters, int count) throws IOException {
        this.file = file;
        this.path = path;
        String what = "dataset '" + path + "'";
        if (chunk.length != shape.length) {
            throw file.damaged(what + " has rank " + shape.length + " but chunks of rank " + chunk.length);
        }
        if (elementSize != type.size) {
            throw file.damaged(what + " has " + type.size + "-byte elements but chunks of " + elementSize);
        }
        long n = 1;
        for (long c : chunk) {
            if (c <= 0 || c > Integer.MAX_VALUE) {
                throw file.damaged(what + " has chunk dimensions " + Arrays.toString(chunk));
            }
            n *= c;
            if (n * type.size > Integer.MAX_VALUE - 8) {
                throw file.unsupported("a chunk of more than 2 GB in " + what);
            }
        }
        this.chunk = chunk;
        this.chunkCount = (int) n;
        this.chunkBytes = n * type.size;
        this.element = element;
        this.type = type;
        this.shape = shape;
        this.filters = filters;
        this.count = count;
    }

    long gridCount() {
        long n = 1;
        for (int k = 0; k < shape.length; k++) {
            n *= (shape[k] + chunk[k] - 1) / chunk[k];
        }
        return n;
    }

    long[] gridOffsets(long index) {
        long[] offsets = new long[shape.length];
        for (int k = shape.length - 1; k >= 0; k--) {
            long cells = (shape[k] + chunk[k] - 1) / chunk[k];
            offsets[k] = (index % cells) * chunk[k];
            index /= cells;
        }
        return offsets;
    }

    /** The chunk's position in the grid, row-major. */
    private long gridIndex(long[] offsets) {
        long index = 0;
        for (int k = 0; k < shape.length; k++) {
            index = index * ((shape[k] + chunk[k] - 1) / chunk[k]) + offsets[k] / chunk[k];
        }
        return index;
    }

    /** Records a chunk from the index; chunks beyond the dataset's extent are not part of its data. */
    void add(long[] offsets, long address, long size, int mask) throws IOException {
        String what = "chunk " + Arrays.toString(offsets) + " of dataset '" + path + "'";
        for (int k = 0; k < shape.length; k++) {
            if (offsets[k] < 0 || offsets[k] % chunk[k] != 0) {
                throw file.damaged(what + ": offsets do not fall on the chunk grid " + Arrays.toString(chunk));
            }
            if (offsets[k] >= shape[k]) {
                return;
            }
        }
        if (address == Hdf5File.UNDEFINED || address < 0 || size < 0 || size > Integer.MAX_VALUE - 8
                || file.base() + address > file.fileSize() - size) {
            throw file.damaged(what + " at address " + Hdf5File.hex(address) + " with " + size + " bytes lies beyond"
                    + " the end of the file (" + file.fileSize() + " bytes)");
        }
        refs.add(new ChunkRef(offsets, address, size, mask));
    }

    /** Proves the plan, then allocates the output and reads every chunk into it. */
    double[] readAll() throws IOException {
        String what = "dataset '" + path + "'";
        if (count == 0) {
            return new double[0];
        }
        long grid = gridCount();
        Set<Long> seen = new HashSet<>();
        long stored = 0;
        for (ChunkRef r : refs) {
            if (!seen.add(gridIndex(r.offsets))) {
                throw file.damaged(what + " lists chunk " + Arrays.toString(r.offsets) + " twice");
            }
            stored += r.size;
        }
        if (seen.size() != grid) {
            throw Hdf5Layout.neverWritten(file, grid - seen.size() + " of the " + grid + " chunks of " + what
                    + (grid - seen.size() == 1 ? " was" : " were"));
        }
        long inflatedBytes = refs.size() * chunkBytes;
        boolean deflated = false;
        for (Hdf5Filters.Filter f : filters) {
            deflated |= f.id == 1;
        }
        Limits limits = file.limits();
        if (deflated) {
            String where = file.source() + ": " + what;
            if (inflatedBytes > limits.maxInflatedBytes() - file.inflatedTotal()) {
                throw limits.exceeded(where, "the file's deflated chunks inflate to "
                        + (file.inflatedTotal() + inflatedBytes) + " bytes", "maxInflatedBytes",
                        limits.maxInflatedBytes(), "withMaxInflatedBytes");
            }
            if (inflatedBytes > Limits.RATIO_EXEMPT_BYTES
                    && inflatedBytes / limits.maxInflateRatio() > Math.max(1, stored)) {
                throw limits.exceeded(where, "its " + refs.size() + " chunks inflate to " + inflatedBytes
                        + " bytes from " + stored + " stored bytes (ratio " + inflatedBytes / Math.max(1, stored)
                        + ")", "maxInflateRatio", limits.maxInflateRatio(), "withMaxInflateRatio");
            }
        }
        // One chunk is decoded at a time into a buffer of its size: prove that size as well.
        if ((long) chunkCount * 8 > limits.maxTensorBytes()) {
            throw limits.exceeded(file.source() + ": " + what, "chunks of " + Arrays.toString(chunk) + " take "
                    + (long) chunkCount * 8 + " bytes as doubles", "maxTensorBytes", limits.maxTensorBytes(),
                    "withMaxTensorBytes");
        }
        if (!deflated) {
            for (ChunkRef r : refs) {
                if (r.size < chunkBytes) {
                    throw file.damaged("chunk " + Arrays.toString(r.offsets) + " of " + what + " stores " + r.size
                            + " bytes, an unfiltered chunk needs " + chunkBytes);
                }
            }
        }
        out = new double[count];
        values = new double[chunkCount];
        for (ChunkRef r : refs) {
            readChunk(r);
        }
        return out;
    }

    private void readChunk(ChunkRef r) throws IOException {
        String what = "chunk " + Arrays.toString(r.offsets) + " of dataset '" + path + "'";
        ByteBuffer raw = file.read(r.address, r.size, what);
        byte[] data = unfilter(raw.array(), r.mask, what);
        if (data.length < chunkBytes) {
            throw file.damaged(what + " has " + data.length + " bytes after filters, expected " + chunkBytes);
        }
        Hdf5Buffer b = new Hdf5Buffer(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN), r.address,
                file.source() + ": " + what, file.offsetSize(), file.lengthSize());
        type.decode(file, b, element, values, 0, chunkCount, what);
        copy(r.offsets);
    }

    private byte[] unfilter(byte[] data, int mask, String what) throws IOException {
        for (int i = filters.size() - 1; i >= 0; i--) {
            if ((mask & (1 << i)) != 0) {
                continue;
            }
            Hdf5Filters.Filter f = filters.get(i);
            switch (f.id) {
                case 1:
                    data = Hdf5Filters.inflate(file, data, chunkBytes + 4, what);
                    file.countInflated(data.length);
                    break;
                case 2:
                    data = Hdf5Filters.unshuffle(data, type.size);
                    break;
                case 3:
                    data = Hdf5Filters.checkFletcher32(file, data, what);
                    break;
                default:
                    throw file.unsupported("HDF5 filter " + f.id + " (" + Hdf5Filters.Filter.name(f.id)
                            + ") of dataset '" + path + "'; supported: deflate, shuffle, fletcher32");
            }
        }
        return data;
    }

    private void copy(long[] offsets) {
        int rank = shape.length;
        if (rank == 0) {
            out[0] = values[0];
            return;
        }
        int last = rank - 1;
        int run = (int) Math.min(chunk[last], shape[last] - offsets[last]);
        long rows = chunkCount / chunk[last];
        long[] idx = new long[rank];
        for (long r = 0; r < rows; r++) {
            long rem = r;
            boolean inside = true;
            long outIndex = 0;
            long chunkIndex = 0;
            for (int k = last - 1; k >= 0; k--) {
                idx[k] = rem % chunk[k];
                rem /= chunk[k];
            }
            for (int k = 0; k < last; k++) {
                long g = offsets[k] + idx[k];
                if (g >= shape[k]) {
                    inside = false;
                    break;
                }
                outIndex = outIndex * shape[k] + g;
                chunkIndex = chunkIndex * chunk[k] + idx[k];
            }
            if (inside) {
                outIndex = outIndex * shape[last] + offsets[last];
                chunkIndex = chunkIndex * chunk[last];
                System.arraycopy(values, (int) chunkIndex, out, (int) outIndex, run);
            }
        }
    }
}
