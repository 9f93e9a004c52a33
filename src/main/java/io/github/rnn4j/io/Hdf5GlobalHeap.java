package io.github.rnn4j.io;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The global heap collections of one file, where variable-length data (the bytes of variable-length strings) lives;
 * each collection is parsed once, when one of its objects is first asked for, and kept.
 *
 * <p>Implements section III.E of the HDF5 File Format Specification version 3.0 ("Disk Format: Level 1E - Global
 * Heap"): a {@code GCOL} collection of numbered objects, each padded to a multiple of 8 bytes, ended by object 0 or
 * the free space. An object that claims more bytes than the collection has left is refused.
 */
final class Hdf5GlobalHeap {
    private final Hdf5File file;
    private final Map<Long, Map<Integer, byte[]>> collections = new HashMap<>();

    Hdf5GlobalHeap(Hdf5File file) {
        this.file = file;
    }

    /**
     * Reads an object of a global heap collection.
     *
     * @throws FileFormatException when the collection is damaged or has no object {@code index}
     */
    byte[] object(long collection, int index) throws IOException {
        Map<Integer, byte[]> objects = collections.get(collection);
        if (objects == null) {
            int lengthSize = file.lengthSize();
            objects = new HashMap<>();
            Hdf5Buffer h = file.buf(collection, 8 + lengthSize, "global heap");
            h.expectAscii("GCOL");
            h.skip(4);
            long size = h.length();
            Hdf5Buffer b = file.buf(collection, size, "global heap");
            b.skip(8 + lengthSize);
            while (b.remaining() >= 8 + lengthSize) {
                int id = b.u16();
                b.skip(6);
                long objectSize = b.length();
                if (id == 0) {
                    break;
                }
                if (objectSize > b.remaining()) {
                    throw file.damaged("global heap object " + id + " at " + Hdf5File.hex(collection) + " claims "
                            + objectSize + " bytes, the collection has " + b.remaining() + " left");
                }
                objects.put(id, b.bytes((int) objectSize));
                b.skip(Math.min(b.remaining(), Hdf5Buffer.padded((int) objectSize, 8) - objectSize));
            }
            collections.put(collection, objects);
        }
        byte[] o = objects.get(index);
        if (o == null) {
            throw file.damaged("global heap " + Hdf5File.hex(collection) + " has no object " + index);
        }
        return o;
    }
}
