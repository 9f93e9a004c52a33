package io.github.rnn4j.io;

import com.sun.management.UnixOperatingSystemMXBean;
import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The edges of the HDF5 reader, against files written by libhdf5 through h5py (tools/fixtures/gen_hdf5_edges.py):
 * the largest shapes and ranks, null dataspaces, 1-byte shuffle, a chunk that must grow its inflate buffer, the
 * fletcher32 checksum in both byte orders libhdf5 accepts, and 2- and 4-byte addresses.
 */
class Hdf5FileEdgesTest {
    private static final Path DIR = Resources.fixture("hdf5/edges/edges_expected.json").getParent();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> expected(String file) {
        return (Map<String, Object>) Resources.json(DIR.resolve("edges_expected.json")).get(file);
    }

    @SuppressWarnings("unchecked")
    private static void assertDatasets(Hdf5File h5, Map<String, Object> datasets, int count) throws IOException {
        assertThat(datasets).hasSize(count);
        for (Map.Entry<String, Object> e : datasets.entrySet()) {
            Map<String, Object> exp = (Map<String, Object>) e.getValue();
            Tensor t = h5.node(e.getKey()).readTensor();
            assertThat(t.shape()).as(e.getKey()).isEqualTo(Resources.shape(exp));
            assertThat(t.data()).as(e.getKey()).isEqualTo(Resources.data(exp));
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void rank32OneByteShuffleRepetitiveGzipAndSwappedFletcherReadAsH5pyWroteThem() throws IOException {
        Map<String, Object> datasets = (Map<String, Object>) expected("edges.h5").get("datasets");
        // rank32, u1_shuffle, gzip_repetitive (8,000 bytes from a few dozen), fletcher_good, fletcher_swapped
        try (Hdf5File h5 = Hdf5File.open(DIR.resolve("edges.h5"))) {
            assertDatasets(h5, datasets, 5);
            assertThat(h5.node("rank32").datasetInfo().shape()).hasSize(32);
        }
        Map<String, Object> libhdf5 = (Map<String, Object>) expected("edges.h5").get("h5py");
        assertThat(((Map<String, Object>) libhdf5.get("fletcher_swapped")).get("values"))
                .as("libhdf5 accepts the byte-swapped checksum").isEqualTo(
                        ((Map<String, Object>) datasets.get("fletcher_good")).get("data"));
    }

    @Test
    void nullDataspacesReadAsEmpty() throws IOException {
        try (Hdf5File h5 = Hdf5File.open(DIR.resolve("edges.h5"))) {
            Hdf5File.Node node = h5.node("empty_null");
            assertThat(node.datasetInfo().shape()).containsExactly(0);
            assertThat(node.datasetInfo().elements()).isZero();
            ArrayData a = node.readArray();
            assertThat(a.shape()).containsExactly(0);
            assertThat(a.data()).isEmpty();
            assertThat(h5.root().attribute("null").strings()).isEmpty();
            assertThat(h5.root().attribute("null").tensor().shape()).containsExactly(0);
        }
    }

    @Test
    void theLargestShapeATensorHoldsIsAcceptedAndOneMoreIsRefused() throws IOException {
        Path file = DIR.resolve("edges.h5");
        try (Hdf5File h5 = Hdf5File.open(file)) {
            Hdf5DatasetInfo info = h5.node("huge_unwritten").datasetInfo();
            assertThat(info.shape()).containsExactly(Integer.MAX_VALUE);
            assertThat(info.elements()).isEqualTo(Integer.MAX_VALUE);
            assertThat(info.element()).isEqualTo(ElementType.U8);
            assertThatThrownBy(() -> h5.node("too_huge_unwritten").datasetInfo())
                    .isExactlyInstanceOf(FileFormatException.class)
                    .hasMessage(file + ": damaged HDF5 file: dataset '/too_huge_unwritten' has dimension 0 of size"
                            + " 2147483648");
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void damagedFletcherAndDeflateChunksAreRefusedAsLibhdf5RefusesThem() throws IOException {
        Path file = DIR.resolve("edges.h5");
        Map<String, Object> libhdf5 = (Map<String, Object>) expected("edges.h5").get("h5py");
        for (String name : List.of("fletcher_bad", "fletcher_short", "deflate_truncated")) {
            assertThat(((Map<String, Object>) libhdf5.get(name))).as(name).containsKey("error");
        }
        try (Hdf5File h5 = Hdf5File.open(file)) {
            assertThatThrownBy(() -> h5.node("fletcher_bad").readTensor())
                    .isExactlyInstanceOf(FileFormatException.class)
                    .hasMessageStartingWith(file + ": damaged HDF5 file: chunk [0] of dataset '/fletcher_bad' fails"
                            + " its Fletcher-32 checksum (stored ");
            // 4 bytes (a valid checksum of no data): without deflate, a chunk is refused before its filters run
            assertThatThrownBy(() -> h5.node("fletcher_short").readTensor())
                    .isExactlyInstanceOf(FileFormatException.class)
                    .hasMessage(file + ": damaged HDF5 file: chunk [0] of dataset '/fletcher_short' stores 4 bytes, an"
                            + " unfiltered chunk needs 32");
            assertThatThrownBy(() -> h5.node("deflate_truncated").readTensor())
                    .isExactlyInstanceOf(FileFormatException.class)
                    .hasMessage(file + ": damaged HDF5 file: chunk [0] of dataset '/deflate_truncated': deflate data"
                            + " ends early");
        }
    }

    @SuppressWarnings("unchecked")
    @Test
    void twoAndFourByteAddressesAndLengths() throws IOException {
        for (String name : List.of("sizes2.h5", "sizes4.h5", "sizes4_latest.h5")) {
            Map<String, Object> exp = expected(name);
            int size = ((Number) ((List<Object>) exp.get("sizes")).get(0)).intValue();
            Path file = DIR.resolve(name);
            try (Hdf5File h5 = Hdf5File.open(file)) {
                assertThat(h5.offsetSize()).as(name).isEqualTo(size);
                assertThat(h5.root().children()).as(name).containsExactlyInAnyOrder("c", "u", "x");
                assertDatasets(h5, (Map<String, Object>) exp.get("datasets"), 2);
                // the undefined address of this size (all bits set) is recognised, not read as an address
                assertThatThrownBy(() -> h5.node("u").readTensor()).as(name)
                        .isExactlyInstanceOf(FileFormatException.class)
                        .hasMessageStartingWith(file + ": damaged HDF5 file: contiguous data of dataset '/u' was never"
                                + " written");
            }
        }
    }

    @Test
    void addressAndLengthSizesOtherThan248AreRefusedInEverySuperblockVersion() throws IOException {
        byte[] v0 = Files.readAllBytes(DIR.resolve("sizes4.h5"));
        byte[] v3 = Files.readAllBytes(DIR.resolve("sizes4_latest.h5"));
        assertThat(v0[8]).as("superblock version of sizes4.h5").isEqualTo((byte) 0);
        assertThat(v3[8]).as("superblock version of sizes4_latest.h5").isEqualTo((byte) 3);
        // version 0: offset size at byte 13, length size at 14; versions 2 and 3: at 9 and 10
        int[][] fields = {{13, 14}, {9, 10}};
        byte[][] files = {v0, v3};
        for (int f = 0; f < 2; f++) {
            for (int field : fields[f]) {
                for (int bad : new int[] {0, 1, 3, 16}) {
                    byte[] bytes = files[f].clone();
                    bytes[field] = (byte) bad;
                    assertThatThrownBy(() -> Hdf5File.open(bytes, "sizes.h5")).as("byte %d = %d", field, bad)
                            .isExactlyInstanceOf(FileFormatException.class)
                            .hasMessage("sizes.h5: damaged HDF5 superblock: offset/length size " + bad
                                    + ", expected 2, 4 or 8");
                }
            }
        }
    }

    @Test
    void aClosedFileIsReleased() throws IOException {
        Hdf5File h5 = Hdf5File.open(DIR.resolve("sizes4.h5"));
        h5.close();
        assertThatThrownBy(h5::root).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    @Timeout(60)
    void aFileThatFailsToOpenIsClosed(@TempDir Path tmp) throws IOException {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        assumeTrue(os instanceof UnixOperatingSystemMXBean, "counting open files needs a Unix JVM");
        UnixOperatingSystemMXBean unix = (UnixOperatingSystemMXBean) os;
        Path text = tmp.resolve("not.h5");
        Files.writeString(text, "not HDF5 at all");
        Path damaged = tmp.resolve("damaged.h5");
        byte[] bytes = Files.readAllBytes(DIR.resolve("sizes4.h5"));
        bytes[13] = 3;
        Files.write(damaged, bytes);
        long before = unix.getOpenFileDescriptorCount();
        for (int i = 0; i < 200; i++) {
            assertThatThrownBy(() -> Hdf5File.open(text)).isExactlyInstanceOf(FileFormatException.class);
            assertThatThrownBy(() -> Hdf5File.open(damaged)).isExactlyInstanceOf(FileFormatException.class);
        }
        assertThat(unix.getOpenFileDescriptorCount()).as("open files after 400 failed opens")
                .isLessThan(before + 50);
    }
}
