package io.github.rnn4j.io;

import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The hostile catalogue of issue 12, one test per case, on the files of tools/fixtures/gen_hostile.py: each is
 * refused with a FileFormatException that names the file, within a bounded time, and (run by the small-heap
 * surefire execution with -Xmx256m) within bounded memory, under the default limits.
 */
@Timeout(10)
class HostileFilesTest {
    private static Path hostile(String name) {
        return Resources.fixture("hostile/" + name);
    }

    /** Asserts a FileFormatException whose message starts with the file and contains every finding. */
    private static void assertRefused(Path file, ThrowingRead read, String... findings) {
        Throwable t = catchThrowable(read::run);
        assertThat(t).as(file.getFileName().toString()).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(file.toString());
        for (String f : findings) {
            assertThat(t.getMessage()).contains(f);
        }
    }

    @FunctionalInterface
    private interface ThrowingRead {
        void run() throws IOException;
    }

    private static void readAll(Path h5) throws IOException {
        try (Hdf5File f = Hdf5File.open(h5)) {
            f.node("kernel").readTensor();
        }
    }

    @Test
    void npzMemberDeclaring0xFFFFFFF0BytesInA197ByteFile() throws IOException {
        Path f = hostile("npz_huge_member.npz");
        assertThat(Files.size(f)).isLessThan(256);
        assertRefused(f, () -> NumPy.readNpz(f), "[kernel.npy]", "entries declare 4294967280 bytes in all",
                "Limits.maxInflatedBytes()");
    }

    @Test
    void npzOf100KbHolding100MbOfZeros() throws IOException {
        Path f = hostile("npz_zeros_bomb.npz");
        assertThat(Files.size(f)).isLessThan(100_000);
        assertRefused(f, () -> NumPy.readNpz(f), "[kernel.npy]", "Limits.maxInflateRatio() = 100;",
                "withMaxInflateRatio");
    }

    @Test
    void npzMemberDeclaring400MbOfF8OverSixteenBytes() {
        Path f = hostile("npz_400mb_header.npz");
        assertRefused(f, () -> NumPy.readNpz(f), "[kernel.npy]: truncated: shape (50000000,) of <f8 needs"
                + " 400000000 bytes of data, the file has 16");
    }

    @Test
    void npzWithACrcMismatch() {
        Path f = hostile("npz_bad_crc.npz");
        assertRefused(f, () -> NumPy.readNpz(f), "[kernel.npy]: Bad CRC-32");
    }

    @Test
    void h5GzipChunkedKernelInflatingTo60MZeros() throws IOException {
        Path f = hostile("h5_gzip_bomb.h5");
        assertThat(Files.size(f)).isLessThan(300_000);
        assertRefused(f, () -> readAll(f), "dataset '/kernel'", "Limits.maxInflateRatio() = 100;");
        try (Hdf5File h5 = Hdf5File.open(f)) {
            assertThat(h5.node("kernel").datasetInfo().shape()).containsExactly(7500, 8000);
        }
    }

    @Test
    void h5NeverWrittenChunkedKernelOf80MElements() throws IOException {
        Path f = hostile("h5_never_written.h5");
        assertRefused(f, () -> readAll(f), "80 of the 80 chunks of dataset '/kernel' were never written");
        try (Hdf5File h5 = Hdf5File.open(f)) {
            // The shape is known before any data is read: a loader checks it against the layer first.
            assertThat(h5.node("kernel").datasetInfo().elements()).isEqualTo(80_000_000L);
        }
    }

    @Test
    void h5KernelAddressPointingPastTheEnd() {
        Path f = hostile("h5_address_past_end.h5");
        assertRefused(f, () -> readAll(f), "data of dataset '/kernel' at address", "lies beyond the end of the file");
    }

    @Test
    void h5KernelAddressSetToUndefinedIsNotReadAsZeros() {
        Path f = hostile("h5_address_undefined.h5");
        assertRefused(f, () -> readAll(f), "dataset '/kernel' was never written");
    }

    @Test
    void h5ChunkFailingItsFletcher32() {
        Path f = hostile("h5_fletcher_flipped.h5");
        assertRefused(f, () -> readAll(f), "chunk [0, 0] of dataset '/kernel' fails its Fletcher-32 checksum");
    }

    @Test
    void h5FlippedConfigByteInAChecksummedObjectHeader() {
        Path f = hostile("h5_ohdr_flipped.h5");
        assertRefused(f, () -> {
            try (Hdf5File h5 = Hdf5File.open(f)) {
                h5.root().attribute("model_config").string();
            }
        }, "object header of '/'", "fails its checksum");
    }

    /** The control: a valid file of the same kind reads, so the refusals above are about the damage. */
    @Test
    void theUndamagedControlReads() throws IOException {
        try (Hdf5File h5 = Hdf5File.open(hostile("h5_small_ok.h5"))) {
            Tensor k = h5.node("kernel").readTensor();
            assertThat(k.shape()).containsExactly(3, 4);
            assertThat(k.data()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
            assertThat(h5.root().attribute("model_config").string()).contains("\"return_sequences\": true");
        }
    }
}
