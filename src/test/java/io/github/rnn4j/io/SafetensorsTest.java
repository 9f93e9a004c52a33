package io.github.rnn4j.io;

import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A safetensors file written to the spec by tools/fixtures/gen_arrays.py, plus damaged ones built here. */
class SafetensorsTest {
    private static final Path FILE = Resources.fixture("safetensors/mixed.safetensors");

    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    @Test
    void readsEveryDtypeExactlyInHeaderOrder() throws IOException {
        Map<String, Object> exp = (Map<String, Object>) ((Map<String, Object>) Resources.json(
                FILE.resolveSibling("safetensors_expected.json")).get("files")).get("mixed.safetensors");
        Map<String, Tensor> tensors = Safetensors.read(FILE);
        assertThat(List.copyOf(tensors.keySet())).isEqualTo(exp.get("order")).isNotEmpty();
        Map<String, Object> values = (Map<String, Object>) exp.get("tensors");
        for (String name : tensors.keySet()) {
            Map<String, Object> e = (Map<String, Object>) values.get(name);
            assertThat(tensors.get(name).shape()).as(name).isEqualTo(Resources.shape(e));
            assertThat(tensors.get(name).data()).as(name).isEqualTo(Resources.data(e));
        }
        assertThat(tensors.get("brain").data()).containsExactly(1.5, -0.0078125, 3.0, -96.5);
        assertThat(tensors.get("count").rank()).isZero();
        assertThat(Safetensors.metadata(FILE)).isEqualTo(exp.get("metadata"));
    }

    @Test
    void halfPrecisionCornerCases() {
        assertThat(ElementType.halfToDouble((short) 0x3C00)).isEqualTo(1.0);
        assertThat(ElementType.halfToDouble((short) 0x0001)).isEqualTo(0x1p-24);
        assertThat(ElementType.halfToDouble((short) 0x7BFF)).isEqualTo(65504.0);
        assertThat(ElementType.halfToDouble((short) 0xFC00)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(ElementType.halfToDouble((short) 0x7E00)).isNaN();
        assertThat(1.0 / ElementType.halfToDouble((short) 0x8000)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void noMetadataIsAnEmptyMap() throws IOException {
        Path f = write("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
        assertThat(Safetensors.metadata(f)).isEmpty();
        assertThat(Safetensors.read(f).get("a").data()).containsExactly(0.0);
    }

    @Test
    void damagedHeadersAreFileFormatExceptions() throws IOException {
        assertBad(write("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}", new byte[12]),
                "tensor 'a': data_offsets [0, 12] hold 12 bytes, shape [2] of F32 needs 8");
        assertBad(write("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]),
                "tensor 'a': data_offsets [0, 16] do not fit the 8-byte buffer");
        assertBad(write("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", new byte[0]),
                "tensor 'a': shape[0] is -1, expected a non-negative integer");
        assertBad(write("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,4]}}", new byte[4]),
                "has more than 2^31-1 elements");
        assertBad(write("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]), "'data_offsets' is null");
        assertBad(write("{\"a\":[1,2]}", new byte[0]), "tensor 'a' is an array, expected an object");
        assertBad(write("{\"a\":{\"dtype\":\"F32\",", new byte[0]), "header: invalid JSON at offset 20: unexpected end of text");
        assertThatThrownBy(() -> Safetensors.metadata(write("{\"__metadata__\":{\"n\":1}}", new byte[0])))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessageContaining("'__metadata__' entry 'n' is 1, expected a string");
    }

    @Test
    void unsupportedDtypeNamesTensorAndDtype() throws IOException {
        Path f = write("{\"c\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
        assertThatThrownBy(() -> Safetensors.read(f)).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessage(f + ": tensor 'c': dtype 'C64' is not supported; supported: F64, F32, F16, BF16, I64,"
                        + " I32, I16, I8, U8, BOOL");
    }

    @Test
    void aHeaderLengthBeyondTheFileFailsFast() throws IOException {
        Path f = tmp.resolve("huge.safetensors");
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array());
        assertBad(f, "the header length is 9223372036854775807 bytes, the file has 8 after the length");
        Path neg = tmp.resolve("neg.safetensors");
        Files.write(neg, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array());
        assertBad(neg, "the header length is 18446744073709551615 bytes");
    }

    @Test
    @Timeout(60)
    void everyTruncationIsAFileFormatException() throws IOException {
        byte[] whole = Files.readAllBytes(FILE);
        for (int n = 0; n < whole.length; n++) {
            Path cut = tmp.resolve("cut" + n + ".safetensors");
            Files.write(cut, Arrays.copyOf(whole, n));
            Throwable t = catchThrowable(() -> Safetensors.read(cut));
            assertThat(t).as("cut to %d bytes", n).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessageStartingWith(cut.toString());
        }
    }

    @Test
    void offsetsMustTileTheBufferWithoutGapOverlapOrTrailingBytes() throws IOException {
        String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":";
        String b = "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":";
        assertBad(write("{" + a + "[0,8]}," + b + "[4,8]}}", new byte[8]),
                "tensor 'b': data_offsets [4, 8] overlap those of tensor 'a' [0, 8]");
        assertBad(write("{" + a + "[0,8]}," + b + "[12,16]}}", new byte[16]),
                "tensor 'b': data_offsets [12, 16] leave the bytes [8, 12) of the buffer unused after tensor 'a'");
        assertBad(write("{" + a + "[4,12]}," + b + "[12,16]}}", new byte[16]),
                "tensor 'a': data_offsets [4, 12] leave the bytes [0, 4) of the buffer unused");
        assertBad(write("{" + a + "[0,8]}," + b + "[8,12]}}", new byte[16]),
                "the tensors end at byte 12 of the 16-byte buffer after the header; the format has no trailing bytes");
        // Listed out of order is fine as long as the offsets tile the buffer.
        Map<String, Tensor> ok = Safetensors.read(write("{" + b + "[8,12]}," + a + "[0,8]}}", new byte[12]));
        assertThat(ok.keySet()).containsExactly("b", "a");
    }

    @Test
    void headerAndTensorsCountAgainstTheLimits() throws IOException {
        Path f = write("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}", new byte[16]);
        assertThatThrownBy(() -> Safetensors.read(f, Limits.defaults().withMaxJsonBytes(20)))
                .isExactlyInstanceOf(FileFormatException.class).hasMessageStartingWith(f.toString())
                .hasMessageContaining("Limits.maxJsonBytes() = 20");
        assertThatThrownBy(() -> Safetensors.metadata(f, Limits.defaults().withMaxJsonDepth(1)))
                .isExactlyInstanceOf(FileFormatException.class).hasMessageContaining("nested deeper than 1 levels");
        assertThatThrownBy(() -> Safetensors.read(f, Limits.defaults().withMaxTensorBytes(15)))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(f + ": tensor 'a': shape [2] takes 16 bytes as doubles");
        Map<String, ArrayData> arrays = Safetensors.readArrays(f, Limits.defaults());
        assertThat(arrays.get("a").shape()).containsExactly(2);
        assertThat(arrays.get("a").data()).containsExactly(0.0, 0.0);
    }

    private Path write(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path f = Files.createTempFile(tmp, "t", ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    private static void assertBad(Path f, String finding) {
        assertThatThrownBy(() -> Safetensors.read(f)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(f.toString()).hasMessageContaining(finding);
    }
}
