package io.github.rnn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static io.github.rnn4j.io.ZipArchiveTest.find;
import static io.github.rnn4j.io.ZipArchiveTest.putInt;
import static io.github.rnn4j.io.ZipArchiveTest.putShort;
import static io.github.rnn4j.io.ZipArchiveTest.twoEntries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Edges of the strict zip reader: the smallest archives, archive and entry comments, extra fields, ZIP64 end records
 * and extra fields, name encodings, the exact limits, and the messages of every refusal.
 *
 * <p>Archives come from two writers that are not the code under test: {@link ZipOutputStream}, and {@link HandZip},
 * which writes stored entries byte by byte following PKWARE's APPNOTE.TXT (4.3.7 local header, 4.3.12 central
 * header, 4.3.14 ZIP64 end record, 4.3.15 ZIP64 locator, 4.3.16 end record, 4.5.3 ZIP64 extra field). Each valid
 * hand-written archive is first read by the JDK's {@link ZipFile}, an independent reader, so that the test shows
 * the bytes are a zip archive before it asks the same of {@link ZipArchive}.
 */
@Timeout(120) // each test takes milliseconds; generous for a shared, loaded machine
class ZipArchiveEdgesTest {
    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final long ALL_ONES = 0xFFFFFFFFL;
    private static final String RAISE = "; if the file is trusted, raise the limit with Limits.defaults().";
    private static final byte[] HELLO = "hello, zip".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WORLD = "a second member".getBytes(StandardCharsets.US_ASCII);

    private static ZipArchive open(byte[] zip) throws IOException {
        return ZipArchive.open(zip, "test.zip", Limits.defaults());
    }

