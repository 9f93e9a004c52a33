package io.github.rnn4j.cli;

import static io.github.rnn4j.testing.NestedLists.tensor;

import io.github.rnn4j.io.NumPy;
import io.github.rnn4j.io.TestJson;
import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.rnn4j.cli.Cli.real;
import static io.github.rnn4j.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command on every real Keras file of ../shared/fixtures/keras: the inputs and float64 reference outputs of
 * its {@code expected.json} (gen_expected.py, an implementation of the Keras equations independent of rnn4j,
 * cross-checked against PyTorch float64) are written as {@code .npy}/{@code .npz}, then {@code predict},
 * {@code verify} (float64 at 1e-9, float32 at the project's float32 bound) and {@code bench} run on them.
 */
class CliRealFilesTest {
    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    @Test
    void predictVerifyAndBenchRunOnEveryRealKerasFile() throws IOException {
        Path dir = real("expected.json").getParent();
        Map<String, Object> doc = (Map<String, Object>) TestJson.parse(
                Files.readString(dir.resolve("expected.json"), StandardCharsets.UTF_8), "expected.json");
        int batches = 0;
        List<String> files = new ArrayList<>();
        for (Map<String, Object> c : (List<Map<String, Object>>) doc.get("cases")) {
            String file = (String) c.get("file");
            Path model = dir.resolve(file);
            List<Object> inputs = (List<Object>) c.get("inputs");
            List<Object> outputs = (List<Object>) c.get("expected_outputs");
            // Samples of equal shapes form one batch (bilstm_varlen_tfk224 has three lengths).
            Map<String, List<Integer>> groups = new LinkedHashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                groups.computeIfAbsent(shapes(inputs.get(i)), k -> new ArrayList<>()).add(i);
            }
            for (List<Integer> group : groups.values()) {
                Path x = writeInputs(inputs, group, tmp.resolve("x" + batches + (inputs.get(0) instanceof Map
                        ? ".npz" : ".npy")));
                Path y = tmp.resolve("y" + batches + ".npy");
                List<Tensor> expected = new ArrayList<>();
                for (int i : group) {
                    expected.add(tensor(outputs.get(i)));
                }
                NumPy.writeNpy(y, Tensor.stack(expected.toArray(new Tensor[0])), NumPy.Dtype.FLOAT64);
                String what = file + " samples " + group;
                Cli f64 = run("verify", model, "-i", x, "-e", y, "--atol", "1e-9");
                assertThat(f64.status).as("%s float64: %s", what, f64).isZero();
                assertThat(f64.out).contains("PASS");
                Cli f32 = run("verify", model, "-i", x, "-e", y, "--atol", "1e-5", "--rtol", "1e-6", "--precision",
                        "float32");
                assertThat(f32.status).as("%s float32: %s", what, f32).isZero();
                Path out = tmp.resolve("p" + batches + ".npy");
                Cli predict = run("predict", model, "-i", x, "-o", out, "--threads", "2");
                assertThat(predict.status).as("%s predict: %s", what, predict).isZero();
                Tensor written = NumPy.readNpy(out);
                Tensor reference = NumPy.readNpy(y);
                assertThat(written.shape()).as(what).containsExactly(reference.shape());
                for (int i = 0; i < reference.data().length; i++) {
                    assertThat(Math.abs(written.data()[i] - reference.data()[i])).as("%s element %d", what, i)
                            .isLessThanOrEqualTo(1e-9);
                }
                batches++;
            }
            Cli bench = run("bench", model, "--warmup", "0", "--calls", "1", "--steps", "4");
            if (bench.status == 2 && bench.err.contains("fixed")) {
                bench = run("bench", model, "--warmup", "0", "--calls", "1");
            }
            assertThat(bench.status).as("%s bench: %s", file, bench).isZero();
            assertThat(bench.out).contains("sequences/s");
            files.add(file);
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(14);
        assertThat(batches).isGreaterThanOrEqualTo(files.size());
    }

    @SuppressWarnings("unchecked")
    private static String shapes(Object sample) {
        if (sample instanceof Map) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) sample).entrySet()) {
                sb.append(e.getKey()).append(Arrays.toString(tensor(e.getValue()).shape()));
            }
            return sb.toString();
        }
        return Arrays.toString(tensor(sample).shape());
    }

    @SuppressWarnings("unchecked")
    private static Path writeInputs(List<Object> inputs, List<Integer> group, Path file) throws IOException {
        if (!(inputs.get(0) instanceof Map)) {
            List<Tensor> samples = new ArrayList<>();
            for (int i : group) {
                samples.add(tensor(inputs.get(i)));
            }
            NumPy.writeNpy(file, Tensor.stack(samples.toArray(new Tensor[0])), NumPy.Dtype.FLOAT64);
            return file;
        }
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        for (String name : ((Map<String, Object>) inputs.get(group.get(0))).keySet()) {
            List<Tensor> samples = new ArrayList<>();
            for (int i : group) {
                samples.add(tensor(((Map<String, Object>) inputs.get(i)).get(name)));
            }
            arrays.put(name, Tensor.stack(samples.toArray(new Tensor[0])));
        }
        NumPy.writeNpz(file, arrays, NumPy.Dtype.FLOAT64);
        return file;
    }

}
