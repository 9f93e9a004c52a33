package io.github.rnn4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over little-endian bytes read from an HDF5 file; reading past its end is a {@link FileFormatException}.
 *
 * <p>It decodes the field encodings of the HDF5 File Format Specification version 3.0: unsigned little-endian
 * integers, and addresses and lengths whose sizes the superblock gives (section II.A, "Size of Offsets" and
 * "Size of Lengths"), with the undefined address (all bits set) read as {@link Hdf5File#UNDEFINED}.
 */
final class Hdf5Buffer {
    private final ByteBuffer b;
    private final long address;
    private final String what;
    private final int offsetSize;
    private final int lengthSize;

    Hdf5Buffer(ByteBuffer b, long address, String what, int offsetSize, int lengthSize) {
        this.b = b;
        this.address = address;
        this.what = what;
        this.offsetSize = offsetSize;
        this.lengthSize = lengthSize;
    }

    /** {@code size} rounded up to a multiple of {@code multiple} (the padding of names, values and heap objects). */
    static int padded(int size, int multiple) {
        return (size + multiple - 1) / multiple * multiple;
    }

    Hdf5Buffer at(int position) {
        b.position(position);
        return this;
    }

    int position() {
        return b.position();
    }

    int remaining() {
        return b.remaining();
    }

    ByteBuffer raw() {
        return b;
    }

    Hdf5Buffer duplicate() {
        return new Hdf5Buffer(b.duplicate().order(ByteOrder.LITTLE_ENDIAN), address, what, offsetSize, lengthSize);
    }

    private void need(long n) throws FileFormatException {
        if (n < 0 || n > b.remaining()) {
            throw new FileFormatException(what + ": damaged HDF5 structure at " + Hdf5File.hex(address) + ": needs "
                    + n + " more bytes at position " + b.position() + ", has " + b.remaining());
        }
    }

    void skip(long n) throws FileFormatException {
        need(n);
        b.position(b.position() + (int) n);
    }

    /** The next {@code n} bytes as their own cursor; this cursor moves past them. */
    Hdf5Buffer slice(long n) throws FileFormatException {
        need(n);
        ByteBuffer s = b.slice().limit((int) n).order(ByteOrder.LITTLE_ENDIAN);
        b.position(b.position() + (int) n);
        return new Hdf5Buffer(s, address, what, offsetSize, lengthSize);
    }

    int u8() throws FileFormatException {
        need(1);
        return b.get() & 0xFF;
    }

    int u16() throws FileFormatException {
        need(2);
        return b.getShort() & 0xFFFF;
    }

    long u32() throws FileFormatException {
        need(4);
        return b.getInt() & 0xFFFFFFFFL;
    }

    long u64() throws FileFormatException {
        need(8);
        return b.getLong();
    }

    /** An unsigned little-endian integer of {@code n} bytes (1-8). */
    long uN(int n) throws FileFormatException {
        if (n < 1 || n > 8) {
            throw new FileFormatException(what + ": damaged HDF5 structure: a " + n + "-byte integer");
        }
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) (b.get() & 0xFF) << (8 * i);
        }
        return v;
    }

    /** A file address; the undefined address (all bits set) reads as {@link Hdf5File#UNDEFINED}. */
    long offset() throws FileFormatException {
        long v = uN(offsetSize);
        return offsetSize < 8 && v == (1L << (8 * offsetSize)) - 1 ? Hdf5File.UNDEFINED : v;
    }

    /** A length field. */
    long length() throws FileFormatException {
        long v = uN(lengthSize);
        if (v < 0) {
            throw new FileFormatException(what + ": damaged HDF5 structure at " + Hdf5File.hex(address)
                    + ": a length of 2^64-1");
        }
        return v;
    }

    byte[] bytes(int n) throws FileFormatException {
        need(n);
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    String peekAscii(int n) {
        if (b.remaining() < n) {
            return "";
        }
        byte[] out = new byte[n];
        b.duplicate().get(out);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    void expectAscii(String signature) throws FileFormatException {
        String found = peekAscii(signature.length());
        if (!found.equals(signature)) {
            throw new FileFormatException(what + ": damaged HDF5 structure at " + Hdf5File.hex(address)
                    + ": expected the signature " + signature + ", found '" + found + "'");
        }
        skip(signature.length());
    }

    String utf8(int n) throws FileFormatException {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    /** The bytes up to the first NUL (or all remaining ones) as UTF-8. */
    String cString() {
        int start = b.position();
        int end = start;
        while (end < b.limit() && b.get(end) != 0) {
            end++;
        }
        byte[] out = new byte[end - start];
        b.duplicate().get(out);
        b.position(b.limit());
        return new String(out, StandardCharsets.UTF_8);
    }
}
