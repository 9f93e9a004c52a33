package io.github.rnn4j.io;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HDF5's Fletcher-32 and Jenkins' lookup3 against values that are not this code: lookup3.c's published driver5
 * values, and a table written by tools/fixtures/gen_checksums.py (a Python port of H5checksum.c that checks
 * itself against those published values) over every tail length of lookup3 and Fletcher-32's 360-word blocks.
 */
class ChecksumsTest {
    private static final String TABLE = "/fixtures/checksums/checksums.tsv";

    /** Bytes {@code (i * 37 + 11) & 0xFF}, as the generator writes them, after {@code offset} bytes of 0x5A. */
    private static byte[] pattern(int offset, int length) {
        byte[] b = new byte[offset + length + 3];
        java.util.Arrays.fill(b, (byte) 0x5A);
        for (int i = 0; i < length; i++) {
            b[offset + i] = (byte) ((i * 37 + 11) & 0xFF);
        }
        return b;
    }

    private record Row(String algorithm, int length, int value) {
    }

    private static List<Row> table() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = ChecksumsTest.class.getResourceAsStream(TABLE)) {
            assertThat(in).as(TABLE).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                rows.add(new Row(f[0], Integer.parseInt(f[1]), Integer.parseUnsignedInt(f[2], 16)));
            }
        }
        return rows;
    }

    @Test
    void lookup3MatchesThePublishedDriverValues() {
        // lookup3.c, driver5: hashlittle("", 0, 0) = 0xdeadbeef; hashlittle("Four score and seven years ago", 30, 0)
        // = 0x17770551.
        assertThat(Checksums.lookup3(new byte[0], 0, 0)).isEqualTo(0xdeadbeef);
        byte[] text = "Four score and seven years ago".getBytes(StandardCharsets.US_ASCII);
        assertThat(Checksums.lookup3(text, 0, 30)).isEqualTo(0x17770551);
        byte[] shifted = new byte[35];
        System.arraycopy(text, 0, shifted, 5, 30);
        assertThat(Checksums.lookup3(shifted, 5, 30)).as("the same bytes at offset 5").isEqualTo(0x17770551);
    }

    @Test
    void lookup3MatchesTheReferenceForEveryTailLengthAndOffset() throws IOException {
        List<Row> rows = table().stream().filter(r -> r.algorithm().equals("lookup3")).toList();
        assertThat(rows).hasSize(43);
        for (Row r : rows) {
            for (int offset : new int[] {0, 7}) {
                assertThat(Checksums.lookup3(pattern(offset, r.length()), offset, r.length()))
                        .as("lookup3 of %d bytes at offset %d", r.length(), offset)
                        .isEqualTo(r.value());
            }
        }
    }

    @Test
    void fletcher32MatchesTheReferenceAcrossBlocksAndOddLengths() throws IOException {
        List<Row> rows = table().stream().filter(r -> r.algorithm().startsWith("fletcher32")).toList();
        assertThat(rows).hasSize(24);
        for (Row r : rows) {
            byte[] data;
            if (r.algorithm().equals("fletcher32-ff")) {
                data = new byte[r.length() + 3];
                java.util.Arrays.fill(data, (byte) 0xFF);
                data[r.length()] = 0x12; // past the length: must not be read
            } else if (r.algorithm().equals("fletcher32-carry")) {
                data = new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x00, 0x01};
            } else {
                data = pattern(0, r.length());
            }
            assertThat(Checksums.fletcher32(data, r.length())).as("%s of %d bytes", r.algorithm(), r.length())
                    .isEqualTo(r.value());
        }
    }
}
