package io.github.rnn4j.io;

import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** NumPy files written by numpy itself (tools/fixtures/gen_arrays.py), read back bit-exactly. */
class NumPyTest {
    private static final Path DIR = Resources.fixture("numpy/numpy_expected.json").getParent();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> expected(String file) {
        Map<String, Object> files = (Map<String, Object>) Resources.json(DIR.resolve("numpy_expected.json")).get("files");
        return (Map<String, Object>) files.get(file);
    }

    @SuppressWarnings("unchecked")
    private static void assertSame(Map<String, Object> entry, Tensor actual) {
        assertThat(actual.shape()).isEqualTo(Resources.shape(entry));
        // Exact: every stored value is representable, so the double must be the stored value itself.
        assertThat(actual.data()).isEqualTo(Resources.data(entry));
    }

    @SuppressWarnings("unchecked")
    @Test
    void everyDtypeAndRankReadsExactly() throws IOException {
        List<String> files = List.of("f8_2d.npy", "f4_1d.npy", "f2_2d.npy", "i8_0d.npy", "i4_3d.npy", "i2_1d.npy",
                "i1_1d.npy", "u8_1d.npy", "u4_1d.npy", "u2_1d.npy", "u1_1d.npy", "b1_1d.npy", "f8_0d.npy",
                "f8_empty.npy", "f8_4d.npy", "f8_v2.npy", "f8_v3.npy");
        for (String f : files) {
            assertSame((Map<String, Object>) expected(f).get(""), NumPy.readNpy(DIR.resolve(f)));
        }
    }

    @Test
    void shapesAndValuesSpotChecks() throws IOException {
        Tensor scalar = NumPy.readNpy(DIR.resolve("f8_0d.npy"));
        assertThat(scalar.rank()).isZero();
        assertThat(scalar.data()).containsExactly(-2.5);
        Tensor kernel = NumPy.readNpy(DIR.resolve("f8_2d.npy"));
        assertThat(kernel.matrix()[1]).containsExactly(1024.0, -7.75, 0.0, 96.5);
        assertThat(NumPy.readNpy(DIR.resolve("i4_3d.npy")).shape()).containsExactly(2, 3, 4);
        assertThat(NumPy.readNpy(DIR.resolve("i8_0d.npy")).data()).containsExactly(-9007199254740991.0);
        assertThat(NumPy.readNpy(DIR.resolve("u8_1d.npy")).data()[3]).isEqualTo(0x1p64 - 0x1p11);
        assertThat(NumPy.readNpy(DIR.resolve("f8_empty.npy")).shape()).containsExactly(0, 3);
    }

    @SuppressWarnings("unchecked")
    @Test
    void npzStoredAndDeflatedKeepArchiveOrder() throws IOException {
        for (String f : List.of("stored.npz", "deflated.npz")) {
            Map<String, Tensor> arrays = NumPy.readNpz(DIR.resolve(f));
            Map<String, Object> exp = expected(f);
            assertThat(arrays.keySet()).containsExactly("kernel", "recurrent_kernel", "bias", "step");
            assertThat(exp.keySet()).as(f).containsExactlyInAnyOrderElementsOf(arrays.keySet());
            for (String key : exp.keySet()) {
                assertSame((Map<String, Object>) exp.get(key), arrays.get(key));
            }
        }
    }

    @Test
    void rejectsWhatItCannotReadExactlyNamingFileAndFinding() {
        assertUnsupported("fortran.npy", "fortran_order=True");
        assertUnsupported("big_endian.npy", "big-endian dtype '>f8'");
        assertUnsupported("object.npy", "object dtype '|O'");
        assertUnsupported("structured.npy", "structured dtype");
        assertUnsupported("unicode.npy", "dtype '<U3' is not supported");
        assertUnsupported("complex.npy", "dtype '<c16' is not supported");
        assertUnsupported("version_4.npy", "format version 4.0");
    }

    @Test
    @Timeout(60)
    void rejectsDamagedFiles() {
        assertBad("bad_magic.npy", "not a NumPy .npy file: expected the magic bytes \\x93NUMPY, found '\\x93NUMPZ'");
        assertBad("not_a_dict.npy", "the header is not a dict");
        assertBad("no_shape.npy", "the header has no 'shape' key");
        assertBad("negative_dim.npy", "'shape' entry 0 is -1");
        assertBad("unterminated.npy", "the header is not a Python dict literal");
        assertThatThrownBy(() -> NumPy.readNpz(DIR.resolve("bad/not_a_zip.npz")))
                .isExactlyInstanceOf(FileFormatException.class).hasMessageContaining("not_a_zip.npz")
                .hasMessageContaining("not a zip archive");
        assertThatThrownBy(() -> NumPy.readNpz(DIR.resolve("bad_entry.npz")))
                .isExactlyInstanceOf(FileFormatException.class).hasMessageContaining("bad_entry.npz[bad.npy]")
                .hasMessageContaining("not a NumPy .npy file");
    }

