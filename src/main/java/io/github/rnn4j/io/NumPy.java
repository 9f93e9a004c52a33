package io.github.rnn4j.io;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.model.Tensor;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Reads NumPy arrays: {@code .npy} files ({@code np.save}) and {@code .npz} archives ({@code np.savez},
 * {@code np.savez_compressed}) into {@link Tensor}s.
 *
 * <p>A {@code .npy} file is the magic {@code \x93NUMPY}, a version (1.0, 2.0 or 3.0), a header length (2 bytes in
 * 1.0, 4 bytes after), a Python dict literal {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4)}}
 * and the raw data (numpy/lib/format.py). Supported dtypes, all little-endian: {@code <f8 <f4 <f2 <i8 <i4 <i2 |i1
 * <u8 <u4 <u2 |u1 |b1}; values become doubles, exactly for every type except 64-bit integers beyond ±2^53.
 * Arrays of any rank are read, including 0-d ({@code shape ()}, one value) and empty ones.
 *
 * <p>Rejected with an {@link UnsupportedFeatureException} naming the file and what was found: Fortran order,
 * big-endian dtypes, object ({@code |O}, pickled) and structured dtypes, strings, complex numbers and dates.
 * Damaged files (bad magic, truncated header or data, a header that is not a dict literal) raise a
 * {@link FileFormatException}; the declared size is checked against the bytes present before anything is
 * allocated, so a header claiming a gigantic shape fails at once. Thread-safe: stateless.
 *
 * <p>Writes NumPy arrays too ({@link #writeNpy}, {@link #writeNpz}), as {@code float64}, {@code float32} or
 * {@code int64} ({@link Dtype}): the files {@code np.save} and {@code np.savez} write, byte for byte for {@code .npy}.
 */
public final class NumPy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int CHUNK = 1 << 16;
    /** numpy's room for the first axis to grow in place: {@code len(str(8*2**64-1))} (numpy/lib/format.py). */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    /** numpy's header alignment: the data starts at a multiple of 64 bytes (numpy/lib/format.py). */
    private static final int ARRAY_ALIGN = 64;
    private static final String SUPPORTED = "<f8, <f4, <f2, <i8, <i4, <i2, |i1, <u8, <u4, <u2, |u1, |b1";

    private NumPy() {
    }

    /**
     * Reads one array from a {@code .npy} file.
     *
     * @param file the file written by {@code np.save}
     * @return the array, with NumPy's shape and C-order data
     * @throws FileFormatException when the file is not a valid {@code .npy} file (the message names the file)
     * @throws UnsupportedFeatureException when the array is Fortran-ordered, big-endian or of an unsupported dtype
     * @throws IOException when the file cannot be read
     */
    public static Tensor readNpy(Path file) throws IOException {
        return readNpy(file, Limits.defaults());
    }

    /**
     * Reads one array from a {@code .npy} file within limits.
     *
     * @param file the file written by {@code np.save}
     * @param limits the most the array may take ({@link Limits#maxTensorBytes()})
     * @return the array, with NumPy's shape and C-order data
     * @throws FileFormatException when the file is not a valid {@code .npy} file or the array exceeds a limit (the
     *         message names the file)
     * @throws UnsupportedFeatureException when the array is Fortran-ordered, big-endian or of an unsupported dtype
     * @throws IOException when the file cannot be read
     */
    public static Tensor readNpy(Path file, Limits limits) throws IOException {
        Checks.notNull("file", file);
        Checks.notNull("limits", limits);
        return readNpyArray(file, limits).toTensor();
    }

    /**
     * The element type of the array of a {@code .npy} file as numpy names it ({@code float32}, {@code int64},
     * {@code bool}); {@link #readNpy(Path)} gives its values as doubles whatever this says.
     *
     * @param file the file written by {@code np.save}
     * @return the dtype name
     * @throws FileFormatException as {@link #readNpy(Path)}
     * @throws UnsupportedFeatureException as {@link #readNpy(Path)}
     * @throws IOException when the file cannot be read
     */
    public static String npyDtype(Path file) throws IOException {
        Checks.notNull("file", file);
        return readNpyArray(file, Limits.defaults()).dtype();
    }

    /**
     * The element type of each array of a {@code .npz} archive as numpy names it ({@code float32}, {@code int64},
     * {@code bool}), keyed and ordered as {@link #readNpz(Path)}.
     *
     * @param file the archive written by {@code np.savez} or {@code np.savez_compressed}
     * @return an unmodifiable map from array name to dtype, in archive order
     * @throws FileFormatException as {@link #readNpz(Path)}
     * @throws UnsupportedFeatureException as {@link #readNpz(Path)}
     * @throws IOException when the file cannot be read
     */
    public static Map<String, String> npzDtypes(Path file) throws IOException {
        Checks.notNull("file", file);
        return PyTorch.dtypesOf(readNpzArrays(file, Limits.defaults()));
    }

    /**
     * Reads every array of a {@code .npz} archive once, with the element type each has in the archive: the values of
     * {@link #readNpz(Path)} and the dtypes of {@link #npzDtypes(Path)} from one read, with the default
     * {@link Limits}.
     *
     * @param file the archive written by {@code np.savez} or {@code np.savez_compressed}
     * @return the arrays and their dtypes, keyed by array name in archive order
     * @throws FileFormatException as {@link #readNpz(Path)}
     * @throws UnsupportedFeatureException as {@link #readNpz(Path)}
     * @throws IOException when the file cannot be read
     */
    public static StoredTensors readNpzWithDtypes(Path file) throws IOException {
        return readNpzWithDtypes(file, Limits.defaults());
    }

    /**
     * Reads every array of a {@code .npz} archive once within limits, with the element type each has in the
     * archive, as {@link #readNpz(Path, Limits)} reads it.
     *
     * @param file the archive written by {@code np.savez} or {@code np.savez_compressed}
     * @param limits the most each array and all of them may take, and the most the archive may inflate to
     * @return the arrays and their dtypes, keyed by array name in archive order
     * @throws FileFormatException as {@link #readNpz(Path, Limits)}
     * @throws UnsupportedFeatureException as {@link #readNpz(Path, Limits)}
     * @throws IOException when the file cannot be read
     */
    public static StoredTensors readNpzWithDtypes(Path file, Limits limits) throws IOException {
        Checks.notNull("file", file);
        Checks.notNull("limits", limits);
        return StoredTensors.of(readNpzArrays(file, limits));
    }

    /** Reads one {@code .npy} image held in memory as an {@link ArrayData}. */
    static ArrayData readNpyArray(byte[] data, String source, Limits limits) throws IOException {
        return read(new ByteArrayInputStream(data), source, data.length, limits.budget());
    }

    /** Reads one {@code .npy} file as an {@link ArrayData} handed over without a copy: the loaders' entry point. */
    static ArrayData readNpyArray(Path file, Limits limits) throws IOException {
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            return read(in, file.toString(), size, limits.budget());
        }
    }

    /**
     * Reads every array of a {@code .npz} archive, stored or deflated, keyed by entry name without the
     * {@code .npy} suffix (as {@code np.load(file)[key]}), in archive order.
     *
     * @param file the archive written by {@code np.savez} or {@code np.savez_compressed}
     * @return an unmodifiable map from array name to array, iterating in archive order
     * @throws FileFormatException when the file is not a zip archive or an entry is not a valid {@code .npy}
     *         (the message names the file and the entry)
     * @throws UnsupportedFeatureException when an entry holds an array rnn4j does not read
     * @throws IOException when the file cannot be read
     */
    public static Map<String, Tensor> readNpz(Path file) throws IOException {
        return readNpz(file, Limits.defaults());
    }

    /**
     * Reads every array of a {@code .npz} archive within limits, keyed by entry name without the {@code .npy}
     * suffix, in archive order. Every entry's CRC-32 is verified; inflated bytes are counted as they come.
     *
     * @param file the archive written by {@code np.savez} or {@code np.savez_compressed}
     * @param limits the most each array and all of them may take, and the most the archive may inflate to
     * @return an unmodifiable map from array name to array, iterating in archive order
     * @throws FileFormatException when the file is not a zip archive, an entry is damaged or not a valid
     *         {@code .npy}, or a limit is exceeded (the message names the file and the entry)
     * @throws UnsupportedFeatureException when an entry holds an array rnn4j does not read
     * @throws IOException when the file cannot be read
     */
    public static Map<String, Tensor> readNpz(Path file, Limits limits) throws IOException {
        Checks.notNull("file", file);
        Checks.notNull("limits", limits);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, ArrayData> e : readNpzArrays(file, limits).entrySet()) {
            tensors.put(e.getKey(), e.getValue().toTensor());
        }
        return Collections.unmodifiableMap(tensors);
    }

    /**
     * Reads every array of a {@code .npz} archive as {@link ArrayData} handed over without a copy, in archive order:
     * the loaders' entry point. Each entry is inflated straight into its array (no intermediate byte copy) and its
     * CRC-32 verified at its end.
     */
    static Map<String, ArrayData> readNpzArrays(Path file, Limits limits) throws IOException {
        try (ZipArchive zip = ZipArchive.open(file, limits)) {
            return readNpzArrays(zip, limits);
        }
    }

    /** Reads every array of a {@code .npz} archive held in memory, as {@link #readNpzArrays(Path, Limits)}. */
    static Map<String, ArrayData> readNpzArrays(byte[] data, String source, Limits limits) throws IOException {
        try (ZipArchive zip = ZipArchive.open(data, source, limits)) {
            return readNpzArrays(zip, limits);
        }
    }

    static Map<String, ArrayData> readNpzArrays(ZipArchive zip, Limits limits) throws IOException {
        Map<String, ArrayData> arrays = new LinkedHashMap<>();
        Limits.Budget budget = limits.budget();
        for (ZipArchive.Entry entry : zip.entries()) {
            if (entry.isDirectory()) {
                continue;
            }
            String name = entry.name;
            String key = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
            String source = zip.source() + "[" + name + "]";
            if (arrays.containsKey(key)) {
                throw new FileFormatException(source + ": the archive holds two arrays named '" + key + "'");
            }
            try (ZipArchive.EntryStream in = zip.open(entry)) {
                arrays.put(key, read(new BufferedInputStream(in, CHUNK), source, entry.size, budget));
                in.verifyEnd();
            }
        }
        return Collections.unmodifiableMap(arrays);
    }

    /** Reads one {@code .npy} image of {@code available} bytes from {@code in}. */
    static ArrayData read(InputStream in, String source, long available, Limits.Budget budget) throws IOException {
        byte[] start = in.readNBytes(8);
        if (start.length < MAGIC.length || !Arrays.equals(start, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new FileFormatException(source + ": not a NumPy .npy file: expected the magic bytes \\x93NUMPY,"
                    + " found " + printable(start, Math.min(start.length, MAGIC.length)));
        }
        if (start.length < 8) {
            throw new FileFormatException(source + ": truncated: the file ends inside the format version");
        }
        int major = start[6] & 0xFF;
        int minor = start[7] & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw new UnsupportedFeatureException(source + ": .npy format version " + major + "." + minor
                    + " is not supported; supported: 1.0, 2.0, 3.0");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] len = in.readNBytes(lengthBytes);
        if (len.length < lengthBytes) {
            throw new FileFormatException(source + ": truncated: the file ends inside the header length");
        }
        long headerLength = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getShort(0) & 0xFFFFL;
        if (lengthBytes == 4) {
            headerLength = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt(0) & 0xFFFFFFFFL;
        }
        long prefix = 8L + lengthBytes;
        if (headerLength > available - prefix) {
            throw new FileFormatException(source + ": truncated: the header length is " + headerLength
                    + " bytes, the file has " + Math.max(0, available - prefix) + " bytes after the prefix");
        }
        if (headerLength > budget.limits().maxJsonBytes()) {
            throw budget.limits().exceeded(source, "a header of " + headerLength + " bytes", "maxJsonBytes",
                    budget.limits().maxJsonBytes(), "withMaxJsonBytes");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw new FileFormatException(source + ": truncated: the header length is " + headerLength
                    + " bytes, the file has " + headerBytes.length);
        }
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = Header.parse(header, source);
        long count = 1;
        for (int d : h.shape) {
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw new FileFormatException(source + ": shape " + h.shapeText + " has more than 2^31-1 elements,"
                        + " more than a Tensor holds");
            }
        }
        long needed = count * h.type.size;
        long present = available - prefix - headerLength;
        if (needed > present) {
            throw new FileFormatException(source + ": truncated: shape " + h.shapeText + " of " + h.descr
                    + " needs " + needed + " bytes of data, the file has " + present);
        }
        budget.take(source, h.shapeText, count);
        double[] data = new double[(int) count];
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(needed, h.type.size))];
        int done = 0;
        while (done < count) {
            int n = (int) Math.min(count - done, buf.length / h.type.size);
            int bytes = n * h.type.size;
            int got = in.readNBytes(buf, 0, bytes);
            if (got < bytes) {
                throw new FileFormatException(source + ": truncated: shape " + h.shapeText + " of " + h.descr
                        + " needs " + needed + " bytes of data, the file ends after "
                        + ((long) done * h.type.size + got));
            }
            h.type.decode(ByteBuffer.wrap(buf, 0, bytes).order(ByteOrder.LITTLE_ENDIAN), data, done, n);
            done += n;
        }
        return new ArrayData(source, h.shape, data, h.descr.equals("|b1") ? "bool" : h.type.dtypeName);
    }

    private static String printable(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return n == 0 ? "an empty file" : "'" + sb + "'";
    }

    /** The parsed header dict. */
    private static final class Header {
        final String descr;
        final ElementType type;
        final int[] shape;
        final String shapeText;

        private Header(String descr, ElementType type, int[] shape, String shapeText) {
            this.descr = descr;
            this.type = type;
            this.shape = shape;
            this.shapeText = shapeText;
        }

        @SuppressWarnings("unchecked")
        static Header parse(String text, String source) throws FileFormatException {
            Object parsed = new PyLiteral(text.strip(), source).whole();
            if (!(parsed instanceof Map)) {
                throw new FileFormatException(source + ": the header is not a dict: " + abbreviate(text));
            }
            Map<String, Object> dict = (Map<String, Object>) parsed;
            for (String key : List.of("descr", "fortran_order", "shape")) {
                if (!dict.containsKey(key)) {
                    throw new FileFormatException(source + ": the header has no '" + key + "' key: "
                            + abbreviate(text));
                }
            }
            Object descr = dict.get("descr");
            if (descr instanceof List) {
                throw new UnsupportedFeatureException(source + ": structured dtype " + abbreviate(String.valueOf(
                        descr)) + " is not supported; supported: " + SUPPORTED);
            }
            if (!(descr instanceof String)) {
                throw new FileFormatException(source + ": 'descr' is " + descr + ", expected a dtype string");
            }
            ElementType type = dtype((String) descr, source);
            Object fortran = dict.get("fortran_order");
            if (!(fortran instanceof Boolean)) {
                throw new FileFormatException(source + ": 'fortran_order' is " + fortran + ", expected True or False");
            }
            if ((Boolean) fortran) {
                throw new UnsupportedFeatureException(source + ": fortran_order=True (column-major data) is not"
                        + " supported; save a C-ordered array, for example np.save(f, np.ascontiguousarray(a))");
            }
            Object shapeValue = dict.get("shape");
            if (!(shapeValue instanceof List)) {
                throw new FileFormatException(source + ": 'shape' is " + shapeValue + ", expected a tuple of ints");
            }
            List<Object> dims = (List<Object>) shapeValue;
            int[] shape = new int[dims.size()];
            StringBuilder shapeText = new StringBuilder("(");
            for (int i = 0; i < shape.length; i++) {
                Object d = dims.get(i);
                if (!(d instanceof Long) || (Long) d < 0) {
                    throw new FileFormatException(source + ": 'shape' entry " + i + " is " + d
                            + ", expected a non-negative int");
                }
                if ((Long) d > Integer.MAX_VALUE) {
                    throw new FileFormatException(source + ": 'shape' entry " + i + " is " + d
                            + ", more than a Tensor dimension holds (2^31-1)");
                }
                shape[i] = (int) (long) (Long) d;
                shapeText.append(i > 0 ? ", " : "").append(shape[i]);
            }
            shapeText.append(shape.length == 1 ? ",)" : ")");
            return new Header((String) descr, type, shape, shapeText.toString());
        }

        private static ElementType dtype(String descr, String source) throws UnsupportedFeatureException {
            switch (descr) {
                case "<f8": return ElementType.F64;
                case "<f4": return ElementType.F32;
                case "<f2": return ElementType.F16;
                case "<i8": return ElementType.I64;
                case "<i4": return ElementType.I32;
                case "<i2": return ElementType.I16;
                case "|i1": return ElementType.I8;
                case "<u8": return ElementType.U64;
                case "<u4": return ElementType.U32;
                case "<u2": return ElementType.U16;
                case "|u1":
                case "|b1":
                    return ElementType.U8;
                default:
                    break;
            }
            if (descr.startsWith("|O") || descr.startsWith("<O") || descr.startsWith(">O")) {
                throw new UnsupportedFeatureException(source + ": object dtype '" + descr + "' (pickled Python"
                        + " objects) is not supported; supported: " + SUPPORTED);
            }
            if (descr.startsWith(">")) {
                throw new UnsupportedFeatureException(source + ": big-endian dtype '" + descr + "' is not"
                        + " supported; save little-endian data, for example a.astype('<" + descr.substring(1)
                        + "')");
            }
            throw new UnsupportedFeatureException(source + ": dtype '" + descr + "' is not supported; supported: "
                    + SUPPORTED);
        }
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 200 ? t : t.substring(0, 200) + "...";
    }

    /**
     * The Python literals a {@code .npy} header uses: dicts, tuples, lists, quoted strings, ints, {@code True},
     * {@code False} and {@code None}. Tuples and lists both become {@code List}.
     */
    private static final class PyLiteral {
        private final String s;
        private final String source;
        private int pos;
        private int depth;

        PyLiteral(String s, String source) {
            this.s = s;
            this.source = source;
        }

        Object whole() throws FileFormatException {
            Object v = value();
            ws();
            if (pos != s.length()) {
                throw error("unexpected '" + s.charAt(pos) + "'");
            }
            return v;
        }

        private FileFormatException error(String what) {
            return new FileFormatException(source + ": the header is not a Python dict literal (" + what
                    + " at offset " + pos + "): " + abbreviate(s));
        }

        private void ws() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private char peek() throws FileFormatException {
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(pos);
        }

        private Object value() throws FileFormatException {
            ws();
            char c = peek();
            if (c == '{' || c == '(' || c == '[') {
                if (++depth > 32) {
                    throw error("nested too deeply");
                }
                Object v = c == '{' ? dict() : sequence(c == '(' ? ')' : ']');
                depth--;
                return v;
            }
            if (c == '\'' || c == '"') {
                return string(c);
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("None", pos)) {
                pos += 4;
                return null;
            }
            return integer();
        }

        private Map<String, Object> dict() throws FileFormatException {
            pos++;
            Map<String, Object> m = new LinkedHashMap<>();
            while (true) {
                ws();
                if (peek() == '}') {
                    pos++;
                    return m;
                }
                Object key = value();
                if (!(key instanceof String)) {
                    throw error("a dict key is not a string");
                }
                ws();
                if (peek() != ':') {
                    throw error("expected ':'");
                }
                pos++;
                m.put((String) key, value());
                ws();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> sequence(char close) throws FileFormatException {
            pos++;
            List<Object> l = new ArrayList<>();
            while (true) {
                ws();
                if (peek() == close) {
                    pos++;
                    return l;
                }
                l.add(value());
                ws();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != close) {
                    throw error("expected ',' or '" + close + "'");
                }
            }
        }

        private String string(char quote) throws FileFormatException {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = peek();
                pos++;
                if (c == quote) {
                    return sb.toString();
                }
                if (c == '\\') {
                    c = peek();
                    pos++;
                }
                sb.append(c);
            }
        }

        private Long integer() throws FileFormatException {
            int start = pos;
            if (pos < s.length() && (s.charAt(pos) == '-' || s.charAt(pos) == '+')) {
                pos++;
            }
            while (pos < s.length() && (s.charAt(pos) >= '0' && s.charAt(pos) <= '9')) {
                pos++;
            }
            String digits = s.substring(start, pos);
            if (pos < s.length() && s.charAt(pos) == 'L') {
                pos++;
            }
            if (digits.isEmpty() || digits.equals("-") || digits.equals("+")) {
                throw error("unexpected '" + peek() + "'");
            }
            if (digits.length() > 19) {
                return Long.MAX_VALUE;
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ writing

    /** The element type of an array written by {@link #writeNpy} and {@link #writeNpz}, little-endian. */
    public enum Dtype {
        /** {@code <f8}: every double exactly. */
        FLOAT64("<f8", 8),
        /** {@code <f4}: each double rounded to the nearest float, as numpy's {@code astype(np.float32)}. */
        FLOAT32("<f4", 4),
        /** {@code <i8}: whole numbers only; anything else is refused before a byte is written. */
        INT64("<i8", 8);

        private final String descr;
        private final int size;

        Dtype(String descr, int size) {
            this.descr = descr;
            this.size = size;
        }

        /**
         * The numpy type string of this dtype.
         *
         * @return {@code <f8}, {@code <f4} or {@code <i8}
         */
        public String descr() {
            return descr;
        }
    }

    /**
     * Writes one array to a {@code .npy} file, replacing the file if it exists: what {@code np.save(file, a)} writes
     * for a C-ordered array of that dtype, byte for byte.
     *
     * @param file the file to write
     * @param array the array, its shape as NumPy's (a rank-0 tensor is not possible: {@code shape ()} has no
     *        {@code Tensor})
     * @param dtype the element type in the file
     * @throws IllegalArgumentException when {@code dtype} is {@link Dtype#INT64} and a value is not a whole number
     *         in the range of a 64-bit integer (the message names its index)
     * @throws IOException when the file cannot be written
     */
    public static void writeNpy(Path file, Tensor array, Dtype dtype) throws IOException {
        Checks.notNull("file", file);
        checkWritable("array", array, dtype);
        try (OutputStream out = Files.newOutputStream(file)) {
            writeNpy(out, array, dtype);
        }
    }

    /**
     * Writes one array in {@code .npy} format to a stream, which is left open.
     *
     * @param out where the bytes go
     * @param array the array
     * @param dtype the element type in the file
     * @throws IllegalArgumentException as {@link #writeNpy(Path, Tensor, Dtype)}
     * @throws IOException when the stream fails
     */
    public static void writeNpy(OutputStream out, Tensor array, Dtype dtype) throws IOException {
        Checks.notNull("out", out);
        checkWritable("array", array, dtype);
        out.write(npyHeader(array.shape(), dtype));
        double[] data = array.data();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < data.length; ) {
            int n = Math.min(data.length - i, CHUNK / dtype.size);
            encode(data, i, n, dtype, buf);
            out.write(buf.array(), 0, buf.position());
            i += n;
        }
    }

    /**
     * Writes arrays to a {@code .npz} archive, replacing the file if it exists: what {@code np.savez(file, **arrays)}
     * writes (entries {@code name.npy}, stored without compression), readable by {@code np.load(file)[name]}.
     *
     * @param file the file to write
     * @param arrays the arrays by name, written in the map's order
     * @param dtype the element type of every array
     * @throws IllegalArgumentException when a name is empty, or as {@link #writeNpy(Path, Tensor, Dtype)}
     * @throws IOException when the file cannot be written
     */
    public static void writeNpz(Path file, Map<String, Tensor> arrays, Dtype dtype) throws IOException {
        Checks.notNull("file", file);
        checkWritable(arrays, dtype);
        try (OutputStream out = Files.newOutputStream(file)) {
            writeNpz(out, arrays, dtype);
        }
    }

    /**
     * Writes arrays in {@code .npz} format to a stream, which is left open.
     *
     * @param out where the bytes go
     * @param arrays the arrays by name, written in the map's order
     * @param dtype the element type of every array
     * @throws IllegalArgumentException as {@link #writeNpz(Path, Map, Dtype)}
     * @throws IOException when the stream fails
     */
    public static void writeNpz(OutputStream out, Map<String, Tensor> arrays, Dtype dtype) throws IOException {
        Checks.notNull("out", out);
        checkWritable(arrays, dtype);
        ZipOutputStream zip = new ZipOutputStream(new NonClosing(out), StandardCharsets.UTF_8);
        for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
            Tensor t = e.getValue();
            byte[] header = npyHeader(t.shape(), dtype);
            double[] data = t.data();
            // STORED entries need their size and CRC-32 up front: a first pass computes the CRC chunk by chunk.
            CRC32 crc = new CRC32();
            crc.update(header);
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < data.length; ) {
                int n = Math.min(data.length - i, CHUNK / dtype.size);
                encode(data, i, n, dtype, buf);
                crc.update(buf.array(), 0, buf.position());
                i += n;
            }
            ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
            entry.setMethod(ZipEntry.STORED);
            long size = header.length + (long) data.length * dtype.size;
            entry.setSize(size);
            entry.setCompressedSize(size);
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            zip.write(header);
            for (int i = 0; i < data.length; ) {
                int n = Math.min(data.length - i, CHUNK / dtype.size);
                encode(data, i, n, dtype, buf);
                zip.write(buf.array(), 0, buf.position());
                i += n;
            }
            zip.closeEntry();
        }
        zip.close();
    }

    private static void checkWritable(Map<String, Tensor> arrays, Dtype dtype) {
        Checks.notNull("arrays", arrays);
        for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new IllegalArgumentException("arrays has an array with an empty name, expected a name per array");
            }
            checkWritable("arrays['" + e.getKey() + "']", e.getValue(), dtype);
        }
    }

    private static void checkWritable(String name, Tensor array, Dtype dtype) {
        Checks.notNull(name, array);
        Checks.notNull("dtype", dtype);
        if (dtype != Dtype.INT64) {
            return;
        }
        double[] data = array.data();
        for (int i = 0; i < data.length; i++) {
            double v = data[i];
            if (v != Math.rint(v) || v < -0x1p63 || v >= 0x1p63) {
                throw new IllegalArgumentException(name + " element " + i + " is " + v
                        + ", expected a whole number in the int64 range for dtype INT64");
            }
        }
    }

    /**
     * The magic, version, header length and header dict as {@code np.save} writes them (numpy 1.24,
     * numpy/lib/format.py {@code _write_array_header} and {@code _wrap_header}): the dict, then
     * {@code 21 - len(repr(shape[0]))} spaces of room to grow the first axis (none for 0-d), then one to 64 spaces and
     * a newline so that the data starts at a multiple of 64; version 1.0 unless its 2-byte length cannot hold the
     * header, then 2.0.
     */
    static byte[] npyHeader(int[] shape, Dtype dtype) {
        StringBuilder dims = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            dims.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        dims.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + dtype.descr + "', 'fortran_order': False, 'shape': " + dims + ", }";
        if (shape.length > 0) {
            dict += " ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length());
        }
        int withNewline = dict.length() + 1;
        int version = 1;
        int prefix = MAGIC.length + 2 + 2;
        int headerLength = withNewline + ARRAY_ALIGN - (prefix + withNewline) % ARRAY_ALIGN;
        if (headerLength > 0xFFFF) {
            version = 2;
            prefix = MAGIC.length + 2 + 4;
            headerLength = withNewline + ARRAY_ALIGN - (prefix + withNewline) % ARRAY_ALIGN;
        }
        String header = dict + " ".repeat(headerLength - withNewline) + "\n";
        ByteBuffer b = ByteBuffer.allocate(prefix + headerLength).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) version).put((byte) 0);
        if (version == 1) {
            b.putShort((short) headerLength);
        } else {
            b.putInt(headerLength);
        }
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    private static void encode(double[] data, int from, int n, Dtype dtype, ByteBuffer buf) {
        buf.clear();
        for (int i = from; i < from + n; i++) {
            switch (dtype) {
                case FLOAT64:
                    buf.putDouble(data[i]);
                    break;
                case FLOAT32:
                    buf.putFloat((float) data[i]);
                    break;
                case INT64:
                    buf.putLong((long) data[i]);
                    break;
                default:
                    throw new AssertionError(dtype);
            }
        }
    }

    /** Keeps {@link ZipOutputStream#close} from closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
