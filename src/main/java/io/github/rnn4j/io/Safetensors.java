package io.github.rnn4j.io;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.model.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads safetensors files (Hugging Face's format) into {@link Tensor}s.
 *
 * <p>A file is an 8-byte little-endian header length {@code N}, {@code N} bytes of UTF-8 JSON mapping each tensor
 * name to {@code {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}} (offsets relative to the byte
 * buffer after the header), an optional {@code "__metadata__"} object of string to string, then the byte buffer
 * (github.com/huggingface/safetensors, README "Format"). Supported dtypes, all little-endian: {@code F64 F32 F16
 * BF16 I64 I32 I16 I8 U8 BOOL}; values become doubles, exactly except 64-bit integers beyond ±2^53.
 *
 * <p>Checked before anything is allocated: the header length against the file size (and the format's 100 MB
 * limit and {@link Limits#maxJsonBytes()}), each tensor's offsets against the byte buffer, {@code end - begin}
 * against shape times element size, that the offsets tile the buffer exactly (no gap, no overlap, no trailing
 * byte, as the reference implementation requires), and every tensor against {@link Limits}.
 * Violations raise a {@link FileFormatException} naming the file and the tensor; other dtypes an
 * {@link UnsupportedFeatureException}. Thread-safe: stateless.
 */
public final class Safetensors {
    /** The format's own limit on the JSON header. */
    static final long MAX_HEADER = 100L << 20;
    private static final String METADATA = "__metadata__";
    private static final String SUPPORTED = "F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL";

    private Safetensors() {
    }

    /**
     * Reads every tensor of a safetensors file, in the order the header lists them.
     *
     * @param file the file
     * @return an unmodifiable map from tensor name to tensor (without {@code __metadata__})
     * @throws FileFormatException when the file breaks the format (the message names the file and the tensor)
     * @throws UnsupportedFeatureException when a tensor has a dtype rnn4j does not read
     * @throws IOException when the file cannot be read
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        return read(file, Limits.defaults());
    }

    /**
     * Reads every tensor of a safetensors file within limits, in the order the header lists them.
     *
     * @param file the file
     * @param limits the most each tensor and all of them may take, and the header's JSON length, depth and entries
     * @return an unmodifiable map from tensor name to tensor (without {@code __metadata__})
     * @throws FileFormatException when the file breaks the format or exceeds a limit (the message names the file
     *         and the tensor)
     * @throws UnsupportedFeatureException when a tensor has a dtype rnn4j does not read
     * @throws IOException when the file cannot be read
     */
    public static Map<String, Tensor> read(Path file, Limits limits) throws IOException {
        Checks.notNull("file", file);
        Checks.notNull("limits", limits);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, ArrayData> e : readArrays(file, limits).entrySet()) {
            tensors.put(e.getKey(), e.getValue().toTensor());
        }
        return Collections.unmodifiableMap(tensors);
    }

    /**
     * Reads every tensor as an {@link ArrayData} handed over without a copy, in header order: the loaders' entry
     * point. The whole header is checked first (dtypes, shapes, and that the data offsets tile the byte buffer
     * exactly, with no gap, overlap or trailing byte), then each tensor is allocated once and read.
     */
    static Map<String, ArrayData> readArrays(Path file, Limits limits) throws IOException {
        try (ByteSource ch = ByteSource.open(file)) {
            return readArrays(ch, file.toString(), limits);
        }
    }

    /** Reads every tensor of a safetensors image held in memory, as {@link #readArrays(Path, Limits)}. */
    static Map<String, ArrayData> readArrays(byte[] data, String source, Limits limits) throws IOException {
        return readArrays(ByteSource.of(data), source, limits);
    }

    /**
     * The element type of each tensor, from the header alone (no tensor data is read), in header order, as numpy
     * names it: {@code F32} is {@code float32}, {@code BF16} {@code bfloat16}, {@code BOOL} {@code bool}. For tools
     * that show what a file holds; {@link #read(Path)} gives every value as a double whatever this says.
     *
     * @param file the file
     * @return an unmodifiable map from tensor name to dtype, in header order
     * @throws FileFormatException when the header is damaged or its offsets do not tile the data (the message names
     *         the file and the tensor)
     * @throws UnsupportedFeatureException when a tensor has a dtype rnn4j does not read
     * @throws IOException when the file cannot be read
     */
    public static Map<String, String> dtypes(Path file) throws IOException {
        Checks.notNull("file", file);
        try (ByteSource ch = ByteSource.open(file)) {
            String source = file.toString();
            Layout layout = layout(ch, source, Limits.defaults());
            List<Spec> specs = new ArrayList<>();
            for (Map.Entry<String, Object> e : layout.header.entrySet()) {
                if (!e.getKey().equals(METADATA)) {
                    specs.add(spec(layout, e.getKey(), e.getValue(), source));
                }
            }
            checkTiling(specs, layout, source);
            Map<String, String> out = new LinkedHashMap<>();
            for (Spec spec : specs) {
                out.put(spec.name, spec.dtype);
            }
            return Collections.unmodifiableMap(out);
        }
    }

    private static Map<String, ArrayData> readArrays(ByteSource ch, String file, Limits limits) throws IOException {
        Layout layout = layout(ch, file, limits);
        List<Spec> specs = new ArrayList<>();
        for (Map.Entry<String, Object> e : layout.header.entrySet()) {
            if (!e.getKey().equals(METADATA)) {
                specs.add(spec(layout, e.getKey(), e.getValue(), file));
            }
        }
        checkTiling(specs, layout, file);
        Limits.Budget budget = limits.budget();
        for (Spec spec : specs) {
            budget.take(spec.source, io.github.rnn4j.internal.Checks.dims(spec.shape), spec.count);
        }
        Map<String, ArrayData> arrays = new LinkedHashMap<>();
        for (Spec spec : specs) {
            arrays.put(spec.name, read(ch, layout, spec));
        }
        return Collections.unmodifiableMap(arrays);
    }

    /** One tensor's header entry, checked. */
    private static final class Spec {
        final String name;
        final String source;
        final ElementType type;
        /** The dtype as numpy names it: {@code float32}, {@code bool}. */
        final String dtype;
        final int[] shape;
        final int count;
        final long begin;
        final long end;

        Spec(String name, String source, ElementType type, boolean bool, int[] shape, int count, long begin,
             long end) {
            this.name = name;
            this.source = source;
            this.type = type;
            this.dtype = type == ElementType.U8 && bool ? "bool" : type.dtypeName;
            this.shape = shape;
            this.count = count;
            this.begin = begin;
            this.end = end;
        }
    }

    /** The data offsets must tile the byte buffer: sorted by start, each begins where the previous ended. */
    private static void checkTiling(List<Spec> specs, Layout layout, String file) throws FileFormatException {
        List<Spec> sorted = new ArrayList<>(specs);
        sorted.sort(Comparator.comparingLong((Spec x) -> x.begin).thenComparingLong(x -> x.end));
        long at = 0;
        Spec previous = null;
        for (Spec s : sorted) {
            if (s.begin < at) {
                throw new FileFormatException(s.source + ": data_offsets [" + s.begin + ", " + s.end + "] overlap"
                        + " those of tensor '" + previous.name + "' [" + previous.begin + ", " + previous.end + "]");
            }
            if (s.begin > at) {
                throw new FileFormatException(s.source + ": data_offsets [" + s.begin + ", " + s.end + "] leave the"
                        + " bytes [" + at + ", " + s.begin + ") of the buffer unused" + (previous == null ? ""
                        : " after tensor '" + previous.name + "'") + "; the format has no gaps");
            }
            at = s.end;
            previous = s;
        }
        if (at != layout.dataSize) {
            throw new FileFormatException(file + ": the tensors end at byte " + at + " of the " + layout.dataSize
                    + "-byte buffer after the header; the format has no trailing bytes");
        }
    }

    /**
     * Reads the {@code __metadata__} object of a safetensors file (free-form string pairs such as
     * {@code {"format": "pt"}}).
     *
     * @param file the file
     * @return an unmodifiable map in header order, empty when the file has no metadata
     * @throws FileFormatException when the header is damaged or the metadata holds a non-string value
     * @throws IOException when the file cannot be read
     */
    public static Map<String, String> metadata(Path file) throws IOException {
        return metadata(file, Limits.defaults());
    }

    /**
     * Reads the {@code __metadata__} object of a safetensors file, parsing the header within limits.
     *
     * @param file the file
     * @param limits the header's JSON length, depth and entries
     * @return an unmodifiable map in header order, empty when the file has no metadata
     * @throws FileFormatException when the header is damaged, exceeds a limit or the metadata holds a non-string
     * @throws IOException when the file cannot be read
     */
    public static Map<String, String> metadata(Path file, Limits limits) throws IOException {
        Checks.notNull("file", file);
        Checks.notNull("limits", limits);
        try (ByteSource ch = ByteSource.open(file)) {
            Object meta = layout(ch, file.toString(), limits).header.get(METADATA);
            if (meta == null) {
                return Map.of();
            }
            if (!(meta instanceof Map)) {
                throw new FileFormatException(file + ": '__metadata__' is " + Json.describe(meta)
                        + ", expected an object of strings");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) meta).entrySet()) {
                if (!(e.getValue() instanceof String)) {
                    throw new FileFormatException(file + ": '__metadata__' entry '" + e.getKey() + "' is "
                            + Json.describe(e.getValue()) + ", expected a string");
                }
                out.put((String) e.getKey(), (String) e.getValue());
            }
            return Collections.unmodifiableMap(out);
        }
    }

    /** The parsed header and where the byte buffer starts and ends. */
    private static final class Layout {
        final Map<String, Object> header;
        final long dataStart;
        final long dataSize;

        Layout(Map<String, Object> header, long dataStart, long dataSize) {
            this.header = header;
            this.dataStart = dataStart;
            this.dataSize = dataSize;
        }
    }

    private static Layout layout(ByteSource ch, String source, Limits limits) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new FileFormatException(source + ": not a safetensors file: " + size
                    + " bytes, too short for the 8-byte header length");
        }
        long n = readFully(ch, 0, 8, source).getLong();
        if (n < 2 || n > size - 8) {
            throw new FileFormatException(source + ": not a safetensors file: the header length is "
                    + Long.toUnsignedString(n) + " bytes, the file has " + (size - 8) + " after the length");
        }
        if (n > MAX_HEADER) {
            throw new FileFormatException(source + ": the header length is " + n + " bytes, more than the format's"
                    + " limit of " + MAX_HEADER);
        }
        if (n > limits.maxJsonBytes()) {
            throw limits.exceeded(source, "a header of " + n + " bytes", "maxJsonBytes", limits.maxJsonBytes(),
                    "withMaxJsonBytes");
        }
        ByteBuffer raw = readFully(ch, 8, (int) n, source);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(raw).toString();
        } catch (CharacterCodingException e) {
            throw new FileFormatException(source + ": the header is not valid UTF-8", e);
        }
        if (!text.startsWith("{")) {
            throw new FileFormatException(source + ": not a safetensors file: the header does not start with '{'");
        }
        return new Layout(Json.parseObject(text, source + ": header", limits), 8 + n, size - 8 - n);
    }

    @SuppressWarnings("unchecked")
    private static Spec spec(Layout layout, String name, Object spec, String file) throws IOException {
        String source = file + ": tensor '" + name + "'";
        if (!(spec instanceof Map)) {
            throw new FileFormatException(source + " is " + Json.describe(spec) + ", expected an object");
        }
        Map<String, Object> m = (Map<String, Object>) spec;
        Object dtype = m.get("dtype");
        if (!(dtype instanceof String)) {
            throw new FileFormatException(source + ": 'dtype' is " + Json.describe(dtype) + ", expected a string");
        }
        ElementType type = dtype((String) dtype, source);
        int[] shape = ints(m.get("shape"), "shape", source);
        Object offsetsValue = m.get("data_offsets");
        if (!(offsetsValue instanceof List) || ((List<Object>) offsetsValue).size() != 2) {
            throw new FileFormatException(source + ": 'data_offsets' is " + Json.describe(offsetsValue)
                    + ", expected [begin, end]");
        }
        long begin = nonNegative(((List<Object>) offsetsValue).get(0), "data_offsets[0]", source);
        long end = nonNegative(((List<Object>) offsetsValue).get(1), "data_offsets[1]", source);
        if (begin > end || end > layout.dataSize) {
            throw new FileFormatException(source + ": data_offsets [" + begin + ", " + end + "] do not fit the "
                    + layout.dataSize + "-byte buffer after the header");
        }
        long count = 1;
        for (int d : shape) {
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw new FileFormatException(source + ": shape " + io.github.rnn4j.internal.Checks.dims(shape)
                        + " has more than 2^31-1 elements, more than a Tensor holds");
            }
        }
        if (end - begin != count * type.size) {
            throw new FileFormatException(source + ": data_offsets [" + begin + ", " + end + "] hold "
                    + (end - begin) + " bytes, shape " + io.github.rnn4j.internal.Checks.dims(shape) + " of " + dtype + " needs "
                    + count * type.size);
        }
        return new Spec(name, source, type, dtype.equals("BOOL"), shape, (int) count, begin, end);
    }

    private static ArrayData read(ByteSource ch, Layout layout, Spec spec) throws IOException {
        ElementType type = spec.type;
        double[] data = new double[spec.count];
        long position = layout.dataStart + spec.begin;
        int done = 0;
        int perRead = (1 << 20) / type.size;
        while (done < spec.count) {
            int n = Math.min(spec.count - done, perRead);
            ByteBuffer b = readFully(ch, position, n * type.size, spec.source);
            type.decode(b, data, done, n);
            position += (long) n * type.size;
            done += n;
        }
        return new ArrayData(spec.source, spec.shape, data, spec.dtype);
    }

    private static ElementType dtype(String name, String source) throws UnsupportedFeatureException {
        switch (name) {
            case "F64": return ElementType.F64;
            case "F32": return ElementType.F32;
            case "F16": return ElementType.F16;
            case "BF16": return ElementType.BF16;
            case "I64": return ElementType.I64;
            case "I32": return ElementType.I32;
            case "I16": return ElementType.I16;
            case "I8": return ElementType.I8;
            case "U8":
            case "BOOL":
                return ElementType.U8;
            default:
                throw new UnsupportedFeatureException(source + ": dtype '" + name + "' is not supported; supported: "
                        + SUPPORTED);
        }
    }

    private static int[] ints(Object v, String what, String source) throws FileFormatException {
        if (!(v instanceof List)) {
            throw new FileFormatException(source + ": '" + what + "' is " + Json.describe(v)
                    + ", expected an array of integers");
        }
        List<?> l = (List<?>) v;
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            long d = nonNegative(l.get(i), what + "[" + i + "]", source);
            if (d > Integer.MAX_VALUE) {
                throw new FileFormatException(source + ": " + what + "[" + i + "] is " + d
                        + ", more than a Tensor dimension holds (2^31-1)");
            }
            out[i] = (int) d;
        }
        return out;
    }

    private static long nonNegative(Object v, String what, String source) throws FileFormatException {
        if (!(v instanceof Long) || (Long) v < 0) {
            throw new FileFormatException(source + ": " + what + " is " + Json.describe(v)
                    + ", expected a non-negative integer");
        }
        return (Long) v;
    }

    private static ByteBuffer readFully(ByteSource ch, long position, int length, String source) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            int n = ch.read(position + b.position(), b);
            if (n <= 0) {
                throw new FileFormatException(source + ": truncated: the file ends at " + (position + b.position())
                        + ", expected " + length + " bytes from " + position);
            }
        }
        return b.flip();
    }
}
