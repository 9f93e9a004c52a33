package io.github.rnn4j.io;

import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import static io.github.rnn4j.io.StateDictPickleEdgesTest.binunicode;
import static io.github.rnn4j.io.StateDictPickleEdgesTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The edges of {@link TorchArchive} on archives written here with {@code java.util.zip}, holding pickles written by
 * hand in the layout torch/serialization.py ({@code _save}) gives them: {@code <name>/data.pkl} with persistent ids
 * {@code ('storage', torch.FloatStorage, key, 'cpu', numel)} and {@code _rebuild_tensor_v2(storage, offset, size,
 * stride, requires_grad, hooks)}, {@code <name>/data/<key>} little-endian float32, and an optional
 * {@code <name>/byteorder}.
 */
class TorchArchiveEdgesTest {
    private static final float[] VALUES = {1.5f, -2.25f, 3.0f, 0.125f};

    /** A pickled integer: BININT1, BININT (signed int32) or an 8-byte LONG1, as pickle.py chooses. */
    static byte[] integer(long v) {
        if (v >= 0 && v < 256) {
            return bytes('K', (int) v);
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return bytes('J', (int) (v & 0xFF), (int) (v >>> 8 & 0xFF), (int) (v >>> 16 & 0xFF),
                    (int) (v >>> 24 & 0xFF));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x8a);
        out.write(8);
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i) & 0xFF));
        }
        return out.toByteArray();
    }

    private static byte[] tuple(long[] items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('(');
        for (long v : items) {
            out.writeBytes(integer(v));
        }
        out.write('t');
        return out.toByteArray();
    }

    /** BINPERSID of {@code ('storage', torch.FloatStorage, key, 'cpu', numel)}. */
    static byte[] storage(String key, long numel) {
        return bytes('(', binunicode("storage"), 'c', "torch\nFloatStorage\n", binunicode(key), binunicode("cpu"),
                integer(numel), 't', 'Q');
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()[, extra...])}. */
    static byte[] tensor(String key, long numel, long offset, long[] shape, long[] stride, byte[]... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes('c', "torch._utils\n_rebuild_tensor_v2\n", '('));
        out.writeBytes(storage(key, numel));
        out.writeBytes(integer(offset));
        out.writeBytes(tuple(shape));
        out.writeBytes(tuple(stride));
        out.writeBytes(bytes(0x89, 'c', "collections\nOrderedDict\n", ')', 'R'));
        for (byte[] e : extra) {
            out.writeBytes(e);
        }
        out.writeBytes(bytes('t', 'R'));
        return out.toByteArray();
    }

    /** A protocol-2 state dict pickle {@code {'w': tensor}}. */
    static byte[] stateDict(byte[] tensor) {
        return bytes(0x80, 2, 'c', "collections\nOrderedDict\n", ')', 'R', binunicode("w"), tensor, 's', '.');
    }

    static byte[] float32(ByteOrder order, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(order);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** An archive of {@code m/data.pkl}, {@code m/data/0} (the four values) and {@code m/version}, after others. */
    private static byte[] archive(byte[] pickle, Object... before) throws IOException {
        Object[] all = new Object[before.length + 6];
        System.arraycopy(before, 0, all, 0, before.length);
        System.arraycopy(new Object[] {"m/data.pkl", pickle, "m/data/0", float32(ByteOrder.LITTLE_ENDIAN, VALUES),
                "m/version", "3\n".getBytes()}, 0, all, before.length, 6);
        return PyTorchReadTest.zip(all);
    }

    private static Map<String, Tensor> read(byte[] archive, Limits limits) throws IOException {
        return PyTorch.readStateDict(new ByteArrayInputStream(archive), "t.pt", limits);
    }

    private static Map<String, Tensor> read(byte[] archive) throws IOException {
        return read(archive, Limits.defaults());
    }

    private static byte[] view(long numel, long offset, long[] shape, long[] stride) {
        return stateDict(tensor("0", numel, offset, shape, stride));
    }

    @Test
    void aHandWrittenArchiveIsReadWithItsValues() throws Exception {
        Map<String, Tensor> sd = read(archive(view(4, 0, new long[] {2, 2}, new long[] {1, 2})));
        // a transposed view: element [i][j] is storage[i + 2j]
        assertThat(sd.get("w").shape()).containsExactly(2, 2);
        assertThat(sd.get("w").data()).containsExactly(1.5, 3.0, -2.25, 0.125);
    }

    @Test
    void theArchiveNameIsTheFolderOfDataPklWhateverComesFirst() throws Exception {
        Map<String, Tensor> sd = read(archive(view(4, 0, new long[] {4}, new long[] {1}),
                "other/notes.txt", "not part of the archive".getBytes()));
        assertThat(sd.get("w").data()).containsExactly(1.5, -2.25, 3.0, 0.125);
    }

    @Test
    void aDataPklAtTheRootIsNotATorchArchive() throws Exception {
        byte[] zip = PyTorchReadTest.zip("/data.pkl", view(4, 0, new long[] {4}, new long[] {1}), "/data/0",
                float32(ByteOrder.LITTLE_ENDIAN, VALUES));
        assertThatThrownBy(() -> read(zip))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("t.pt: a zip archive that is neither a torch.save archive (no <name>/data.pkl) nor a .npz"
                        + " (entry '/data.pkl' is not a .npy)");
    }

    @Test
    void aPickleOfExactlyMaxJsonBytesIsRead() throws Exception {
        byte[] pickle = view(4, 0, new long[] {4}, new long[] {1});
        byte[] archive = archive(pickle);
        assertThat(read(archive, Limits.defaults().withMaxJsonBytes(pickle.length))).containsKey("w");
        assertThatThrownBy(() -> read(archive, Limits.defaults().withMaxJsonBytes(pickle.length - 1)))
                .isInstanceOf(FileFormatException.class)
                .hasMessageStartingWith("t.pt[m/data.pkl]: the pickle declares " + pickle.length + " bytes, more than"
                        + " Limits.maxJsonBytes() = " + (pickle.length - 1));
    }

    @Test
    void aStorageOfUpToTwoToThe31Minus9ElementsIsComparedWithItsRecord() throws Exception {
        long most = Integer.MAX_VALUE - 8;
        assertThatThrownBy(() -> read(archive(view(most, 0, new long[] {4}, new long[] {1}))))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("t.pt[m/data/0]: the record has 16 bytes, the pickle declares " + most
                        + " torch.FloatStorage elements = " + most * 4 + " bytes (the storage is shorter than"
                        + " declared)");
        assertThatThrownBy(() -> read(archive(view(most + 1, 0, new long[] {4}, new long[] {1}))))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("t.pt: storage '0' declares " + (most + 1) + " elements, more than a Java array holds");
    }

    @Test
    void aDimensionOfTwoToThe31Minus1IsCheckedAgainstItsStorage() throws Exception {
        assertThatThrownBy(() -> read(archive(view(4, 0, new long[] {Integer.MAX_VALUE}, new long[] {1}))))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("t.pt: tensor 'w': size [2147483647], stride [1] and storage offset 0 reach element"
                        + " 2147483646, but its storage '0' has 4 elements (the storage is shorter than the tensor)");
        assertThatThrownBy(() -> read(archive(view(4, 0, new long[] {Integer.MAX_VALUE + 1L}, new long[] {1}))))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("t.pt: tensor 'w': dimension 0 of size [2147483648] is more than 2^31-1");
        assertThatThrownBy(() -> read(archive(view(4, 0, new long[] {65536, 65536}, new long[] {0, 0}))))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("t.pt: tensor 'w': size [65536][65536] has more than 2^31-1 elements");
    }

    @Test
    void aViewMayEndAtTheLastElementOfItsStorageButNotBeyond() throws Exception {
        assertThat(read(archive(view(4, 1, new long[] {3}, new long[] {1}))).get("w").data())
                .containsExactly(-2.25, 3.0, 0.125);
        assertThatThrownBy(() -> read(archive(view(4, 1, new long[] {4}, new long[] {1}))))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("t.pt: tensor 'w': size [4], stride [1] and storage offset 1 reach element 4, but its"
                        + " storage '0' has 4 elements (the storage is shorter than the tensor)");
    }

    @Test
    void anEmptyDimensionAddsNothingToTheLastElementReached() throws Exception {
        // offset + (2 - 1)·1 overflows 64 bits; the empty first dimension must not pull the sum back below it
        assertThatThrownBy(() -> read(archive(view(4, Long.MAX_VALUE, new long[] {0, 2}, new long[] {1, 1}))))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("t.pt: tensor 'w': its size and strides overflow 64 bits");
        assertThat(read(archive(view(4, 3, new long[] {0, 2}, new long[] {1, 1}))).get("w").shape())
                .containsExactly(0, 2);
    }

    @Test
    void aByteorderRecordOfUpTo16BytesIsRead() throws Exception {
        byte[] pickle = view(4, 0, new long[] {4}, new long[] {1});
        byte[] sixteen = archive(pickle, "m/byteorder", "little          ".getBytes());
        assertThat(read(sixteen).get("w").data()).containsExactly(1.5, -2.25, 3.0, 0.125);
        byte[] seventeen = archive(pickle, "m/byteorder", "little           ".getBytes());
        assertThatThrownBy(() -> read(seventeen))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("t.pt[m/byteorder]: 17 bytes, expected 'little' or 'big'");
        byte[] big = PyTorchReadTest.zip("m/data.pkl", pickle, "m/byteorder", "big".getBytes(), "m/data/0",
                float32(ByteOrder.BIG_ENDIAN, VALUES));
        assertThat(read(big).get("w").data()).containsExactly(1.5, -2.25, 3.0, 0.125);
    }
}
