package io.github.rnn4j.io;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a dataset's data is: reads its data layout message and, for chunked data, its chunk index, and returns the
 * values. Compact and contiguous data are read here; chunked data is planned and read by {@link Hdf5Chunks}.
 *
 * <p>Implements section IV.A.2.i of the HDF5 File Format Specification version 3.0 ("The Data Layout Message",
 * versions 1-4: compact, contiguous and chunked layouts; virtual datasets refused) and the chunk indexes rnn4j
 * reads: the version 1 B-tree of chunks (III.A.1, node type 1; cycles and depth checked), and from Appendix C the
 * single chunk index (VII.A), the implicit index (VII.B) and the unpaged fixed array index (VII.C, {@code FAHD} and
 * {@code FADB} with their lookup3 checksums). Extensible arrays (VII.D), version 2 B-trees (VII.E) and paged fixed
 * arrays are refused as unsupported. Data that was never written (an undefined address) is refused, never read as
 * zeros or fill values.
 */
final class Hdf5Layout {
    private final Hdf5File file;
    private final String path;

    /**
     * A reader of one dataset's layout.
     *
     * @param path the dataset's path, for messages
     */
    Hdf5Layout(Hdf5File file, String path) {
        this.file = file;
        this.path = path;
    }

    /**
     * The exception for data that was never written: rnn4j refuses it rather than read zeros or fill values.
     *
     * @param what the missing data with its verb, for example {@code "data of dataset '/k' was"}
     */
    static FileFormatException neverWritten(Hdf5File file, String what) {
        return file.damaged(what + " never written (no storage is allocated for it); rnn4j does not read missing"
                + " weights as zeros or fill values");
    }

