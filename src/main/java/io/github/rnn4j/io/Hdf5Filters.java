package io.github.rnn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A dataset's filter pipeline and the three filters rnn4j undoes: deflate, shuffle and Fletcher-32.
 *
 * <p>Implements section IV.A.2.l of the HDF5 File Format Specification version 3.0 ("The Data Storage - Filter
 * Pipeline Message", versions 1 and 2), and the predefined filters 1 (deflate: inflated up to the chunk's size and
 * no further), 2 (shuffle) and 3 (fletcher32: the checksum is verified, in either half order that libhdf5 accepts,
 * and stripped). Other filters are named in the {@link UnsupportedFeatureException} of the chunk reader.
 */
final class Hdf5Filters {
    private Hdf5Filters() {
    }

    /** A filter of a dataset's pipeline. */
    static final class Filter {
        final int id;

        Filter(int id) {
            this.id = id;
        }

        static String name(int id) {
            switch (id) {
                case 4: return "szip";
                case 5: return "nbit";
                case 6: return "scale-offset";
                case 32000: return "LZF";
                case 32001: return "Blosc";
                case 32004: return "LZ4";
                case 32008: return "bitshuffle";
                case 32015: return "Zstandard";
                default: return "unknown";
            }
        }
    }

    /** Reads a filter pipeline message: the filters in the order they were applied when writing. */
    static List<Filter> read(Hdf5File file, Hdf5Buffer b) throws IOException {
        int version = b.u8();
        int n = b.u8();
        List<Filter> filters = new ArrayList<>();
        if (version == 1) {
            b.skip(6);
        } else if (version != 2) {
            throw file.damaged("filter pipeline message version " + version);
        }
        for (int i = 0; i < n; i++) {
            int id = b.u16();
            int nameLength = version == 1 || id >= 256 ? b.u16() : 0;
            b.skip(2);
            int values = b.u16();
            b.skip(version == 1 ? Hdf5Buffer.padded(nameLength, 8) : nameLength);
            b.skip(4L * values + (version == 1 && values % 2 == 1 ? 4 : 0));
            filters.add(new Filter(id));
        }
        return filters;
    }

    /** Inflates deflated bytes, refusing output beyond {@code limit} (a chunk's size plus 4 bytes). */
    static byte[] inflate(Hdf5File file, byte[] data, long limit, String what) throws IOException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            byte[] out = new byte[(int) Math.min(limit, Math.max(64, data.length * 4L))];
            int n = 0;
            while (!inflater.finished()) {
                if (n == out.length) {
                    if (out.length >= limit) {
                        throw file.damaged(what + " inflates to more than the " + (limit - 4) + " bytes of a chunk");
                    }
                    out = Arrays.copyOf(out, (int) Math.min(limit, out.length * 2L));
                }
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw file.damaged(what + ": deflate data ends early");
                }
                n += got;
            }
            return Arrays.copyOf(out, n);
        } catch (DataFormatException e) {
            throw new FileFormatException(file.source() + ": damaged HDF5 file: " + what + ": bad deflate data: "
                    + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    /** Undoes the shuffle filter: byte {@code k} of every element was stored in the {@code k}-th run. */
    static byte[] unshuffle(byte[] data, int size) {
        if (size <= 1) {
            return data;
        }
        int n = data.length / size;
        byte[] out = data.clone();
        for (int byteIndex = 0; byteIndex < size; byteIndex++) {
            for (int i = 0; i < n; i++) {
                out[i * size + byteIndex] = data[byteIndex * n + i];
            }
        }
        return out;
    }

    /** Verifies and strips the Fletcher-32 checksum that the fletcher32 filter appends to a chunk. */
    static byte[] checkFletcher32(Hdf5File file, byte[] data, String what) throws FileFormatException {
        if (data.length < 4) {
            throw file.damaged(what + " is too short for its fletcher32 checksum");
        }
        int n = data.length - 4;
        int stored = ByteBuffer.wrap(data, n, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int computed = Checksums.fletcher32(data, n);
        // libhdf5 1.6.0-1.6.2 wrote the checksum with the bytes of each half swapped; libhdf5 still accepts that.
        int swapped = ((computed & 0x00FF00FF) << 8) | ((computed >>> 8) & 0x00FF00FF);
        if (stored != computed && stored != swapped) {
            throw file.damaged(what + " fails its Fletcher-32 checksum (stored " + String.format("%08x", stored)
                    + ", computed " + String.format("%08x", computed) + ")");
        }
        return Arrays.copyOf(data, n);
    }
}