    private static ByteBuffer le(byte[] zip) {
        return ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The names and contents the JDK's ZipFile reads from an archive, in central-directory order. */
    private static Map<String, byte[]> jdkRead(byte[] zip, Path tmp) throws IOException {
        Path file = Files.createTempFile(tmp, "jdk", ".zip");
        Files.write(file, zip);
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(file.toFile())) {
            for (Enumeration<? extends ZipEntry> en = z.entries(); en.hasMoreElements();) {
                ZipEntry e = en.nextElement();
                out.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        return out;
    }

    /** Everything ZipArchive reads from an archive, in central-directory order. */
    private static Map<String, byte[]> read(byte[] zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipArchive z = open(zip)) {
            for (ZipArchive.Entry e : z.entries()) {
                out.put(e.name, z.read(e));
            }
        }
        return out;
    }

    private static long crc32(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    // ------------------------------------------------------------------------------------------ smallest archives

    @Test
    void anEmptyArchiveOfTwentyTwoBytesHasNoEntries(@TempDir Path tmp) throws IOException {
        // What Python's zipfile.ZipFile(f, "w").close() writes: the end record alone (APPNOTE 4.3.16), no entries,
        // a central directory of 0 bytes at offset 0.
        byte[] empty = new byte[22];
        putInt(empty, 0, END);
        assertThat(jdkRead(empty, tmp)).isEmpty();
        try (ZipArchive z = open(empty)) {
            assertThat(z.entries()).isEmpty();
            assertThatThrownBy(() -> z.read("a")).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessage("test.zip: the archive has no entry 'a'; it has []");
        }
        // one byte shorter is no zip archive
        assertThatThrownBy(() -> open(java.util.Arrays.copyOf(empty, 21)))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("test.zip: not a zip archive: 21 bytes, too short for the end of central directory record");
    }

    @Test
    void anEntryWithAnEmptyNameFillsExactlyFortySixDirectoryBytes(@TempDir Path tmp) throws IOException {
        // APPNOTE allows a name of length 0: its central header is the fixed 46 bytes alone, the whole directory.
        byte[] zip = new HandZip().entry("", HELLO).finish();
        assertThat(le(zip).getInt(zip.length - 22 + 12)).as("central directory size").isEqualTo(46);
        assertThat(jdkRead(zip, tmp)).containsOnlyKeys("");
        try (ZipArchive z = open(zip)) {
            assertThat(z.entries()).extracting(e -> e.name).containsExactly("");
            assertThat(z.read("")).isEqualTo(HELLO);
        }
    }

    @Test
    void anEntryOfNoBytesIsReadAsAnEmptyArray(@TempDir Path tmp) throws IOException {
        // a size and a compressed size of 0 are valid (a stored empty member, as Python writes for b"")
        byte[] zip = new HandZip().entry("empty", new byte[0]).entry("a.txt", HELLO).finish();
        assertThat(jdkRead(zip, tmp)).containsOnlyKeys("empty", "a.txt");
        try (ZipArchive z = open(zip)) {
            assertThat(z.entry("empty").size).isZero();
            assertThat(z.entry("empty").compressedSize).isZero();
            assertThat(z.read("empty")).isEmpty();
            assertThat(z.read("a.txt")).isEqualTo(HELLO);
        }
    }

    @Test
    void archiveAndEntryCommentsAndExtraFieldsAreSkipped() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] extra = {0x66, 0x66, 3, 0, 1, 2, 3}; // one extra field: id 0x6666, 3 bytes of data (APPNOTE 4.5.1)
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.setComment("an archive comment of some length");
            for (String name : List.of("a.txt", "b.txt")) {
                ZipEntry e = new ZipEntry(name);
                e.setExtra(extra);
                e.setComment("the comment of " + name + ", longer than its extra field");
                z.putNextEntry(e);
                z.write(name.equals("a.txt") ? HELLO : WORLD);
                z.closeEntry();
            }
        }
        byte[] zip = bytes.toByteArray();
        int cd = find(zip, CENTRAL).get(0);
        assertThat(le(zip).getShort(cd + 30)).as("central extra length").isEqualTo((short) extra.length);
        assertThat(le(zip).getShort(cd + 32)).as("central comment length").isGreaterThan((short) extra.length);
        assertThat(read(zip)).containsOnlyKeys("a.txt", "b.txt");
        assertThat(read(zip).get("a.txt")).isEqualTo(HELLO);
        assertThat(read(zip).get("b.txt")).isEqualTo(WORLD);
    }

    // ---------------------------------------------------------------------------------------- directory damage

    @Test
    void aLocalHeaderPastTheEndIsRefusedWithItsOffsetAndTheArchiveSize() throws IOException {
        byte[] zip = twoEntries();
        int cd = find(zip, CENTRAL).get(0);
        putInt(zip, cd + 42, zip.length - 10); // a.txt's local header: 10 bytes before the end, 30 needed
        assertThatThrownBy(() -> open(zip)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("test.zip: damaged zip archive: the local header of entry 'a.txt' at offset "
                        + (zip.length - 10) + " with 30 bytes lies beyond the end of the archive (" + zip.length
                        + " bytes)");
    }

    @Test
    void moreEntriesThanTheDirectoryCanHoldAreRefusedWithTheCount() throws IOException {
        byte[] zip = twoEntries();
        int end = find(zip, END).get(0);
        long cdSize = le(zip).getInt(end + 12);
        int count = (int) (cdSize / 46) + 1; // a central header takes at least 46 bytes
        putShort(zip, end + 8, count);
        putShort(zip, end + 10, count);
        assertThatThrownBy(() -> open(zip)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("test.zip: damaged zip archive: " + count + " entries cannot fit a central directory of "
                        + cdSize + " bytes");
    }

    @Test
    void aDamagedSecondDirectoryEntryIsNamedWithItsFileOffset() throws IOException {
        byte[] zip = twoEntries();
        int second = find(zip, CENTRAL).get(1);
        zip[second] ^= 1;
        assertThatThrownBy(() -> open(zip)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("test.zip: damaged zip archive: central directory entry 1 (offset " + second
                        + ") lacks its signature");
    }

    @Test
    void theLastEntryRunningIntoTheDirectoryIsRefused() throws IOException {
        byte[] zip = twoEntries();
        int cdB = find(zip, CENTRAL).get(1);
        long compressed = le(zip).getInt(cdB + 20);
        putInt(zip, cdB + 20, (int) compressed + 20); // b.txt is followed by a 16-byte data descriptor, then the CD
        int localB = find(zip, LOCAL).get(1);
        long dataB = localB + 30 + "b.txt".length() + le(zip).getShort(localB + 28);
        int cdStart = le(zip).getInt(find(zip, END).get(0) + 16);
        assertThatThrownBy(() -> open(zip)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("test.zip: damaged zip archive: the data of entry 'b.txt' (" + (compressed + 20)
                        + " bytes at offset " + dataB + ") runs into the central directory at " + cdStart);
    }

    @Test
    void aDirectoryInAnotherOrderThanTheDataIsNotAnOverlap(@TempDir Path tmp) throws IOException {
        // APPNOTE does not ask the central directory to follow the order of the data: swap the two central headers.
        byte[] zip = twoEntries();
        List<Integer> cd = find(zip, CENTRAL);
        int end = find(zip, END).get(0);
        byte[] first = java.util.Arrays.copyOfRange(zip, cd.get(0), cd.get(1));
        byte[] second = java.util.Arrays.copyOfRange(zip, cd.get(1), end);
        System.arraycopy(second, 0, zip, cd.get(0), second.length);
        System.arraycopy(first, 0, zip, cd.get(0) + second.length, first.length);
        assertThat(jdkRead(zip, tmp)).containsOnlyKeys("b.txt", "a.txt");
        try (ZipArchive z = open(zip)) {
            assertThat(z.entries()).extracting(e -> e.name).containsExactly("b.txt", "a.txt");
            assertThat(z.read("a.txt")).isEqualTo(jdkRead(zip, tmp).get("a.txt"));
            assertThat(z.read("b.txt")).isEqualTo(jdkRead(zip, tmp).get("b.txt"));
        }
    }

    @Test
    void aDiskNumberOtherThanZeroIsRefusedAsSeveralDisks() throws IOException {
        byte[] zip = twoEntries();
        putShort(zip, find(zip, CENTRAL).get(0) + 34, 1); // a.txt starts on disk 1
        assertThatThrownBy(() -> open(zip)).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessage("test.zip[a.txt]: a zip archive split over several disks is not supported");
    }

    // ------------------------------------------------------------------------------------------------- ZIP64

    @Test
    void aZip64ArchiveWithEverySizeOffsetAndDiskInExtraFieldsIsRead(@TempDir Path tmp) throws IOException {
        // Central headers carry all-ones sizes, offset and disk (0xFFFF) with a 28-byte ZIP64 extra field; the end
        // record carries all-ones counts, size and offset, with a ZIP64 end record and locator before it.
        byte[] zip = new HandZip().zip64Entry("a.txt", HELLO).zip64Entry("b.txt", WORLD).finishZip64(true);
        assertThat(jdkRead(zip, tmp)).containsOnlyKeys("a.txt", "b.txt");
        try (ZipArchive z = open(zip)) {
            assertThat(z.entries()).extracting(e -> e.name).containsExactly("a.txt", "b.txt");
            assertThat(z.entries()).extracting(e -> e.size).containsExactly((long) HELLO.length,
                    (long) WORLD.length);
            assertThat(z.read("a.txt")).isEqualTo(HELLO);
            assertThat(z.read("b.txt")).isEqualTo(WORLD);
        }
        // the same with the real values, not markers, in the end record: both records agree
        assertThat(read(new HandZip().zip64Entry("a.txt", HELLO).finishZip64(false)).get("a.txt")).isEqualTo(HELLO);
    }

    @Test
    void anEmptyZip64ArchiveHasItsEndRecordAtOffsetZero(@TempDir Path tmp) throws IOException {
        byte[] zip = new HandZip().finishZip64(true);
        assertThat(zip).hasSize(56 + 20 + 22);
        assertThat(jdkRead(zip, tmp)).isEmpty();
        try (ZipArchive z = open(zip)) {
            assertThat(z.entries()).isEmpty();
        }
    }

    @Test
    void aZip64EndRecordThatContradictsTheEndRecordIsRefused() throws IOException {
        byte[] zip = new HandZip().zip64Entry("a.txt", HELLO).finishZip64(false);
        int end64 = zip.length - 22 - 20 - 56;
        ByteBuffer b = le(zip);
        b.putLong(end64 + 24, 2).putLong(end64 + 32, 2); // two entries, where the end record says one
        assertThatThrownBy(() -> open(zip)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("test.zip: damaged zip archive: the ZIP64 end record contradicts the end of central"
                        + " directory record");
    }

    @Test
    void aZip64LocatorPointingAfterWhereItsRecordCanStartIsRefused() throws IOException {
        byte[] zip = new HandZip().zip64Entry("a.txt", HELLO).finishZip64(true);
        int locator = zip.length - 22 - 20;
        long end64 = locator - 56;
        le(zip).putLong(locator + 8, end64 + 16); // 16 bytes into the record: it would run into the locator
        assertThatThrownBy(() -> open(zip)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("test.zip: damaged zip archive: the ZIP64 end record offset " + (end64 + 16)
                        + " is not before its locator at " + locator);
    }

    @Test
    void aZip64LocatorAtTheStartOfTheFileHasNoRoomForItsRecord() throws IOException {
        // 20 bytes of locator (APPNOTE 4.3.15) pointing at offset 0, then an end record for an empty directory
        // at offset 20: the ZIP64 end record would have to lie before the locator, where there is no byte.
        ByteBuffer b = ByteBuffer.allocate(42).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x07064b50).putInt(0).putLong(0).putInt(1);
        b.putInt(END).putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0)
                .putInt(20).putShort((short) 0);
        assertThatThrownBy(() -> open(b.array())).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("test.zip: damaged zip archive: the ZIP64 end record offset 0 is not before its locator"
                        + " at 0");
    }

    @Test
    void aZip64EndRecordSizeThatMissesTheLocatorIsRefused() throws IOException {
        byte[] zip = new HandZip().zip64Entry("a.txt", HELLO).finishZip64(true);
        int locator = zip.length - 22 - 20;
        int end64 = locator - 56;
        le(zip).putLong(end64 + 4, 45); // the record declares 45 bytes after its first 12, it has 44
        assertThatThrownBy(() -> open(zip)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("test.zip: damaged zip archive: the ZIP64 end record at " + end64 + " declares 45 bytes,"
                        + " inconsistent with its locator at " + locator);
    }

    @Test
    void aZip64ExtraFieldWithoutTheValueItMarksIsRefused() throws IOException {
        // The central size is all ones, and the ZIP64 extra field that should hold it has no data (4 bytes in all).
        HandZip hand = new HandZip();
        long offset = hand.local("a.txt", HELLO);
        byte[] zip = hand.central("a.txt", crc32(HELLO), HELLO.length, ALL_ONES, 0, offset,
                new byte[] {1, 0, 0, 0}).finish();
        assertThatThrownBy(() -> open(zip)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("test.zip: damaged zip archive: entry 'a.txt': its ZIP64 extra field lacks a value it"
                        + " needs");
    }

    // ------------------------------------------------------------------------------------------------ names

    @Test
    void namesAreUtf8WhenFlaggedAndCodePage437Otherwise() throws IOException {
        String name = "größe_été.npy";
        for (Charset cs : List.of(StandardCharsets.UTF_8, Charset.forName("IBM437"))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream z = new ZipOutputStream(bytes, cs)) {
                z.putNextEntry(new ZipEntry(name));
                z.write(HELLO);
                z.closeEntry();
            }
            byte[] zip = bytes.toByteArray();
            int cd = find(zip, CENTRAL).get(0);
            // APPNOTE 4.4.4, bit 11: the name is UTF-8; without it, code page 437 (Appendix D)
            assertThat(le(zip).getShort(cd + 8) & 0x800).as("%s: bit 11", cs).isEqualTo(cs.equals(
                    StandardCharsets.UTF_8) ? 0x800 : 0);
            assertThat(new String(zip, cd + 46, le(zip).getShort(cd + 28), cs)).isEqualTo(name);
            try (ZipArchive z = open(zip)) {
                assertThat(z.entries()).as("%s", cs).extracting(e -> e.name).containsExactly(name);
                assertThat(z.read(name)).isEqualTo(HELLO);
            }
        }
    }

    @Test
    void aMissingEntryIsReportedWithTheNamesAbbreviatedPastTwoHundredCharacters() throws IOException {
        try (ZipArchive z = open(twoEntries())) {
            assertThatThrownBy(() -> z.read("c.txt")).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessage("test.zip: the archive has no entry 'c.txt'; it has [a.txt, b.txt]");
            assertThat(z).hasToString("test.zip [a.txt, b.txt]");
        }
        String fits = "x".repeat(198); // "[" + 198 + "]": 200 characters, shown whole
        try (ZipArchive z = open(new HandZip().entry(fits, HELLO).finish())) {
            assertThatThrownBy(() -> z.read("c.txt")).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessage("test.zip: the archive has no entry 'c.txt'; it has [" + fits + "]");
        }
        String over = "x".repeat(199); // 201 characters: cut to 200, then "...]"
        try (ZipArchive z = open(new HandZip().entry(over, HELLO).finish())) {
            assertThatThrownBy(() -> z.read("c.txt")).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessage("test.zip: the archive has no entry 'c.txt'; it has [" + over + "...]");
        }
    }

    @Test
    void everyUnsupportedMethodIsNamed() throws IOException {
        // APPNOTE 4.4.5 compression methods
        Map<Integer, String> names = new LinkedHashMap<>();
        names.put(1, "unknown"); // shrunk: too old to name
        names.put(9, "deflate64");
        names.put(12, "bzip2");
        names.put(14, "LZMA");
        names.put(93, "Zstandard");
        names.put(95, "XZ");
        names.put(99, "AES encryption");
        for (Map.Entry<Integer, String> m : names.entrySet()) {
            byte[] zip = twoEntries();
            putShort(zip, find(zip, CENTRAL).get(0) + 10, m.getKey());
            putShort(zip, find(zip, LOCAL).get(0) + 8, m.getKey());
            try (ZipArchive z = open(zip)) {
                assertThatThrownBy(() -> z.read("a.txt")).isExactlyInstanceOf(UnsupportedFeatureException.class)
                        .hasMessage("test.zip[a.txt]: compression method " + m.getKey() + " (" + m.getValue()
                                + ") is not supported; supported: stored (0) and deflated (8)");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ limits

    @Test
    void theDeclaredSizesOfTheWholeArchiveMayReachTheInflatedLimitExactly() throws IOException {
        byte[] zip = twoEntries();
        long total;
        try (ZipArchive z = open(zip)) {
            total = z.entry("a.txt").size + z.entry("b.txt").size;
        }
        try (ZipArchive z = ZipArchive.open(zip, "test.zip", Limits.defaults().withMaxInflatedBytes(total))) {
            assertThat(z.read("a.txt")).hasSize((int) z.entry("a.txt").size);
            assertThat(z.read("b.txt")).hasSize((int) z.entry("b.txt").size);
        }
        try (ZipArchive z = ZipArchive.open(zip, "test.zip", Limits.defaults().withMaxInflatedBytes(total - 1))) {
            z.read("a.txt");
            // refused at open, from the declared size, before a byte of b.txt is inflated
            assertThatThrownBy(() -> z.open(z.entry("b.txt"))).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessage("test.zip[b.txt]: the archive's entries declare " + total + " bytes in all, more"
                            + " than Limits.maxInflatedBytes() = " + (total - 1) + RAISE
                            + "withMaxInflatedBytes(...) and pass it to the reader");
        }
    }

    /** An archive of one deflated entry "zeros" of {@code n} zero bytes, written by java.util.zip. */
    private static byte[] zeros(int n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("zeros"));
            z.write(new byte[n]);
            z.closeEntry();
        }
        return out.toByteArray();
    }

    /** The compressed size that the central directory declares for the first entry. */
    private static long compressedSize(byte[] zip) {
        return le(zip).getInt(find(zip, CENTRAL).get(0) + 20) & ALL_ONES;
    }

    @Test
    void anEntryWhoseDeclaredRatioIsTooHighIsRefusedAtOpenWithTheRatio() throws IOException {
        byte[] zip = zeros(4 << 20);
        long compressed = compressedSize(zip);
        try (ZipArchive z = open(zip)) {
            assertThatThrownBy(() -> z.open(z.entry("zeros"))).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessage("test.zip[zeros]: the entry declares " + (4 << 20) + " bytes from " + compressed
                            + " compressed bytes (ratio " + (4 << 20) / compressed + "), more than"
                            + " Limits.maxInflateRatio() = 100" + RAISE
                            + "withMaxInflateRatio(...) and pass it to the reader");
        }
    }

    @Test
    void entriesUpToTheExemptSizeHaveNoRatioLimit() throws IOException {
        int exempt = (int) Limits.RATIO_EXEMPT_BYTES;
        byte[] zip = zeros(exempt);
        assertThat(exempt / compressedSize(zip)).as("premise: the ratio is over 100").isGreaterThan(100);
        try (ZipArchive z = open(zip)) {
            assertThat(z.read("zeros")).hasSize(exempt);
        }
        byte[] over = zeros(exempt + 1);
        try (ZipArchive z = open(over)) {
            assertThatThrownBy(() -> z.read("zeros")).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessageStartingWith("test.zip[zeros]: the entry declares " + (exempt + 1) + " bytes");
        }
    }

    @Test
    void anEntryExactlyAtTheRatioLimitIsRead() throws IOException {
        // Find n > RATIO_EXEMPT_BYTES zeros whose deflated size divides n (the deflated size grows by a byte about
        // every kilobyte of zeros, so a multiple of it is found within a few tries).
        int n = (int) Limits.RATIO_EXEMPT_BYTES + 4096;
        byte[] zip = null;
        for (int tries = 0; tries < 50 && zip == null; tries++) {
            byte[] candidate = zeros(n);
            long c = compressedSize(candidate);
            if (n % c == 0) {
                zip = candidate;
            } else {
                n = (int) ((n / c + 1) * c);
            }
        }
        assertThat(zip).as("a size that its deflated size divides").isNotNull();
        long ratio = n / compressedSize(zip);
        try (ZipArchive z = ZipArchive.open(zip, "test.zip", Limits.defaults().withMaxInflateRatio(ratio))) {
            assertThat(z.read("zeros")).hasSize(n);
        }
        try (ZipArchive z = ZipArchive.open(zip, "test.zip", Limits.defaults().withMaxInflateRatio(ratio - 1))) {
            assertThatThrownBy(() -> z.read("zeros")).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessageContaining("(ratio " + ratio + "), more than Limits.maxInflateRatio() = "
                            + (ratio - 1));
        }
    }

    // ------------------------------------------------------------------------------------------------ closing

    /** How many of this process's file descriptors are open on the file (Linux: the links in /proc/self/fd). */
    private static long descriptorsOn(Path file) throws IOException {
        Path real = file.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // the directory stream's own descriptor, closed meanwhile
                }
            }).count();
        }
    }

    @Test
    void closingAndAFailedOpenReleaseTheFile(@TempDir Path tmp) throws IOException {
        assumeThat(Files.isDirectory(Path.of("/proc/self/fd"))).as("needs Linux's /proc").isTrue();
        Path good = tmp.resolve("two.zip");
        Files.write(good, twoEntries());
        ZipArchive z = ZipArchive.open(good, Limits.defaults());
        assertThat(descriptorsOn(good)).as("open").isEqualTo(1);
        z.close();
        assertThat(descriptorsOn(good)).as("closed").isZero();

        byte[] damaged = twoEntries();
        damaged[find(damaged, CENTRAL).get(1)] ^= 1;
        Path bad = tmp.resolve("bad.zip");
        Files.write(bad, damaged);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> ZipArchive.open(bad, Limits.defaults()))
                    .isExactlyInstanceOf(FileFormatException.class).hasMessageStartingWith(bad.toString());
        }
        assertThat(descriptorsOn(bad)).as("after failed opens").isZero();
    }

    // ------------------------------------------------------------------------------------------- hand writer

    /** Writes stored entries byte by byte, as APPNOTE.TXT describes them (version 6.3.10, section 4.3). */
    static final class HandZip {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream cd = new ByteArrayOutputStream();
        private int count;

        private static void u16(ByteArrayOutputStream o, long v) {
            o.write((int) v);
            o.write((int) (v >>> 8));
        }

        private static void u32(ByteArrayOutputStream o, long v) {
            u16(o, v & 0xFFFF);
            u16(o, v >>> 16);
        }

        private static void u64(ByteArrayOutputStream o, long v) {
            u32(o, v & ALL_ONES);
            u32(o, v >>> 32);
        }

        /** A local header (4.3.7) with the sizes in its fixed fields, then the content; returns its offset. */
        long local(String name, byte[] content) {
            return local(name, content, false);
        }

        private long local(String name, byte[] content, boolean zip64) {
            long offset = out.size();
            byte[] n = name.getBytes(StandardCharsets.US_ASCII);
            u32(out, LOCAL);
            u16(out, zip64 ? 45 : 10); // version needed: 4.5 for ZIP64, 1.0 for stored
            u16(out, 0); // flags
            u16(out, 0); // method: stored
            u16(out, 0); // time
            u16(out, 0x21); // date: 1980-01-01
            u32(out, crc32(content));
            u32(out, zip64 ? ALL_ONES : content.length); // compressed size
            u32(out, zip64 ? ALL_ONES : content.length); // size
            u16(out, n.length);
            u16(out, zip64 ? 20 : 0);
            out.writeBytes(n);
            if (zip64) { // 4.5.3: size, then compressed size
                u16(out, 1);
                u16(out, 16);
                u64(out, content.length);
                u64(out, content.length);
            }
            out.writeBytes(content);
            return offset;
        }

        /** A central header (4.3.12) of a stored entry with these fixed fields and extra field. */
        HandZip central(String name, long crc, long compressed, long size, int disk, long offset, byte[] extra) {
            byte[] n = name.getBytes(StandardCharsets.US_ASCII);
            u32(cd, CENTRAL);
            u16(cd, 45); // version made by
            u16(cd, 10); // version needed
            u16(cd, 0); // flags
            u16(cd, 0); // method
            u16(cd, 0); // time
            u16(cd, 0x21); // date
            u32(cd, crc);
            u32(cd, compressed);
            u32(cd, size);
            u16(cd, n.length);
            u16(cd, extra.length);
            u16(cd, 0); // comment length
            u16(cd, disk);
            u16(cd, 0); // internal attributes
            u32(cd, 0); // external attributes
            u32(cd, offset);
            cd.writeBytes(n);
            cd.writeBytes(extra);
            count++;
            return this;
        }

        /** A stored entry with its sizes and offset in the fixed fields. */
        HandZip entry(String name, byte[] content) {
            long offset = local(name, content);
            return central(name, crc32(content), content.length, content.length, 0, offset, new byte[0]);
        }

        /**
         * A stored entry whose local header marks its sizes as ZIP64 (as numpy's {@code force_zip64}), and whose
         * central header marks sizes, offset and disk, with all four in a 28-byte ZIP64 extra field (4.5.3).
         */
        HandZip zip64Entry(String name, byte[] content) {
            long offset = local(name, content, true);
            ByteArrayOutputStream extra = new ByteArrayOutputStream();
            u16(extra, 1);
            u16(extra, 28);
            u64(extra, content.length); // size
            u64(extra, content.length); // compressed size
            u64(extra, offset);
            u32(extra, 0); // disk
            return central(name, crc32(content), ALL_ONES, ALL_ONES, 0xFFFF, ALL_ONES, extra.toByteArray());
        }

        /** The central directory and an end record (4.3.16) with its real values. */
        byte[] finish() {
            long cdOffset = out.size();
            out.writeBytes(cd.toByteArray());
            end(false, cdOffset);
            return out.toByteArray();
        }

        /**
         * The central directory, a ZIP64 end record (4.3.14, 44 bytes after its first 12), its locator (4.3.15) and
         * an end record holding all-ones markers or, when {@code markers} is false, the real values.
         */
        byte[] finishZip64(boolean markers) {
            long cdOffset = out.size();
            out.writeBytes(cd.toByteArray());
            long end64 = out.size();
            u32(out, 0x06064b50);
            u64(out, 44);
            u16(out, 45); // version made by
            u16(out, 45); // version needed
            u32(out, 0); // this disk
            u32(out, 0); // the central directory's disk
            u64(out, count); // entries on this disk
            u64(out, count); // entries
            u64(out, cd.size());
            u64(out, cdOffset);
            u32(out, 0x07064b50);
            u32(out, 0); // the ZIP64 end record's disk
            u64(out, end64);
            u32(out, 1); // disks
            end(markers, cdOffset);
            return out.toByteArray();
        }

        private void end(boolean markers, long cdOffset) {
            u32(out, END);
            u16(out, 0);
            u16(out, 0);
            u16(out, markers ? 0xFFFF : count);
            u16(out, markers ? 0xFFFF : count);
            u32(out, markers ? ALL_ONES : cd.size());
            u32(out, markers ? ALL_ONES : cdOffset);
            u16(out, 0); // comment length
        }
    }
}
