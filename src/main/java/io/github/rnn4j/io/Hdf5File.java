package io.github.rnn4j.io;

import io.github.rnn4j.internal.Handover;
import io.github.rnn4j.model.Tensor;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

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
 */
final class Hdf5File implements Closeable {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1A, '\n'};
    /** The undefined address (all bits set), returned by {@link Buf#offset()} as -1. */
    static final long UNDEFINED = -1L;
    private static final int MAX_BTREE_DEPTH = 64;

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
    private final Map<Long, Map<Integer, byte[]>> globalHeaps = new HashMap<>();
    /** Bytes inflated from this file's deflated chunks so far, against {@link Limits#maxInflatedBytes()}. */
    private long inflatedTotal;

    private Hdf5File(ByteSource input, String source, Limits limits, long fileSize, long base, int offsetSize,
                     int lengthSize, long rootAddress) {
        this.input = input;
        this.source = source;
        this.limits = limits;
        this.budget = limits.budget();
        this.fileSize = fileSize;
        this.base = base;
        this.offsetSize = offsetSize;
        this.lengthSize = lengthSize;
        this.rootAddress = rootAddress;
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
            return openSource(ch, source, limits);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static Hdf5File openSource(ByteSource ch, String source, Limits limits) throws IOException {
        long size = ch.size();
        long at = -1;
        for (long candidate = 0; candidate + 8 <= size; candidate = candidate == 0 ? 512 : candidate * 2) {
            ByteBuffer sig = readAbsolute(ch, candidate, 8);
            if (Arrays.equals(sig.array(), SIGNATURE)) {
                at = candidate;
                break;
            }
        }
        if (at < 0) {
            throw new FileFormatException(source + ": not an HDF5 file: no HDF5 signature at offset 0, 512, 1024,"
                    + " ... (file size " + size + ")");
        }
        ByteBuffer head = readAbsolute(ch, at, (int) Math.min(size - at, 128));
        Buf b = new Buf(head, at, source + ": superblock", 8, 8);
        b.skip(8);
        int version = b.u8();
        int offsetSize;
        int lengthSize;
        long base;
        long root;
        if (version == 0 || version == 1) {
            b.skip(4);
            offsetSize = b.u8();
            lengthSize = b.u8();
            checkSizes(source, offsetSize, lengthSize);
            b.skip(1 + 2 + 2 + 4 + (version == 1 ? 4 : 0));
            b = new Buf(head, at, source + ": superblock", offsetSize, lengthSize).at(b.position());
            base = b.offset();
            b.offset(); // free-space info
            b.offset(); // end of file
            b.offset(); // driver information block
            b.offset(); // root entry: link name offset
            root = b.offset();
        } else if (version == 2 || version == 3) {
            offsetSize = b.u8();
            lengthSize = b.u8();
            checkSizes(source, offsetSize, lengthSize);
            b.skip(1);
            b = new Buf(head, at, source + ": superblock", offsetSize, lengthSize).at(b.position());
            base = b.offset();
            b.offset(); // superblock extension
            b.offset(); // end of file
            root = b.offset();
            int covered = b.position();
            long stored = b.u32();
            int computed = Checksums.lookup3(head.array(), 0, covered);
            if ((int) stored != computed) {
                throw new FileFormatException(source + ": damaged HDF5 superblock: its checksum is "
                        + String.format("%08x", stored) + ", its bytes hash to " + String.format("%08x", computed));
            }
        } else {
            throw new UnsupportedFeatureException(source + ": HDF5 superblock version " + version
                    + " is not supported; supported: 0, 1, 2, 3");
        }
        if (base == UNDEFINED || base < 0 || base > size) {
            throw new FileFormatException(source + ": damaged HDF5 superblock: base address " + base);
        }
        return new Hdf5File(ch, source, limits, size, base, offsetSize, lengthSize, root);
    }

    private static void checkSizes(String source, int offsetSize, int lengthSize) throws FileFormatException {
        for (int s : new int[] {offsetSize, lengthSize}) {
            if (s != 2 && s != 4 && s != 8) {
                throw new FileFormatException(source + ": damaged HDF5 superblock: offset/length size " + s
                        + ", expected 2, 4 or 8");
            }
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

    // ------------------------------------------------------------------------------------------------ reading

    private static ByteBuffer readAbsolute(ByteSource ch, long position, int length) throws IOException {
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

    private Buf buf(long address, long length, String what) throws IOException {
        return new Buf(read(address, length, what), address, source + ": " + what, offsetSize, lengthSize);
    }

    /** Reads up to {@code length} bytes, fewer at the end of the file (for structures whose size is read later). */
    private Buf bufUpTo(long address, long length, String what) throws IOException {
        long available = fileSize - base - address;
        return buf(address, Math.max(0, Math.min(length, available)), what);
    }

    /**
     * Checks the lookup3 checksum that follows {@code length} bytes from {@code from} in a buffer read from the
     * file (version 2+ superblocks, object headers and chunk indexes carry one).
     */
    private void checkLookup3(ByteBuffer b, int from, int length, String what, long address)
            throws FileFormatException {
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

    /** Verifies and strips the Fletcher-32 checksum that the fletcher32 filter appends to a chunk. */
    private byte[] checkFletcher32(byte[] data, String what) throws FileFormatException {
        if (data.length < 4) {
            throw damaged(what + " is too short for its fletcher32 checksum");
        }
        int n = data.length - 4;
        int stored = ByteBuffer.wrap(data, n, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int computed = Checksums.fletcher32(data, n);
        // libhdf5 1.6.0-1.6.2 wrote the checksum with the bytes of each half swapped; libhdf5 still accepts that.
        int swapped = ((computed & 0x00FF00FF) << 8) | ((computed >>> 8) & 0x00FF00FF);
        if (stored != computed && stored != swapped) {
            throw damaged(what + " fails its Fletcher-32 checksum (stored " + String.format("%08x", stored)
                    + ", computed " + String.format("%08x", computed) + ")");
        }
        return Arrays.copyOf(data, n);
    }

    static String hex(long address) {
        return address == UNDEFINED ? "UNDEFINED" : "0x" + Long.toHexString(address);
    }

    private FileFormatException damaged(String what) {
        return new FileFormatException(source + ": damaged HDF5 file: " + what);
    }

    private UnsupportedFeatureException unsupported(String what) {
        return new UnsupportedFeatureException(source + ": " + what + " is not supported by rnn4j's HDF5 reader");
    }

    // ------------------------------------------------------------------------------------------ object headers

    /** One message of an object header. */
    private static final class Message {
        final int type;
        final int flags;
        final Buf data;

        Message(int type, int flags, Buf data) {
            this.type = type;
            this.flags = flags;
            this.data = data;
        }
    }

    private Node node(long address, String path) throws IOException {
        Node cached = nodes.get(address);
        if (cached != null) {
            return cached;
        }
        Node n = new Node(path, address, parseHeader(address, path));
        nodes.put(address, n);
        return n;
    }

    private List<Message> parseHeader(long address, String path) throws IOException {
        String what = "object header of '" + path + "'";
        Buf start = bufUpTo(address, 16, what);
        List<Message> messages = new ArrayList<>();
        List<long[]> continuations = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        seen.add(address);
        boolean v2 = start.remaining() >= 4 && start.peekAscii(4).equals("OHDR");
        int creationOrderBytes = 0;
        if (v2) {
            start.skip(4);
            int version = start.u8();
            if (version != 2) {
                throw damaged(what + " at " + hex(address) + " has version " + version + ", expected 2");
            }
            int flags = start.u8();
            creationOrderBytes = (flags & 0x04) != 0 ? 2 : 0;
            int prefix = 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
            int sizeBytes = 1 << (flags & 3);
            Buf p = bufUpTo(address, prefix + sizeBytes, what);
            p.skip(prefix);
            long chunkSize = p.uN(sizeBytes);
            if (chunkSize > Integer.MAX_VALUE - 64) {
                throw damaged(what + " at " + hex(address) + " declares a first chunk of " + chunkSize + " bytes");
            }
            Buf whole = buf(address, prefix + sizeBytes + chunkSize + 4, what);
            checkLookup3(whole.raw(), 0, (int) (prefix + sizeBytes + chunkSize), what, address);
            whole.skip(prefix + sizeBytes);
            parseMessagesV2(whole.slice(chunkSize), creationOrderBytes, messages, continuations);
        } else {
            int version = start.u8();
            if (version != 1) {
                throw damaged(what + " at " + hex(address) + " starts with version " + version
                        + ", expected an object header (version 1 or 'OHDR')");
            }
            start.skip(1 + 2 + 4);
            long size = start.u32();
            parseMessagesV1(buf(address + 16, size, what), messages, continuations);
        }
        for (int i = 0; i < continuations.size(); i++) {
            long at = continuations.get(i)[0];
            long length = continuations.get(i)[1];
            if (!seen.add(at) || continuations.size() > 100_000) {
                throw damaged(what + ": continuation blocks form a cycle at " + hex(at));
            }
            Buf c = buf(at, length, what + " continuation");
            if (v2) {
                if (!c.peekAscii(4).equals("OCHK")) {
                    throw damaged(what + ": continuation block at " + hex(at) + " lacks the OCHK signature");
                }
                if (length < 8) {
                    throw damaged(what + ": continuation block at " + hex(at) + " of " + length + " bytes");
                }
                checkLookup3(c.raw(), 0, (int) length - 4, what + " continuation block", at);
                c.skip(4);
                parseMessagesV2(c.slice(c.remaining() - 4), creationOrderBytes, messages, continuations);
            } else {
                parseMessagesV1(c, messages, continuations);
            }
        }
        return messages;
    }

    private void parseMessagesV1(Buf b, List<Message> out, List<long[]> continuations) throws IOException {
        while (b.remaining() >= 8) {
            int type = b.u16();
            int size = b.u16();
            int flags = b.u8();
            b.skip(3);
            addMessage(type, flags, b.slice(size), out, continuations);
        }
    }

    private void parseMessagesV2(Buf b, int creationOrderBytes, List<Message> out, List<long[]> continuations)
            throws IOException {
        int headerSize = 4 + creationOrderBytes;
        while (b.remaining() >= headerSize) {
            int type = b.u8();
            int size = b.u16();
            int flags = b.u8();
            b.skip(creationOrderBytes);
            addMessage(type, flags, b.slice(size), out, continuations);
        }
    }

    private void addMessage(int type, int flags, Buf data, List<Message> out, List<long[]> continuations)
            throws IOException {
        if (type == 0x10) {
            continuations.add(new long[] {data.offset(), data.length()});
        } else if (type != 0) {
            out.add(new Message(type, flags, data));
        }
    }

    // ----------------------------------------------------------------------------------------------- objects

    /** A group or dataset: its path, address and parsed header. */
    final class Node {
        private final String path;
        private final long address;
        private final List<Message> messages;
        private Map<String, Long> links;
        private Map<String, Attribute> attributes;

        private Node(String path, long address, List<Message> messages) {
            this.path = path;
            this.address = address;
            this.messages = messages;
        }

        /** The path this node was reached by. */
        String path() {
            return path;
        }

        /** The address of the node's object header (relative to the base address). */
        long address() {
            return address;
        }

        private Message first(int type) {
            for (Message m : messages) {
                if (m.type == type) {
                    return m;
                }
            }
            return null;
        }

        /** Whether the node is a dataset (it has a data layout). */
        boolean isDataset() {
            return first(0x08) != null;
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
                links = readLinks();
            }
            return links;
        }

        private Map<String, Long> readLinks() throws IOException {
            Map<String, Long> out = new LinkedHashMap<>();
            Message symbolTable = first(0x11);
            if (symbolTable != null) {
                Buf b = symbolTable.data;
                long btree = b.offset();
                long heap = b.offset();
                readSymbolTable(btree, readLocalHeap(heap), out, new HashSet<>(), 0);
                return out;
            }
            Message linkInfo = first(0x02);
            if (linkInfo != null) {
                Buf b = linkInfo.data;
                b.skip(1);
                int flags = b.u8();
                if ((flags & 1) != 0) {
                    b.skip(8);
                }
                if (b.offset() != UNDEFINED) {
                    throw unsupported("dense link storage (a fractal heap, used for groups of more than 8 members"
                            + " in files written with libver='latest') in group '" + path + "'");
                }
            }
            for (Message m : messages) {
                if (m.type == 0x06) {
                    readLink(m.data, out);
                }
            }
            return out;
        }

        private void readLink(Buf b, Map<String, Long> out) throws IOException {
            int version = b.u8();
            if (version != 1) {
                throw damaged("link message version " + version + " in group '" + path + "'");
            }
            int flags = b.u8();
            int type = (flags & 0x08) != 0 ? b.u8() : 0;
            if ((flags & 0x04) != 0) {
                b.skip(8);
            }
            if ((flags & 0x10) != 0) {
                b.skip(1);
            }
            long nameLength = b.uN(1 << (flags & 3));
            String name = b.utf8((int) Math.min(nameLength, b.remaining() + 1L));
            out.put(name, type == 0 ? b.offset() : UNDEFINED);
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
        Attribute attribute(String name) throws IOException {
            Attribute a = attributes().get(name);
            if (a == null) {
                throw new FileFormatException(source + ": '" + path + "' has no attribute '" + name + "'");
            }
            return a;
        }

        private Map<String, Attribute> attributes() throws IOException {
            if (attributes == null) {
                Map<String, Attribute> out = new LinkedHashMap<>();
                for (Message m : messages) {
                    if (m.type == 0x0C) {
                        Attribute a = readAttribute(m);
                        out.put(a.name, a);
                    } else if (m.type == 0x15) {
                        Buf b = m.data.duplicate();
                        b.skip(1);
                        int flags = b.u8();
                        if ((flags & 1) != 0) {
                            b.skip(2);
                        }
                        if (b.offset() != UNDEFINED) {
                            throw unsupported("dense attribute storage (a fractal heap) on '" + path + "'");
                        }
                    }
                }
                attributes = out;
            }
            return attributes;
        }

        private Attribute readAttribute(Message m) throws IOException {
            Buf b = m.data.duplicate();
            int version = b.u8();
            int flags = b.u8();
            int nameSize = b.u16();
            int typeSize = b.u16();
            int spaceSize = b.u16();
            if (version < 1 || version > 3) {
                throw damaged("attribute message version " + version + " on '" + path + "'");
            }
            if (version == 3) {
                b.skip(1);
            }
            int pad = version == 1 ? 8 : 1;
            String name = b.slice(padded(nameSize, pad)).cString();
            if ((flags & 3) != 0 && version > 1) {
                throw unsupported("the shared datatype or dataspace of attribute '" + name + "' on '" + path + "'");
            }
            Type type = Type.parse(b.slice(padded(typeSize, pad)), Hdf5File.this);
            long[] dims = readDataspace(b.slice(padded(spaceSize, pad)));
            return new Attribute(this, name, type, dims, b.slice(b.remaining()));
        }

        /**
         * The dataset's shape and element type, from its header alone: no data is read or allocated, so a loader can
         * check the shape against its layer before paying for the data.
         *
         * @throws FileFormatException when the node is not a dataset or its header is damaged
         * @throws UnsupportedFeatureException when the datatype is not numeric or not one rnn4j reads
         */
        DatasetInfo datasetInfo() throws IOException {
            Message layoutMessage = first(0x08);
            if (layoutMessage == null) {
                throw new FileFormatException(source + ": '" + path + "' is a group, expected a dataset");
            }
            Message typeMessage = first(0x03);
            Message spaceMessage = first(0x01);
            if (typeMessage == null || spaceMessage == null) {
                throw damaged("dataset '" + path + "' lacks a datatype or dataspace message");
            }
            if ((typeMessage.flags & 0x02) != 0) {
                throw unsupported("the committed (shared) datatype of dataset '" + path + "'");
            }
            Type type = Type.parse(typeMessage.data.duplicate(), Hdf5File.this);
            long[] dims = readDataspace(spaceMessage.data.duplicate());
            ElementType element;
            if (type.typeClass == 5 && type.size == 2 && hasAttribute("dtype")
                    && "bfloat16".equals(attribute("dtype").string())) {
                // Keras 3 writes bfloat16 variables (ml_dtypes) as a 2-byte opaque type with the attribute
                // dtype="bfloat16" (keras/src/saving/saving_lib.py, H5IOStore); the bytes are little-endian.
                element = ElementType.BF16;
            } else {
                element = type.element("dataset '" + path + "'");
            }
            int[] shape = shape(dims, "dataset '" + path + "'");
            count(shape);
            return new DatasetInfo(path, shape, element, type);
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
            DatasetInfo info = datasetInfo();
            int count = count(info.shape);
            budget.take(source + ": dataset '" + path + "'", io.github.rnn4j.internal.Checks.dims(info.shape), count);
            List<Filter> filters = new ArrayList<>();
            Message pipeline = first(0x0B);
            if (pipeline != null) {
                filters = readFilters(pipeline.data.duplicate());
            }
            double[] data = readData(first(0x08).data.duplicate(), info.type, info.element, info.shape, filters,
                    count);
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

        /** @param what the missing data with its verb, for example {@code "data of dataset '/k' was"} */
        private FileFormatException neverWritten(String what) {
            return damaged(what + " never written (no storage is allocated for it); rnn4j does not read missing"
                    + " weights as zeros or fill values");
        }

        private double[] readCompact(Buf b, long size, ElementType element, Type type, int count, String what)
                throws IOException {
            long bytes = (long) count * type.size;
            if (size < bytes || size > b.remaining()) {
                throw damaged("compact " + what + " has " + Math.min(size, b.remaining()) + " bytes, expected "
                        + bytes);
            }
            double[] out = new double[count];
            decode(b.slice(size), element, type, out, 0, out.length, what);
            return out;
        }

        private double[] readData(Buf b, Type type, ElementType element, int[] shape, List<Filter> filters,
                                  int count) throws IOException {
            int version = b.u8();
            String what = "data of dataset '" + path + "'";
            long bytes = (long) count * type.size;
            if (version < 3) {
                int rank = b.u8();
                int layoutClass = b.u8();
                b.skip(5);
                long address = layoutClass == 0 ? UNDEFINED : b.offset();
                long[] d = new long[rank];
                for (int i = 0; i < rank; i++) {
                    d[i] = b.u32();
                }
                if (layoutClass == 0) {
                    long size = b.u32();
                    return readCompact(b, size, element, type, count, what);
                } else if (layoutClass == 1) {
                    return readContiguous(address, bytes, element, type, count, what);
                } else if (layoutClass == 2 && rank >= 1) {
                    Chunks chunks = new Chunks(Arrays.copyOf(d, rank - 1), d[rank - 1], element, type, shape,
                            filters, count);
                    if (address != UNDEFINED) {
                        walkChunkBtree(address, rank, chunks, new HashSet<>(), 0);
                    }
                    return chunks.readAll();
                } else {
                    throw damaged("layout class " + layoutClass + " of dataset '" + path + "'");
                }
            }
            if (version > 4) {
                throw unsupported("data layout message version " + version + " (dataset '" + path + "')");
            }
            int layoutClass = b.u8();
            switch (layoutClass) {
                case 0: {
                    int size = b.u16();
                    return readCompact(b, size, element, type, count, what);
                }
                case 1: {
                    long address = b.offset();
                    long size = b.length();
                    if (address != UNDEFINED && size < bytes) {
                        throw damaged("contiguous " + what + " has " + size + " bytes, expected " + bytes);
                    }
                    return readContiguous(address, bytes, element, type, count, what);
                }
                case 2:
                    break;
                case 3:
                    throw unsupported("the virtual dataset '" + path + "'");
                default:
                    throw damaged("layout class " + layoutClass + " of dataset '" + path + "'");
            }
            if (version == 3) {
                int dimensionality = b.u8();
                long btree = b.offset();
                long[] d = new long[dimensionality];
                for (int i = 0; i < dimensionality; i++) {
                    d[i] = b.u32();
                }
                if (dimensionality < 1) {
                    throw damaged("chunked layout of dataset '" + path + "' with no dimensions");
                }
                Chunks chunks = new Chunks(Arrays.copyOf(d, dimensionality - 1), d[dimensionality - 1], element, type,
                        shape, filters, count);
                if (btree != UNDEFINED) {
                    walkChunkBtree(btree, dimensionality, chunks, new HashSet<>(), 0);
                }
                return chunks.readAll();
            }
            int flags = b.u8();
            int dimensionality = b.u8();
            int encoded = b.u8();
            long[] d = new long[dimensionality];
            for (int i = 0; i < dimensionality; i++) {
                d[i] = b.uN(encoded);
            }
            int index = b.u8();
            long[] chunk = Arrays.copyOf(d, Math.max(0, dimensionality - 1));
            Chunks chunks = new Chunks(chunk, dimensionality == 0 ? 0 : d[dimensionality - 1], element, type,
                    shape, filters, count);
            switch (index) {
                case 1: {
                    long filteredSize = chunks.chunkBytes;
                    int mask = 0;
                    if ((flags & 0x02) != 0) {
                        filteredSize = b.length();
                        mask = (int) b.u32();
                    }
                    long address = b.offset();
                    if (address != UNDEFINED) {
                        chunks.add(new long[shape.length], address, filteredSize, mask);
                    }
                    return chunks.readAll();
                }
                case 2: {
                    long address = b.offset();
                    if (!filters.isEmpty()) {
                        throw damaged("implicit chunk index with filters in dataset '" + path + "'");
                    }
                    if (address != UNDEFINED && count > 0) {
                        long n = chunks.gridCount();
                        if (n > (fileSize - base) / chunks.chunkBytes) {
                            throw damaged("the " + n + " implicitly indexed chunks of dataset '" + path + "' ("
                                    + chunks.chunkBytes + " bytes each) at " + hex(address) + " lie beyond the end of"
                                    + " the file (" + fileSize + " bytes)");
                        }
                        for (long i = 0; i < n; i++) {
                            chunks.add(chunks.gridOffsets(i), address + i * chunks.chunkBytes, chunks.chunkBytes, 0);
                        }
                    }
                    return chunks.readAll();
                }
                case 3: {
                    b.skip(1);
                    readFixedArray(b.offset(), chunks);
                    return chunks.readAll();
                }
                case 4:
                    throw unsupported("the extensible-array chunk index of dataset '" + path + "' (a chunked"
                            + " dataset with an unlimited dimension written with libver='latest')");
                case 5:
                    throw unsupported("the version 2 B-tree chunk index of dataset '" + path + "' (a chunked"
                            + " dataset with several unlimited dimensions written with libver='latest')");
                default:
                    throw damaged("chunk index type " + index + " of dataset '" + path + "'");
            }
        }

        private double[] readContiguous(long address, long bytes, ElementType element, Type type, int count,
                                        String what) throws IOException {
            if (count == 0) {
                return new double[0];
            }
            if (address == UNDEFINED) {
                throw neverWritten("contiguous " + what + " was");
            }
            if (address < 0 || base + address > fileSize - bytes) {
                throw new FileFormatException(source + ": damaged HDF5 file: " + what + " at address "
                        + hex(address) + " with " + bytes + " bytes lies beyond the end of the file (" + fileSize
                        + " bytes)");
            }
            double[] out = new double[count];
            int perRead = Math.max(1, (1 << 20) / type.size);
            int done = 0;
            while (done < out.length) {
                int n = Math.min(out.length - done, perRead);
                Buf b = buf(address + (long) done * type.size, (long) n * type.size, what);
                decode(b, element, type, out, done, n, what);
                done += n;
            }
            return out;
        }

        private void walkChunkBtree(long address, int dimensionality, Chunks chunks, Set<Long> seen, int depth)
                throws IOException {
            String what = "chunk B-tree of dataset '" + path + "'";
            if (!seen.add(address) || depth > MAX_BTREE_DEPTH) {
                throw damaged(what + " has a cycle at " + hex(address));
            }
            Buf h = buf(address, 8 + 2L * offsetSize, what);
            h.expectAscii("TREE");
            int nodeType = h.u8();
            int level = h.u8();
            int entries = h.u16();
            if (nodeType != 1) {
                throw damaged(what + " node at " + hex(address) + " has type " + nodeType + ", expected 1");
            }
            long keySize = 8 + 8L * dimensionality;
            Buf b = buf(address + 8 + 2L * offsetSize, entries * (keySize + offsetSize) + keySize, what);
            for (int i = 0; i < entries; i++) {
                long size = b.u32();
                int mask = (int) b.u32();
                long[] offsets = new long[dimensionality - 1];
                for (int k = 0; k < offsets.length; k++) {
                    offsets[k] = b.u64();
                }
                b.skip(8);
                long child = b.offset();
                if (level == 0) {
                    chunks.add(offsets, child, size, mask);
                } else {
                    walkChunkBtree(child, dimensionality, chunks, seen, depth + 1);
                }
            }
        }

        private void readFixedArray(long address, Chunks chunks) throws IOException {
            String what = "fixed-array chunk index of dataset '" + path + "'";
            if (address == UNDEFINED) {
                return;
            }
            Buf h = buf(address, 12 + lengthSize + offsetSize, what);
            checkLookup3(h.raw(), 0, 8 + lengthSize + offsetSize, what + " header", address);
            h.expectAscii("FAHD");
            h.skip(1);
            int client = h.u8();
            int entrySize = h.u8();
            int pageBits = h.u8();
            long entries = h.length();
            long block = h.offset();
            if (pageBits < 62 && entries > (1L << pageBits)) {
                throw unsupported("the paged " + what + " (" + entries + " chunks)");
            }
            if (entries != chunks.gridCount()) {
                throw damaged(what + " has " + entries + " entries, expected " + chunks.gridCount());
            }
            if (block == UNDEFINED) {
                return;
            }
            if (entrySize < offsetSize || (client == 1 && entrySize < offsetSize + 5)
                    || entries > (fileSize - base) / entrySize) {
                throw damaged(what + " has " + entries + " entries of " + entrySize + " bytes");
            }
            long blockSize = 6 + offsetSize + entries * entrySize;
            Buf b = buf(block, blockSize + 4, what + " data block");
            checkLookup3(b.raw(), 0, (int) blockSize, what + " data block", block);
            b.expectAscii("FADB");
            b.skip(2 + offsetSize);
            for (long i = 0; i < entries; i++) {
                Buf e = b.slice(entrySize);
                long chunkAddress = e.offset();
                long size = chunks.chunkBytes;
                int mask = 0;
                if (client == 1) {
                    size = e.uN(entrySize - offsetSize - 4);
                    mask = (int) e.u32();
                }
                if (chunkAddress != UNDEFINED) {
                    chunks.add(chunks.gridOffsets(i), chunkAddress, size, mask);
                }
            }
        }

        /** Where one chunk's filtered bytes are. */
        private final class ChunkRef {
            final long[] offsets;
            final long address;
            final long size;
            final int mask;

            ChunkRef(long[] offsets, long address, long size, int mask) {
                this.offsets = offsets;
                this.address = address;
                this.size = size;
                this.mask = mask;
            }
        }

        /**
         * Plans a chunked read: collects where the chunks are from the index, proves that every chunk is written
         * once, lies in the file and inflates within the limits, and only then allocates and reads.
         */
        private final class Chunks {
            final long[] chunk;
            final long chunkBytes;
            final int chunkCount;
            final ElementType element;
            final Type type;
            final int[] shape;
            final List<Filter> filters;
            final int count;
            final List<ChunkRef> refs = new ArrayList<>();
            private double[] out;
            private double[] values;

            Chunks(long[] chunk, long elementSize, ElementType element, Type type, int[] shape, List<Filter> filters,
                   int count) throws IOException {
                String what = "dataset '" + path + "'";
                if (chunk.length != shape.length) {
                    throw damaged(what + " has rank " + shape.length + " but chunks of rank " + chunk.length);
                }
                if (elementSize != type.size) {
                    throw damaged(what + " has " + type.size + "-byte elements but chunks of " + elementSize);
                }
                long n = 1;
                for (long c : chunk) {
                    if (c <= 0 || c > Integer.MAX_VALUE) {
                        throw damaged(what + " has chunk dimensions " + Arrays.toString(chunk));
                    }
                    n *= c;
                    if (n * type.size > Integer.MAX_VALUE - 8) {
                        throw unsupported("a chunk of more than 2 GB in " + what);
                    }
                }
                this.chunk = chunk;
                this.chunkCount = (int) n;
                this.chunkBytes = n * type.size;
                this.element = element;
                this.type = type;
                this.shape = shape;
                this.filters = filters;
                this.count = count;
            }

            long gridCount() {
                long n = 1;
                for (int k = 0; k < shape.length; k++) {
                    n *= (shape[k] + chunk[k] - 1) / chunk[k];
                }
                return n;
            }

            long[] gridOffsets(long index) {
                long[] offsets = new long[shape.length];
                for (int k = shape.length - 1; k >= 0; k--) {
                    long cells = (shape[k] + chunk[k] - 1) / chunk[k];
                    offsets[k] = (index % cells) * chunk[k];
                    index /= cells;
                }
                return offsets;
            }

            /** The chunk's position in the grid, row-major. */
            private long gridIndex(long[] offsets) {
                long index = 0;
                for (int k = 0; k < shape.length; k++) {
                    index = index * ((shape[k] + chunk[k] - 1) / chunk[k]) + offsets[k] / chunk[k];
                }
                return index;
            }

            /** Records a chunk from the index; chunks beyond the dataset's extent are not part of its data. */
            void add(long[] offsets, long address, long size, int mask) throws IOException {
                String what = "chunk " + Arrays.toString(offsets) + " of dataset '" + path + "'";
                for (int k = 0; k < shape.length; k++) {
                    if (offsets[k] < 0 || offsets[k] % chunk[k] != 0) {
                        throw damaged(what + ": offsets do not fall on the chunk grid " + Arrays.toString(chunk));
                    }
                    if (offsets[k] >= shape[k]) {
                        return;
                    }
                }
                if (address == UNDEFINED || address < 0 || size < 0 || size > Integer.MAX_VALUE - 8
                        || base + address > fileSize - size) {
                    throw damaged(what + " at address " + hex(address) + " with " + size + " bytes lies beyond the"
                            + " end of the file (" + fileSize + " bytes)");
                }
                refs.add(new ChunkRef(offsets, address, size, mask));
            }

            /** Proves the plan, then allocates the output and reads every chunk into it. */
            double[] readAll() throws IOException {
                String what = "dataset '" + path + "'";
                if (count == 0) {
                    return new double[0];
                }
                long grid = gridCount();
                Set<Long> seen = new HashSet<>();
                long stored = 0;
                for (ChunkRef r : refs) {
                    if (!seen.add(gridIndex(r.offsets))) {
                        throw damaged(what + " lists chunk " + Arrays.toString(r.offsets) + " twice");
                    }
                    stored += r.size;
                }
                if (seen.size() != grid) {
                    throw neverWritten(grid - seen.size() + " of the " + grid + " chunks of " + what
                            + (grid - seen.size() == 1 ? " was" : " were"));
                }
                long inflatedBytes = refs.size() * chunkBytes;
                boolean deflated = false;
                for (Filter f : filters) {
                    deflated |= f.id == 1;
                }
                if (deflated) {
                    String where = source + ": " + what;
                    if (inflatedBytes > limits.maxInflatedBytes() - inflatedTotal) {
                        throw limits.exceeded(where, "the file's deflated chunks inflate to "
                                + (inflatedTotal + inflatedBytes) + " bytes", "maxInflatedBytes",
                                limits.maxInflatedBytes(), "withMaxInflatedBytes");
                    }
                    if (inflatedBytes > Limits.RATIO_EXEMPT_BYTES
                            && inflatedBytes / limits.maxInflateRatio() > Math.max(1, stored)) {
                        throw limits.exceeded(where, "its " + refs.size() + " chunks inflate to " + inflatedBytes
                                + " bytes from " + stored + " stored bytes (ratio " + inflatedBytes / Math.max(1, stored)
                                + ")", "maxInflateRatio", limits.maxInflateRatio(), "withMaxInflateRatio");
                    }
                }
                // One chunk is decoded at a time into a buffer of its size: prove that size as well.
                if ((long) chunkCount * 8 > limits.maxTensorBytes()) {
                    throw limits.exceeded(source + ": " + what, "chunks of " + Arrays.toString(chunk) + " take "
                            + (long) chunkCount * 8 + " bytes as doubles", "maxTensorBytes", limits.maxTensorBytes(),
                            "withMaxTensorBytes");
                }
                if (!deflated) {
                    for (ChunkRef r : refs) {
                        if (r.size < chunkBytes) {
                            throw damaged("chunk " + Arrays.toString(r.offsets) + " of " + what + " stores " + r.size
                                    + " bytes, an unfiltered chunk needs " + chunkBytes);
                        }
                    }
                }
                out = new double[count];
                values = new double[chunkCount];
                for (ChunkRef r : refs) {
                    readChunk(r);
                }
                return out;
            }

            private void readChunk(ChunkRef r) throws IOException {
                String what = "chunk " + Arrays.toString(r.offsets) + " of dataset '" + path + "'";
                ByteBuffer raw = read(r.address, r.size, what);
                byte[] data = unfilter(raw.array(), r.mask, what);
                if (data.length < chunkBytes) {
                    throw damaged(what + " has " + data.length + " bytes after filters, expected " + chunkBytes);
                }
                Buf b = new Buf(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN), r.address,
                        source + ": " + what, offsetSize, lengthSize);
                decode(b, element, type, values, 0, chunkCount, what);
                copy(r.offsets);
            }

            private byte[] unfilter(byte[] data, int mask, String what) throws IOException {
                for (int i = filters.size() - 1; i >= 0; i--) {
                    if ((mask & (1 << i)) != 0) {
                        continue;
                    }
                    Filter f = filters.get(i);
                    switch (f.id) {
                        case 1:
                            data = inflate(data, chunkBytes + 4, what);
                            inflatedTotal += data.length;
                            break;
                        case 2:
                            data = unshuffle(data, type.size);
                            break;
                        case 3:
                            data = checkFletcher32(data, what);
                            break;
                        default:
                            throw unsupported("HDF5 filter " + f.id + " (" + Filter.name(f.id) + ") of dataset '"
                                    + path + "'; supported: deflate, shuffle, fletcher32");
                    }
                }
                return data;
            }

            private void copy(long[] offsets) {
                int rank = shape.length;
                if (rank == 0) {
                    out[0] = values[0];
                    return;
                }
                int last = rank - 1;
                int run = (int) Math.min(chunk[last], shape[last] - offsets[last]);
                long rows = chunkCount / chunk[last];
                long[] idx = new long[rank];
                for (long r = 0; r < rows; r++) {
                    long rem = r;
                    boolean inside = true;
                    long outIndex = 0;
                    long chunkIndex = 0;
                    for (int k = last - 1; k >= 0; k--) {
                        idx[k] = rem % chunk[k];
                        rem /= chunk[k];
                    }
                    for (int k = 0; k < last; k++) {
                        long g = offsets[k] + idx[k];
                        if (g >= shape[k]) {
                            inside = false;
                            break;
                        }
                        outIndex = outIndex * shape[k] + g;
                        chunkIndex = chunkIndex * chunk[k] + idx[k];
                    }
                    if (inside) {
                        outIndex = outIndex * shape[last] + offsets[last];
                        chunkIndex = chunkIndex * chunk[last];
                        System.arraycopy(values, (int) chunkIndex, out, (int) outIndex, run);
                    }
                }
            }
        }
    }

    private static int padded(int size, int multiple) {
        return (size + multiple - 1) / multiple * multiple;
    }

    private static String join(String path, String name) {
        return path.endsWith("/") ? path + name : path + "/" + name;
    }

    private int[] shape(long[] dims, String what) throws FileFormatException {
        if (dims == null) {
            return new int[] {0};
        }
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) {
                throw damaged(what + " has dimension " + i + " of size " + Long.toUnsignedString(dims[i]));
            }
            shape[i] = (int) dims[i];
        }
        return shape;
    }

    private int count(int[] shape) throws FileFormatException {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new FileFormatException(source + ": a dataset of shape " + io.github.rnn4j.internal.Checks.dims(shape)
                        + " has more than 2^31-1 elements, more than a Tensor holds");
            }
        }
        return (int) n;
    }

    /** Reads a dataspace message: the dimensions, empty for a scalar, {@code null} for a null dataspace. */
    private long[] readDataspace(Buf b) throws IOException {
        int version = b.u8();
        int rank = b.u8();
        int flags = b.u8();
        boolean isNull = false;
        if (version == 1) {
            b.skip(5);
        } else if (version == 2) {
            int type = b.u8();
            isNull = type == 2;
        } else {
            throw damaged("dataspace message version " + version);
        }
        if (rank > 32) {
            throw damaged("dataspace of rank " + rank);
        }
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = b.length();
        }
        return isNull ? null : dims;
    }

    /** A filter of a dataset's pipeline. */
    private static final class Filter {
        final int id;

        Filter(int id) {
            this.id = id;
        }

        static String name(int id) {
            switch (id) {
                case 4: return "szip";
                case 5: return "nbit";
                case 6: return "scale-offset";
                case 32000: return "LZF";
                case 32001: return "Blosc";
                case 32004: return "LZ4";
                case 32008: return "bitshuffle";
                case 32015: return "Zstandard";
                default: return "unknown";
            }
        }
    }

    private List<Filter> readFilters(Buf b) throws IOException {
        int version = b.u8();
        int n = b.u8();
        List<Filter> filters = new ArrayList<>();
        if (version == 1) {
            b.skip(6);
        } else if (version != 2) {
            throw damaged("filter pipeline message version " + version);
        }
        for (int i = 0; i < n; i++) {
            int id = b.u16();
            int nameLength = version == 1 || id >= 256 ? b.u16() : 0;
            b.skip(2);
            int values = b.u16();
            b.skip(version == 1 ? padded(nameLength, 8) : nameLength);
            b.skip(4L * values + (version == 1 && values % 2 == 1 ? 4 : 0));
            filters.add(new Filter(id));
        }
        return filters;
    }

    private byte[] inflate(byte[] data, long limit, String what) throws IOException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            byte[] out = new byte[(int) Math.min(limit, Math.max(64, data.length * 4L))];
            int n = 0;
            while (!inflater.finished()) {
                if (n == out.length) {
                    if (out.length >= limit) {
                        throw damaged(what + " inflates to more than the " + (limit - 4) + " bytes of a chunk");
                    }
                    out = Arrays.copyOf(out, (int) Math.min(limit, out.length * 2L));
                }
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw damaged(what + ": deflate data ends early");
                }
                n += got;
            }
            return Arrays.copyOf(out, n);
        } catch (DataFormatException e) {
            throw new FileFormatException(source + ": damaged HDF5 file: " + what + ": bad deflate data: "
                    + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static byte[] unshuffle(byte[] data, int size) {
        if (size <= 1) {
            return data;
        }
        int n = data.length / size;
        byte[] out = data.clone();
        for (int byteIndex = 0; byteIndex < size; byteIndex++) {
            for (int i = 0; i < n; i++) {
                out[i * size + byteIndex] = data[byteIndex * n + i];
            }
        }
        return out;
    }

    /** Decodes {@code count} elements of a numeric type into {@code out[from..)}. */
    private void decode(Buf b, ElementType element, Type type, double[] out, int from, int count, String what)
            throws IOException {
        long bytes = (long) count * type.size;
        if (b.remaining() < bytes) {
            throw damaged(what + " has " + b.remaining() + " bytes, expected " + bytes);
        }
        ByteBuffer bb = b.raw().order(type.bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        element.decode(bb, out, from, count);
        b.raw().order(ByteOrder.LITTLE_ENDIAN);
    }

    // ------------------------------------------------------------------------------------------- old groups

    private byte[] readLocalHeap(long address) throws IOException {
        Buf h = buf(address, 8 + 2L * lengthSize + offsetSize, "local heap");
        h.expectAscii("HEAP");
        h.skip(4);
        long size = h.length();
        h.length();
        long data = h.offset();
        return read(data, size, "local heap data").array();
    }

    private void readSymbolTable(long address, byte[] heap, Map<String, Long> out, Set<Long> seen, int depth)
            throws IOException {
        String what = "group B-tree";
        if (!seen.add(address) || depth > MAX_BTREE_DEPTH) {
            throw damaged(what + " has a cycle at " + hex(address));
        }
        Buf h = buf(address, 8 + 2L * offsetSize, what);
        h.expectAscii("TREE");
        int type = h.u8();
        int level = h.u8();
        int entries = h.u16();
        if (type != 0) {
            throw damaged(what + " node at " + hex(address) + " has type " + type + ", expected 0");
        }
        Buf b = buf(address + 8 + 2L * offsetSize, entries * (long) (lengthSize + offsetSize) + lengthSize, what);
        for (int i = 0; i < entries; i++) {
            b.length();
            long child = b.offset();
            if (level > 0) {
                readSymbolTable(child, heap, out, seen, depth + 1);
            } else {
                readSymbolNode(child, heap, out);
            }
        }
    }

    private void readSymbolNode(long address, byte[] heap, Map<String, Long> out) throws IOException {
        Buf h = buf(address, 8, "symbol table node");
        h.expectAscii("SNOD");
        h.skip(2);
        int n = h.u16();
        long entrySize = 2L * offsetSize + 24;
        Buf b = buf(address + 8, n * entrySize, "symbol table node");
        for (int i = 0; i < n; i++) {
            Buf e = b.slice(entrySize);
            long nameOffset = e.offset();
            long header = e.offset();
            if (nameOffset < 0 || nameOffset >= heap.length) {
                throw damaged("symbol table entry name offset " + nameOffset + " beyond the local heap ("
                        + heap.length + " bytes)");
            }
            int end = (int) nameOffset;
            while (end < heap.length && heap[end] != 0) {
                end++;
            }
            out.put(new String(heap, (int) nameOffset, end - (int) nameOffset, StandardCharsets.UTF_8), header);
        }
    }

    // ------------------------------------------------------------------------------------------- global heap

    /** Reads an object of a global heap collection (the bytes of a variable-length string). */
    byte[] globalHeapObject(long collection, int index) throws IOException {
        Map<Integer, byte[]> objects = globalHeaps.get(collection);
        if (objects == null) {
            objects = new HashMap<>();
            Buf h = buf(collection, 8 + lengthSize, "global heap");
            h.expectAscii("GCOL");
            h.skip(4);
            long size = h.length();
            Buf b = buf(collection, size, "global heap");
            b.skip(8 + lengthSize);
            while (b.remaining() >= 8 + lengthSize) {
                int id = b.u16();
                b.skip(6);
                long objectSize = b.length();
                if (id == 0) {
                    break;
                }
                if (objectSize > b.remaining()) {
                    throw damaged("global heap object " + id + " at " + hex(collection) + " claims " + objectSize
                            + " bytes, the collection has " + b.remaining() + " left");
                }
                objects.put(id, b.bytes((int) objectSize));
                b.skip(Math.min(b.remaining(), padded((int) objectSize, 8) - objectSize));
            }
            globalHeaps.put(collection, objects);
        }
        byte[] o = objects.get(index);
        if (o == null) {
            throw damaged("global heap " + hex(collection) + " has no object " + index);
        }
        return o;
    }

    // ---------------------------------------------------------------------------------------------- helpers

    int offsetSize() {
        return offsetSize;
    }

    /**
     * A cursor over little-endian bytes read from the file; reading past its end is a {@link FileFormatException}.
     */
    static final class Buf {
        private final ByteBuffer b;
        private final long address;
        private final String what;
        private final int offsetSize;
        private final int lengthSize;

        Buf(ByteBuffer b, long address, String what, int offsetSize, int lengthSize) {
            this.b = b;
            this.address = address;
            this.what = what;
            this.offsetSize = offsetSize;
            this.lengthSize = lengthSize;
        }

        Buf at(int position) {
            b.position(position);
            return this;
        }

        int position() {
            return b.position();
        }

        int remaining() {
            return b.remaining();
        }

        ByteBuffer raw() {
            return b;
        }

        Buf duplicate() {
            return new Buf(b.duplicate().order(ByteOrder.LITTLE_ENDIAN), address, what, offsetSize, lengthSize);
        }

        private void need(long n) throws FileFormatException {
            if (n < 0 || n > b.remaining()) {
                throw new FileFormatException(what + ": damaged HDF5 structure at " + hex(address) + ": needs " + n
                        + " more bytes at position " + b.position() + ", has " + b.remaining());
            }
        }

        void skip(long n) throws FileFormatException {
            need(n);
            b.position(b.position() + (int) n);
        }

        /** The next {@code n} bytes as their own cursor; this cursor moves past them. */
        Buf slice(long n) throws FileFormatException {
            need(n);
            ByteBuffer s = b.slice().limit((int) n).order(ByteOrder.LITTLE_ENDIAN);
            b.position(b.position() + (int) n);
            return new Buf(s, address, what, offsetSize, lengthSize);
        }

        int u8() throws FileFormatException {
            need(1);
            return b.get() & 0xFF;
        }

        int u16() throws FileFormatException {
            need(2);
            return b.getShort() & 0xFFFF;
        }

        long u32() throws FileFormatException {
            need(4);
            return b.getInt() & 0xFFFFFFFFL;
        }

        long u64() throws FileFormatException {
            need(8);
            return b.getLong();
        }

        /** An unsigned little-endian integer of {@code n} bytes (1-8). */
        long uN(int n) throws FileFormatException {
            if (n < 1 || n > 8) {
                throw new FileFormatException(what + ": damaged HDF5 structure: a " + n + "-byte integer");
            }
            need(n);
            long v = 0;
            for (int i = 0; i < n; i++) {
                v |= (long) (b.get() & 0xFF) << (8 * i);
            }
            return v;
        }

        /** A file address; the undefined address (all bits set) reads as {@link #UNDEFINED}. */
        long offset() throws FileFormatException {
            long v = uN(offsetSize);
            return offsetSize < 8 && v == (1L << (8 * offsetSize)) - 1 ? UNDEFINED : v;
        }

        /** A length field. */
        long length() throws FileFormatException {
            long v = uN(lengthSize);
            if (v < 0) {
                throw new FileFormatException(what + ": damaged HDF5 structure at " + hex(address)
                        + ": a length of 2^64-1");
            }
            return v;
        }

        byte[] bytes(int n) throws FileFormatException {
            need(n);
            byte[] out = new byte[n];
            b.get(out);
            return out;
        }

        String peekAscii(int n) {
            if (b.remaining() < n) {
                return "";
            }
            byte[] out = new byte[n];
            b.duplicate().get(out);
            return new String(out, StandardCharsets.ISO_8859_1);
        }

        void expectAscii(String signature) throws FileFormatException {
            String found = peekAscii(signature.length());
            if (!found.equals(signature)) {
                throw new FileFormatException(what + ": damaged HDF5 structure at " + hex(address) + ": expected"
                        + " the signature " + signature + ", found '" + found + "'");
            }
            skip(signature.length());
        }

        String utf8(int n) throws FileFormatException {
            return new String(bytes(n), StandardCharsets.UTF_8);
        }

        /** The bytes up to the first NUL (or all remaining ones) as UTF-8. */
        String cString() {
            int start = b.position();
            int end = start;
            while (end < b.limit() && b.get(end) != 0) {
                end++;
            }
            byte[] out = new byte[end - start];
            b.duplicate().get(out);
            b.position(b.limit());
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    // ------------------------------------------------------------------------------------------- datatypes

    /** A parsed datatype message: class, size and what decoding needs. */
    static final class Type {
        static final int FIXED = 0;
        static final int FLOAT = 1;
        static final int STRING = 3;
        static final int VLEN = 9;

        final int typeClass;
        final int size;
        final boolean bigEndian;
        final boolean signed;
        final int precision;
        final int bitOffset;
        final int exponentSize;
        final int mantissaSize;
        final int padding;
        final boolean vlenString;
        final Type base;
        private final String source;

        private Type(int typeClass, int size, boolean bigEndian, boolean signed, int precision, int bitOffset,
                     int exponentSize, int mantissaSize, int padding, boolean vlenString, Type base, String source) {
            this.typeClass = typeClass;
            this.size = size;
            this.bigEndian = bigEndian;
            this.signed = signed;
            this.precision = precision;
            this.bitOffset = bitOffset;
            this.exponentSize = exponentSize;
            this.mantissaSize = mantissaSize;
            this.padding = padding;
            this.vlenString = vlenString;
            this.base = base;
            this.source = source;
        }

        static Type parse(Buf b, Hdf5File file) throws IOException {
            return parse(b, file, 0);
        }

        private static Type parse(Buf b, Hdf5File file, int depth) throws IOException {
            if (depth > 8) {
                throw file.damaged("variable-length datatypes nested " + depth + " deep");
            }
            int classAndVersion = b.u8();
            int typeClass = classAndVersion & 0x0F;
            int bits = b.u8() | b.u8() << 8 | b.u8() << 16;
            long size = b.u32();
            if (size == 0 || size > Integer.MAX_VALUE / 2) {
                throw file.damaged("datatype of " + size + " bytes");
            }
            switch (typeClass) {
                case FIXED: {
                    int offset = b.u16();
                    int precision = b.u16();
                    return new Type(FIXED, (int) size, (bits & 1) != 0, (bits & 8) != 0, precision, offset, 0, 0, 0,
                            false, null, file.source);
                }
                case FLOAT: {
                    int offset = b.u16();
                    int precision = b.u16();
                    b.skip(1);
                    int exponentSize = b.u8();
                    b.skip(1);
                    int mantissaSize = b.u8();
                    if ((bits & 0x40) != 0) {
                        throw file.unsupported("a VAX-ordered floating-point datatype");
                    }
                    return new Type(FLOAT, (int) size, (bits & 1) != 0, true, precision, offset, exponentSize,
                            mantissaSize, 0, false, null, file.source);
                }
                case STRING:
                    return new Type(STRING, (int) size, false, false, 0, 0, 0, 0, bits & 0x0F, false, null,
                            file.source);
                case VLEN: {
                    Type base = parse(b, file, depth + 1);
                    return new Type(VLEN, (int) size, false, false, 0, 0, 0, 0, (bits >> 4) & 0x0F,
                            (bits & 0x0F) == 1, base, file.source);
                }
                default:
                    return new Type(typeClass, (int) size, false, false, 0, 0, 0, 0, 0, false, null, file.source);
            }
        }

        /** Whether this is a fixed- or variable-length string. */
        boolean isString() {
            return typeClass == STRING || (typeClass == VLEN && vlenString);
        }

        String describe() {
            switch (typeClass) {
                case FIXED: return (signed ? "" : "unsigned ") + (size * 8) + "-bit integer";
                case FLOAT: return (size * 8) + "-bit float";
                case STRING: return "fixed-length string of " + size + " bytes";
                case VLEN: return vlenString ? "variable-length string" : "variable-length sequence";
                case 2: return "time";
                case 4: return "bitfield";
                case 5: return "opaque";
                case 6: return "compound";
                case 7: return "reference";
                case 8: return "enum";
                case 10: return "array";
                default: return "datatype class " + typeClass;
            }
        }

        /** The element type of a numeric datatype. */
        ElementType element(String what) throws UnsupportedFeatureException {
            if (typeClass == FIXED && bitOffset == 0 && precision == size * 8) {
                switch (size) {
                    case 1: return signed ? ElementType.I8 : ElementType.U8;
                    case 2: return signed ? ElementType.I16 : ElementType.U16;
                    case 4: return signed ? ElementType.I32 : ElementType.U32;
                    case 8: return signed ? ElementType.I64 : ElementType.U64;
                    default: break;
                }
            }
            if (typeClass == FLOAT && bitOffset == 0 && precision == size * 8) {
                if (size == 8 && exponentSize == 11 && mantissaSize == 52) {
                    return ElementType.F64;
                }
                if (size == 4 && exponentSize == 8 && mantissaSize == 23) {
                    return ElementType.F32;
                }
                if (size == 2 && exponentSize == 5 && mantissaSize == 10) {
                    return ElementType.F16;
                }
            }
            throw new UnsupportedFeatureException(source + ": " + what + " has datatype " + describe()
                    + (typeClass == FLOAT || typeClass == FIXED ? " (precision " + precision + ", offset "
                    + bitOffset + ")" : "") + ", which is not supported; supported: IEEE float 16/32/64 bits and"
                    + " integers of 8-64 bits");
        }
    }

    /** An attribute: its name, type, dimensions and raw value bytes. */
    final class Attribute {
        private final Node owner;
        final String name;
        final Type type;
        final long[] dims;
        private final Buf data;

        Attribute(Node owner, String name, Type type, long[] dims, Buf data) {
            this.owner = owner;
            this.name = name;
            this.type = type;
            this.dims = dims;
            this.data = data;
        }

        private String what() {
            return "attribute '" + name + "' of '" + owner.path + "'";
        }

        /**
         * The attribute's values as strings: one for a scalar, one per element for an array, none for an empty
         * array of any type.
         *
         * @throws FileFormatException when the attribute is not a string or its data is damaged
         */
        List<String> strings() throws IOException {
            int n = count(shape(dims, what()));
            if (n == 0) {
                return List.of(); // Keras writes the weight_names of a layer without weights as an empty float array
            }
            if (!type.isString()) {
                throw new FileFormatException(source + ": " + what() + " is a " + type.describe()
                        + ", expected a string");
            }
            Buf b = data.duplicate();
            List<String> out = new ArrayList<>(Math.min(n, 1 << 16));
            for (int i = 0; i < n; i++) {
                if (type.typeClass == Type.STRING) {
                    byte[] raw = b.bytes(type.size);
                    int end = raw.length;
                    if (type.padding == 2) {
                        while (end > 0 && raw[end - 1] == ' ') {
                            end--;
                        }
                    } else {
                        end = 0;
                        while (end < raw.length && raw[end] != 0) {
                            end++;
                        }
                    }
                    out.add(new String(raw, 0, end, StandardCharsets.UTF_8));
                } else {
                    long length = b.u32();
                    long heap = b.offset();
                    int index = (int) b.u32();
                    if (heap == UNDEFINED || length == 0) {
                        out.add("");
                        continue;
                    }
                    byte[] raw = globalHeapObject(heap, index);
                    long bytes = length * type.base.size;
                    if (bytes > raw.length) {
                        throw damaged(what() + " element " + i + " claims " + bytes + " bytes, its heap object has "
                                + raw.length);
                    }
                    int end = (int) bytes;
                    while (end > 0 && raw[end - 1] == 0) {
                        end--;
                    }
                    out.add(new String(raw, 0, end, StandardCharsets.UTF_8));
                }
            }
            return out;
        }

        /** The single string of a scalar or one-element string attribute. */
        String string() throws IOException {
            List<String> s = strings();
            if (s.size() != 1) {
                throw new FileFormatException(source + ": " + what() + " has " + s.size()
                        + " strings, expected one");
            }
            return s.get(0);
        }

        /** The values of a numeric attribute. */
        Tensor tensor() throws IOException {
            ElementType element = type.element(what());
            int[] shape = shape(dims, what());
            int count = count(shape);
            if (data.remaining() < (long) count * type.size) {
                throw damaged(what() + " has " + data.remaining() + " bytes of data, its shape "
                        + io.github.rnn4j.internal.Checks.dims(shape) + " needs " + (long) count * type.size);
            }
            double[] out = new double[count];
            decode(data.duplicate(), element, type, out, 0, out.length, what());
            return Handover.tensors().owning(shape, out);
        }
    }

    /** What a dataset holds, read from its header alone: its path, shape and element type. */
    static final class DatasetInfo {
        private final String path;
        private final int[] shape;
        private final ElementType element;
        private final Type type;

        private DatasetInfo(String path, int[] shape, ElementType element, Type type) {
            this.path = path;
            this.shape = shape;
            this.element = element;
            this.type = type;
        }

        /** The dataset's path. */
        String path() {
            return path;
        }

        /** The dataset's shape, a new array ({@code []} for a scalar). */
        int[] shape() {
            return shape.clone();
        }

        /** The element type of the stored data (each becomes a double when read). */
        ElementType element() {
            return element;
        }

        /** The number of elements. */
        long elements() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        @Override
        public String toString() {
            return path + " " + io.github.rnn4j.internal.Checks.dims(shape) + " " + element + (type.bigEndian ? " big-endian" : "");
        }
    }
}
