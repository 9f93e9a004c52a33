package io.github.rnn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A parsed datatype message: class, size and what decoding needs; and the decoding of numeric elements into doubles.
 *
 * <p>Implements section IV.A.2.d of the HDF5 File Format Specification version 3.0 ("The Datatype Message"):
 * fixed-point (class 0) and IEEE floating-point (class 1) numbers of either byte order, fixed-length strings
 * (class 3) and variable-length sequences and strings (class 9, nested at most 8 deep). Other classes are parsed only
 * far enough to name them in an {@link UnsupportedFeatureException}; VAX-ordered floats are refused.
 */
final class Hdf5Datatype {
    static final int FIXED = 0;
    static final int FLOAT = 1;
    static final int STRING = 3;
    static final int VLEN = 9;

    final int typeClass;
    final int size;
    final boolean bigEndian;
    final boolean signed;
    final int precision;
    final int bitOffset;
    final int exponentSize;
    final int mantissaSize;
    final int padding;
    final boolean vlenString;
    final Hdf5Datatype base;
    private final String source;

    private Hdf5Datatype(int typeClass, int size, boolean bigEndian, boolean signed, int precision, int bitOffset,
                         int exponentSize, int mantissaSize, int padding, boolean vlenString, Hdf5Datatype base,
                         String source) {
        this.typeClass = typeClass;
        this.size = size;
        this.bigEndian = bigEndian;
        this.signed = signed;
        this.precision = precision;
        this.bitOffset = bitOffset;
        this.exponentSize = exponentSize;
        this.mantissaSize = mantissaSize;
        this.padding = padding;
        this.vlenString = vlenString;
        this.base = base;
        this.source = source;
    }

    static Hdf5Datatype parse(Hdf5Buffer b, Hdf5File file) throws IOException {
        return parse(b, file, 0);
    }

    private static Hdf5Datatype parse(Hdf5Buffer b, Hdf5File file, int depth) throws IOException {
        if (depth > 8) {
            throw file.damaged("variable-length datatypes nested " + depth + " deep");
        }
        int classAndVersion = b.u8();
        int typeClass = classAndVersion & 0x0F;
        int bits = b.u8() | b.u8() << 8 | b.u8() << 16;
        long size = b.u32();
        if (size == 0 || size > Integer.MAX_VALUE / 2) {
            throw file.damaged("datatype of " + size + " bytes");
        }
        switch (typeClass) {
            case FIXED: {
                int offset = b.u16();
                int precision = b.u16();
                return new Hdf5Datatype(FIXED, (int) size, (bits & 1) != 0, (bits & 8) != 0, precision, offset, 0, 0,
                        0, false, null, file.source());
            }
            case FLOAT: {
                int offset = b.u16();
                int precision = b.u16();
                b.skip(1);
                int exponentSize = b.u8();
                b.skip(1);
                int mantissaSize = b.u8();
                if ((bits & 0x40) != 0) {
                    throw file.unsupported("a VAX-ordered floating-point datatype");
                }
                return new Hdf5Datatype(FLOAT, (int) size, (bits & 1) != 0, true, precision, offset, exponentSize,
                        mantissaSize, 0, false, null, file.source());
            }
            case STRING:
                return new Hdf5Datatype(STRING, (int) size, false, false, 0, 0, 0, 0, bits & 0x0F, false, null,
                        file.source());
            case VLEN: {
                Hdf5Datatype base = parse(b, file, depth + 1);
                return new Hdf5Datatype(VLEN, (int) size, false, false, 0, 0, 0, 0, (bits >> 4) & 0x0F,
                        (bits & 0x0F) == 1, base, file.source());
            }
            default:
                return new Hdf5Datatype(typeClass, (int) size, false, false, 0, 0, 0, 0, 0, false, null,
                        file.source());
        }
    }

    /** Whether this is a fixed- or variable-length string. */
    boolean isString() {
        return typeClass == STRING || (typeClass == VLEN && vlenString);
    }

    String describe() {
        switch (typeClass) {
            case FIXED: return (signed ? "" : "unsigned ") + (size * 8) + "-bit integer";
            case FLOAT: return (size * 8) + "-bit float";
            case STRING: return "fixed-length string of " + size + " bytes";
            case VLEN: return vlenString ? "variable-length string" : "variable-length sequence";
            case 2: return "time";
            case 4: return "bitfield";
            case 5: return "opaque";
            case 6: return "compound";
            case 7: return "reference";
            case 8: return "enum";
            case 10: return "array";
            default: return "datatype class " + typeClass;
        }
    }

    /** The element type of a numeric datatype. */
    ElementType element(String what) throws UnsupportedFeatureException {
        if (typeClass == FIXED && bitOffset == 0 && precision == size * 8) {
            switch (size) {
                case 1: return signed ? ElementType.I8 : ElementType.U8;
                case 2: return signed ? ElementType.I16 : ElementType.U16;
                case 4: return signed ? ElementType.I32 : ElementType.U32;
                case 8: return signed ? ElementType.I64 : ElementType.U64;
                default: break;
            }
        }
        if (typeClass == FLOAT && bitOffset == 0 && precision == size * 8) {
            if (size == 8 && exponentSize == 11 && mantissaSize == 52) {
                return ElementType.F64;
            }
            if (size == 4 && exponentSize == 8 && mantissaSize == 23) {
                return ElementType.F32;
            }
            if (size == 2 && exponentSize == 5 && mantissaSize == 10) {
                return ElementType.F16;
            }
        }
        throw new UnsupportedFeatureException(source + ": " + what + " has datatype " + describe()
                + (typeClass == FLOAT || typeClass == FIXED ? " (precision " + precision + ", offset "
                + bitOffset + ")" : "") + ", which is not supported; supported: IEEE float 16/32/64 bits and"
                + " integers of 8-64 bits");
    }

    /** Decodes {@code count} elements of this numeric type from {@code b} into {@code out[from..)}. */
    void decode(Hdf5File file, Hdf5Buffer b, ElementType element, double[] out, int from, int count, String what)
            throws IOException {
        long bytes = (long) count * size;
        if (b.remaining() < bytes) {
            throw file.damaged(what + " has " + b.remaining() + " bytes, expected " + bytes);
        }
        ByteBuffer bb = b.raw().order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        element.decode(bb, out, from, count);
        b.raw().order(ByteOrder.LITTLE_ENDIAN);
    }
}
