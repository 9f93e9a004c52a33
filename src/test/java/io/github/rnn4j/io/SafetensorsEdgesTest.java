package io.github.rnn4j.io;

import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The edges of the safetensors reader that SafetensorsTest leaves open (PIT survivors, docs/mutation.md), on files
 * written byte by byte here following the format (github.com/huggingface/safetensors, README "Format"): an 8-byte
 * little-endian header length N, N bytes of JSON, then the byte buffer the data offsets point into.
 */
class SafetensorsEdgesTest {
    @TempDir
    Path tmp;

    static byte[] image(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h)
                .put(data).array();
    }

    private Path write(String header, byte[] data) throws IOException {
        Path f = Files.createTempFile(tmp, "t", ".safetensors");
        Files.write(f, image(header, data));
        return f;
    }

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    @Test
    void inMemoryImagesReadAsFilesDo() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.5).putDouble(-0.25);
        Map<String, ArrayData> arrays = Safetensors.readArrays(image("{" + tensor("w", "F64", "[2,1]", 0, 16) + "}",
                data.array()), "mem.safetensors", Limits.defaults());
        assertThat(arrays.keySet()).containsExactly("w");
        assertThat(arrays.get("w").shape()).containsExactly(2, 1);
        assertThat(arrays.get("w").data()).containsExactly(1.5, -0.25);
    }

    @Test
    void integerAndBoolDtypesReadAsTheirValues() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(4 + 2 + 2 + 2).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) -32768).putShort((short) 32767); // I16 [0, 4)
        data.put((byte) -128).put((byte) 127);                 // I8 [4, 6)
        data.put((byte) 255).put((byte) 0);                    // U8 [6, 8)
        data.put((byte) 1).put((byte) 0);                      // BOOL [8, 10)
        Path f = write("{" + tensor("s", "I16", "[2]", 0, 4) + "," + tensor("b", "I8", "[2]", 4, 6) + ","
                + tensor("u", "U8", "[2]", 6, 8) + "," + tensor("t", "BOOL", "[2]", 8, 10) + "}", data.array());
        Map<String, Tensor> t = Safetensors.read(f);
        assertThat(t.get("s").data()).containsExactly(-32768, 32767);
        assertThat(t.get("b").data()).containsExactly(-128, 127);
        assertThat(t.get("u").data()).containsExactly(255, 0);
        assertThat(t.get("t").data()).containsExactly(1, 0);
        assertThat(Safetensors.dtypes(f)).containsExactly(Map.entry("s", "int16"), Map.entry("b", "int8"),
                Map.entry("u", "uint8"), Map.entry("t", "bool"));
    }

    @Test
    void dtypesRefusesOffsetsThatDoNotTileTheBuffer() throws IOException {
        Path f = write("{" + tensor("a", "F32", "[1]", 4, 8) + "}", new byte[8]);
        assertThatThrownBy(() -> Safetensors.dtypes(f)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(f + ": tensor 'a': data_offsets [4, 8] leave the bytes [0, 4) of the buffer unused; the"
                        + " format has no gaps");
    }

    @Test
    void emptyTensorsTileInAnyHeaderOrder() throws IOException {
        // The reference implementation sorts the tensors by (begin, end) before checking the tiling
        // (safetensors/src/tensor.rs, Metadata's Deserialize: tensors.sort_by data_offsets): an empty tensor [8, 8]
        // sits between [0, 8] and [8, 16] whatever order the header lists them in.
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(3).putDouble(-4);
        String a = tensor("a", "F64", "[1]", 0, 8);
        String e = tensor("e", "F64", "[0]", 8, 8);
        String c = tensor("c", "F64", "[1]", 8, 16);
        for (String order : new String[] {e + "," + a + "," + c, a + "," + c + "," + e, c + "," + e + "," + a}) {
            Map<String, Tensor> t = Safetensors.read(write("{" + order + "}", data.array()));
            assertThat(t.get("a").data()).as(order).containsExactly(3.0);
            assertThat(t.get("e").shape()).as(order).containsExactly(0);
            assertThat(t.get("c").data()).as(order).containsExactly(-4.0);
        }
    }

    @Test
    void anEightByteFileHasNoRoomForAHeader() throws IOException {
        Path f = tmp.resolve("eight.safetensors");
        Files.write(f, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(2).array());
        assertThatThrownBy(() -> Safetensors.read(f)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(f + ": not a safetensors file: the header length is 2 bytes, the file has 0 after the"
                        + " length");
    }

    @Test
    void theSmallestFileIsAnEmptyHeaderFillingTheRest() throws IOException {
        Path f = write("{}", new byte[0]);
        assertThat(Safetensors.read(f)).isEmpty();
        assertThat(Safetensors.metadata(f)).isEmpty();
    }

    @Test
    void aHeaderLengthOneBeyondTheFileNamesBothSizes() throws IOException {
        Path f = tmp.resolve("short.safetensors");
        Files.write(f, ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).putLong(3).put((byte) '{')
                .put((byte) '}').array());
        assertThatThrownBy(() -> Safetensors.read(f)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(f + ": not a safetensors file: the header length is 3 bytes, the file has 2 after the"
                        + " length");
    }

    @Test
    void aHeaderOfExactlyTheFormatsLimitMeetsTheCallersLimitFirst() throws IOException {
        // Sparse files: the header length is checked against the limits before a header byte is read.
        long formatLimit = 100L << 20;
        Path at = sparse("at.safetensors", formatLimit);
        assertThatThrownBy(() -> Safetensors.read(at)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(at + ": a header of " + formatLimit + " bytes")
                .hasMessageContaining("Limits.maxJsonBytes() = " + (64L << 20));
        Path past = sparse("past.safetensors", formatLimit + 1);
        assertThatThrownBy(() -> Safetensors.read(past)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(past + ": the header length is " + (formatLimit + 1) + " bytes, more than the format's"
                        + " limit of " + formatLimit);
    }

    private Path sparse(String name, long headerLength) throws IOException {
        Path f = tmp.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).array());
            raf.setLength(8 + headerLength);
        }
        return f;
    }

    @Test
    void aHeaderOfExactlyMaxJsonBytesIsRead() throws IOException {
        String header = "{" + tensor("a", "F64", "[1]", 0, 8) + "}";
        Path f = write(header, new byte[8]);
        int n = header.getBytes(StandardCharsets.UTF_8).length;
        assertThat(Safetensors.read(f, Limits.defaults().withMaxJsonBytes(n)).get("a").data()).containsExactly(0.0);
        assertThatThrownBy(() -> Safetensors.read(f, Limits.defaults().withMaxJsonBytes(n - 1)))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(f + ": a header of " + n + " bytes");
    }

    @Test
    void aDimensionOfExactlyTwoToThe31MinusOneIsATensorDimension() throws IOException {
        Path f = write("{" + tensor("a", "U8", "[2147483647]", 0, 1) + "}", new byte[1]);
        assertThatThrownBy(() -> Safetensors.read(f)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(f + ": tensor 'a': data_offsets [0, 1] hold 1 bytes, shape [2147483647] of U8 needs"
                        + " 2147483647");
    }

    @Test
    void aSizeMismatchAfterTheFirstTensorCountsItsOwnBytes() throws IOException {
        Path f = write("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 8, 20) + "}",
                new byte[20]);
        assertThatThrownBy(() -> Safetensors.read(f)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(f + ": tensor 'b': data_offsets [8, 20] hold 12 bytes, shape [2] of F32 needs 8");
    }

    @Test
    void tensorsLargerThanOneReadAreReadWhole() throws IOException {
        // 131,077 doubles: more than the 1 MiB (131,072 doubles) read at a time, then a tensor after it.
        int n = (1 << 17) + 5;
        ByteBuffer data = ByteBuffer.allocate(8 * n + 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            data.putDouble(i * 0.5 - 7);
        }
        data.putDouble(42.0);
        Path f = write("{" + tensor("big", "F64", "[" + n + "]", 0, 8L * n) + "," + tensor("after", "F64", "[1]",
                8L * n, 8L * n + 8) + "}", data.array());
        Map<String, Tensor> t = Safetensors.read(f);
        double[] big = t.get("big").data();
        assertThat(big).hasSize(n);
        for (int i = 0; i < n; i++) {
            if (big[i] != i * 0.5 - 7) {
                assertThat(big[i]).as("big[%d]", i).isEqualTo(i * 0.5 - 7);
            }
        }
        assertThat(t.get("after").data()).containsExactly(42.0);
    }
}