    /**
     * Reads the data that a data layout message {@code b} describes: {@code count} elements of {@code type} in a
     * dataset of {@code shape}, through {@code filters} when chunked.
     */
    double[] read(Hdf5Buffer b, Hdf5Datatype type, ElementType element, int[] shape, List<Hdf5Filters.Filter> filters,
                  int count) throws IOException {
        int version = b.u8();
        String what = "data of dataset '" + path + "'";
        long bytes = (long) count * type.size;
        if (version < 3) {
            int rank = b.u8();
            int layoutClass = b.u8();
            b.skip(5);
            long address = layoutClass == 0 ? Hdf5File.UNDEFINED : b.offset();
            long[] d = new long[rank];
            for (int i = 0; i < rank; i++) {
                d[i] = b.u32();
            }
            if (layoutClass == 0) {
                long size = b.u32();
                return readCompact(b, size, element, type, count, what);
            } else if (layoutClass == 1) {
                return readContiguous(address, bytes, element, type, count, what);
            } else if (layoutClass == 2 && rank >= 1) {
                Hdf5Chunks chunks = new Hdf5Chunks(file, path, Arrays.copyOf(d, rank - 1), d[rank - 1], element,
                        type, shape, filters, count);
                if (address != Hdf5File.UNDEFINED) {
                    walkChunkBtree(address, rank, chunks, new HashSet<>(), 0);
                }
                return chunks.readAll();
            } else {
                throw file.damaged("layout class " + layoutClass + " of dataset '" + path + "'");
            }
        }
        if (version > 4) {
            throw file.unsupported("data layout message version " + version + " (dataset '" + path + "')");
        }
        int layoutClass = b.u8();
        switch (layoutClass) {
            case 0: {
                int size = b.u16();
                return readCompact(b, size, element, type, count, what);
            }
            case 1: {
                long address = b.offset();
                long size = b.length();
                if (address != Hdf5File.UNDEFINED && size < bytes) {
                    throw file.damaged("contiguous " + what + " has " + size + " bytes, expected " + bytes);
                }
                return readContiguous(address, bytes, element, type, count, what);
            }
            case 2:
                break;
            case 3:
                throw file.unsupported("the virtual dataset '" + path + "'");
            default:
                throw file.damaged("layout class " + layoutClass + " of dataset '" + path + "'");
        }
        if (version == 3) {
            int dimensionality = b.u8();
            long btree = b.offset();
            long[] d = new long[dimensionality];
            for (int i = 0; i < dimensionality; i++) {
                d[i] = b.u32();
            }
            if (dimensionality < 1) {
                throw file.damaged("chunked layout of dataset '" + path + "' with no dimensions");
            }
            Hdf5Chunks chunks = new Hdf5Chunks(file, path, Arrays.copyOf(d, dimensionality - 1),
                    d[dimensionality - 1], element, type, shape, filters, count);
            if (btree != Hdf5File.UNDEFINED) {
                walkChunkBtree(btree, dimensionality, chunks, new HashSet<>(), 0);
            }
            return chunks.readAll();
        }
        int flags = b.u8();
        int dimensionality = b.u8();
        int encoded = b.u8();
        long[] d = new long[dimensionality];
        for (int i = 0; i < dimensionality; i++) {
            d[i] = b.uN(encoded);
        }
        int index = b.u8();
        long[] chunk = Arrays.copyOf(d, Math.max(0, dimensionality - 1));
        Hdf5Chunks chunks = new Hdf5Chunks(file, path, chunk, dimensionality == 0 ? 0 : d[dimensionality - 1],
                element, type, shape, filters, count);
        switch (index) {
            case 1: {
                long filteredSize = chunks.chunkBytes;
                int mask = 0;
                if ((flags & 0x02) != 0) {
                    filteredSize = b.length();
                    mask = (int) b.u32();
                }
                long address = b.offset();
                if (address != Hdf5File.UNDEFINED) {
                    chunks.add(new long[shape.length], address, filteredSize, mask);
                }
                return chunks.readAll();
            }
            case 2: {
                long address = b.offset();
                if (!filters.isEmpty()) {
                    throw file.damaged("implicit chunk index with filters in dataset '" + path + "'");
                }
                if (address != Hdf5File.UNDEFINED && count > 0) {
                    long n = chunks.gridCount();
                    if (n > (file.fileSize() - file.base()) / chunks.chunkBytes) {
                        throw file.damaged("the " + n + " implicitly indexed chunks of dataset '" + path + "' ("
                                + chunks.chunkBytes + " bytes each) at " + Hdf5File.hex(address) + " lie beyond the"
                                + " end of the file (" + file.fileSize() + " bytes)");
                    }
                    for (long i = 0; i < n; i++) {
                        chunks.add(chunks.gridOffsets(i), address + i * chunks.chunkBytes, chunks.chunkBytes, 0);
                    }
                }
                return chunks.readAll();
            }
            case 3: {
                b.skip(1);
                readFixedArray(b.offset(), chunks);
                return chunks.readAll();
            }
            case 4:
                throw file.unsupported("the extensible-array chunk index of dataset '" + path + "' (a chunked"
                        + " dataset with an unlimited dimension written with libver='latest')");
            case 5:
                throw file.unsupported("the version 2 B-tree chunk index of dataset '" + path + "' (a chunked"
                        + " dataset with several unlimited dimensions written with libver='latest')");
            default:
                throw file.damaged("chunk index type " + index + " of dataset '" + path + "'");
        }
    }

    private double[] readCompact(Hdf5Buffer b, long size, ElementType element, Hdf5Datatype type, int count,
                                 String what) throws IOException {
        long bytes = (long) count * type.size;
        if (size < bytes || size > b.remaining()) {
            throw file.damaged("compact " + what + " has " + Math.min(size, b.remaining()) + " bytes, expected "
                    + bytes);
        }
        double[] out = new double[count];
        type.decode(file, b.slice(size), element, out, 0, out.length, what);
        return out;
    }

    private double[] readContiguous(long address, long bytes, ElementType element, Hdf5Datatype type, int count,
                                    String what) throws IOException {
        if (count == 0) {
            return new double[0];
        }
        if (address == Hdf5File.UNDEFINED) {
            throw neverWritten(file, "contiguous " + what + " was");
        }
        if (address < 0 || file.base() + address > file.fileSize() - bytes) {
            throw new FileFormatException(file.source() + ": damaged HDF5 file: " + what + " at address "
                    + Hdf5File.hex(address) + " with " + bytes + " bytes lies beyond the end of the file ("
                    + file.fileSize() + " bytes)");
        }
        double[] out = new double[count];
        int perRead = Math.max(1, (1 << 20) / type.size);
        int done = 0;
        while (done < out.length) {
            int n = Math.min(out.length - done, perRead);
            Hdf5Buffer b = file.buf(address + (long) done * type.size, (long) n * type.size, what);
            type.decode(file, b, element, out, done, n, what);
            done += n;
        }
        return out;
    }

