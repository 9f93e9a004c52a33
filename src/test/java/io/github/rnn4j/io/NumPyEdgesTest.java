package io.github.rnn4j.io;

import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The edges of the NumPy reader and writer that the fixture tests leave open (PIT survivors, docs/mutation.md): the
 * .npy header grammar of numpy/lib/format.py (a Python literal read by {@code ast.literal_eval}), its text encodings,
 * boundaries of the header and size checks, the in-memory entry points, and arrays larger than one write chunk.
 * Files are written byte by byte here following the format, or by numpy (tools/fixtures/gen_numpy_edges.py).
 */
class NumPyEdgesTest {
    private static final Path NUMPY = Resources.fixture("numpy/numpy_expected.json").getParent();
    private static final Path EDGES = Resources.fixture("numpy_edges/headers.json").getParent();
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy's header for shape () of {@code <f8}, without the newline, as format.py writes it. */
    private static final String SCALAR = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }";

    @TempDir
    Path tmp;

    /** A version 1.0 .npy image: magic, version, the 2-byte header length, the header text (latin1), the data. */
    static byte[] npy(String header, byte[] data) {
        return npy(1, header.getBytes(StandardCharsets.ISO_8859_1), header.length(), data);
    }

    static byte[] npy(int major, byte[] header, long declaredLength, byte[] data) {
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + header.length + data.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) declaredLength);
        } else {
            b.putInt((int) declaredLength);
        }
        return b.put(header).put(data).array();
    }

    private static byte[] doubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            b.putDouble(d);
        }
        return b.array();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path f = tmp.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> expected(String file) {
        Map<String, Object> files = (Map<String, Object>) Resources.json(NUMPY.resolve("numpy_expected.json"))
                .get("files");
        return (Map<String, Object>) files.get(file);
    }

    // ------------------------------------------------------------------------------------------ entry points

    @SuppressWarnings("unchecked")
    @Test
    void inMemoryImagesReadAsNumpyWroteThem() throws IOException {
        Map<String, Object> f8 = (Map<String, Object>) expected("f8_2d.npy").get("");
        byte[] image = Files.readAllBytes(NUMPY.resolve("f8_2d.npy"));
        ArrayData one = NumPy.readNpyArray(image, "mem.npy", Limits.defaults());
        assertThat(one.shape()).isEqualTo(Resources.shape(f8));
        assertThat(one.data()).isEqualTo(Resources.data(f8));
        assertThat(one.dtype()).isEqualTo("float64");

        Map<String, ArrayData> all = NumPy.readNpzArrays(Files.readAllBytes(NUMPY.resolve("stored.npz")), "mem.npz",
                Limits.defaults());
        Map<String, Object> exp = expected("stored.npz");
        assertThat(all.keySet()).containsExactly("kernel", "recurrent_kernel", "bias", "step");
        for (String key : all.keySet()) {
            assertThat(all.get(key).data()).as(key).isEqualTo(Resources.data((Map<String, Object>) exp.get(key)));
        }
    }

    @Test
    void aChangedDataByteOfAStoredEntryIsABadCrc() throws IOException {
        byte[] zip = Files.readAllBytes(NUMPY.resolve("stored.npz"));
        List<Integer> at = indexesOf(zip, doubles(expectedFirstKernelValue()));
        assertThat(at).as("the kernel's first value occurs once in the archive").hasSize(1);
        zip[at.get(0) + 7] ^= 0x01;
        assertThatThrownBy(() -> NumPy.readNpzArrays(zip, "mem.npz", Limits.defaults()))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith("mem.npz[kernel.npy]: Bad CRC-32");
        Path f = file("bad_crc.npz", zip);
        assertThatThrownBy(() -> NumPy.readNpz(f)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(f + "[kernel.npy]: Bad CRC-32");
    }

    @SuppressWarnings("unchecked")
    private static double expectedFirstKernelValue() {
        return Resources.data((Map<String, Object>) expected("stored.npz").get("kernel"))[0];
    }

    private static List<Integer> indexesOf(byte[] haystack, byte[] needle) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                found.add(i);
            }
        }
        return found;
    }

    // ------------------------------------------------------------------------------------------ prefix and sizes

    @Test
    void theMagicAloneEndsInsideTheVersion() throws IOException {
        Path f = file("magic.npy", MAGIC);
        assertThatThrownBy(() -> NumPy.readNpy(f)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(f + ": truncated: the file ends inside the format version");
    }

    @Test
    void aWrongMagicIsShownWithSpaceAndDelAsNumpyWouldPrintThem() throws IOException {
        Path f = file("odd.npy", new byte[] {' ', 'N', 'U', 'M', 'P', 0x7F, 1, 0});
        assertThatThrownBy(() -> NumPy.readNpy(f)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(f + ": not a NumPy .npy file: expected the magic bytes \\x93NUMPY, found ' NUMP\\x7f'");
    }

    @Test
    void aHeaderLengthOneBeyondTheFileNamesBothSizes() throws IOException {
        String header = SCALAR + "\n";
        Path f = file("long.npy", npy(1, header.getBytes(StandardCharsets.ISO_8859_1), header.length() + 1,
                new byte[0]));
        assertThatThrownBy(() -> NumPy.readNpy(f)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(f + ": truncated: the header length is " + (header.length() + 1) + " bytes, the file has "
                        + header.length() + " bytes after the prefix");
    }

    @SuppressWarnings("unchecked")
    @Test
    void aHeaderOfExactlyMaxJsonBytesIsRead() throws IOException {
        Path f = NUMPY.resolve("f8_2d.npy");
        // f8_2d.npy is numpy's version 1.0 file: its header length is the little-endian short at offset 8.
        byte[] bytes = Files.readAllBytes(f);
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        Tensor t = NumPy.readNpy(f, Limits.defaults().withMaxJsonBytes(headerLength));
        assertThat(t.data()).isEqualTo(Resources.data((Map<String, Object>) expected("f8_2d.npy").get("")));
        assertThatThrownBy(() -> NumPy.readNpy(f, Limits.defaults().withMaxJsonBytes(headerLength - 1)))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(f + ": a header of " + headerLength + " bytes");
    }

    @Test
    void dataThatEndsEarlierThanTheSizeTakenAtOpenIsTruncation() {
        // A file that shrinks between Files.size and the read: the stream ends inside the second 64 KiB chunk.
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (8200,), }\n";
        double[] values = new double[8200];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        byte[] whole = npy(header, doubles(values));
        byte[] shrunk = Arrays.copyOf(whole, 10 + header.length() + 65536 + 20);
        assertThatThrownBy(() -> NumPy.read(new ByteArrayInputStream(shrunk), "shrunk.npy", whole.length,
                Limits.defaults().budget())).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("shrunk.npy: truncated: shape (8200,) of <f8 needs 65600 bytes of data, the file ends"
                        + " after 65556");
    }

    // ------------------------------------------------------------------------------------------ header text

    @Test
    void version1HeadersAreLatin1AndVersion3HeadersUtf8AsNumpyWritesThem() {
        // numpy names structured fields in the header: 'é' as the latin1 byte 0xE9 (1.0), 'λ' in UTF-8 (3.0).
        Path latin1 = EDGES.resolve("latin1_field.npy");
        assertThatThrownBy(() -> NumPy.readNpy(latin1)).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessageStartingWith(latin1 + ": structured dtype [[\u00e9, <f8]] is not supported");
        Path utf8 = EDGES.resolve("utf8_field.npy");
        assertThatThrownBy(() -> NumPy.readNpy(utf8)).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessageStartingWith(utf8 + ": structured dtype [[\u03bb, <f8]] is not supported");
    }

    @Test
    void aHeaderThatIsNotADictIsQuotedUpTo200Characters() throws IOException {
        String two100 = "[" + "0,".repeat(98) + "00]";
        assertThat(two100).hasSize(200);
        Path f = file("list200.npy", npy(two100 + "\n", new byte[0]));
        assertThatThrownBy(() -> NumPy.readNpy(f)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(f + ": the header is not a dict: " + two100);
        String two101 = "[" + "0,".repeat(99) + "0]";
        Path g = file("list201.npy", npy(two101 + "\n", new byte[0]));
        assertThatThrownBy(() -> NumPy.readNpy(g)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(g + ": the header is not a dict: " + two101.substring(0, 200) + "...");
    }

    /** Reads a one-value {@code <f8} file whose header is {@code header}. */
    private Tensor readScalar(String header) throws IOException {
        return NumPy.readNpy(file("h.npy", npy(header + "\n", doubles(-2.5))));
    }

    @Test
    void pythonLiteralSpellingsThatAstLiteralEvalAccepts() throws IOException {
        // Spaces before ':' and ',', none after the last entry, a trailing-comma-free dict, None, escaped quotes.
        assertThat(readScalar("{'descr' : '<f8' , 'fortran_order' : False , 'shape' : ( ) }").data())
                .containsExactly(-2.5);
        assertThat(readScalar("{'descr': '<f8', 'fortran_order': False, 'shape': (), 'x': None}").data())
                .containsExactly(-2.5);
        assertThat(NumPy.readNpy(file("t.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2 ,1 , ),"
                + " }\n", doubles(1, 2)))).shape()).containsExactly(2, 1);
        // Python 2 numpy wrote long ints as 2L; a leading '+' is a unary plus.
        assertThat(NumPy.readNpy(file("l.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2L, +1L), }"
                + "\n", doubles(1, 2)))).shape()).containsExactly(2, 1);
    }

    @Test
    @Timeout(10)
    void anEscapedQuoteStaysInsideTheString() throws IOException {
        Path f = file("esc.npy", npy("{'descr': '<U\\'3', 'fortran_order': False, 'shape': (), }\n", new byte[0]));
        assertThatThrownBy(() -> NumPy.readNpy(f)).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessageStartingWith(f + ": dtype '<U'3' is not supported");
    }

    @Test
    void thirtyTwoLevelsOfNestingAreReadAndThirtyThreeRefused() throws IOException {
        // The dict itself is level 1.
        String deep31 = "[".repeat(31) + "]".repeat(31);
        assertThat(readScalar("{'descr': '<f8', 'fortran_order': False, 'shape': (), 'x': " + deep31 + "}").data())
                .containsExactly(-2.5);
        String deep32 = "[".repeat(32) + "]".repeat(32);
        Path f = file("deep.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), 'x': " + deep32 + "}\n",
                doubles(-2.5)));
        assertThatThrownBy(() -> NumPy.readNpy(f)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageContaining("(nested too deeply at offset");
        // Depth is what is open, not how many containers there were: 100 siblings are fine.
        String siblings = String.join(", ", java.util.Collections.nCopies(100, "[[]]"));
        assertThat(readScalar("{'descr': '<f8', 'fortran_order': False, 'shape': (), 'x': [" + siblings + "]}")
                .data()).containsExactly(-2.5);
    }

    @Test
    void malformedDictsNameWhatWasExpectedAndWhere() throws IOException {
        String missingComma = "{'descr': '<f8'; 'fortran_order': False, 'shape': ()}";
        Path f = file("semi.npy", npy(missingComma + "\n", doubles(-2.5)));
        assertThatThrownBy(() -> NumPy.readNpy(f)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(f + ": the header is not a Python dict literal (expected ',' or '}' at offset 15): "
                        + missingComma);
        String trailing = SCALAR + "  x";
        Path g = file("trailing.npy", npy(trailing + "\n", doubles(-2.5)));
        assertThatThrownBy(() -> NumPy.readNpy(g)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(g + ": the header is not a Python dict literal (unexpected 'x' at offset "
                        + (SCALAR.length() + 2) + "): " + trailing);
        String cut = "{'descr': '<f8', 'fortran_order': False, 'shape': 5";
        Path h = file("cut.npy", npy(cut + "\n", doubles(-2.5)));
        assertThatThrownBy(() -> NumPy.readNpy(h)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(h + ": the header is not a Python dict literal (unexpected end at offset " + cut.length()
                        + "): " + cut);
    }

    @Test
    void integersOfNineteenDigitsAreExactAndLongerOnesSaturate() throws IOException {
        Path exact = file("e.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000000000,), }\n",
                new byte[0]));
        assertThatThrownBy(() -> NumPy.readNpy(exact)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(exact + ": 'shape' entry 0 is 1000000000000000000, more than a Tensor dimension holds"
                        + " (2^31-1)");
        Path negative = file("n.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (-100000000000000000,),"
                + " }\n", new byte[0]));
        assertThatThrownBy(() -> NumPy.readNpy(negative)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(negative + ": 'shape' entry 0 is -100000000000000000, expected a non-negative int");
        for (String huge : List.of("12345678901234567890", "9999999999999999999")) {
            Path f = file("h" + huge.length() + ".npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': ("
                    + huge + ",), }\n", new byte[0]));
            assertThatThrownBy(() -> NumPy.readNpy(f)).as(huge).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessageStartingWith(f + ": 'shape' entry 0 is ")
                    .hasMessageEndingWith(", more than a Tensor dimension holds (2^31-1)");
        }
    }

    // ------------------------------------------------------------------------------------------ writing

    @Test
    void streamWritersCheckTheirArgumentsBeforeWritingAByte() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> NumPy.writeNpy(out, Tensor.of(new double[] {1, 2.5}), NumPy.Dtype.INT64))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("array element 1 is 2.5, expected a whole number in the int64 range for dtype INT64");
        assertThatThrownBy(() -> NumPy.writeNpz(out, Map.of("a", Tensor.of(new double[] {0.5})), NumPy.Dtype.INT64))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("arrays['a'] element 0 is 0.5, expected a whole number in the int64 range for dtype INT64");
        assertThatThrownBy(() -> NumPy.writeNpz(out, Map.of("", Tensor.of(new double[] {1})), NumPy.Dtype.FLOAT64))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("arrays has an array with an empty name, expected a name per array");
        assertThat(out.size()).isZero();
    }

    @Test
    void int64TakesItsWholeRangeDownToMinusTwoToThe63() throws IOException {
        Path f = tmp.resolve("min.npy");
        NumPy.writeNpy(f, Tensor.of(new double[] {-0x1p63, 0x1p62}), NumPy.Dtype.INT64);
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer data = ByteBuffer.wrap(bytes, bytes.length - 16, 16).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(data.getLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(data.getLong()).isEqualTo(1L << 62);
    }

    @Test
    void npzArraysLargerThanOneWriteChunkAreStoredWhole() throws IOException {
        // 20,000 values: more than the 8,192 doubles or 16,384 floats of one 64 KiB chunk.
        double[] v = new double[20000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.37 - 2.5;
        }
        for (NumPy.Dtype dtype : NumPy.Dtype.values()) {
            double[] values = dtype == NumPy.Dtype.INT64 ? Arrays.stream(v).map(Math::rint).toArray() : v;
            Map<String, Tensor> arrays = new LinkedHashMap<>();
            arrays.put("big", Tensor.of(values));
            arrays.put("small", Tensor.of(new double[] {7, -1}));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            NumPy.writeNpz(out, arrays, dtype);
            Map<String, byte[]> entries = unzip(out.toByteArray());
            assertThat(entries.keySet()).as(dtype.name()).containsExactly("big.npy", "small.npy");
            assertThat(tail(entries.get("big.npy"), values.length, dtype)).as(dtype.name())
                    .isEqualTo(encode(values, dtype));
            assertThat(tail(entries.get("small.npy"), 2, dtype)).isEqualTo(encode(new double[] {7, -1}, dtype));
        }
    }

    /** The entries of a zip as java.util.zip reads them, which checks each stored entry's size and CRC-32. */
    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                assertThat(e.getMethod()).as(e.getName()).isEqualTo(ZipEntry.STORED);
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static int size(NumPy.Dtype dtype) {
        return dtype == NumPy.Dtype.FLOAT32 ? 4 : 8;
    }

    private static byte[] tail(byte[] entry, int count, NumPy.Dtype dtype) {
        return Arrays.copyOfRange(entry, entry.length - count * size(dtype), entry.length);
    }

    /** The little-endian bytes numpy stores for these values in that dtype (the format, written out here). */
    private static byte[] encode(double[] values, NumPy.Dtype dtype) {
        ByteBuffer b = ByteBuffer.allocate(values.length * size(dtype)).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : values) {
            switch (dtype) {
                case FLOAT64 -> b.putDouble(d);
                case FLOAT32 -> b.putFloat((float) d);
                case INT64 -> b.putLong((long) d);
                default -> throw new AssertionError(dtype);
            }
        }
        return b.array();
    }
}
