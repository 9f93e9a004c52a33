package io.github.rnn4j.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A group's members: the names it links and the object header addresses they lead to.
 *
 * <p>Implements two ways the HDF5 File Format Specification version 3.0 stores a group. Old-style groups: the symbol
 * table message (IV.A.2.r) points at a version 1 B-tree of group nodes (III.A.1, node type 0), whose leaves are
 * symbol table nodes (III.B, {@code SNOD}) of symbol table entries (III.C) naming their members in a local heap
 * (III.D, {@code HEAP}); B-tree cycles and depth are checked. New-style compact groups: link messages (IV.A.2.g) in
 * the object header, hard links resolved, soft and external links recorded as {@link Hdf5File#UNDEFINED}. Dense
 * link storage (a link info message, IV.A.2.c, with a fractal heap, III.G) is refused as unsupported.
 */
final class Hdf5Groups {
    private Hdf5Groups() {
    }

    /**
     * The links of the group whose object header is {@code header}, in storage order (name order for old-style
     * groups); soft and external links map to {@link Hdf5File#UNDEFINED}. The messages are read through duplicates, so
     * a call after a refusal reads them afresh and refuses the same way.
     *
     * @param path the group's path, for messages
     */
    static Map<String, Long> readLinks(Hdf5File file, String path, Hdf5ObjectHeader header) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        Hdf5ObjectHeader.Message symbolTable = header.first(0x11);
        if (symbolTable != null) {
            Hdf5Buffer b = symbolTable.data.duplicate();
            long btree = b.offset();
            long heap = b.offset();
            readSymbolTable(file, btree, readLocalHeap(file, heap), out, new HashSet<>(), 0);
            return out;
        }
        Hdf5ObjectHeader.Message linkInfo = header.first(0x02);
        if (linkInfo != null) {
            Hdf5Buffer b = linkInfo.data.duplicate();
            b.skip(1);
            int flags = b.u8();
            if ((flags & 1) != 0) {
                b.skip(8);
            }
            if (b.offset() != Hdf5File.UNDEFINED) {
                throw file.unsupported("dense link storage (a fractal heap, used for groups of more than 8 members"
                        + " in files written with libver='latest') in group '" + path + "'");
            }
        }
        for (Hdf5ObjectHeader.Message m : header.messages()) {
            if (m.type == 0x06) {
                readLink(file, path, m.data.duplicate(), out);
            }
        }
        return out;
    }

    private static void readLink(Hdf5File file, String path, Hdf5Buffer b, Map<String, Long> out)
            throws IOException {
        int version = b.u8();
        if (version != 1) {
            throw file.damaged("link message version " + version + " in group '" + path + "'");
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
        out.put(name, type == 0 ? b.offset() : Hdf5File.UNDEFINED);
    }

    private static byte[] readLocalHeap(Hdf5File file, long address) throws IOException {
        Hdf5Buffer h = file.buf(address, 8 + 2L * file.lengthSize() + file.offsetSize(), "local heap");
        h.expectAscii("HEAP");
        h.skip(4);
        long size = h.length();
        h.length();
        long data = h.offset();
        return file.read(data, size, "local heap data").array();
    }

    private static void readSymbolTable(Hdf5File file, long address, byte[] heap, Map<String, Long> out,
                                        Set<Long> seen, int depth) throws IOException {
        String what = "group B-tree";
        if (!seen.add(address) || depth > Hdf5File.MAX_BTREE_DEPTH) {
            throw file.damaged(what + " has a cycle at " + Hdf5File.hex(address));
        }
        int offsetSize = file.offsetSize();
        int lengthSize = file.lengthSize();
        Hdf5Buffer h = file.buf(address, 8 + 2L * offsetSize, what);
        h.expectAscii("TREE");
        int type = h.u8();
        int level = h.u8();
        int entries = h.u16();
        if (type != 0) {
            throw file.damaged(what + " node at " + Hdf5File.hex(address) + " has type " + type + ", expected 0");
        }
        Hdf5Buffer b = file.buf(address + 8 + 2L * offsetSize, entries * (long) (lengthSize + offsetSize)
                + lengthSize, what);
        for (int i = 0; i < entries; i++) {
            b.length();
            long child = b.offset();
            if (level > 0) {
                readSymbolTable(file, child, heap, out, seen, depth + 1);
            } else {
                readSymbolNode(file, child, heap, out);
            }
        }
    }

    private static void readSymbolNode(Hdf5File file, long address, byte[] heap, Map<String, Long> out)
            throws IOException {
        Hdf5Buffer h = file.buf(address, 8, "symbol table node");
        h.expectAscii("SNOD");
        h.skip(2);
        int n = h.u16();
        long entrySize = 2L * file.offsetSize() + 24;
        Hdf5Buffer b = file.buf(address + 8, n * entrySize, "symbol table node");
        for (int i = 0; i < n; i++) {
            Hdf5Buffer e = b.slice(entrySize);
            long nameOffset = e.offset();
            long header = e.offset();
            if (nameOffset < 0 || nameOffset >= heap.length) {
                throw file.damaged("symbol table entry name offset " + nameOffset + " beyond the local heap ("
                        + heap.length + " bytes)");
            }
            int end = (int) nameOffset;
            while (end < heap.length && heap[end] != 0) {
                end++;
            }
            out.put(new String(heap, (int) nameOffset, end - (int) nameOffset, StandardCharsets.UTF_8), header);
        }
    }
}
