package io.github.rnn4j.io;

import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The edges of {@link PyTorch} (format detection by the first bytes, reading a stream within its limit, modules
 * that refuse parameters they do not have) and of {@link PyTorchRecurrent}'s description.
 */
class PyTorchEdgesTest {
    private static final String NOT_A_STATE_DICT = ": not a state dict file: expected a torch.save zip archive"
            + " (PK\\3\\4), a .npz archive or a safetensors file";

    private static Map<String, Tensor> read(byte[] content) throws IOException {
        return PyTorch.readStateDict(new ByteArrayInputStream(content), "s", Limits.defaults());
    }

    private static byte[] le64(long v) {
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (v >>> (8 * i));
        }
        return out;
    }

    // ------------------------------------------------------------------ detection

    @Test
    void aSafetensorsStreamIsReadAsItsFileIs() throws Exception {
        Path file = Resources.fixture("pytorch_models/charlm.safetensors");
        Map<String, Tensor> fromFile = PyTorch.readStateDict(file);
        Map<String, Tensor> fromStream;
        try (InputStream in = Files.newInputStream(file)) {
            fromStream = PyTorch.readStateDict(in);
        }
        assertThat(new ArrayList<>(fromStream.keySet())).containsExactlyElementsOf(fromFile.keySet());
        for (String k : fromFile.keySet()) {
            assertThat(fromStream.get(k).data()).as(k).containsExactly(fromFile.get(k).data());
        }
    }

    @Test
    void aSafetensorsHeaderLengthFrom2UpToTheLimitIsASafetensorsFile() throws Exception {
        // the smallest safetensors file: a header of 2 bytes, "{}"
        assertThat(read(StateDictPickleEdgesTest.bytes(le64(2), "{}"))).isEmpty();
        assertThatThrownBy(() -> read(StateDictPickleEdgesTest.bytes(le64(1), "{")))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("s" + NOT_A_STATE_DICT);
        // a header of exactly Safetensors.MAX_HEADER bytes is a safetensors file, truncated here
        assertThatThrownBy(() -> read(StateDictPickleEdgesTest.bytes(le64(100L << 20), "{}")))
                .isInstanceOf(FileFormatException.class)
                .hasMessageContaining("104857600")
                .hasMessageNotContaining("not a state dict file");
        assertThatThrownBy(() -> read(StateDictPickleEdgesTest.bytes(le64((100L << 20) + 1), "{}")))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("s" + NOT_A_STATE_DICT);
    }

    @Test
    void aBarePickleOfProtocol2To5IsTheLegacyFormatEvenWhenItIsTwoBytesLong() {
        for (int protocol = 2; protocol <= 5; protocol++) {
            byte[] two = {(byte) 0x80, (byte) protocol};
            assertThatThrownBy(() -> read(two)).as("protocol %d", protocol)
                    .isInstanceOf(UnsupportedFeatureException.class)
                    .hasMessageStartingWith("s: a bare pickle, the legacy format torch.save wrote before PyTorch 1.6");
        }
        assertThatThrownBy(() -> read(new byte[] {(byte) 0x80, 6}))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("s" + NOT_A_STATE_DICT);
        assertThatThrownBy(() -> read(new byte[] {(byte) 0x80}))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("s" + NOT_A_STATE_DICT);
    }

    @Test
    void aMagicNumberAloneDecidesTheFormat() {
        // exactly the 6 bytes of the .npy magic
        assertThatThrownBy(() -> read(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageStartingWith("s: a single .npy array is not a state dict");
        // exactly the 4 bytes of a zip signature: a zip, damaged
        assertThatThrownBy(() -> read(new byte[] {'P', 'K', 5, 6}))
                .isInstanceOf(FileFormatException.class)
                .hasMessageNotContaining("not a state dict file");
        // shorter than every magic number
        for (byte[] shorter : List.of(new byte[0], new byte[] {'P'}, new byte[] {'P', 'K', 3})) {
            assertThatThrownBy(() -> read(shorter))
                    .isInstanceOf(FileFormatException.class)
                    .hasMessage("s" + NOT_A_STATE_DICT);
        }
    }

    // ------------------------------------------------------------------ zips that are not torch archives

    @Test
    void anNpzMayHoldDirectoryEntriesButNothingElseThatIsNotANpy() throws Exception {
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (ZipArchive zip = ZipArchive.open(Resources.fixture("pytorch_models/charlm.npz"), Limits.defaults())) {
            for (ZipArchive.Entry e : zip.entries()) {
                members.put(e.name, zip.read(e));
            }
        }
        List<Object> withDirectory = new ArrayList<>(List.of("extra/", new byte[0]));
        members.forEach((k, v) -> {
            withDirectory.add(k);
            withDirectory.add(v);
        });
        Map<String, Tensor> sd = read(PyTorchReadTest.zip(withDirectory.toArray()));
        assertThat(sd.keySet()).containsExactlyElementsOf(
                PyTorch.readStateDict(Resources.fixture("pytorch_models/charlm.npz")).keySet());

        List<Object> withNotes = new ArrayList<>(withDirectory);
        withNotes.add("notes.txt");
        withNotes.add("hello".getBytes());
        assertThatThrownBy(() -> read(PyTorchReadTest.zip(withNotes.toArray())))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("s: a zip archive that is neither a torch.save archive (no <name>/data.pkl) nor a .npz"
                        + " (entry 'notes.txt' is not a .npy)");
    }

    // ------------------------------------------------------------------ reading a stream within its limit

    @Test
    void aStreamOfExactlyMaxInflatedBytesIsReadAndOneMoreChunkIsRefused() throws Exception {
        byte[] file = Files.readAllBytes(Resources.fixture("pytorch_models/lstm_l1.pt"));
        Map<String, Tensor> sd = PyTorch.readStateDict(new ByteArrayInputStream(file), "s",
                Limits.defaults().withMaxInflatedBytes(file.length));
        assertThat(sd).containsKey("weight_ih_l0");
        // 70,000 bytes arrive as 65,536 then 4,464 (the reader asks for 64 KiB at a time)
        byte[] big = new byte[70_000];
        assertThatThrownBy(() -> PyTorch.readStateDict(new ByteArrayInputStream(big), "s",
                Limits.defaults().withMaxInflatedBytes(66_000)))
                .isInstanceOf(FileFormatException.class)
                .hasMessage("s: the stream has more than 65536 bytes, more than Limits.maxInflatedBytes() = 66000;"
                        + " if the file is trusted, raise the limit with Limits.defaults().withMaxInflatedBytes(...)"
                        + " and pass it to the reader");
        byte[] justOver = new byte[file.length + 1];
        System.arraycopy(file, 0, justOver, 0, file.length);
        assertThatThrownBy(() -> PyTorch.readStateDict(new ByteArrayInputStream(justOver), "s",
                Limits.defaults().withMaxInflatedBytes(file.length)))
                .isInstanceOf(FileFormatException.class)
                .hasMessageStartingWith("s: the stream has more than 0 bytes, more than Limits.maxInflatedBytes() = "
                        + file.length);
    }

    // ------------------------------------------------------------------ modules refuse parameters they lack

    private static Tensor zeros(int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return Tensor.of(shape, new double[n]);
    }

    @Test
    void linearEmbeddingAndLayerNormRefuseAnExtraParameter() {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("fc.weight", zeros(2, 3));
        sd.put("fc.bias", zeros(2));
        sd.put("fc.scale", zeros(2));
        assertThatThrownBy(() -> PyTorch.linear(sd, "fc", 3, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("extra parameter fc.scale [2] in the state dict: nn.Linear has only weight and bias");
        sd.put("emb.weight", zeros(5, 3));
        sd.put("emb.bias", zeros(3));
        assertThatThrownBy(() -> PyTorch.embedding(sd, "emb", 5, 3, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("extra parameter emb.bias [3] in the state dict: nn.Embedding has only weight");
        sd.put("norm.weight", zeros(4));
        sd.put("norm.bias", zeros(4));
        sd.put("norm.running_mean", zeros(4));
        assertThatThrownBy(() -> PyTorch.layerNorm(sd, "norm", 4, 1e-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("extra parameter norm.running_mean [4] in the state dict: nn.LayerNorm has only weight"
                        + " and bias");
    }

    // ------------------------------------------------------------------ the recurrent description

    @Test
    void sizesBelowOneAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> PyTorchRecurrent.of(PyTorchRecurrent.Kind.LSTM, 0, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputSize is 0, expected >= 1");
        assertThatThrownBy(() -> PyTorchRecurrent.of(PyTorchRecurrent.Kind.LSTM, 3, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hiddenSize is 0, expected >= 1");
        assertThatThrownBy(() -> PyTorch.lstm(3, 4).numLayers(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("numLayers is 0, expected >= 1");
    }

    @Test
    void theDescriptionReportsWhatItWasGiven() {
        PyTorchRecurrent plain = PyTorch.gru(3, 4);
        assertThat(plain.kind()).isEqualTo(PyTorchRecurrent.Kind.GRU);
        assertThat(plain.inputSize()).isEqualTo(3);
        assertThat(plain.hiddenSize()).isEqualTo(4);
        assertThat(plain.numLayers()).isEqualTo(1);
        assertThat(plain.hasBias()).isTrue();
        assertThat(plain.isBidirectional()).isFalse();
        PyTorchRecurrent other = PyTorch.lstm(5, 7).numLayers(3).bias(false).bidirectional(true);
        assertThat(other.kind()).isEqualTo(PyTorchRecurrent.Kind.LSTM);
        assertThat(other.hiddenSize()).isEqualTo(7);
        assertThat(other.numLayers()).isEqualTo(3);
        assertThat(other.hasBias()).isFalse();
        assertThat(other.isBidirectional()).isTrue();
    }

    static Map<String, Tensor> gruLayers(int layers) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (int k = 0; k < layers; k++) {
            sd.put("weight_ih_l" + k, zeros(9, k == 0 ? 2 : 3));
            sd.put("weight_hh_l" + k, zeros(9, 3));
            sd.put("bias_ih_l" + k, zeros(9));
            sd.put("bias_hh_l" + k, zeros(9));
        }
        return sd;
    }

    @Test
    void theParametersOfAFurtherLayerAreRefused() {
        assertThatThrownBy(() -> PyTorch.gru(2, 3).model(gruLayers(2), ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("extra parameters weight_ih_l1 [9][3], weight_hh_l1 [9][3], bias_ih_l1 [9],"
                        + " bias_hh_l1 [9] in the state dict")
                .hasMessageContaining("check num_layers");
    }

    @Test
    void aSingleFinalStateIsReshapedWithoutAConcatenate() {
        Model one = PyTorch.gru(2, 3).model(gruLayers(1), "");
        assertThat(one.layers()).containsKey("h_n").doesNotContainKey("h_n_concat");
        Model two = PyTorch.gru(2, 3).numLayers(2).model(gruLayers(2), "");
        assertThat(two.layers()).containsKeys("h_n", "h_n_concat");
    }
}
