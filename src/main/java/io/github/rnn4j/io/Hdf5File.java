package io.github.rnn4j.io;

import io.github.rnn4j.model.Tensor;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal read-only HDF5 reader: the subset that Keras (through h5py) writes, following the HDF5 File Format
 * Specification version 3.0 (docs.hdfgroup.org, "HDF5 File Format Specification").
 *
 * <p>Supported: superblock versions 0-3 (with or without a user block); object header versions 1 and 2 with
 * continuation blocks; old-style groups (symbol table message, version 1 B-tree of group nodes, symbol table
 * nodes, local heap) and new-style compact groups (link messages, hard links); attributes (message versions
 * 1-3) in the object header; datatypes fixed-point (1/2/4/8 bytes), IEEE floating-point (2/4/8 bytes), either
 * byte order, fixed-length strings and variable-length strings (global heap); dataspaces scalar and simple
 * (versions 1 and 2); data layouts compact, contiguous and chunked (layout versions 1-4; chunk indexes: version 1
 * B-tree, single chunk, implicit, unpaged fixed array); filters deflate, shuffle and fletcher32.
 *
 * <p>Not supported, each with an {@link UnsupportedFeatureException} naming it: dense link or attribute storage
 * (fractal heaps: groups with more than 8 links or objects with many attributes in files written with
 * {@code libver='latest'}), soft and external links, committed (shared) datatypes and other shared messages,
 * compound/array/enum/reference/opaque/bitfield datatypes, VAX floats, extensible-array and version-2-B-tree chunk
 * indexes (chunked datasets with an unlimited dimension in {@code libver='latest'} files), paged fixed arrays,
 * virtual datasets and filters other than the three above (szip, nbit, scale-offset, LZF, Blosc...).
 *
 * <p>Integrity: the checksums the format carries are verified: Fletcher-32 of chunks written with the fletcher32
 * filter, and the lookup3 checksums of version 2+ superblocks, object headers ({@code OHDR}, {@code OCHK}) and
 * fixed-array chunk indexes. Version 0/1 superblocks, version 1 object headers (what Keras writes by default),
 * B-trees, heaps and raw data carry none, so a changed weight byte there cannot be detected. Data that was never
 * written (an undefined address, a missing chunk) is refused, never read as zeros or fill values.
 *
 * <p>Allocation only after proof: every structure is bounds-checked against the file before anything is allocated
 * for it; a dataset's shape and type can be read without its data ({@link Node#datasetInfo()}); a dataset's data is
 * allocated once, after its extents, chunk coverage and inflated size have been checked against the file and the
 * {@link Limits} given at {@link #open(Path, Limits) open}. Malformed input raises a {@link FileFormatException}
 * naming the file and the address; cycles in B-trees and continuation chains are detected. Opens from a path or from
 * bytes in memory ({@link #open(byte[], String)}). Not thread-safe: one instance serves one reading thread (it caches
 * parsed structures and counts the bytes read against its limits).
 *
 * <p>This class is the entry point: opening, the file's size and {@link Limits}, bounds-checked reads and navigation
 * from the root by path ({@link Node}). Each structure of the format has its own package-private class, whose
 * Javadoc names the sections of the specification it implements: {@link Hdf5Superblock} (II.A),
 * {@link Hdf5ObjectHeader} (IV.A), {@link Hdf5Groups} (symbol tables, local heaps and link messages),
 * {@link Hdf5GlobalHeap} (III.E), {@link Hdf5Attribute} (IV.A.2.m), {@link Hdf5Datatype} (IV.A.2.d),
 * {@link Hdf5Dataspace} (IV.A.2.b), {@link Hdf5DatasetInfo}, {@link Hdf5Layout} (IV.A.2.i and the chunk indexes),
 * {@link Hdf5Chunks} (chunked reads), {@link Hdf5Filters} (IV.A.2.l) and {@link Hdf5Buffer} (the field encodings).
 */
final class Hdf5File implements Closeable {
    /** The undefined address (all bits set), returned by {@link Hdf5Buffer#offset()} as -1. */
    static final long UNDEFINED = -1L;
    /** The deepest B-tree (of group nodes or of chunks) that is read; deeper is taken as a cycle. */
    static final int MAX_BTREE_DEPTH = 64;

    private final ByteSource input;
    private final String source;
    private final Limits limits;
    private final Limits.Budget budget;
    private final long fileSize;
    private final long base;
    private final int offsetSize;
    private final int lengthSize;
    private final long rootAddress;
    private final Map<Long, Node> nodes = new HashMap<>();
    private final Hdf5GlobalHeap globalHeap = new Hdf5GlobalHeap(this);
    /** Bytes inflated from this file's deflated chunks so far, against {@link Limits#maxInflatedBytes()}. */
    private long inflatedTotal;

    private Hdf5File(ByteSource input, String source, Limits limits, Hdf5Superblock superblock) {
        this.input = input;
        this.source = source;
        this.limits = limits;
        this.budget = limits.budget();
        this.fileSize = superblock.fileSize;
        this.base = superblock.base;
        this.offsetSize = superblock.offsetSize;
        this.lengthSize = superblock.lengthSize;
        this.rootAddress = superblock.rootAddress;
    }

    /**
     * Opens a file and reads its superblock.
     *
     * @throws FileFormatException when the file is not HDF5 or its superblock is damaged
     */
    static Hdf5File open(Path file) throws IOException {
        return open(file, Limits.defaults());
    }

    /**
     * Opens a file and reads its superblock; the datasets read from it count against {@code limits}.
     *
     * @throws FileFormatException when the file is not HDF5 or its superblock is damaged
     */
    static Hdf5File open(Path file, Limits limits) throws IOException {
        return open(ByteSource.open(file), file.toString(), limits);
    }

    /**
     * Opens an HDF5 image held in memory (the {@code model.weights.h5} of a Keras 3 {@code .keras} zip, or a model
     * read from a stream) and reads its superblock. The array is not copied: it must not change while the file is
     * in use.
     *
     * @param data the whole HDF5 image
     * @param source what the bytes are, for messages (for example {@code model.keras[model.weights.h5]})
     * @throws FileFormatException when the bytes are not HDF5 or the superblock is damaged
     */
    static Hdf5File open(byte[] data, String source) throws IOException {
        return open(data, source, Limits.defaults());
    }

    /** Opens an HDF5 image held in memory, as {@link #open(byte[], String)}, counting against {@code limits}. */
    static Hdf5File open(byte[] data, String source, Limits limits) throws IOException {
        return open(ByteSource.of(data), source, limits);
    }

    private static Hdf5File open(ByteSource ch, String source, Limits limits) throws IOException {
        try {
            return new Hdf5File(ch, source, limits, Hdf5Superblock.read(ch, source));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        input.close();
    }

    /** The file name used in messages. */
    String source() {
        return source;
    }

    /** The root group. */
    Node root() throws IOException {
        return node(rootAddress, "/");
    }

    /**
     * The object at a slash-separated path from the root, following hard links.
     *
     * @throws FileFormatException when a component is missing (naming it and the group)
     */
    Node node(String path) throws IOException {
        Node n = root();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                n = n.child(part);
            }
        }
        return n;
    }

    private Node node(long address, String path) throws IOException {
        Node cached = nodes.get(address);
        if (cached != null) {
            return cached;
        }
        Node n = new Node(path, address, Hdf5ObjectHeader.read(this, address, path));
        nodes.put(address, n);
        return n;
    }

    // ---------------------------------------------------------------------------------- the file and its limits

    /** The size of an address field in bytes. */
    int offsetSize() {
        return offsetSize;
    }

    /** The size of a length field in bytes. */
    int lengthSize() {
        return lengthSize;
    }

    /** The size of the whole file or image in bytes. */
    long fileSize() {
        return fileSize;
    }

    /** The absolute position that addresses are relative to. */
    long base() {
        return base;
    }

    /** The limits given at open. */
    Limits limits() {
        return limits;
    }

    /** Bytes inflated from this file's deflated chunks so far. */
    long inflatedTotal() {
        return inflatedTotal;
    }

    /** Counts {@code bytes} more inflated bytes against {@link Limits#maxInflatedBytes()}. */
    void countInflated(long bytes) {
        inflatedTotal += bytes;
    }

    /** Reads an object of a global heap collection (the bytes of a variable-length string). */
    byte[] globalHeapObject(long collection, int index) throws IOException {
        return globalHeap.object(collection, index);
    }

    // ------------------------------------------------------------------------------------------------ reading

    static ByteBuffer readAbsolute(ByteSource ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(position, b);
        return b.flip();
    }

    /** Reads {@code length} bytes at a file address (relative to the base address), checked against the file. */
    ByteBuffer read(long address, long length, String what) throws IOException {
        if (address == UNDEFINED || address < 0 || length < 0 || length > Integer.MAX_VALUE - 8
                || base + address > fileSize - length) {
            throw new FileFormatException(source + ": damaged HDF5 file: " + what + " at address " + hex(address)
                    + " with " + length + " bytes lies beyond the end of the file (" + fileSize + " bytes)");
        }
        ByteBuffer b = readAbsolute(input, base + address, (int) length);
        if (b.remaining() < length) {
            throw new FileFormatException(source + ": truncated HDF5 file: " + what + " at address " + hex(address));
        }
        return b;
    }

    /** Reads {@code length} bytes at a file address, as {@link #read(long, long, String)}, into a cursor. */
    Hdf5Buffer buf(long address, long length, String what) throws IOException {
        return new Hdf5Buffer(read(address, length, what), address, source + ": " + what, offsetSize, lengthSize);
    }

    /** Reads up to {@code length} bytes, fewer at the end of the file (for structures whose size is read later). */
    Hdf5Buffer bufUpTo(long address, long length, String what) throws IOException {
        long available = fileSize - base - address;
        return buf(address, Math.max(0, Math.min(length, available)), what);
    }

    /**
     * Checks the lookup3 checksum that follows {@code length} bytes from {@code from} in a buffer read from the
     * file (version 2+ superblocks, object headers and chunk indexes carry one).
     */
    void checkLookup3(ByteBuffer b, int from, int length, String what, long address) throws FileFormatException {
        if (length < 0 || from + length + 4 > b.limit()) {
            throw damaged(what + " at " + hex(address) + " is too short for its checksum");
        }
        int stored = b.getInt(from + length);
        int computed = Checksums.lookup3(b.array(), b.arrayOffset() + from, length);
        if (stored != computed) {
            throw damaged(what + " at " + hex(address) + " fails its checksum (stored "
                    + String.format("%08x", stored) + ", computed " + String.format("%08x", computed) + ")");
        }
    }

    static String hex(long address) {
        return address == UNDEFINED ? "UNDEFINED" : "0x" + Long.toHexString(address);
    }

    /** A {@link FileFormatException} naming the file: "damaged HDF5 file: " and {@code what}. */
    FileFormatException damaged(String what) {
        return new FileFormatException(source + ": damaged HDF5 file: " + what);
    }

    /** An {@link UnsupportedFeatureException} naming the file and the feature {@code what}. */
    UnsupportedFeatureException unsupported(String what) {
        return new UnsupportedFeatureException(source + ": " + what + " is not supported by rnn4j's HDF5 reader");
    }

    private static String join(String path, String name) {
        return path.endsWith("/") ? path + name : path + "/" + name;
    }

    // ----------------------------------------------------------------------------------------------- objects

    /** A group or dataset: its path, address and parsed header. */
    final class Node {
        private final String path;
        private final long address;
        private final Hdf5ObjectHeader header;
        private Map<String, Long> links;
        private Map<String, Hdf5Attribute> attributes;

        private Node(String path, long address, Hdf5ObjectHeader header) {
            this.path = path;
            this.address = address;
            this.header = header;
        }

        /** The path this node was reached by. */
        String path() {
            return path;
        }

        /** The address of the node's object header (relative to the base address). */
        long address() {
            return address;
        }

        /** Whether the node is a dataset (it has a data layout). */
        boolean isDataset() {
            return header.first(0x08) != null;
        }

        /** The names of the node's members, in storage order (name order for old-style groups). */
        List<String> children() throws IOException {
            return new ArrayList<>(links().keySet());
        }

        /** Whether the group has a member of that name. */
        boolean hasChild(String name) throws IOException {
            return links().containsKey(name);
        }

        /**
         * The member of that name.
         *
         * @throws FileFormatException when there is none
         */
        Node child(String name) throws IOException {
            Long at = links().get(name);
            if (at == null) {
                throw new FileFormatException(source + ": no object '" + name + "' in group '" + path + "'");
            }
            if (at == UNDEFINED) {
                throw unsupported("the soft or external link '" + join(path, name) + "'");
            }
            return node(at, join(path, name));
        }

        private Map<String, Long> links() throws IOException {
            if (links == null) {
                links = Hdf5Groups.readLinks(Hdf5File.this, path, header);
            }
            return links;
        }

        /** Whether the node has an attribute of that name. */
        boolean hasAttribute(String name) throws IOException {
            return attributes().containsKey(name);
        }

        /**
         * The attribute of that name.
         *
         * @throws FileFormatException when there is none
         */
        Hdf5Attribute attribute(String name) throws IOException {
            Hdf5Attribute a = attributes().get(name);
            if (a == null) {
                throw new FileFormatException(source + ": '" + path + "' has no attribute '" + name + "'");
            }
            return a;
        }

        private Map<String, Hdf5Attribute> attributes() throws IOException {
            if (attributes == null) {
                attributes = Hdf5Attribute.readAll(Hdf5File.this, this, header);
            }
            return attributes;
        }

        /**
         * The dataset's shape and element type, from its header alone: no data is read or allocated, so a loader can
         * check the shape against its layer before paying for the data.
         *
         * @throws FileFormatException when the node is not a dataset or its header is damaged
         * @throws UnsupportedFeatureException when the datatype is not numeric or not one rnn4j reads
         */
        Hdf5DatasetInfo datasetInfo() throws IOException {
            Hdf5ObjectHeader.Message layoutMessage = header.first(0x08);
            if (layoutMessage == null) {
                throw new FileFormatException(source + ": '" + path + "' is a group, expected a dataset");
            }
            Hdf5ObjectHeader.Message typeMessage = header.first(0x03);
            Hdf5ObjectHeader.Message spaceMessage = header.first(0x01);
            if (typeMessage == null || spaceMessage == null) {
                throw damaged("dataset '" + path + "' lacks a datatype or dataspace message");
            }
            if ((typeMessage.flags & 0x02) != 0) {
                throw unsupported("the committed (shared) datatype of dataset '" + path + "'");
            }
            Hdf5Datatype type = Hdf5Datatype.parse(typeMessage.data.duplicate(), Hdf5File.this);
            long[] dims = Hdf5Dataspace.read(Hdf5File.this, spaceMessage.data.duplicate());
            ElementType element;
            if (type.typeClass == 5 && type.size == 2 && hasAttribute("dtype")
                    && "bfloat16".equals(attribute("dtype").string())) {
                // Keras 3 writes bfloat16 variables (ml_dtypes) as a 2-byte opaque type with the attribute
                // dtype="bfloat16" (keras/src/saving/saving_lib.py, H5IOStore); the bytes are little-endian.
                element = ElementType.BF16;
            } else {
                element = type.element("dataset '" + path + "'");
            }
            int[] shape = Hdf5Dataspace.shape(Hdf5File.this, dims, "dataset '" + path + "'");
            Hdf5Dataspace.count(Hdf5File.this, shape);
            return new Hdf5DatasetInfo(path, shape, element, type);
        }

        /**
         * Reads a numeric dataset: its values as doubles in row-major order, with its shape. The data is allocated
         * once, after the layout has proved where every byte comes from (extents within the file, every chunk
         * written, inflated size within {@link Limits}), and counted against the file's tensor budget.
         *
         * @throws FileFormatException when the node is not a numeric dataset, its data is damaged, missing (never
         *         written) or beyond a limit
         */
        ArrayData readArray() throws IOException {
            Hdf5DatasetInfo info = datasetInfo();
            int count = Hdf5Dataspace.count(Hdf5File.this, info.shape);
            budget.take(source + ": dataset '" + path + "'", io.github.rnn4j.internal.Checks.dims(info.shape), count);
            List<Hdf5Filters.Filter> filters = new ArrayList<>();
            Hdf5ObjectHeader.Message pipeline = header.first(0x0B);
            if (pipeline != null) {
                filters = Hdf5Filters.read(Hdf5File.this, pipeline.data.duplicate());
            }
            double[] data = new Hdf5Layout(Hdf5File.this, path).read(header.first(0x08).data.duplicate(), info.type,
                    info.element, info.shape, filters, count);
            return new ArrayData(source + ": dataset '" + path + "'", info.shape, data);
        }

        /**
         * Reads a numeric dataset into a tensor of the dataset's shape (through {@link #readArray()}).
         *
         * @throws FileFormatException when the node is not a numeric dataset or its data is damaged
         */
        Tensor readTensor() throws IOException {
            return readArray().toTensor();
        }
    }
}
