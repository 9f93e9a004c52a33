package io.github.rnn4j.io;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dtype each tensor has in its file ({@link NumPy#npyDtype}, {@link NumPy#npzDtypes}, {@link Safetensors#dtypes},
 * {@link PyTorch#dtypes}), against the dtypes the generators wrote: numpy's {@code np.save}/{@code np.savez}
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
    void nullFileIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> Safetensors.dtypes(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file");
        assertThatThrownBy(() -> PyTorch.dtypes(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file");
        assertThatThrownBy(() -> NumPy.npzDtypes(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file");
        assertThatThrownBy(() -> NumPy.npyDtype(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("file");
    }
}
