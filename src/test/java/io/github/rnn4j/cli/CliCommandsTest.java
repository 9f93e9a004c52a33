package io.github.rnn4j.cli;

import io.github.rnn4j.io.NumPy;
import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.rnn4j.cli.Cli.fixture;
import static io.github.rnn4j.cli.Cli.real;
import static io.github.rnn4j.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Every command on real Keras files and on the committed fixtures, in-process. */
class CliCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void versionAndHelp() {
        Cli version = run("--version");
        assertThat(version.status).as("%s", version).isZero();
        assertThat(version.out).startsWith("rnn4j ").contains("Java 17");
        Cli help = run("--help");
        assertThat(help.status).isZero();
        assertThat(help.out).contains("inspect", "predict", "verify", "generate", "bench", "hello", "Exit status");
        for (String command : List.of("hello", "inspect", "predict", "verify", "generate", "bench")) {
            Cli c = run(command, "--help");
            assertThat(c.status).as("%s --help: %s", command, c).isZero();
            assertThat(c.out).startsWith("Usage: rnn4j " + command);
        }
        assertThat(run("help", "verify").out).contains("--atol");
    }

    @Test
    void threadsReadsTheSameInEveryCommandThatRunsAModel() {
        List<String> described = new ArrayList<>();
        for (String command : List.of("predict", "verify", "bench")) {
            List<String> lines = run(command, "--help").out.lines().toList();
            int at = lines.indexOf(lines.stream().filter(l -> l.startsWith("      --threads=N")).findFirst()
                    .orElseThrow(() -> new AssertionError(command + " --help has no --threads: " + lines)));
            StringBuilder option = new StringBuilder(lines.get(at));
            for (int i = at + 1; i < lines.size() && lines.get(i).matches(" {20,}\\S.*"); i++) {
                option.append(' ').append(lines.get(i).strip());
            }
            described.add(option.toString());
        }
        assertThat(described.get(0)).contains("run the samples of each batch on N threads", "(default 1)");
        assertThat(described).as("--threads of predict, verify and bench").containsOnly(described.get(0));
    }

    @Test
    void inspectModelShowsLayersInputsOutputsVersionRulesAndFormat() {
        Cli c = run("inspect", real("simple_rnn_k213.h5"));
        assertThat(c.status).as("%s", c).isZero();
        assertThat(c.out).contains("simple_rnn_1 (Rnn)", "(None, 50)", "2600", "dense_1 (Dense)", "Total params: 2651",
                "Keras version: 2.1.3", "format: legacy HDF5", "Inputs:", "simple_rnn_1_input  (batch, 1, 1)  float",
                "Outputs:", "  dense_1             (batch, 1)     float64");
        Cli rules = run("inspect", real("masking_lstm_k220.h5"));
        assertThat(rules.out).contains("rule: hard_sigmoid is clip(0.2x + 0.5, 0, 1)");
    }

    @Test
    void inspectJson() {
        Cli c = run("inspect", "--json", real("gru_func_twoinput_k38.keras"));
        assertThat(c.status).as("%s", c).isZero();
        assertThat(c.out.strip()).startsWith("{").endsWith("}").contains(
                "\"Keras version\": \"3.8.0\"", "\"format\": \"Keras 3 .keras archive\"",
                "{\"name\": \"input_layer\", \"shape\": [null, 12, 1], \"dtype\": \"float\"}",
                "{\"name\": \"input_layer_1\", \"shape\": [null, 1], \"dtype\": \"int\"}",
                "{\"name\": \"dense_1\", \"shape\": [null, 1], \"dtype\": \"float64\"}",
                "{\"name\": \"embedding\", \"class\": \"Embedding\", \"params\": 328}", "\"params\": 40521",
                "\"rules\": [\"GRU 'gru': reset_after=True\"");
        assertThat(c.out.strip().lines()).hasSize(1);
    }

    @Test
    void inspectEveryRealFile() throws IOException {
        Path dir = real("");
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                String name = f.getFileName().toString();
                if ((name.endsWith(".h5") || name.endsWith(".keras")) && !name.contains("keras_io")) {
                    Cli c = run("inspect", f);
                    assertThat(c.status).as("%s: %s", name, c).isZero();
                    assertThat(c.out).contains("Total params:", "Inputs:", "Outputs:");
                }
            }
        }
    }

    @Test
    void inspectTensorFilesShowsNamesShapesAndDtypes() throws IOException {
        Path npz = tmp.resolve("w.npz");
        NumPy.writeNpz(npz, Map.of("kernel", Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}})), NumPy.Dtype.FLOAT32);
        Cli c = run("inspect", npz);
        assertThat(c.status).as("%s", c).isZero();
        assertThat(c.out).contains("npz, 1 tensor, 6 elements").contains("kernel   (2, 3)  float32");
        Path ids = tmp.resolve("ids.npy");
        NumPy.writeNpy(ids, Tensor.of(new double[] {1, 2, 3}), NumPy.Dtype.INT64);
        assertThat(run("inspect", ids).out).contains("(array)  (3,)  int64");
        Cli json = run("inspect", "--json", npz);
        assertThat(json.out).contains("{\"name\": \"kernel\", \"shape\": [2, 3], \"dtype\": \"float32\"}");
        // The header of mixed.safetensors (tools/fixtures/gen_arrays.py) declares F64, F32, F16, BF16, I64, I32.
        Path mixed = Path.of("src/test/resources/fixtures/safetensors/mixed.safetensors");
        Cli safetensors = run("inspect", mixed);
        assertThat(safetensors.status).as("%s", safetensors).isZero();
        assertThat(safetensors.out).contains("safetensors, 7 tensors").containsPattern("rnn.kernel +\\(2, 4\\) +float64")
                .containsPattern("rnn.bias +\\(2, 3\\) +float32").containsPattern("half +\\(4,\\) +float16")
                .containsPattern("brain +\\(4,\\) +bfloat16").containsPattern("ids +\\(2, 2\\) +int64")
                .containsPattern("count +\\(\\) +int32");
        assertThat(run("inspect", "--json", mixed).out).contains("{\"name\": \"brain\", \"shape\": [4], \"dtype\": "
                + "\"bfloat16\"}");
        // views.pt: torch.float64 by default, and the dtypes tools/fixtures/gen_pytorch_models.py gives by name.
        Cli views = run("inspect", Path.of("src/test/resources/fixtures/pytorch_models/views.pt"));
        assertThat(views.status).as("%s", views).isZero();
        assertThat(views.out).containsPattern("contiguous +\\(3, 4\\) +float64")
                .containsPattern("num_batches_tracked +\\(\\) +int64").containsPattern("int64_matrix +\\(2, 2\\) +int64")
                .containsPattern("float32 +\\(2, 3\\) +float32").containsPattern("float16 +\\(4,\\) +float16")
                .containsPattern("bfloat16 +\\(3,\\) +bfloat16");
        Cli pt = run("inspect", Path.of("src/test/resources/fixtures/pytorch_models/lstm_l2_bi.pt"));
        assertThat(pt.status).as("%s", pt).isZero();
        assertThat(pt.out).contains("PyTorch state dict, 16 tensors", "weight_ih_l0          (16, 3)  float64",
                "weight_hh_l1_reverse  (16, 4)  float64");
        Cli notPt = run("inspect", write("model.pt", "not a state dict"));
        assertThat(notPt.status).isEqualTo(2);
        assertThat(notPt.err).contains("model.pt");
    }

    @Test
    void verifyAgainstKerasOwnPredictionsPassesAtFloat32Tolerance() {
        for (String model : List.of("simple_rnn_k213", "lstm_k122")) {
            Cli c = run("verify", real(model + ".h5"), "--input", fixture(model + "_inputs.npy"), "--expected",
                    fixture(model + "_predictions.npy"), "--atol", "1e-5");
            assertThat(c.status).as("%s", c).isZero();
            assertThat(c.out).contains("output 'dense_1'", "worst absolute error", "worst relative error")
                    .endsWith("PASS" + System.lineSeparator());
        }
        Cli npz = run("verify", real("simple_rnn_k213.h5"), "--input", fixture("simple_rnn_k213_inputs.npy"),
                "--expected", fixture("simple_rnn_k213_predictions.npz"), "--threads", "3");
        assertThat(npz.status).as("%s", npz).isZero();
        assertThat(npz.out).contains("worst absolute error 2.1").contains("at [0][0]");
    }

    @Test
    void verifyFailsWithStatusOneBeyondTheTolerance() {
        Cli c = run("verify", real("simple_rnn_k213.h5"), "--input", fixture("simple_rnn_k213_inputs.npy"),
                "--expected", fixture("simple_rnn_k213_predictions.npy"), "--atol", "1e-7");
        assertThat(c.status).as("%s", c).isEqualTo(1);
        assertThat(c.out).contains("elements beyond the tolerance").endsWith("FAIL" + System.lineSeparator());
    }

    @Test
    void predictWritesNpyNpzCsvAndJsonLinesThatAgree() throws IOException {
        Path model = real("simple_rnn_k213.h5");
        Path x = fixture("simple_rnn_k213_inputs.npy");
        Tensor expected = NumPy.readNpy(fixture("simple_rnn_k213_predictions.npy"));
        Cli c = run("predict", model, "--input", x, "--output", tmp.resolve("y.npy"));
        assertThat(c.status).as("%s", c).isZero();
        assertThat(c.out).contains("25 samples", "dense_1 (25, 1) float64");
        Tensor y = NumPy.readNpy(tmp.resolve("y.npy"));
        assertThat(y.shape()).containsExactly(25, 1);
        for (int i = 0; i < 25; i++) {
            assertThat(y.data()[i]).isCloseTo(expected.data()[i], org.assertj.core.data.Offset.offset(1e-5));
        }
        assertThat(run("predict", model, "-i", x, "-o", tmp.resolve("y.npz"), "--threads", "4").status).isZero();
        assertThat(NumPy.readNpz(tmp.resolve("y.npz")).get("dense_1").data()).containsExactly(y.data());
        assertThat(run("predict", model, "-i", x, "-o", tmp.resolve("y32.npy"), "--dtype", "float32").status).isZero();
        assertThat(Files.size(tmp.resolve("y32.npy"))).isEqualTo(128 + 25 * 4);
        assertThat(run("predict", model, "-i", x, "-o", tmp.resolve("y.csv")).status).isZero();
        List<String> csv = Files.readAllLines(tmp.resolve("y.csv"));
        assertThat(csv).hasSize(25);
        assertThat(Double.parseDouble(csv.get(3))).isEqualTo(y.data()[3]);
        assertThat(run("predict", model, "-i", x, "-o", tmp.resolve("y.jsonl")).status).isZero();
        List<String> jsonl = Files.readAllLines(tmp.resolve("y.jsonl"));
        assertThat(jsonl.get(3)).isEqualTo("[" + y.data()[3] + "]");
    }

    @Test
    void predictReadsCsvAndJsonLinesInput() throws IOException {
        Path model = real("lstm_functional_k208.h5");
        StringBuilder csv = new StringBuilder();
        StringBuilder jsonl = new StringBuilder();
        for (int b = 0; b < 3; b++) {
            StringBuilder row = new StringBuilder();
            StringBuilder nested = new StringBuilder("[");
            for (int t = 0; t < 10; t++) {
                nested.append(t == 0 ? "[" : ", [");
                for (int j = 0; j < 4; j++) {
                    double v = Math.sin(b * 40 + t * 4 + j);
                    row.append(row.length() == 0 ? "" : ",").append(v);
                    nested.append(j == 0 ? "" : ", ").append(v);
                }
                nested.append(']');
            }
            csv.append(row).append('\n');
            jsonl.append(nested).append("]\n");
        }
        Cli a = run("predict", model, "-i", write("x.csv", csv.toString()), "-o", tmp.resolve("a.npy"));
        assertThat(a.status).as("%s", a).isZero();
        Cli b = run("predict", model, "-i", write("x.jsonl", jsonl.toString()), "-o", tmp.resolve("b.npy"));
        assertThat(b.status).as("%s", b).isZero();
        Tensor ya = NumPy.readNpy(tmp.resolve("a.npy"));
        assertThat(ya.shape()).containsExactly(3, 5);
        assertThat(NumPy.readNpy(tmp.resolve("b.npy")).data()).containsExactly(ya.data());
    }

    @Test
    void predictTwoInputModelFromNpzAndTokenIds() throws IOException {
        Path model = real("gru_func_twoinput_k38.keras");
        double[] series = new double[2 * 12];
        for (int i = 0; i < series.length; i++) {
            series[i] = Math.cos(i);
        }
        Path x = tmp.resolve("x.npz");
        NumPy.writeNpz(x, Map.of("input_layer", Tensor.of(new int[] {2, 12, 1}, series),
                "input_layer_1", Tensor.of(new int[] {2, 1}, new double[] {3, 40})), NumPy.Dtype.FLOAT64);
        Cli c = run("predict", model, "--input", x, "--output", tmp.resolve("y.npz"));
        assertThat(c.status).as("%s", c).isZero();
        assertThat(NumPy.readNpz(tmp.resolve("y.npz")).get("dense_1").shape()).containsExactly(2, 1);
    }

    @Test
    void generateStreamsTheHelloNetworkGreedilyAndRepeatablyWithASeed() {
        Path model = fixture("hello_k2.h5");
        Path vocab = fixture("hello_vocab.txt");
        Cli greedy = run("generate", model, "--vocab", vocab, "--prompt", "h", "--temperature", "0", "--stop", "<EOS>");
        assertThat(greedy.status).as("%s", greedy).isZero();
        assertThat(greedy.out).isEqualTo("ello<EOS>" + System.lineSeparator());
        Cli first = run("generate", model, "--vocab", vocab, "--prompt", "he", "--seed", "7", "--max", "40",
                "--temperature", "1.5", "--top-k", "3", "--top-p", "0.95", "--separator", " ");
        Cli second = run("generate", model, "--vocab", vocab, "--prompt", "he", "--seed", "7", "--max", "40",
                "--temperature", "1.5", "--top-k", "3", "--top-p", "0.95", "--separator", " ");
        assertThat(first.status).as("%s", first).isZero();
        assertThat(first.out).isEqualTo(second.out);
        assertThat(first.out.strip().split(" ")).hasSize(40);
        Cli topK1 = run("generate", model, "--vocab", vocab, "--prompt", "h", "--seed", "3", "--top-k", "1",
                "--max", "4");
        assertThat(topK1.out).as("top-k 1 is greedy").isEqualTo("ello" + System.lineSeparator());
    }

    @Test
    void generateWithAKerasTokenizerOnTokenIds() {
        Path model = fixture("hello_ids_k2.h5");
        Path tokenizer = fixture("hello_tokenizer.json");
        Cli greedy = run("generate", model, "--vocab", tokenizer, "--prompt", "H", "--temperature", "0", "--stop",
                "eos");
        assertThat(greedy.status).as("%s", greedy).isZero();
        assertThat(greedy.out).isEqualTo("e l l o eos" + System.lineSeparator());
        Cli sampled = run("generate", model, "--vocab", tokenizer, "--prompt", "h e", "--seed", "5", "--max", "30");
        assertThat(sampled.status).as("%s", sampled).isZero();
        assertThat(sampled.out.strip().split(" ")).hasSize(30).allMatch(w -> List.of("h", "e", "l", "o", "eos")
                .contains(w));
    }

    @Test
    void progressBarDrawsOnlyAfterTheDelay() throws InterruptedException {
        java.io.StringWriter text = new java.io.StringWriter();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger(3);
        BatchRunner.Progress quick = new BatchRunner.Progress(new java.io.PrintWriter(text), 10, done);
        quick.close();
        assertThat(text.toString()).isEmpty();
        BatchRunner.Progress slow = new BatchRunner.Progress(new java.io.PrintWriter(text), 10, done);
        Thread.sleep(BatchRunner.DELAY_MS);
        // the bar thread draws once it is scheduled after the delay: on a loaded machine that can take seconds
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!slow.shown() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(slow.shown()).isTrue();
        slow.close();
        assertThat(text.toString()).contains("\r[#########                     ] 3/10 samples, ");
        assertThat(BatchRunner.Progress.bar(10, 10)).isEqualTo("[" + "#".repeat(30) + "] 10/10 samples");
    }

    @Test
    void predictOnAPipeWritesNothingToStandardError() {
        Cli c = run("predict", real("simple_rnn_k213.h5"), "--input", fixture("simple_rnn_k213_inputs.npy"),
                "--output", tmp.resolve("y.npy"));
        assertThat(c.status).isZero();
        assertThat(c.err).isEmpty();
    }

    @Test
    void benchReportsLatencyThroughputAndAllocation() {
        Cli c = run("bench", real("lstm_btc_k3141.keras"), "--batch", "2", "--warmup", "2", "--calls", "5",
                "--threads", "2");
        assertThat(c.status).as("%s", c).isZero();
        assertThat(c.out).contains("random inputs input_layer (2, 60, 9)", "2 threads", "median", "p90", "p99",
                "sequences/s", "allocated per call: ");
        Cli ids = run("bench", real("embed_mask_gru_k3132.keras"), "--warmup", "0", "--calls", "2");
        assertThat(ids.status).as("%s", ids).isZero();
        assertThat(ids.out).contains("input_layer (1, 500)");
        Cli steps = run("bench", real("bilstm_varlen_tfk224.h5"), "--steps", "7", "--warmup", "0", "--calls", "2");
        assertThat(steps.status).as("%s", steps).isZero();
        assertThat(steps.out).contains("(1, 7, 3)");
    }

    @Test
    void helloPrintsExactlyWhatTheReadmeShows() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("```", readme.indexOf("The demo prints:")) + 4;
        String shown = readme.substring(start, readme.indexOf("```", start));
        Cli c = run("hello");
        assertThat(c.status).isZero();
        assertThat(c.out.replace(System.lineSeparator(), "\n")).isEqualTo(shown);
    }

    private Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }
}
