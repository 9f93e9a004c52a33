package io.github.rnn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The HDF5 format signature and superblock: where the file starts (after any user block), the sizes of its addresses
 * and lengths, its base address and the address of the root group's object header.
 *
 * <p>Implements section II.A of the HDF5 File Format Specification version 3.0 ("Disk Format: Level 0A - Format
 * Signature and Superblock"): the signature searched at offsets 0, 512, 1024, 2048..., superblock versions 0 and 1
 * (root group symbol table entry) and versions 2 and 3 (root object header address, lookup3 checksum verified).
 */
final class Hdf5Superblock {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1A, '\n'};

    /** The size of the whole file or image in bytes. */
    final long fileSize;
    /** The absolute position that addresses are relative to. */
    final long base;
    /** The size of an address field in bytes (2, 4 or 8). */
    final int offsetSize;
    /** The size of a length field in bytes (2, 4 or 8). */
    final int lengthSize;
    /** The address of the root group's object header (relative to the base address). */
    final long rootAddress;

    private Hdf5Superblock(long fileSize, long base, int offsetSize, int lengthSize, long rootAddress) {
        this.fileSize = fileSize;
        this.base = base;
        this.offsetSize = offsetSize;
        this.lengthSize = lengthSize;
        this.rootAddress = rootAddress;
    }

    /**
     * Finds the signature and reads the superblock that follows it.
     *
     * @throws FileFormatException when the bytes are not HDF5 or the superblock is damaged
     * @throws UnsupportedFeatureException when the superblock version is not 0-3
     */
    static Hdf5Superblock read(ByteSource ch, String source) throws IOException {
        long size = ch.size();
        long at = -1;
        for (long candidate = 0; candidate + 8 <= size; candidate = candidate == 0 ? 512 : candidate * 2) {
            ByteBuffer sig = Hdf5File.readAbsolute(ch, candidate, 8);
            if (Arrays.equals(sig.array(), SIGNATURE)) {
                at = candidate;
                break;
            }
        }
        if (at < 0) {
            throw new FileFormatException(source + ": not an HDF5 file: no HDF5 signature at offset 0, 512, 1024,"
                    + " ... (file size " + size + ")");
        }
        ByteBuffer head = Hdf5File.readAbsolute(ch, at, (int) Math.min(size - at, 128));
        Hdf5Buffer b = new Hdf5Buffer(head, at, source + ": superblock", 8, 8);
        b.skip(8);
        int version = b.u8();
        int offsetSize;
        int lengthSize;
        long base;
        long root;
        if (version == 0 || version == 1) {
            b.skip(4);
            offsetSize = b.u8();
            lengthSize = b.u8();
            checkSizes(source, offsetSize, lengthSize);
            b.skip(1 + 2 + 2 + 4 + (version == 1 ? 4 : 0));
            b = new Hdf5Buffer(head, at, source + ": superblock", offsetSize, lengthSize).at(b.position());
            base = b.offset();
            b.offset(); // free-space info
            b.offset(); // end of file
            b.offset(); // driver information block
            b.offset(); // root entry: link name offset
            root = b.offset();
        } else if (version == 2 || version == 3) {
            offsetSize = b.u8();
            lengthSize = b.u8();
            checkSizes(source, offsetSize, lengthSize);
            b.skip(1);
            b = new Hdf5Buffer(head, at, source + ": superblock", offsetSize, lengthSize).at(b.position());
            base = b.offset();
            b.offset(); // superblock extension
            b.offset(); // end of file
            root = b.offset();
            int covered = b.position();
            long stored = b.u32();
            int computed = Checksums.lookup3(head.array(), 0, covered);
            if ((int) stored != computed) {
                throw new FileFormatException(source + ": damaged HDF5 superblock: its checksum is "
                        + String.format("%08x", stored) + ", its bytes hash to " + String.format("%08x", computed));
            }
        } else {
            throw new UnsupportedFeatureException(source + ": HDF5 superblock version " + version
                    + " is not supported; supported: 0, 1, 2, 3");
        }
        if (base == Hdf5File.UNDEFINED || base < 0 || base > size) {
            throw new FileFormatException(source + ": damaged HDF5 superblock: base address " + base);
        }
        return new Hdf5Superblock(size, base, offsetSize, lengthSize, root);
    }

    private static void checkSizes(String source, int offsetSize, int lengthSize) throws FileFormatException {
        for (int s : new int[] {offsetSize, lengthSize}) {
            if (s != 2 && s != 4 && s != 8) {
                throw new FileFormatException(source + ": damaged HDF5 superblock: offset/length size " + s
                        + ", expected 2, 4 or 8");
            }
        }
    }
}
