package io.github.rnn4j.io;

import org.junit.jupiter.api.Test;

import io.github.rnn4j.model.Tensor;
import io.github.rnn4j.testing.Concurrently;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The dtype each tensor has in its file ({@link NumPy#npyDtype}, {@link NumPy#npzDtypes}, {@link Safetensors#dtypes},
 * {@link PyTorch#dtypes}, and the one-read {@link NumPy#readNpzWithDtypes} and {@link PyTorch#readStateDictWithDtypes}), against the dtypes the generators wrote: numpy's {@code np.save}/{@code np.savez}
 * ({@code tools/fixtures/gen_arrays.py}), the safetensors header, {@code torch.save}
 * ({@code tools/fixtures/gen_pytorch_models.py}).
 */
class TensorDtypesTest {
    private static Path fixture(String path) {
        return Path.of("src/test/resources/fixtures").resolve(path);
    }

    @Test
    void npyFilesWrittenByNumpy() throws IOException {
        Map<String, String> expected = Map.ofEntries(Map.entry("f8_2d.npy", "float64"),
                Map.entry("f4_1d.npy", "float32"), Map.entry("f2_2d.npy", "float16"), Map.entry("i8_0d.npy", "int64"),
                Map.entry("i4_3d.npy", "int32"), Map.entry("i2_1d.npy", "int16"), Map.entry("i1_1d.npy", "int8"),
                Map.entry("u8_1d.npy", "uint64"), Map.entry("u4_1d.npy", "uint32"), Map.entry("u2_1d.npy", "uint16"),
                Map.entry("u1_1d.npy", "uint8"), Map.entry("b1_1d.npy", "bool"), Map.entry("f8_v3.npy", "float64"));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertThat(NumPy.npyDtype(fixture("numpy/" + e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void npzArchivesStoredAndDeflatedInArchiveOrder() throws IOException {
        for (String name : new String[] {"stored.npz", "deflated.npz"}) {
            assertThat(NumPy.npzDtypes(fixture("numpy/" + name))).as(name).containsExactly(
                    Map.entry("kernel", "float64"), Map.entry("recurrent_kernel", "float64"),
                    Map.entry("bias", "float32"), Map.entry("step", "int64"));
        }
    }

    @Test
    void safetensorsFromTheHeaderAlone() throws IOException {
        assertThat(Safetensors.dtypes(fixture("safetensors/mixed.safetensors"))).containsExactly(
                Map.entry("rnn.kernel", "float64"), Map.entry("rnn.bias", "float32"), Map.entry("half", "float16"),
                Map.entry("brain", "bfloat16"), Map.entry("ids", "int64"), Map.entry("count", "int32"),
                Map.entry("empty", "float32"));
    }

    @Test
    void pytorchStateDictsInEveryFormatTheReaderTakes() throws IOException {
        Map<String, String> views = PyTorch.dtypes(fixture("pytorch_models/views.pt"));
        assertThat(views).containsEntry("contiguous", "float64").containsEntry("transposed", "float64")
                .containsEntry("num_batches_tracked", "int64").containsEntry("int64_matrix", "int64")
                .containsEntry("float32", "float32").containsEntry("float16", "float16")
                .containsEntry("bfloat16", "bfloat16");
        assertThat(views.keySet()).containsExactlyElementsOf(PyTorch.readStateDict(fixture("pytorch_models/views.pt"))
                .keySet());
        assertThat(PyTorch.dtypes(fixture("safetensors/mixed.safetensors")))
                .isEqualTo(Safetensors.dtypes(fixture("safetensors/mixed.safetensors")));
        assertThat(PyTorch.dtypes(fixture("numpy/stored.npz"))).isEqualTo(NumPy.npzDtypes(fixture("numpy/stored.npz")));
    }

    @Test
    void oneReadGivesTheDtypesAndValuesOfTheSeparateCalls() throws IOException {
        List<Path> npz = List.of(fixture("numpy/stored.npz"), fixture("numpy/deflated.npz"),
                fixture("pytorch_models/charlm.npz"));
        for (Path file : npz) {
            StoredTensors both = NumPy.readNpzWithDtypes(file);
            assertThat(both.dtypes()).as("%s", file).containsExactlyEntriesOf(NumPy.npzDtypes(file));
            assertSameTensors(file, both.tensors(), NumPy.readNpz(file));
        }
        List<Path> stateDicts = new ArrayList<>(npz);
        try (Stream<Path> files = Files.list(fixture("pytorch_models"))) {
            files.filter(f -> f.toString().endsWith(".pt")).sorted().forEach(stateDicts::add);
        }
        stateDicts.add(fixture("pytorch_models/charlm.safetensors"));
        stateDicts.add(fixture("safetensors/mixed.safetensors"));
        assertThat(stateDicts).hasSize(3 + 18 + 2);
        for (Path file : stateDicts) {
            StoredTensors both = PyTorch.readStateDictWithDtypes(file);
            assertThat(both.dtypes()).as("%s", file).containsExactlyEntriesOf(PyTorch.dtypes(file));
            assertSameTensors(file, both.tensors(), PyTorch.readStateDict(file));
        }
    }

    private static void assertSameTensors(Path file, Map<String, Tensor> actual, Map<String, Tensor> expected) {
        assertThat(actual.keySet()).as("%s", file).containsExactlyElementsOf(expected.keySet());
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor t = actual.get(e.getKey());
            assertThat(t.shape()).as("%s: %s", file, e.getKey()).isEqualTo(e.getValue().shape());
            assertThat(t.data()).as("%s: %s", file, e.getKey()).isEqualTo(e.getValue().data());
        }
    }

    @Test
    void oneReadIsUnmodifiableAndSharedSafelyBetweenThreads() throws Exception {
        Path file = fixture("pytorch_models/views.pt");
        StoredTensors shared = PyTorch.readStateDictWithDtypes(file);
        assertThatThrownBy(() -> shared.dtypes().put("x", "float64")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> shared.tensors().clear()).isInstanceOf(UnsupportedOperationException.class);
        Map<String, String> dtypes = PyTorch.dtypes(file);
        Map<String, Tensor> tensors = PyTorch.readStateDict(file);
        List<Integer> checked = Concurrently.run(8, i -> () -> {
            StoredTensors own = i % 2 == 0 ? PyTorch.readStateDictWithDtypes(file) : shared;
            assertThat(own.dtypes()).containsExactlyEntriesOf(dtypes);
            assertSameTensors(file, own.tensors(), tensors);
            return own.tensors().size();
        });
        assertThat(checked).hasSize(8).containsOnly(tensors.size());
    }

    @Test
    void oneReadRefusesWhatTheSeparateCallsRefuseWithTheSameMessage() throws IOException {
        List<Path> hostile = new ArrayList<>();
        try (Stream<Path> files = Files.list(fixture("pytorch_models/hostile"))) {
            files.sorted().forEach(hostile::add);
        }
        hostile.add(fixture("numpy/bad/not_a_zip.npz"));
        hostile.add(fixture("numpy/bad_entry.npz"));
        // lstm_hidden5.pt is a readable state dict that fits no LSTM(…, 4); every other file is refused.
        hostile.remove(fixture("pytorch_models/hostile/lstm_hidden5.pt"));
        assertThat(hostile).hasSize(9 + 2);
        for (Path file : hostile) {
            Throwable separate = catchThrowable(() -> PyTorch.readStateDict(file));
            assertThat(separate).as("%s", file).isInstanceOf(IOException.class);
            assertThat(catchThrowable(() -> PyTorch.readStateDictWithDtypes(file))).as("%s", file)
                    .isInstanceOf(separate.getClass()).hasMessage(separate.getMessage());
        }
        for (Path file : List.of(fixture("numpy/bad/not_a_zip.npz"), fixture("numpy/bad_entry.npz"))) {
            Throwable separate = catchThrowable(() -> NumPy.readNpz(file));
            assertThat(separate).as("%s", file).isInstanceOf(IOException.class);
            assertThat(catchThrowable(() -> NumPy.readNpzWithDtypes(file))).as("%s", file)
                    .isInstanceOf(separate.getClass()).hasMessage(separate.getMessage());
        }
    }

    @Test
    void oneReadKeepsTheLimits() {
        Limits tiny = Limits.defaults().withMaxTensorBytes(8);
        Path npz = fixture("numpy/stored.npz");
        Throwable separate = catchThrowable(() -> NumPy.readNpz(npz, tiny));
        assertThat(separate).isInstanceOf(FileFormatException.class);
        assertThat(catchThrowable(() -> NumPy.readNpzWithDtypes(npz, tiny)))
                .isInstanceOf(FileFormatException.class).hasMessage(separate.getMessage());
        Path pt = fixture("pytorch_models/lstm_l1.pt");
        Throwable separatePt = catchThrowable(() -> PyTorch.readStateDict(pt, tiny));
        assertThat(separatePt).isInstanceOf(FileFormatException.class);
        assertThat(catchThrowable(() -> PyTorch.readStateDictWithDtypes(pt, tiny)))
                .isInstanceOf(FileFormatException.class).hasMessage(separatePt.getMessage());
    }

    @Test
    void nullFileIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> Safetensors.dtypes(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file");
        assertThatThrownBy(() -> PyTorch.dtypes(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file");
        assertThatThrownBy(() -> NumPy.npzDtypes(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file");
        assertThatThrownBy(() -> NumPy.npyDtype(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file");
        assertThatThrownBy(() -> NumPy.readNpzWithDtypes(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file");
        assertThatThrownBy(() -> PyTorch.readStateDictWithDtypes(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file");
        assertThatThrownBy(() -> NumPy.readNpzWithDtypes(fixture("numpy/stored.npz"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limits");
        assertThatThrownBy(() -> PyTorch.readStateDictWithDtypes(fixture("pytorch_models/lstm_l1.pt"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limits");
    }
}