    private void walkChunkBtree(long address, int dimensionality, Hdf5Chunks chunks, Set<Long> seen, int depth)
            throws IOException {
        String what = "chunk B-tree of dataset '" + path + "'";
        if (!seen.add(address) || depth > Hdf5File.MAX_BTREE_DEPTH) {
            throw file.damaged(what + " has a cycle at " + Hdf5File.hex(address));
        }
        int offsetSize = file.offsetSize();
        Hdf5Buffer h = file.buf(address, 8 + 2L * offsetSize, what);
        h.expectAscii("TREE");
        int nodeType = h.u8();
        int level = h.u8();
        int entries = h.u16();
        if (nodeType != 1) {
            throw file.damaged(what + " node at " + Hdf5File.hex(address) + " has type " + nodeType
                    + ", expected 1");
        }
        long keySize = 8 + 8L * dimensionality;
        Hdf5Buffer b = file.buf(address + 8 + 2L * offsetSize, entries * (keySize + offsetSize) + keySize, what);
        for (int i = 0; i < entries; i++) {
            long size = b.u32();
            int mask = (int) b.u32();
            long[] offsets = new long[dimensionality - 1];
            for (int k = 0; k < offsets.length; k++) {
                offsets[k] = b.u64();
            }
            b.skip(8);
            long child = b.offset();
            if (level == 0) {
                chunks.add(offsets, child, size, mask);
            } else {
                walkChunkBtree(child, dimensionality, chunks, seen, depth + 1);
            }
        }
    }

    private void readFixedArray(long address, Hdf5Chunks chunks) throws IOException {
        String what = "fixed-array chunk index of dataset '" + path + "'";
        if (address == Hdf5File.UNDEFINED) {
            return;
        }
        int offsetSize = file.offsetSize();
        int lengthSize = file.lengthSize();
        Hdf5Buffer h = file.buf(address, 12 + lengthSize + offsetSize, what);
        file.checkLookup3(h.raw(), 0, 8 + lengthSize + offsetSize, what + " header", address);
        h.expectAscii("FAHD");
        h.skip(1);
        int client = h.u8();
        int entrySize = h.u8();
        int pageBits = h.u8();
        long entries = h.length();
        long block = h.offset();
        if (pageBits < 62 && entries > (1L << pageBits)) {
            throw file.unsupported("the paged " + what + " (" + entries + " chunks)");
        }
        if (entries != chunks.gridCount()) {
            throw file.damaged(what + " has " + entries + " entries, expected " + chunks.gridCount());
        }
        if (block == Hdf5File.UNDEFINED) {
            return;
        }
        if (entrySize < offsetSize || (client == 1 && entrySize < offsetSize + 5)
                || entries > (file.fileSize() - file.base()) / entrySize) {
            throw file.damaged(what + " has " + entries + " entries of " + entrySize + " bytes");
        }
        long blockSize = 6 + offsetSize + entries * entrySize;
        Hdf5Buffer b = file.buf(block, blockSize + 4, what + " data block");
        file.checkLookup3(b.raw(), 0, (int) blockSize, what + " data block", block);
        b.expectAscii("FADB");
        b.skip(2 + offsetSize);
        for (long i = 0; i < entries; i++) {
            Hdf5Buffer e = b.slice(entrySize);
            long chunkAddress = e.offset();
            long size = chunks.chunkBytes;
            int mask = 0;
            if (client == 1) {
                size = e.uN(entrySize - offsetSize - 4);
                mask = (int) e.u32();
            }
            if (chunkAddress != Hdf5File.UNDEFINED) {
                chunks.add(chunks.gridOffsets(i), chunkAddress, size, mask);
            }
        }
    }
}
