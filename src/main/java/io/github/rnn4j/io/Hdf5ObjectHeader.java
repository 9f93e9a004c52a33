package io.github.rnn4j.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An object header: the list of messages (datatype, dataspace, layout, links, attributes...) that describes a group
 * or dataset, gathered from its first block and every continuation block.
 *
 * <p>Implements section IV.A of the HDF5 File Format Specification version 3.0 ("Disk Format: Level 2A - Data
 * Object Headers"): version 1 object headers (IV.A.1.a), version 2 object headers with the {@code OHDR} signature
 * and their lookup3 checksum (IV.A.1.b), and the object header continuation message (IV.A.2.q) with {@code OCHK}
 * blocks, whose chain is checked for cycles. NIL messages (IV.A.2.a) are dropped.
 */
final class Hdf5ObjectHeader {
    /** One message of an object header. */
    static final class Message {
        final int type;
        final int flags;
        final Hdf5Buffer data;

        Message(int type, int flags, Hdf5Buffer data) {
            this.type = type;
            this.flags = flags;
            this.data = data;
        }
    }

    private final List<Message> messages;

    private Hdf5ObjectHeader(List<Message> messages) {
        this.messages = messages;
    }

    /** The messages in storage order, continuation messages excluded. */
    List<Message> messages() {
        return messages;
    }

    /** The first message of that type, or {@code null}. */
    Message first(int type) {
        for (Message m : messages) {
            if (m.type == type) {
                return m;
            }
        }
        return null;
    }

    /**
     * Reads the object header at {@code address} with its continuation blocks.
     *
     * @param path the path the object was reached by, for messages
     * @throws FileFormatException when the header is damaged, fails its checksum or its continuations form a cycle
     */
    static Hdf5ObjectHeader read(Hdf5File file, long address, String path) throws IOException {
        String what = "object header of '" + path + "'";
        Hdf5Buffer start = file.bufUpTo(address, 16, what);
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
                throw file.damaged(what + " at " + Hdf5File.hex(address) + " has version " + version + ", expected 2");
            }
            int flags = start.u8();
            creationOrderBytes = (flags & 0x04) != 0 ? 2 : 0;
            int prefix = 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
            int sizeBytes = 1 << (flags & 3);
            Hdf5Buffer p = file.bufUpTo(address, prefix + sizeBytes, what);
            p.skip(prefix);
            long chunkSize = p.uN(sizeBytes);
            if (chunkSize > Integer.MAX_VALUE - 64) {
                throw file.damaged(what + " at " + Hdf5File.hex(address) + " declares a first chunk of " + chunkSize
                        + " bytes");
            }
            Hdf5Buffer whole = file.buf(address, prefix + sizeBytes + chunkSize + 4, what);
            file.checkLookup3(whole.raw(), 0, (int) (prefix + sizeBytes + chunkSize), what, address);
            whole.skip(prefix + sizeBytes);
            parseMessagesV2(whole.slice(chunkSize), creationOrderBytes, messages, continuations);
        } else {
            int version = start.u8();
            if (version != 1) {
                throw file.damaged(what + " at " + Hdf5File.hex(address) + " starts with version " + version
                        + ", expected an object header (version 1 or 'OHDR')");
            }
            start.skip(1 + 2 + 4);
            long size = start.u32();
            parseMessagesV1(file.buf(address + 16, size, what), messages, continuations);
        }
        for (int i = 0; i < continuations.size(); i++) {
            long at = continuations.get(i)[0];
            long length = continuations.get(i)[1];
            if (!seen.add(at) || continuations.size() > 100_000) {
                throw file.damaged(what + ": continuation blocks form a cycle at " + Hdf5File.hex(at));
            }
            Hdf5Buffer c = file.buf(at, length, what + " continuation");
            if (v2) {
                if (!c.peekAscii(4).equals("OCHK")) {
                    throw file.damaged(what + ": continuation block at " + Hdf5File.hex(at)
                            + " lacks the OCHK signature");
                }
                if (length < 8) {
                    throw file.damaged(what + ": continuation block at " + Hdf5File.hex(at) + " of " + length
                            + " bytes");
                }
                file.checkLookup3(c.raw(), 0, (int) length - 4, what + " continuation block", at);
                c.skip(4);
                parseMessagesV2(c.slice(c.remaining() - 4), creationOrderBytes, messages, continuations);
            } else {
                parseMessagesV1(c, messages, continuations);
            }
        }
        return new Hdf5ObjectHeader(messages);
    }

    private static void parseMessagesV1(Hdf5Buffer b, List<Message> out, List<long[]> continuations)
            throws IOException {
        while (b.remaining() >= 8) {
            int type = b.u16();
            int size = b.u16();
            int flags = b.u8();
            b.skip(3);
            addMessage(type, flags, b.slice(size), out, continuations);
        }
    }

    private static void parseMessagesV2(Hdf5Buffer b, int creationOrderBytes, List<Message> out,
                                        List<long[]> continuations) throws IOException {
        int headerSize = 4 + creationOrderBytes;
        while (b.remaining() >= headerSize) {
            int type = b.u8();
            int size = b.u16();
            int flags = b.u8();
            b.skip(creationOrderBytes);
            addMessage(type, flags, b.slice(size), out, continuations);
        }
    }

    private static void addMessage(int type, int flags, Hdf5Buffer data, List<Message> out,
                                   List<long[]> continuations) throws IOException {
        if (type == 0x10) {
            continuations.add(new long[] {data.offset(), data.length()});
        } else if (type != 0) {
            out.add(new Message(type, flags, data));
        }
    }
}
