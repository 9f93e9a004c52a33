package io.github.rnn4j.io;

import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    // ---- The damaged real Keras file of the issue (../shared/fixtures/keras/masking_lstm_k220.h5, Keras 2.2.0:
    // version 1 object headers, so no HDF5 checksum guards its config or addresses). Each damage is refused by
    // the loader, never loaded as a model that gives other numbers.

    @TempDir
    Path tmp;

    /** One flipped byte turns the key {@code return_sequences} into {@code {eturn_sequences}: refused by name. */
    @Test
    @Timeout(30)
    void realH5WithAFlippedConfigKeyByteIsRefused() throws IOException {
        byte[] bytes = realBytes("masking_lstm_k220.h5");
        int at = indexOf(bytes, "\"return_sequences\"".getBytes(StandardCharsets.US_ASCII));
        bytes[at + 1] = '{';
        Path f = write("masking_lstm_k220_flipped_key.h5", bytes);
        assertRefused(f, () -> KerasModels.load(f), "layer 'lstm_1' (LSTM): damaged configuration key"
                + " '{eturn_sequences'");
    }

    /** The 8 bytes holding the LSTM kernel's data address, pointed past the end of the file: refused. */
    @Test
    @Timeout(30)
    void realH5WithAKernelAddressPastTheEndIsRefused() throws IOException {
        byte[] bytes = realBytes("masking_lstm_k220.h5");
        int field = kernelAddressField(bytes);
        writeLong(bytes, field, bytes.length + 4096L);
        Path f = write("masking_lstm_k220_address_past_end.h5", bytes);
        assertRefused(f, () -> KerasModels.load(f), "beyond the end of the file");
    }

    /** The same 8 bytes set to HDF5's undefined address: "never written", not a kernel of zeros. */
    @Test
    @Timeout(30)
    void realH5WithAnUndefinedKernelAddressIsRefusedNotReadAsZeros() throws IOException {
        byte[] bytes = realBytes("masking_lstm_k220.h5");
        writeLong(bytes, kernelAddressField(bytes), -1L);
        Path f = write("masking_lstm_k220_address_undefined.h5", bytes);
        assertRefused(f, () -> KerasModels.load(f), "never written");
    }

    /** A NaN written over a kernel value is damage: a FileFormatException naming file and position, not "unsupported". */
    @Test
    @Timeout(30)
    void realH5WithANanWeightIsDamageNotAnUnsupportedFeature() throws IOException {
        byte[] bytes = realBytes("masking_lstm_k220.h5");
        int data = kernelData(bytes);
        byte[] nan = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN).array();
        System.arraycopy(nan, 0, bytes, data, 4);
        Path f = write("masking_lstm_k220_nan.h5", bytes);
        assertRefused(f, () -> KerasModels.load(f), "value [0][0] is NaN", "weights must be finite");
    }

    /**
     * The kernel's stored shape changed to 100 times its columns (its dataspace dimensions and maximum dimensions):
     * the loader compares the shape with the layer's config before it reads or allocates any weight data, so the
     * refusal is the shape, not the data extent past the end of the file that a read would meet.
     */
    @Test
    @Timeout(30)
    void realH5KernelShapeIsCheckedAgainstTheLayerBeforeAnyDataIsRead() throws IOException {
        byte[] bytes = realBytes("masking_lstm_k220.h5");
        int[] shape;
        try (Hdf5File h5 = Hdf5File.open(bytes, "good.h5")) {
            shape = find(h5.root(), "lstm", "kernel").datasetInfo().shape();
        }
        assertThat(shape).hasSize(2);
        byte[] dims = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(shape[0]).putLong(shape[1]).array();
        int changed = 0;
        for (int at = indexOf(bytes, dims); at >= 0; at = indexOf(bytes, dims)) {
            writeLong(bytes, at + 8, 100L * shape[1]);
            changed++;
        }
        assertThat(changed).as("dimensions and maximum dimensions").isEqualTo(2);
        Path f = write("masking_lstm_k220_kernel_shape.h5", bytes);
        assertRefused(f, () -> KerasModels.load(f), "kernel has shape [" + shape[0] + "][" + 100 * shape[1]
                + "], expected [?][" + shape[1] + "]");
    }

    /** The control: the undamaged real file loads and runs, so the refusals above are about the damage. */
    @Test
    @Timeout(30)
    void theUndamagedRealFileLoads() throws IOException {
        byte[] bytes = realBytes("masking_lstm_k220.h5");
        kernelAddressField(bytes);
        Path f = write("masking_lstm_k220.h5", bytes);
        assertThat(KerasModels.load(f).inputNames()).hasSize(1);
    }

    private static byte[] realBytes(String name) throws IOException {
        return Files.readAllBytes(KerasModelsTest.realFixtures().resolve(name));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = tmp.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    /** Where the LSTM kernel's raw float32 values start: found by its first four values, which occur once. */
    private static int kernelData(byte[] file) throws IOException {
        try (Hdf5File h5 = Hdf5File.open(file, "good.h5")) {
            Hdf5File.Node kernel = find(h5.root(), "lstm", "kernel");
            assertThat(kernel.datasetInfo().element()).isEqualTo(ElementType.F32);
            double[] values = kernel.readArray().data();
            ByteBuffer first = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 4; i++) {
                first.putFloat((float) values[i]);
            }
            int at = indexOf(file, first.array());
            assertThat(indexOf(Arrays.copyOfRange(file, at + 1, file.length), first.array())).isEqualTo(-1);
            return at;
        }
    }

    /** Where the 8-byte address of the LSTM kernel's data is stored (its contiguous layout message). */
    private static int kernelAddressField(byte[] file) throws IOException {
        byte[] address = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(kernelData(file)).array();
        int at = indexOf(file, address);
        assertThat(at).as("the kernel's data address in the file").isGreaterThanOrEqualTo(0);
        assertThat(indexOf(Arrays.copyOfRange(file, at + 1, file.length), address)).isEqualTo(-1);
        return at;
    }

    /** The first dataset under a group whose path contains {@code group} and whose name starts with {@code name}. */
    private static Hdf5File.Node find(Hdf5File.Node node, String group, String name) throws IOException {
        List<Hdf5File.Node> todo = new ArrayList<>(List.of(node));
        for (int i = 0; i < todo.size(); i++) {
            Hdf5File.Node n = todo.get(i);
            if (n.isDataset()) {
                String last = n.path().substring(n.path().lastIndexOf('/') + 1);
                if (last.startsWith(name) && n.path().contains(group) && !last.startsWith("recurrent")) {
                    return n;
                }
            } else {
                for (String c : n.children()) {
                    todo.add(n.child(c));
                }
            }
        }
        throw new AssertionError("no dataset " + name + " under " + group);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void writeLong(byte[] bytes, int at, long value) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
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