    @Test
    void aGiganticShapeFailsFastWithoutAllocating() {
        assertBad("gigantic.npy", "shape (2147483647,) of <f8 needs 17179869176 bytes of data, the file has 8");
        assertBad("gigantic_2d.npy", "'shape' entry 0 is 1099511627776, more than a Tensor dimension holds");
    }

    @Test
    @Timeout(60)
    void everyTruncationOfAValidFileIsAFileFormatException(@TempDir Path tmp) throws IOException {
        for (String f : List.of("f8_2d.npy", "f8_v2.npy", "f8_v3.npy", "i8_0d.npy")) {
            byte[] whole = Files.readAllBytes(DIR.resolve(f));
            for (int n = 0; n < whole.length; n++) {
                Path cut = tmp.resolve(f + "." + n);
                Files.write(cut, Arrays.copyOf(whole, n));
                Throwable t = catchThrowable(() -> NumPy.readNpy(cut));
                assertThat(t).as("%s cut to %d bytes", f, n).isExactlyInstanceOf(FileFormatException.class)
                        .hasMessageStartingWith(cut.toString());
            }
        }
    }

    @Test
    @Timeout(60)
    void truncatedNpzIsAFileFormatException(@TempDir Path tmp) throws IOException {
        for (String f : List.of("stored.npz", "deflated.npz")) {
            byte[] whole = Files.readAllBytes(DIR.resolve(f));
            for (int n = 0; n < whole.length; n += 7) {
                Path cut = tmp.resolve(f + "." + n);
                Files.write(cut, Arrays.copyOf(whole, n));
                Throwable t = catchThrowable(() -> NumPy.readNpz(cut));
                assertThat(t).as("%s cut to %d bytes", f, n).isInstanceOf(FileFormatException.class)
                        .hasMessageContaining(cut.toString());
            }
        }
    }

    @Test
    void corruptedDeflateDataIsAFileFormatException(@TempDir Path tmp) throws IOException {
        byte[] bytes = Files.readAllBytes(DIR.resolve("deflated.npz"));
        // Flip bytes in the middle of the first entry's compressed data (after its 30-byte local header + name).
        for (int i = 60; i < 90; i++) {
            bytes[i] ^= 0x5A;
        }
        Path broken = tmp.resolve("broken.npz");
        Files.write(broken, bytes);
        assertThatThrownBy(() -> NumPy.readNpz(broken)).isInstanceOf(FileFormatException.class)
                .hasMessageContaining("broken.npz[kernel.npy]");
    }

    @Test
    void theHeaderCountsAgainstTheJsonLengthLimit() {
        Path f = DIR.resolve("f8_2d.npy");
        assertThatThrownBy(() -> NumPy.readNpy(f, Limits.defaults().withMaxJsonBytes(64)))
                .isExactlyInstanceOf(FileFormatException.class).hasMessageStartingWith(f + ": a header of 118 bytes")
                .hasMessageContaining("Limits.maxJsonBytes() = 64");
    }

    @Test
    void missingFileIsAPlainIoException() {
        assertThatThrownBy(() -> NumPy.readNpy(DIR.resolve("nope.npy"))).isInstanceOf(IOException.class)
                .isNotInstanceOf(FileFormatException.class);
        assertThatThrownBy(() -> NumPy.readNpz(DIR.resolve("nope.npz"))).isInstanceOf(IOException.class)
                .isNotInstanceOf(FileFormatException.class);
        assertThatThrownBy(() -> NumPy.readNpy(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file must not be null");
    }

    private static void assertUnsupported(String file, String finding) {
        Path p = DIR.resolve("bad").resolve(file);
        assertThatThrownBy(() -> NumPy.readNpy(p)).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessageStartingWith(p.toString()).hasMessageContaining(finding);
    }

    private static void assertBad(String file, String finding) {
        Path p = DIR.resolve("bad").resolve(file);
        assertThatThrownBy(() -> NumPy.readNpy(p)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(p.toString()).hasMessageContaining(finding);
    }
}
