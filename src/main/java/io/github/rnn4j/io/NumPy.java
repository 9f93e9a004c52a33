package io.github.rnn4j.io;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.model.Tensor;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 */
public final class NumPy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int CHUNK = 1 << 16;
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
        return new ArrayData(source, h.shape, data);
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
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
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
}
