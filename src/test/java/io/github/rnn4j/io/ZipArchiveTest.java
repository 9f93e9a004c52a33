package io.github.rnn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The strict zip reader: archives written by java.util.zip and by Python (the .npz fixtures), then damaged. */
@Timeout(20)
class ZipArchiveTest {
    private static final byte[] A = "first entry, stored".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "second entry, deflated ".repeat(50).getBytes(StandardCharsets.UTF_8);

    /** An archive of a stored entry "a.txt" and a deflated entry "b.txt", written by java.util.zip. */
    static byte[] twoEntries() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            ZipEntry a = new ZipEntry("a.txt");
            a.setMethod(ZipEntry.STORED);
            a.setSize(A.length);
            a.setCompressedSize(A.length);
            CRC32 crc = new CRC32();
            crc.update(A);
            a.setCrc(crc.getValue());
            z.putNextEntry(a);
            z.write(A);
            z.closeEntry();
            z.putNextEntry(new ZipEntry("b.txt"));
            z.write(B);
            z.closeEntry();
        }
        return out.toByteArray();
    }

    /** Offsets of every occurrence of a 4-byte little-endian signature. */
    static List<Integer> find(byte[] bytes, int signature) {
        List<Integer> at = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (b.getInt(i) == signature) {
                at.add(i);
            }
        }
        return at;
    }

    static void putInt(byte[] bytes, int at, int value) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
    }

    static void putShort(byte[] bytes, int at, int value) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) value);
    }

    private static int central(byte[] zip, int index) {
        List<Integer> at = find(zip, 0x02014b50);
        assertThat(at).hasSizeGreaterThan(index);
        return at.get(index);
    }

    private static ZipArchive open(byte[] zip) throws IOException {
        return ZipArchive.open(zip, "test.zip", Limits.defaults());
    }

    @Test
    void listsEntriesInDirectoryOrderAndReadsStoredAndDeflated() throws IOException {
        try (ZipArchive z = open(twoEntries())) {
            assertThat(z.entries()).extracting(e -> e.name).containsExactly("a.txt", "b.txt");
            assertThat(z.entries()).extracting(e -> e.method).containsExactly(ZipArchive.STORED,
                    ZipArchive.DEFLATED);
            assertThat(z.read("a.txt")).isEqualTo(A);
            assertThat(z.read("b.txt")).isEqualTo(B);
            assertThat(z.entry("c.txt")).isNull();
            assertThatThrownBy(() -> z.read("c.txt")).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessageStartingWith("test.zip: the archive has no entry 'c.txt'");
        }
    }

    @Test
    void readsFromAPathAndPythonWrittenZip64LocalHeaders(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("two.zip");
        Files.write(file, twoEntries());
        try (ZipArchive z = ZipArchive.open(file, Limits.defaults())) {
            assertThat(z.read("b.txt")).isEqualTo(B);
            assertThat(z.source()).isEqualTo(file.toString());
        }
        // numpy writes local headers with 0xFFFFFFFF sizes and a ZIP64 extra field (force_zip64=True).
        for (String npz : List.of("stored.npz", "deflated.npz")) {
            try (ZipArchive z = ZipArchive.open(Resources.fixture("numpy/" + npz), Limits.defaults())) {
                assertThat(z.entries()).extracting(e -> e.name)
                        .containsExactly("kernel.npy", "recurrent_kernel.npy", "bias.npy", "step.npy");
                assertThat(z.read("kernel.npy")).startsWith((byte) 0x93, (byte) 'N');
            }
        }
    }

    @Test
    @Timeout(60)
    void aCrcMismatchIsABadCrc32NamingFileAndEntry() throws IOException {
        byte[] zip = twoEntries();
        int data = find(zip, 0x04034b50).get(0) + 30 + "a.txt".length();
        zip[data + 3] ^= 1; // one bit of the stored content
        try (ZipArchive z = open(zip)) {
            assertThatThrownBy(() -> z.read("a.txt")).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessageStartingWith("test.zip[a.txt]: Bad CRC-32");
            assertThat(z.read("b.txt")).isEqualTo(B);
        }
    }

    @Test
    @Timeout(60)
    void aDeclaredCrcThatDiffersIsABadCrc32() throws IOException {
        byte[] zip = twoEntries();
        int cd = central(zip, 1);
        int local = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).getInt(cd + 42);
        zip[cd + 16] ^= 0x10;
        zip[local + 14] ^= 0x10; // b.txt has a data descriptor: fix its copy as well, so only the content disagrees
        for (int dd : find(zip, 0x08074b50)) {
            zip[dd + 4] ^= 0x10;
        }
        try (ZipArchive z = open(zip)) {
            assertThatThrownBy(() -> z.read("b.txt")).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessageStartingWith("test.zip[b.txt]: Bad CRC-32");
        }
    }

    @Test
    void aHugeDeclaredSizeIsRefusedBeforeAnyAllocation() throws IOException {
        byte[] zip = twoEntries();
        int cd = central(zip, 1);
        putInt(zip, cd + 24, 0xFFFFFFF0); // b.txt declares 4 GiB of content
        assertThatThrownBy(() -> open(zip).read("b.txt")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith("test.zip[b.txt]: ");
        int cdA = central(zip, 0);
        putInt(zip, cdA + 20, 0x7FFFFFF0); // a stored entry whose size runs past the archive
        putInt(zip, cdA + 24, 0x7FFFFFF0);
        assertThatThrownBy(() -> open(zip)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith("test.zip: damaged zip archive: ");
    }

    @Test
    void inflatedBytesAndRatioAreCountedAgainstTheLimits() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("zeros"));
            z.write(new byte[4 << 20]);
            z.closeEntry();
        }
        byte[] zip = out.toByteArray();
        try (ZipArchive z = open(zip)) {
            assertThatThrownBy(() -> z.read("zeros")).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessageContaining("test.zip[zeros]").hasMessageContaining("Limits.maxInflateRatio() = 100;")
                    .hasMessageContaining("withMaxInflateRatio");
        }
        try (ZipArchive z = ZipArchive.open(zip, "test.zip", Limits.defaults().withMaxInflateRatio(10_000)
                .withMaxInflatedBytes(1 << 20))) {
            assertThatThrownBy(() -> z.read("zeros")).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessageContaining("Limits.maxInflatedBytes() = 1048576");
        }
        try (ZipArchive z = ZipArchive.open(zip, "test.zip", Limits.defaults().withMaxInflateRatio(10_000))) {
            assertThat(z.read("zeros")).hasSize(4 << 20);
        }
    }

    @Test
    void encryptedMultiDiskAndOtherMethodsAreRefused() throws IOException {
        byte[] zip = twoEntries();
        int cd = central(zip, 0);
        int local = find(zip, 0x04034b50).get(0);
        zip[cd + 8] |= 1;
        zip[local + 6] |= 1;
        assertThatThrownBy(() -> open(zip)).isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("test.zip[a.txt]: encrypted");

        byte[] disks = twoEntries();
        int end = find(disks, 0x06054b50).get(0);
        putShort(disks, end + 4, 1);
        assertThatThrownBy(() -> open(disks)).isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("several disks");

        byte[] bzip = twoEntries();
        putShort(bzip, central(bzip, 0) + 10, 12);
        putShort(bzip, find(bzip, 0x04034b50).get(0) + 8, 12);
        try (ZipArchive z = open(bzip)) {
            assertThatThrownBy(() -> z.read("a.txt")).isExactlyInstanceOf(UnsupportedFeatureException.class)
                    .hasMessageContaining("compression method 12 (bzip2)");
        }
    }

    @Test
    void localHeadersMustAgreeWithTheDirectory() throws IOException {
        byte[] name = twoEntries();
        name[find(name, 0x04034b50).get(0) + 30] = 'x';
        assertThatThrownBy(() -> open(name)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageContaining("local header of entry 'a.txt' names 'x.txt'");
        byte[] size = twoEntries();
        putInt(size, find(size, 0x04034b50).get(0) + 22, 5);
        assertThatThrownBy(() -> open(size)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageContaining("local header of entry 'a.txt' declares");
        byte[] offset = twoEntries();
        putInt(offset, central(offset, 1) + 42, 3);
        assertThatThrownBy(() -> open(offset)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageContaining("test.zip: damaged zip archive");
    }

    @Test
    void overlappingEntriesAreRefused() throws IOException {
        byte[] zip = twoEntries();
        // a.txt (stored) claims 10 more bytes, in its local header and its directory entry alike: its data now
        // covers the start of b.txt's local header.
        int cdA = central(zip, 0);
        int local = find(zip, 0x04034b50).get(0);
        for (int at : new int[] {cdA + 20, cdA + 24, local + 18, local + 22}) {
            putInt(zip, at, A.length + 10);
        }
        assertThatThrownBy(() -> open(zip)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("test.zip: damaged zip archive: entries 'a.txt' and 'b.txt' overlap");
    }

    @Test
    void zip64MarkersWithoutAZip64RecordAreRefused() throws IOException {
        byte[] zip = twoEntries();
        int end = find(zip, 0x06054b50).get(0);
        putInt(zip, end + 16, 0xFFFFFFFF);
        assertThatThrownBy(() -> open(zip)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageContaining("ZIP64 markers but no ZIP64 locator");
        byte[] cd = twoEntries();
        putInt(cd, central(cd, 0) + 20, 0xFFFFFFFF);
        assertThatThrownBy(() -> open(cd)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageContaining("entry 'a.txt' marks a size or offset as ZIP64 but has no ZIP64 extra field");
    }

    @Test
    @Timeout(60)
    void notAZipAndEveryTruncationIsAFileFormatException() throws IOException {
        assertThatThrownBy(() -> open("hello".getBytes(StandardCharsets.UTF_8)))
                .isExactlyInstanceOf(FileFormatException.class).hasMessageStartingWith("test.zip: not a zip archive");
        byte[] whole = twoEntries();
        for (int n = 0; n < whole.length; n++) {
            byte[] cut = Arrays.copyOf(whole, n);
            Throwable t = catchThrowable(() -> {
                try (ZipArchive z = open(cut)) {
                    for (ZipArchive.Entry e : z.entries()) {
                        z.read(e);
                    }
                }
            });
            assertThat(t).as("cut to %d bytes", n).isInstanceOf(FileFormatException.class)
                    .hasMessageStartingWith("test.zip");
        }
    }

    @Test
    @Timeout(60)
    void randomDamageEndsInContentOrAFileFormatException() throws IOException {
        byte[] whole = twoEntries();
        Random rnd = new Random(20261130);
        int refused = 0;
        for (int trial = 0; trial < 2000; trial++) {
            byte[] bytes = whole.clone();
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                bytes[rnd.nextInt(bytes.length)] ^= (byte) (1 + rnd.nextInt(255));
            }
            Throwable t = catchThrowable(() -> {
                try (ZipArchive z = open(bytes)) {
                    for (ZipArchive.Entry e : z.entries()) {
                        byte[] content = z.read(e);
                        assertThat(content).isEqualTo(e.name.equals("a.txt") ? A : B);
                    }
                }
            });
            if (t != null) {
                assertThat(t).as("trial %d", trial).isInstanceOf(FileFormatException.class)
                        .hasMessageStartingWith("test.zip");
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(1000);
    }
}
