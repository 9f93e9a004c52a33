package io.github.rnn4j.io;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HDF5 structures that libhdf5 does not write on request (a header ending exactly at the end of the file, messages of
 * no bytes, creation-order fields, a 65-level group B-tree, named filters), written byte by byte here following the
 * HDF5 File Format Specification 3.0 (docs.hdfgroup.org): superblock version 0 (section II.A), object headers
 * version 1 and 2 (IV.A.1), link, symbol table, dataspace, datatype, layout and filter pipeline messages (IV.A.2),
 * B-tree version 1 nodes, symbol table nodes and local heaps (III.A-D). Addresses and lengths are 8 bytes.
 */
class Hdf5HandWrittenTest {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1A, '\n'};

    /** A little-endian byte writer; {@link #at()} is the address relative to the superblock. */
    static final class Bytes {
        private byte[] a = new byte[1024];
        private int n;
        private final int origin;

        Bytes(int userBlock) {
            this.origin = userBlock;
            n = userBlock;
        }

        long at() {
            return n - origin;
        }

        Bytes u8(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = (byte) v;
            return this;
        }

        Bytes u16(int v) {
            return u8(v).u8(v >>> 8);
        }

        Bytes u32(long v) {
            return u16((int) v).u16((int) (v >>> 16));
        }

        Bytes u64(long v) {
            return u32(v).u32(v >>> 32);
        }

        Bytes bytes(byte[] b) {
            for (byte x : b) {
                u8(x);
            }
            return this;
        }

        Bytes ascii(String s) {
            return bytes(s.getBytes(StandardCharsets.ISO_8859_1));
        }

        Bytes zeros(int count) {
            for (int i = 0; i < count; i++) {
                u8(0);
            }
            return this;
        }

        /** Overwrites 8 bytes at an address relative to the superblock. */
        void patch64(long address, long v) {
            for (int i = 0; i < 8; i++) {
                a[(int) (origin + address) + i] = (byte) (v >>> (8 * i));
            }
        }

        byte[] done() {
            return Arrays.copyOf(a, n);
        }
    }

    /** Superblock version 0 with 8-byte addresses and lengths; returns the address of its root header field. */
    private static long superblock(Bytes b, int userBlock) {
        b.bytes(SIGNATURE).u8(0).u8(0).u8(0).u8(0).u8(0).u8(8).u8(8).u8(0).u16(4).u16(16).u32(0);
        b.u64(userBlock).u64(-1).u64(0).u64(-1); // base address, free space, end of file, driver block
        b.u64(0); // root symbol table entry: link name offset
        long rootField = b.at();
        b.u64(0).u32(0).u32(0).zeros(16); // object header address (patched), cache type, reserved, scratch
        return rootField;
    }

    /** A version 1 object header holding the given messages (each {type, data}, data padded to 8 bytes). */
    private static long headerV1(Bytes b, byte[]... typeAndData) {
        long at = b.at();
        int size = 0;
        for (int i = 1; i < typeAndData.length; i += 2) {
            size += 8 + padded8(typeAndData[i].length);
        }
        b.u8(1).u8(0).u16(typeAndData.length / 2).u32(1).u32(size).u32(0);
        for (int i = 0; i < typeAndData.length; i += 2) {
            byte[] data = typeAndData[i + 1];
            b.u16(typeAndData[i][0] & 0xFF).u16(padded8(data.length)).u8(0).zeros(3).bytes(data)
                    .zeros(padded8(data.length) - data.length);
        }
        return at;
    }

    /** A version 2 object header ('OHDR') with its flags, the fields they announce, chunk 0 and its checksum. */
    private static long headerV2(Bytes b, int flags, byte[] chunk) {
        long at = b.at();
        int start = (int) (b.origin + at);
        b.ascii("OHDR").u8(2).u8(flags);
        if ((flags & 0x20) != 0) {
            b.u32(1).u32(2).u32(3).u32(4); // access, modification, change, birth times
        }
        if ((flags & 0x10) != 0) {
            b.u16(8).u16(6); // maximum compact, minimum dense attributes
        }
        int sizeBytes = 1 << (flags & 3);
        for (int i = 0; i < sizeBytes; i++) {
            b.u8((int) ((long) chunk.length >>> (8 * i)));
        }
        b.bytes(chunk);
        byte[] all = b.done();
        b.u32(Checksums.lookup3(all, start, all.length - start));
        return at;
    }

    /** A version 2 message: type, size, flags, creation order (when tracked), data. */
    private static byte[] messageV2(int type, byte[] data, boolean creationOrder) {
        Bytes m = new Bytes(0).u8(type).u16(data.length).u8(0);
        if (creationOrder) {
            m.u16(0);
        }
        return m.bytes(data).done();
    }

    /** A link message (version 1): a hard link of a name to an object header address. */
    private static byte[] link(String name, long address) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        return new Bytes(0).u8(1).u8(0).u8(utf8.length).bytes(utf8).u64(address).done();
    }

    private static int padded8(int n) {
        return (n + 7) / 8 * 8;
    }

    private static byte[] type(int t) {
        return new byte[] {(byte) t};
    }

    private static byte[] concat(byte[]... parts) {
        Bytes b = new Bytes(0);
        for (byte[] p : parts) {
            b.bytes(p);
        }
        return b.done();
    }

    private static Hdf5File open(byte[] file) throws IOException {
        return Hdf5File.open(file, "hand.h5");
    }

    // ------------------------------------------------------------------------------------------------ superblock

    @Test
    void aSignatureThatEndsTheFileIsFoundAndItsMissingSuperblockNamed() {
        byte[] atZero = SIGNATURE.clone();
        byte[] afterUserBlock = concat(new byte[512], SIGNATURE);
        for (byte[] file : new byte[][] {atZero, afterUserBlock}) {
            assertThatThrownBy(() -> open(file)).as("%d bytes", file.length)
                    .isExactlyInstanceOf(FileFormatException.class)
                    .hasMessage("hand.h5: superblock: damaged HDF5 structure at 0x" + Long.toHexString(file.length - 8)
                            + ": needs 1 more bytes at position 8, has 0");
        }
    }

    // -------------------------------------------------------------------------------------------- object headers

    /** The smallest version 2 object header (no messages: 11 bytes) may end the file, with or without a user block. */
    @Test
    void aShortObjectHeaderEndingTheFileIsReadInFull() throws IOException {
        for (int userBlock : new int[] {0, 512}) {
            Bytes b = new Bytes(userBlock);
            long rootField = superblock(b, userBlock);
            long root = headerV2(b, 0, new byte[0]);
            b.patch64(rootField, root);
            byte[] file = b.done();
            assertThat(file.length - userBlock - root).as("header bytes").isEqualTo(11);
            try (Hdf5File h5 = open(file)) {
                assertThat(h5.root().children()).as("user block %d", userBlock).isEmpty();
                assertThat(h5.root().isDataset()).isFalse();
            }
        }
    }

    @Test
    void anObjectHeaderAtTheEndOfTheFileIsRefusedAsTruncated() throws IOException {
        Bytes b = new Bytes(0);
        long rootField = superblock(b, 0);
        long end = b.at() + headerBytesV1(1, link("gone", 0).length);
        long root = headerV1(b, type(0x06), link("gone", end));
        b.patch64(rootField, root);
        byte[] file = b.done();
        assertThat((long) file.length).isEqualTo(end);
        try (Hdf5File h5 = open(file)) {
            assertThat(h5.root().children()).containsExactly("gone");
            assertThatThrownBy(() -> h5.node("gone")).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessage("hand.h5: object header of '/gone': damaged HDF5 structure at 0x"
                            + Long.toHexString(end) + ": needs 1 more bytes at position 0, has 0");
        }
        // 'OHDR' and nothing after it: a version 2 header cut after its signature
        Bytes c = new Bytes(0);
        long field = superblock(c, 0);
        long at = c.at();
        c.ascii("OHDR");
        c.patch64(field, at);
        try (Hdf5File h5 = open(c.done())) {
            assertThatThrownBy(h5::root).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessage("hand.h5: object header of '/': damaged HDF5 structure at 0x" + Long.toHexString(at)
                            + ": needs 1 more bytes at position 4, has 0");
        }
    }

    private static long headerBytesV1(int messages, int dataBytes) {
        return 16 + messages * 8L + padded8(dataBytes);
    }

    /** Times (flag 0x20) and attribute phase change values (flag 0x10) sit between the flags and the chunk size. */
    @Test
    void optionalFieldsOfAVersion2HeaderAreSkipped() throws IOException {
        for (int flags : new int[] {0x20, 0x10, 0x30, 0x31}) {
            Bytes b = new Bytes(0);
            long rootField = superblock(b, 0);
            long child = headerV2(b, 0, new byte[0]);
            long root = headerV2(b, flags, messageV2(0x06, link("child", child), false));
            b.patch64(rootField, root);
            try (Hdf5File h5 = open(b.done())) {
                assertThat(h5.root().children()).as("flags %x", flags).containsExactly("child");
                assertThat(h5.node("child").children()).isEmpty();
            }
        }
    }

    @Test
    void aFirstChunkSizeIsRefusedAboveTheLimitAndCheckedAgainstTheFileUpToIt() throws IOException {
        for (long size : new long[] {Integer.MAX_VALUE - 64, Integer.MAX_VALUE - 63}) {
            Bytes b = new Bytes(0);
            long rootField = superblock(b, 0);
            long root = b.at();
            b.ascii("OHDR").u8(2).u8(2).u32(size).zeros(16);
            b.patch64(rootField, root);
            String expected = size == Integer.MAX_VALUE - 64
                    ? "hand.h5: damaged HDF5 file: object header of '/' at address 0x" + Long.toHexString(root)
                            + " with " + (6 + 4 + size + 4) + " bytes lies beyond the end of the file"
                    : "hand.h5: damaged HDF5 file: object header of '/' at 0x" + Long.toHexString(root)
                            + " declares a first chunk of " + size + " bytes";
            try (Hdf5File h5 = open(b.done())) {
                assertThatThrownBy(h5::root).as("chunk of %d bytes", size)
                        .isExactlyInstanceOf(FileFormatException.class).hasMessageStartingWith(expected);
            }
        }
    }

    /** A continuation block of 8 bytes is 'OCHK' and its checksum: no messages, and valid. */
    @Test
    void anEmptyContinuationBlockIsValid() throws IOException {
        Bytes b = new Bytes(0);
        long rootField = superblock(b, 0);
        long child = headerV2(b, 0, new byte[0]);
        long ochk = b.at();
        b.ascii("OCHK").u32(Checksums.lookup3("OCHK".getBytes(StandardCharsets.ISO_8859_1), 0, 4));
        byte[] continuation = new Bytes(0).u64(ochk).u64(8).done();
        long root = headerV2(b, 0, concat(messageV2(0x06, link("child", child), false),
                messageV2(0x10, continuation, false)));
        b.patch64(rootField, root);
        try (Hdf5File h5 = open(b.done())) {
            assertThat(h5.root().children()).containsExactly("child");
        }
    }

    /**
     * A message of no bytes that ends a header is still a message: a symbol table message of no bytes is refused
     * (it cannot hold the B-tree and heap addresses), never read as an empty group.
     */
    @Test
    void anEmptyMessageEndingAHeaderIsReadInBothHeaderVersions() throws IOException {
        Bytes v1 = new Bytes(0);
        long field1 = superblock(v1, 0);
        long root1 = headerV1(v1, type(0x11), new byte[0]);
        v1.patch64(field1, root1);
        Bytes v2 = new Bytes(0);
        long field2 = superblock(v2, 0);
        long root2 = headerV2(v2, 0, messageV2(0x11, new byte[0], false));
        v2.patch64(field2, root2);
        for (byte[] file : new byte[][] {v1.done(), v2.done()}) {
            try (Hdf5File h5 = open(file)) {
                assertThatThrownBy(() -> h5.root().children()).isExactlyInstanceOf(FileFormatException.class)
                        .hasMessageContaining("needs 8 more bytes at position 0, has 0");
            }
        }
    }

    /** With creation order tracked (flag 0x04) a message header is 6 bytes; a shorter gap ends the chunk. */
    @Test
    void creationOrderBytesAreSkippedAndAGapShorterThanAMessageHeaderEndsTheChunk() throws IOException {
        for (int gap = 0; gap < 6; gap++) {
            Bytes b = new Bytes(0);
            long rootField = superblock(b, 0);
            long child = headerV2(b, 0, new byte[0]);
            long root = headerV2(b, 0x04, concat(messageV2(0x06, link("child", child), true), new byte[gap]));
            b.patch64(rootField, root);
            try (Hdf5File h5 = open(b.done())) {
                assertThat(h5.root().children()).as("gap of %d bytes", gap).containsExactly("child");
                assertThat(h5.node("child").children()).isEmpty();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- datasets

    /** Where {@link #datasetFile} puts the data: right after the 96-byte superblock. */
    private static final long DATA_AT = 96;

    /**
     * A file whose root links 'd' to a float64 dataset of {@code elements} values (dataspace, datatype, layout and
     * optional filter pipeline messages); {@code data} is stored at {@link #DATA_AT}.
     */
    private static byte[] datasetFile(byte[] data, byte[] layout, byte[] pipeline, int elements) {
        Bytes b = new Bytes(0);
        long rootField = superblock(b, 0);
        assertThat(b.at()).isEqualTo(DATA_AT);
        b.bytes(data);
        byte[] space = new Bytes(0).u8(1).u8(1).u8(0).zeros(5).u64(elements).done();
        // class 1 (floating point) version 1; bits: mantissa normalised (0x20), sign at bit 63; 8 bytes;
        // bit offset 0, precision 64, exponent at 52 of 11 bits, mantissa at 0 of 52 bits
        byte[] type = new Bytes(0).u8(0x11).u8(0x20).u8(63).u8(0).u32(8).u16(0).u16(64).u8(52).u8(11).u8(0).u8(52)
                .done();
        long dataset;
        if (pipeline == null) {
            dataset = headerV1(b, type(0x01), space, type(0x03), type, type(0x08), layout);
        } else {
            dataset = headerV1(b, type(0x01), space, type(0x03), type, type(0x08), layout, type(0x0B), pipeline);
        }
        long root = headerV1(b, type(0x06), link("d", dataset));
        b.patch64(rootField, root);
        return b.done();
    }

    @Test
    void contiguousDataAtAddressZeroReadsTheFirstBytesOfTheFile() throws IOException {
        // layout version 3, contiguous, address 0 (the superblock's own first bytes), 8 bytes
        byte[] layout = new Bytes(0).u8(3).u8(1).u64(0).u64(8).done();
        byte[] file = datasetFile(new byte[0], layout, null, 1);
        double first = ByteBuffer.wrap(SIGNATURE).order(ByteOrder.LITTLE_ENDIAN).getDouble();
        try (Hdf5File h5 = open(file)) {
            assertThat(h5.node("d").readTensor().data()).containsExactly(first);
        }
    }

    /** Two doubles through HDF5's byte shuffle: byte k of element i is stored at k * 2 + i. */
    private static byte[] shuffledPair(double x, double y) {
        byte[] plain = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(x).putDouble(y).array();
        byte[] out = new byte[16];
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 8; k++) {
                out[k * 2 + i] = plain[i * 8 + k];
            }
        }
        return out;
    }

    /**
     * A filter pipeline whose first filter (id 256 or more, optional, skipped for the chunk by its mask) has a name,
     * and whose second is shuffle: names are read in version 2 only for ids from 256 and never padded there, and in
     * version 1 always, padded to 8 bytes.
     */
    @Test
    void namedFiltersAreSkippedAsEachPipelineVersionStoresThem() throws IOException {
        byte[] v2 = new Bytes(0).u8(2).u8(2)
                .u16(256).u16(3).u16(1).u16(1).ascii("ab").u8(0).u32(0)
                .u16(2).u16(0).u16(1).u32(8).done();
        byte[] v1 = new Bytes(0).u8(1).u8(2).zeros(6)
                .u16(257).u16(2).u16(1).u16(0).ascii("x").u8(0).zeros(6)
                .u16(2).u16(0).u16(0).u16(1).u32(8).u32(0).done();
        byte[] chunk = shuffledPair(1.25, -3.5);
        // layout version 4, chunked (flags: filtered single chunk), dimensionality 2 ([2] and the 8-byte element)
        // encoded in 1 byte each, index type 1 (single chunk): filtered size, filter mask (filter 0 skipped), address
        byte[] layout = new Bytes(0).u8(4).u8(2).u8(0x02).u8(2).u8(1).u8(2).u8(8).u8(1).u64(chunk.length).u32(1)
                .u64(DATA_AT).done();
        for (byte[] pipeline : new byte[][] {v2, v1}) {
            try (Hdf5File h5 = open(datasetFile(chunk, layout, pipeline, 2))) {
                assertThat(h5.node("d").readTensor().data()).as("pipeline version %d", pipeline[0])
                        .containsExactly(1.25, -3.5);
            }
        }
        // the same chunk with the named filter applied: it is named in the refusal
        byte[] applied = new Bytes(0).u8(4).u8(2).u8(0x02).u8(2).u8(1).u8(2).u8(8).u8(1).u64(chunk.length).u32(0)
                .u64(DATA_AT).done();
        try (Hdf5File h5 = open(datasetFile(chunk, applied, v2, 2))) {
            assertThatThrownBy(() -> h5.node("d").readTensor()).isExactlyInstanceOf(UnsupportedFeatureException.class)
                    .hasMessage("hand.h5: HDF5 filter 256 (unknown) of dataset '/d'; supported: deflate, shuffle,"
                            + " fletcher32 is not supported by rnn4j's HDF5 reader");
        }
    }


    // -------------------------------------------------------------------------------------------- old-style groups

    /**
     * A group of one member 'a' stored the old way (a symbol table message): a local heap holding {@code heapData},
     * a chain of {@code levels} group B-tree nodes of one entry each (levels - 1 down to 0), and a symbol table node
     * whose entry names {@code nameOffset} in the heap.
     */
    private static byte[] oldStyleGroup(int levels, byte[] heapData, long nameOffset) {
        Bytes b = new Bytes(0);
        long rootField = superblock(b, 0);
        long member = headerV1(b);
        long heapBytes = b.at();
        b.bytes(heapData);
        long heap = b.at();
        // version 0, data segment size, free list head (1: libhdf5's H5HL_FREE_NULL, no free block), data address
        b.ascii("HEAP").u8(0).zeros(3).u64(heapData.length).u64(1).u64(heapBytes);
        long node = b.at();
        b.ascii("SNOD").u8(1).u8(0).u16(1).u64(nameOffset).u64(member).u32(0).u32(0).zeros(16);
        long child = node;
        for (int level = 0; level < levels; level++) {
            long at = b.at();
            b.ascii("TREE").u8(0).u8(level).u16(1).u64(-1).u64(-1).u64(0).u64(child).u64(0);
            child = at;
        }
        byte[] symbolTable = new Bytes(0).u64(child).u64(heap).done();
        long root = headerV1(b, type(0x11), symbolTable);
        b.patch64(rootField, root);
        return b.done();
    }

    private static final byte[] HEAP_A = new Bytes(0).zeros(8).ascii("a").zeros(7).done();

    @Test
    void groupBtreesAreReadDownTo65LevelsAndRefusedBeyond() throws IOException {
        try (Hdf5File h5 = open(oldStyleGroup(1, HEAP_A, 8))) {
            assertThat(h5.root().children()).containsExactly("a");
        }
        try (Hdf5File h5 = open(oldStyleGroup(65, HEAP_A, 8))) {
            assertThat(h5.root().children()).containsExactly("a");
        }
        byte[] tooDeep = oldStyleGroup(66, HEAP_A, 8);
        try (Hdf5File h5 = open(tooDeep)) {
            assertThatThrownBy(() -> h5.root().children()).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessageStartingWith("hand.h5: damaged HDF5 file: group B-tree has a cycle at 0x");
        }
    }

    @Test
    void symbolTableNamesComeFromTheLocalHeapWithinItsBounds() throws IOException {
        // offset 0: the empty name every local heap starts with
        try (Hdf5File h5 = open(oldStyleGroup(1, HEAP_A, 0))) {
            assertThat(h5.root().children()).containsExactly("");
        }
        // a name that runs to the end of the heap without its NUL ends there
        byte[] unterminated = new Bytes(0).zeros(8).ascii("ab").done();
        try (Hdf5File h5 = open(oldStyleGroup(1, unterminated, 8))) {
            assertThat(h5.root().children()).containsExactly("ab");
        }
        for (long offset : new long[] {16, 17, -2}) {
            try (Hdf5File h5 = open(oldStyleGroup(1, HEAP_A, offset))) {
                assertThatThrownBy(() -> h5.root().children()).as("offset %d", offset)
                        .isExactlyInstanceOf(FileFormatException.class)
                        .hasMessage("hand.h5: damaged HDF5 file: symbol table entry name offset " + offset
                                + " beyond the local heap (16 bytes)");
            }
        }
    }

    @Test
    void aGroupBtreeNodeCutShortIsNamedWithItsAddressAndSize() throws IOException {
        Bytes b = new Bytes(0);
        long rootField = superblock(b, 0);
        long heapBytes = b.at();
        b.bytes(HEAP_A);
        long heap = b.at();
        b.ascii("HEAP").u8(0).zeros(3).u64(HEAP_A.length).u64(1).u64(heapBytes);
        long root = headerV1(b, type(0x11), new Bytes(0).u64(0).u64(heap).done());
        long tree = b.at();
        b.ascii("TREE").u8(0).u8(0).u16(1).u64(-1).u64(-1); // 20 of the node's 24 header bytes
        b.patch64(rootField, root);
        byte[] file = b.done();
        file = Arrays.copyOf(file, file.length - 4);
        long rootData = root + 16 + 8;
        for (int i = 0; i < 8; i++) {
            file[(int) rootData + i] = (byte) (tree >>> (8 * i));
        }
        try (Hdf5File h5 = open(file)) {
            int size = file.length;
            assertThatThrownBy(() -> h5.root().children()).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessage("hand.h5: damaged HDF5 file: group B-tree at address 0x" + Long.toHexString(tree)
                            + " with 24 bytes lies beyond the end of the file (" + size + " bytes)");
        }
    }

}
