package io.github.rnn4j.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A strict read-only zip reader for the archives rnn4j loads: NumPy {@code .npz}, Keras 3 {@code .keras} and
 * PyTorch {@code .pt} files, following PKWARE's APPNOTE.TXT (sections 4.3 and 4.5).
 *
 * <p>It reads the central directory itself rather than trusting {@link java.util.zip.ZipFile}, so that every
 * declaration is checked before it is used: the end record and the central directory must lie inside the archive
 * and agree with each other (including the ZIP64 end record and the ZIP64 extra fields), each local header must
 * repeat its central directory entry (name, method, flags, and sizes and CRC-32 unless a data descriptor follows),
 * each entry's data must lie between its local header and the central directory, and no two entries may overlap
 * (the trick of "overlapping" zip bombs). Encrypted entries, archives split over several disks and compression
 * methods other than stored (0) and deflated (8) are refused.
 *
 * <p>Reading an entry inflates it while counting: never more than its declared size, never more than
 * {@link Limits#maxInflatedBytes()} over the whole archive, never more than {@link Limits#maxInflateRatio()} times
 * its compressed size (entries up to {@link Limits#RATIO_EXEMPT_BYTES} are exempt from the ratio). Nothing is
 * allocated beyond the declared size, and the declared size itself is checked against those limits first. Every
 * entry read is checked against its CRC-32 (as numpy's {@code "Bad CRC-32"}); a mismatch, like every other damage,
 * is a {@link FileFormatException} naming the archive and the entry.
 *
 * <p>Not thread-safe: one instance serves one reading thread (it counts inflated bytes).
 */
final class ZipArchive implements Closeable {
    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final int END64 = 0x06064b50;
    private static final int LOCATOR64 = 0x07064b50;
    private static final int END_SIZE = 22;
    private static final int CHUNK = 1 << 16;
    /** Compression methods: stored and deflated. */
    static final int STORED = 0;
    static final int DEFLATED = 8;

    private final ByteSource input;
    private final String source;
    private final Limits limits;
    private final List<Entry> entries;
    private final Map<String, Entry> byName;
    /** Where the central directory starts: every entry's data ends before it. */
    private long cdStart;
    /** Bytes inflated (or copied, for stored entries) from this archive so far. */
    private long inflated;

    /** One member of the archive, as the central directory declares it (checked against its local header). */
    static final class Entry {
        final String name;
        final int method;
        final int flags;
        final long crc;
        final long compressedSize;
        final long size;
        final long localOffset;
        private long dataOffset;

        private Entry(String name, int method, int flags, long crc, long compressedSize, long size, long localOffset) {
            this.name = name;
            this.method = method;
            this.flags = flags;
            this.crc = crc;
            this.compressedSize = compressedSize;
            this.size = size;
            this.localOffset = localOffset;
        }

        /** Whether the entry is a directory (its name ends with a slash). */
        boolean isDirectory() {
            return name.endsWith("/");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private ZipArchive(ByteSource input, String source, Limits limits) throws IOException {
        this.input = input;
        this.source = source;
        this.limits = limits;
        this.entries = Collections.unmodifiableList(readCentralDirectory());
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (m.put(e.name, e) != null) {
                throw damaged("two entries are named '" + e.name + "'");
            }
        }
        this.byName = m;
        checkLocalHeaders();
    }

    /**
     * Opens an archive file and reads its central directory.
     *
     * @throws FileFormatException when the file is not a zip archive or its directory is damaged
     */
    static ZipArchive open(Path file, Limits limits) throws IOException {
        return open(ByteSource.open(file), file.toString(), limits);
    }

    /**
     * Opens an archive held in memory; the array is not copied and must not change while the archive is used.
     *
     * @param source what the bytes are, for messages
     */
    static ZipArchive open(byte[] data, String source, Limits limits) throws IOException {
        return open(ByteSource.of(data), source, limits);
    }

    private static ZipArchive open(ByteSource in, String source, Limits limits) throws IOException {
        try {
            return new ZipArchive(in, source, limits);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        input.close();
    }

    /** The archive's name in messages. */
    String source() {
        return source;
    }

    /** Every entry in central-directory order. */
    List<Entry> entries() {
        return entries;
    }

    /** The entry of that name, or {@code null}. */
    Entry entry(String name) {
        return byName.get(name);
    }

    /**
     * The whole content of the entry of that name.
     *
     * @throws FileFormatException when there is no such entry, or it is damaged or beyond the limits
     */
    byte[] read(String name) throws IOException {
        Entry e = byName.get(name);
        if (e == null) {
            throw new FileFormatException(source + ": the archive has no entry '" + name + "'; it has "
                    + abbreviate(byName.keySet().toString()));
        }
        return read(e);
    }

    /** The whole content of an entry, CRC-checked. */
    byte[] read(Entry e) throws IOException {
        try (EntryStream in = open(e)) {
            if (e.size > Integer.MAX_VALUE - 8) {
                throw new FileFormatException(source + "[" + e.name + "]: the entry declares " + e.size + " bytes,"
                        + " more than a Java array holds (2^31-9)");
            }
            byte[] out = new byte[(int) e.size];
            int n = in.readNBytes(out, 0, out.length);
            if (n != out.length) {
                throw in.damaged("has " + n + " bytes, its directory entry declares " + e.size);
            }
            in.verifyEnd();
            return out;
        }
    }

    /**
     * A stream over an entry's content. It throws a {@link FileFormatException} on damage, and when it reaches the
     * end (or {@link EntryStream#verifyEnd()} is called) it checks the size and CRC-32.
     */
    EntryStream open(Entry e) throws IOException {
        String what = source + "[" + e.name + "]";
        if (e.method != STORED && e.method != DEFLATED) {
            throw new UnsupportedFeatureException(what + ": compression method " + e.method + " ("
                    + methodName(e.method) + ") is not supported; supported: stored (0) and deflated (8)");
        }
        if (e.method == STORED && e.size != e.compressedSize) {
            throw new FileFormatException(what + ": a stored entry of " + e.compressedSize + " bytes declares "
                    + e.size + " bytes of content");
        }
        if (inflated + e.size > limits.maxInflatedBytes()) {
            throw limits.exceeded(what, "the archive's entries declare " + (inflated + e.size) + " bytes in all",
                    "maxInflatedBytes", limits.maxInflatedBytes(), "withMaxInflatedBytes");
        }
        if (e.method == DEFLATED) {
            checkRatio(what, e.size, e.compressedSize, "declares");
        }
        return new EntryStream(e, what);
    }

    private void checkRatio(String what, long bytes, long compressed, String verb) throws FileFormatException {
        if (bytes > Limits.RATIO_EXEMPT_BYTES && bytes > limits.maxInflateRatio() * Math.max(1, compressed)) {
            throw limits.exceeded(what, "the entry " + verb + " " + bytes + " bytes from " + compressed
                    + " compressed bytes (ratio " + bytes / Math.max(1, compressed) + ")", "maxInflateRatio",
                    limits.maxInflateRatio(), "withMaxInflateRatio");
        }
    }

    /** An entry's content, inflated and counted as it is read. */
    final class EntryStream extends InputStream {
        private final Entry entry;
        private final String what;
        private final Inflater inflater;
        private final CRC32 crc = new CRC32();
        private final byte[] in = new byte[CHUNK];
        private long compressedRead;
        private long produced;
        private boolean verified;

        private EntryStream(Entry entry, String what) {
            this.entry = entry;
            this.what = what;
            this.inflater = entry.method == DEFLATED ? new Inflater(true) : null;
        }

        FileFormatException damaged(String finding) {
            return new FileFormatException(what + ": damaged zip entry: " + finding);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = entry.method == STORED ? readStored(b, off, len) : readDeflated(b, off, len);
            if (n < 0) {
                verifyEnd();
                return -1;
            }
            crc.update(b, off, n);
            produced += n;
            inflated += n;
            if (inflated > limits.maxInflatedBytes()) {
                throw limits.exceeded(what, "the archive inflates to more than " + limits.maxInflatedBytes()
                        + " bytes", "maxInflatedBytes", limits.maxInflatedBytes(), "withMaxInflatedBytes");
            }
            if (entry.method == DEFLATED) {
                checkRatio(what, produced, entry.compressedSize, "inflates to at least");
            }
            return n;
        }

        private int readStored(byte[] b, int off, int len) throws IOException {
            long left = entry.size - produced;
            if (left == 0) {
                return -1;
            }
            int want = (int) Math.min(len, left);
            int n = input.read(entry.dataOffset + produced, ByteBuffer.wrap(b, off, want));
            if (n <= 0) {
                throw damaged("the archive ends inside the entry's data");
            }
            return n;
        }

        private int readDeflated(byte[] b, int off, int len) throws IOException {
            try {
                while (true) {
                    if (inflater.finished()) {
                        return -1;
                    }
                    int n = inflater.inflate(b, off, (int) Math.min(len, entry.size - produced + 1));
                    if (n > 0) {
                        if (produced + n > entry.size) {
                            throw damaged("inflates to more than the " + entry.size + " bytes its directory entry"
                                    + " declares");
                        }
                        return n;
                    }
                    if (inflater.finished()) {
                        return -1;
                    }
                    if (inflater.needsDictionary()) {
                        throw damaged("the deflate stream asks for a preset dictionary");
                    }
                    if (inflater.needsInput()) {
                        long left = entry.compressedSize - compressedRead;
                        if (left <= 0) {
                            throw damaged("the deflate stream ends early (after " + produced + " of " + entry.size
                                    + " bytes)");
                        }
                        int want = (int) Math.min(in.length, left);
                        int got = input.read(entry.dataOffset + compressedRead, ByteBuffer.wrap(in, 0, want));
                        if (got <= 0) {
                            throw damaged("the archive ends inside the entry's data");
                        }
                        compressedRead += got;
                        inflater.setInput(in, 0, got);
                    } else {
                        throw damaged("the deflate stream makes no progress");
                    }
                }
            } catch (DataFormatException e) {
                throw new FileFormatException(what + ": damaged zip entry: bad deflate data: " + e.getMessage(), e);
            }
        }

        /**
         * Reads what is left of the entry (counted like the rest) and checks its size and CRC-32.
         *
         * @throws FileFormatException when the size or the CRC-32 differ from the directory's
         */
        void verifyEnd() throws IOException {
            if (verified) {
                return;
            }
            verified = true;
            byte[] skip = new byte[CHUNK];
            while (read(skip, 0, skip.length) >= 0) {
                // counted and CRC'd by read
            }
            if (produced != entry.size) {
                throw damaged("has " + produced + " bytes, its directory entry declares " + entry.size);
            }
            if (inflater != null && (inflater.getRemaining() != 0 || compressedRead != entry.compressedSize)) {
                throw damaged("the deflate stream ends before its " + entry.compressedSize + " compressed bytes");
            }
            if (crc.getValue() != entry.crc) {
                throw new FileFormatException(what + ": Bad CRC-32: the content's CRC-32 is "
                        + String.format("%08x", crc.getValue()) + ", the archive declares "
                        + String.format("%08x", entry.crc) + " (the entry is damaged)");
            }
        }

        @Override
        public void close() {
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    // ------------------------------------------------------------------------------------- central directory

    private FileFormatException damaged(String finding) {
        return new FileFormatException(source + ": damaged zip archive: " + finding);
    }

    private ByteBuffer read(long position, int length, String what) throws IOException {
        if (position < 0 || length < 0 || position > input.size() - length) {
            throw damaged(what + " at offset " + position + " with " + length + " bytes lies beyond the end of the"
                    + " archive (" + input.size() + " bytes)");
        }
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        if (input.read(position, b) != length) {
            throw damaged("the archive ends inside " + what + " at offset " + position);
        }
        return b.flip();
    }

    private List<Entry> readCentralDirectory() throws IOException {
        long size = input.size();
        if (size < END_SIZE) {
            throw new FileFormatException(source + ": not a zip archive: " + size + " bytes, too short for the end"
                    + " of central directory record");
        }
        int tail = (int) Math.min(size, END_SIZE + 0xFFFF);
        ByteBuffer t = read(size - tail, tail, "the end of the archive");
        int at = -1;
        for (int i = tail - END_SIZE; i >= 0; i--) {
            if (t.getInt(i) == END && i + END_SIZE + (t.getShort(i + 20) & 0xFFFF) == tail) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            throw new FileFormatException(source + ": not a zip archive: no end of central directory record");
        }
        long endOffset = size - tail + at;
        int disk = t.getShort(at + 4) & 0xFFFF;
        int cdDisk = t.getShort(at + 6) & 0xFFFF;
        long diskEntries = t.getShort(at + 8) & 0xFFFF;
        long count = t.getShort(at + 10) & 0xFFFF;
        long cdSize = t.getInt(at + 12) & 0xFFFFFFFFL;
        long cdOffset = t.getInt(at + 16) & 0xFFFFFFFFL;
        long cdEnd = endOffset;
        boolean wants64 = count == 0xFFFF || diskEntries == 0xFFFF || cdSize == 0xFFFFFFFFL
                || cdOffset == 0xFFFFFFFFL || disk == 0xFFFF || cdDisk == 0xFFFF;
        if (endOffset >= 20 && read(endOffset - 20, 4, "the ZIP64 locator").getInt(0) == LOCATOR64) {
            ByteBuffer loc = read(endOffset - 20, 20, "the ZIP64 locator");
            long end64 = loc.getLong(8);
            if (loc.getInt(4) != 0 || loc.getInt(16) != 1) {
                throw new UnsupportedFeatureException(source + ": a zip archive split over several disks is not"
                        + " supported");
            }
            if (end64 < 0 || end64 > endOffset - 20 - 56) {
                throw damaged("the ZIP64 end record offset " + end64 + " is not before its locator at "
                        + (endOffset - 20));
            }
            ByteBuffer e = read(end64, 56, "the ZIP64 end record");
            if (e.getInt(0) != END64) {
                throw damaged("no ZIP64 end record at offset " + end64);
            }
            long recordSize = e.getLong(4);
            if (recordSize < 44 || end64 + 12 + recordSize != endOffset - 20) {
                throw damaged("the ZIP64 end record at " + end64 + " declares " + recordSize + " bytes, inconsistent"
                        + " with its locator at " + (endOffset - 20));
            }
            long disk64 = e.getInt(16) & 0xFFFFFFFFL;
            long cdDisk64 = e.getInt(20) & 0xFFFFFFFFL;
            long diskEntries64 = e.getLong(24);
            long count64 = e.getLong(32);
            long cdSize64 = e.getLong(40);
            long cdOffset64 = e.getLong(48);
            if (!consistent(disk, 0xFFFF, disk64) || !consistent(cdDisk, 0xFFFF, cdDisk64)
                    || !consistent(diskEntries, 0xFFFF, diskEntries64) || !consistent(count, 0xFFFF, count64)
                    || !consistent(cdSize, 0xFFFFFFFFL, cdSize64) || !consistent(cdOffset, 0xFFFFFFFFL, cdOffset64)) {
                throw damaged("the ZIP64 end record contradicts the end of central directory record");
            }
            disk = (int) Math.min(disk64, Integer.MAX_VALUE);
            cdDisk = (int) Math.min(cdDisk64, Integer.MAX_VALUE);
            diskEntries = diskEntries64;
            count = count64;
            cdSize = cdSize64;
            cdOffset = cdOffset64;
            cdEnd = end64;
        } else if (wants64) {
            throw damaged("the end of central directory record holds ZIP64 markers but no ZIP64 locator precedes"
                    + " it");
        }
        if (disk != 0 || cdDisk != 0 || diskEntries != count) {
            throw new UnsupportedFeatureException(source + ": a zip archive split over several disks is not"
                    + " supported (disk " + disk + ", central directory on disk " + cdDisk + ")");
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset > cdEnd || cdSize != cdEnd - cdOffset) {
            throw damaged("the central directory (offset " + cdOffset + ", " + cdSize + " bytes) does not end where"
                    + " the end record starts (" + cdEnd + ")");
        }
        if (count < 0 || count > cdSize / 46) {
            throw damaged(count + " entries cannot fit a central directory of " + cdSize + " bytes");
        }
        if (cdSize > Integer.MAX_VALUE - 8) {
            throw damaged("a central directory of " + cdSize + " bytes");
        }
        ByteBuffer cd = read(cdOffset, (int) cdSize, "the central directory");
        List<Entry> out = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            out.add(centralEntry(cd, i, cdOffset));
        }
        if (cd.hasRemaining()) {
            throw damaged("the central directory has " + cd.remaining() + " bytes after its " + count + " entries");
        }
        this.cdStart = cdOffset;
        return out;
    }

    private static boolean consistent(long narrow, long marker, long wide) {
        return narrow == marker || narrow == wide;
    }

    private Entry centralEntry(ByteBuffer cd, long index, long cdOffset) throws IOException {
        String what = "central directory entry " + index + " (offset " + (cdOffset + cd.position()) + ")";
        if (cd.remaining() < 46 || cd.getInt(cd.position()) != CENTRAL) {
            throw damaged(what + " lacks its signature");
        }
        cd.getInt();
        cd.getShort(); // version made by
        cd.getShort(); // version needed
        int flags = cd.getShort() & 0xFFFF;
        int method = cd.getShort() & 0xFFFF;
        cd.getInt(); // time and date
        long crc = cd.getInt() & 0xFFFFFFFFL;
        long compressed = cd.getInt() & 0xFFFFFFFFL;
        long size = cd.getInt() & 0xFFFFFFFFL;
        int nameLength = cd.getShort() & 0xFFFF;
        int extraLength = cd.getShort() & 0xFFFF;
        int commentLength = cd.getShort() & 0xFFFF;
        int diskStart = cd.getShort() & 0xFFFF;
        cd.getShort(); // internal attributes
        cd.getInt(); // external attributes
        long localOffset = cd.getInt() & 0xFFFFFFFFL;
        if (cd.remaining() < nameLength + extraLength + commentLength) {
            throw damaged(what + ": its name, extra field and comment run past the central directory");
        }
        byte[] nameBytes = new byte[nameLength];
        cd.get(nameBytes);
        String name = decodeName(nameBytes, flags);
        String entryWhat = "entry '" + name + "'";
        ByteBuffer extra = cd.slice().limit(extraLength).order(ByteOrder.LITTLE_ENDIAN);
        cd.position(cd.position() + extraLength + commentLength);
        if ((flags & 0x41) != 0 || (flags & 0x2000) != 0) {
            throw new UnsupportedFeatureException(source + "[" + name + "]: encrypted zip entries are not supported");
        }
        long[] wide = zip64(extra, entryWhat, size == 0xFFFFFFFFL, compressed == 0xFFFFFFFFL,
                localOffset == 0xFFFFFFFFL, diskStart == 0xFFFF);
        size = size == 0xFFFFFFFFL ? wide[0] : size;
        compressed = compressed == 0xFFFFFFFFL ? wide[1] : compressed;
        localOffset = localOffset == 0xFFFFFFFFL ? wide[2] : localOffset;
        long disk = diskStart == 0xFFFF ? wide[3] : diskStart;
        if (disk != 0) {
            throw new UnsupportedFeatureException(source + "[" + name + "]: a zip archive split over several disks"
                    + " is not supported");
        }
        if (size < 0 || compressed < 0 || localOffset < 0) {
            throw damaged(entryWhat + " declares a ZIP64 size or offset beyond 2^63");
        }
        return new Entry(name, method, flags, crc, compressed, size, localOffset);
    }

    /** The ZIP64 extra field's values that the fixed fields mark with all ones, in APPNOTE order. */
    private long[] zip64(ByteBuffer extra, String what, boolean size, boolean compressed, boolean offset,
                         boolean disk) throws FileFormatException {
        long[] out = new long[4];
        if (!(size || compressed || offset || disk)) {
            return out;
        }
        while (extra.remaining() >= 4) {
            int id = extra.getShort() & 0xFFFF;
            int length = extra.getShort() & 0xFFFF;
            if (length > extra.remaining()) {
                throw damaged(what + ": an extra field of " + length + " bytes runs past its end");
            }
            ByteBuffer field = extra.slice().limit(length).order(ByteOrder.LITTLE_ENDIAN);
            extra.position(extra.position() + length);
            if (id != 1) {
                continue;
            }
            boolean[] wanted = {size, compressed, offset};
            for (int i = 0; i < 3; i++) {
                if (wanted[i]) {
                    if (field.remaining() < 8) {
                        throw damaged(what + ": its ZIP64 extra field lacks a value it needs");
                    }
                    out[i] = field.getLong();
                }
            }
            if (disk) {
                if (field.remaining() < 4) {
                    throw damaged(what + ": its ZIP64 extra field lacks the disk number");
                }
                out[3] = field.getInt() & 0xFFFFFFFFL;
            }
            return out;
        }
        throw damaged(what + " marks a size or offset as ZIP64 but has no ZIP64 extra field");
    }

    private static String decodeName(byte[] name, int flags) {
        return new String(name, (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : CP437);
    }

    /** The zip format's default name encoding, or Latin-1 (equal for ASCII) where the JDK lacks it. */
    private static final Charset CP437 = cp437();

    private static Charset cp437() {
        try {
            return Charset.forName("IBM437");
        } catch (IllegalArgumentException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    /** Checks each local header against its directory entry, and that the entries' bytes do not overlap. */
    private void checkLocalHeaders() throws IOException {
        for (Entry e : entries) {
            String what = "the local header of entry '" + e.name + "'";
            ByteBuffer h = read(e.localOffset, 30, what);
            if (h.getInt(0) != LOCAL) {
                throw damaged(what + " (offset " + e.localOffset + ") lacks its signature");
            }
            int flags = h.getShort(6) & 0xFFFF;
            int method = h.getShort(8) & 0xFFFF;
            long crc = h.getInt(14) & 0xFFFFFFFFL;
            long compressed = h.getInt(18) & 0xFFFFFFFFL;
            long size = h.getInt(22) & 0xFFFFFFFFL;
            int nameLength = h.getShort(26) & 0xFFFF;
            int extraLength = h.getShort(28) & 0xFFFF;
            ByteBuffer rest = read(e.localOffset + 30, nameLength + extraLength, what);
            byte[] nameBytes = new byte[nameLength];
            rest.get(nameBytes);
            if (!decodeName(nameBytes, flags).equals(e.name)) {
                throw damaged(what + " names '" + decodeName(nameBytes, flags) + "'");
            }
            if (method != e.method || (flags & 0x41) != (e.flags & 0x41) || (flags & 0x08) != (e.flags & 0x08)) {
                throw damaged(what + " has method " + method + " and flags 0x" + Integer.toHexString(flags)
                        + ", its directory entry has method " + e.method + " and flags 0x"
                        + Integer.toHexString(e.flags));
            }
            if ((flags & 0x08) == 0) {
                ByteBuffer extra = rest.slice().order(ByteOrder.LITTLE_ENDIAN);
                long[] wide = zip64(extra, what, size == 0xFFFFFFFFL, compressed == 0xFFFFFFFFL, false, false);
                size = size == 0xFFFFFFFFL ? wide[0] : size;
                compressed = compressed == 0xFFFFFFFFL ? wide[1] : compressed;
                if (crc != e.crc || size != e.size || compressed != e.compressedSize) {
                    throw damaged(what + " declares CRC-32 " + String.format("%08x", crc) + ", " + compressed
                            + " compressed and " + size + " bytes; its directory entry declares "
                            + String.format("%08x", e.crc) + ", " + e.compressedSize + " and " + e.size);
                }
            }
            e.dataOffset = e.localOffset + 30 + nameLength + extraLength;
            if (e.compressedSize > cdStart - e.dataOffset) {
                throw damaged("the data of entry '" + e.name + "' (" + e.compressedSize + " bytes at offset "
                        + e.dataOffset + ") runs into the central directory at " + cdStart);
            }
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(x -> x.localOffset));
        for (int i = 1; i < sorted.size(); i++) {
            Entry a = sorted.get(i - 1);
            Entry b = sorted.get(i);
            if (a.dataOffset + a.compressedSize > b.localOffset) {
                throw damaged("entries '" + a.name + "' and '" + b.name + "' overlap");
            }
        }
    }

    private static String methodName(int method) {
        switch (method) {
            case 9: return "deflate64";
            case 12: return "bzip2";
            case 14: return "LZMA";
            case 93: return "Zstandard";
            case 95: return "XZ";
            case 99: return "AES encryption";
            default: return "unknown";
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...]";
    }

    @Override
    public String toString() {
        return source + " " + Arrays.toString(entries.toArray());
    }
}
