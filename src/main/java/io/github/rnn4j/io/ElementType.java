package io.github.rnn4j.io;

import java.nio.ByteBuffer;

/**
 * The numeric element types the readers turn into doubles, with their sizes in bytes.
 *
 * <p>Every float type converts to double exactly; 64-bit integers beyond ±2^53 round to the nearest double.
 * The byte order is the buffer's. Thread-safe: constants.
 */
enum ElementType {
    /** IEEE 754 binary64. */
    F64(8, "float64"),
    /** IEEE 754 binary32. */
    F32(4, "float32"),
    /** IEEE 754 binary16. */
    F16(2, "float16"),
    /** bfloat16: the upper 16 bits of a binary32. */
    BF16(2, "bfloat16"),
    /** Signed 64-bit integer. */
    I64(8, "int64"),
    /** Signed 32-bit integer. */
    I32(4, "int32"),
    /** Signed 16-bit integer. */
    I16(2, "int16"),
    /** Signed 8-bit integer. */
    I8(1, "int8"),
    /** Unsigned 64-bit integer. */
    U64(8, "uint64"),
    /** Unsigned 32-bit integer. */
    U32(4, "uint32"),
    /** Unsigned 16-bit integer. */
    U16(2, "uint16"),
    /** Unsigned 8-bit integer. */
    U8(1, "uint8");

    /** Bytes per element. */
    final int size;
    /** The name numpy and PyTorch give the type: {@code float32}, {@code bfloat16}, {@code uint8}. */
    final String dtypeName;

    ElementType(int size, String dtypeName) {
        this.size = size;
        this.dtypeName = dtypeName;
    }

    /**
     * Decodes {@code count} elements from the buffer's current position into {@code out[from..from+count)} and
     * advances the position; the caller has checked that enough bytes remain.
     */
    void decode(ByteBuffer in, double[] out, int from, int count) {
        int end = from + count;
        switch (this) {
            case F64:
                for (int i = from; i < end; i++) {
                    out[i] = in.getDouble();
                }
                break;
            case F32:
                for (int i = from; i < end; i++) {
                    out[i] = in.getFloat();
                }
                break;
            case F16:
                for (int i = from; i < end; i++) {
                    out[i] = halfToDouble(in.getShort());
                }
                break;
            case BF16:
                for (int i = from; i < end; i++) {
                    out[i] = Float.intBitsToFloat((in.getShort() & 0xFFFF) << 16);
                }
                break;
            case I64:
                for (int i = from; i < end; i++) {
                    out[i] = in.getLong();
                }
                break;
            case I32:
                for (int i = from; i < end; i++) {
                    out[i] = in.getInt();
                }
                break;
            case I16:
                for (int i = from; i < end; i++) {
                    out[i] = in.getShort();
                }
                break;
            case I8:
                for (int i = from; i < end; i++) {
                    out[i] = in.get();
                }
                break;
            case U64:
                for (int i = from; i < end; i++) {
                    long v = in.getLong();
                    // Halve with the lost bit kept as a sticky bit, so the one rounding to 53 bits is NumPy's (a C
                    // cast, correctly rounded): (v >>> 1) * 2 + (v & 1) rounded twice and was an ulp low for
                    // 2^63 + 1025.
                    out[i] = v >= 0 ? v : (double) ((v >>> 1) | (v & 1)) * 2.0;
                }
                break;
            case U32:
                for (int i = from; i < end; i++) {
                    out[i] = in.getInt() & 0xFFFFFFFFL;
                }
                break;
            case U16:
                for (int i = from; i < end; i++) {
                    out[i] = in.getShort() & 0xFFFF;
                }
                break;
            default:
                for (int i = from; i < end; i++) {
                    out[i] = in.get() & 0xFF;
                }
        }
    }

    /** Converts IEEE 754 binary16 bits to a double, exactly (including subnormals, infinities and NaN). */
    static double halfToDouble(short bits) {
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        double magnitude;
        if (exponent == 0x1F) {
            magnitude = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exponent == 0) {
            magnitude = mantissa * 0x1p-24;
        } else {
            magnitude = (1024 + mantissa) * Math.scalb(1.0, exponent - 25);
        }
        return (bits & 0x8000) != 0 ? -magnitude : magnitude;
    }
}
