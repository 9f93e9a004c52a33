package io.github.rnn4j.io;

/**
 * The checksums the HDF5 format carries, as libhdf5 computes them (H5checksum.c): Fletcher-32 over 16-bit
 * big-endian words (the fletcher32 filter) and Bob Jenkins' lookup3 {@code hashlittle} (the metadata of version 2+
 * superblocks, object headers and chunk indexes). Zip's CRC-32 is {@link java.util.zip.CRC32}. Thread-safe: pure
 * functions.
 */
final class Checksums {
    private Checksums() {
    }

    /** HDF5's Fletcher-32 of {@code data[0..length)}: sums of 16-bit big-endian words, a trailing odd byte high. */
    static int fletcher32(byte[] data, int length) {
        int sum1 = 0;
        int sum2 = 0;
        int words = length / 2;
        int i = 0;
        while (words > 0) {
            int block = Math.min(words, 360);
            words -= block;
            for (int k = 0; k < block; k++) {
                sum1 += ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
                sum2 += sum1;
                i += 2;
            }
            sum1 = (sum1 & 0xFFFF) + (sum1 >>> 16);
            sum2 = (sum2 & 0xFFFF) + (sum2 >>> 16);
        }
        if (length % 2 != 0) {
            sum1 += (data[i] & 0xFF) << 8;
            sum2 += sum1;
            sum1 = (sum1 & 0xFFFF) + (sum1 >>> 16);
            sum2 = (sum2 & 0xFFFF) + (sum2 >>> 16);
        }
        sum1 = (sum1 & 0xFFFF) + (sum1 >>> 16);
        sum2 = (sum2 & 0xFFFF) + (sum2 >>> 16);
        return (sum2 << 16) | sum1;
    }

    /** Jenkins' lookup3 {@code hashlittle} of {@code data[from..from+length)} with initial value 0. */
    static int lookup3(byte[] data, int from, int length) {
        int a = 0xdeadbeef + length;
        int b = a;
        int c = a;
        int k = from;
        int left = length;
        while (left > 12) {
            a += word(data, k, 4);
            b += word(data, k + 4, 4);
            c += word(data, k + 8, 4);
            a -= c;  a ^= Integer.rotateLeft(c, 4);  c += b;
            b -= a;  b ^= Integer.rotateLeft(a, 6);  a += c;
            c -= b;  c ^= Integer.rotateLeft(b, 8);  b += a;
            a -= c;  a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a;  b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b;  c ^= Integer.rotateLeft(b, 4);  b += a;
            left -= 12;
            k += 12;
        }
        if (left == 0) {
            return c;
        }
        a += word(data, k, Math.min(left, 4));
        if (left > 4) {
            b += word(data, k + 4, Math.min(left - 4, 4));
        }
        if (left > 8) {
            c += word(data, k + 8, left - 8);
        }
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }

    /** Up to four bytes from {@code at}, little-endian. */
    private static int word(byte[] data, int at, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v |= (data[at + i] & 0xFF) << (8 * i);
        }
        return v;
    }
}
