package io.github.rnn4j.cli;

import static io.github.rnn4j.testing.NestedLists.tensor;

import io.github.rnn4j.io.NumPy;
import io.github.rnn4j.io.TestJson;
import io.github.rnn4j.model.Tensor;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.rnn4j.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code predict}, {@code verify}, {@code bench} and {@code generate} on PyTorch state dicts described by
 * {@code --torch}, against the outputs PyTorch itself computed in float64 (tools/fixtures/gen_pytorch_models.py,
 * stored next to each state dict in src/test/resources/fixtures/pytorch_models).
 */
class CliTorchTest {
    static final Path DIR = Path.of("src", "test", "resources", "fixtures", "pytorch_models");
    private static final String CHARLM = "embedding=Embedding; lstm=LSTM(8, 16, num_layers=2); fc=Linear";
    private static final String TAGGER =
            "embedding=Embedding; encoder.lstm=LSTM(bidirectional=True); norm=LayerNorm; fc=Linear";
    private static final String CLASSIFIER = "embedding=Embedding(15, 6, padding_idx=0);"
            + " gru=GRU(6, 5, num_layers=2, batch_first=True, bidirectional=True); fc=Linear(10, 4)";
    private static final String ATOL = Double.toString(Tolerance.FLOAT64.absolute());

    @TempDir
    Path tmp;

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String name) {
        try {
            return (Map<String, Object>) TestJson.parse(Files.readString(DIR.resolve(name), StandardCharsets.UTF_8),
                    name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<String> recurrentCases() {
        return (List<String>) json("index.json").get("recurrent");
    }

    /** The {@code --torch} text of a fixture's module, in the words of its Python constructor. */
    static String describe(Map<String, Object> c) {
        String kind = (String) c.get("kind");
        StringBuilder s = new StringBuilder(kind).append('(').append(((Number) c.get("inputSize")).intValue())
                .append(", ").append(((Number) c.get("hiddenSize")).intValue())
                .append(", num_layers=").append(((Number) c.get("numLayers")).intValue())
                .append(", bias=").append((Boolean) c.get("bias") ? "True" : "False")
                .append(", batch_first=True, bidirectional=")
                .append((Boolean) c.get("bidirectional") ? "True" : "False");
        if (c.get("nonlinearity") != null) {
            s.append(", nonlinearity='").append(c.get("nonlinearity")).append('\'');
        }
        return s.append(')').toString();
    }

    private Path npy(String name, Object nested) throws IOException {
        Path p = tmp.resolve(name);
        NumPy.writeNpy(p, tensor(nested), NumPy.Dtype.FLOAT64);
        return p;
    }

    private Path expected(Map<String, Object> c, String... names) throws IOException {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        for (String n : names) {
            if (c.containsKey(n)) {
                arrays.put(n, tensor(c.get(n)));
            }
        }
        Path p = tmp.resolve("expected.npz");
        NumPy.writeNpz(p, arrays, NumPy.Dtype.FLOAT64);
        return p;
    }

    @ParameterizedTest
    @MethodSource("recurrentCases")
    void verifyPassesAgainstPyTorchOnEveryRecurrentModule(String name) throws Exception {
        Map<String, Object> c = json(name + ".json");
        List<Object> args = new ArrayList<>(List.of("verify", DIR.resolve(name + ".pt"), "--torch", describe(c),
                "-i", npy("x.npy", c.get("inputs")), "-e", expected(c, "output", "h_n", "c_n"), "--atol", ATOL));
        if (c.get("lengths") != null) {
            args.addAll(List.of("--torch-padding", "0"));
        }
        Cli r = run(args.toArray());
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.out).contains("output 'output'", "output 'h_n'").endsWith("PASS\n");
        assertThat(r.out.contains("output 'c_n'")).isEqualTo(c.containsKey("c_n"));
    }

    @Test
    void predictWritesWhatPyTorchComputedWithSizesReadFromTheWeights() throws Exception {
        Map<String, Object> c = json("lstm_l2_bi.json");
        Path y = tmp.resolve("y.npz");
        Cli r = run("predict", DIR.resolve("lstm_l2_bi.pt"), "--torch", "LSTM(num_layers=2, bidirectional=True)",
                "-i", npy("x.npy", c.get("inputs")), "-o", y);
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.out).contains("output (3, 5, 8), h_n (3, 4, 4), c_n (3, 4, 4)");
        Map<String, Tensor> got = NumPy.readNpz(y);
        for (String n : List.of("output", "h_n", "c_n")) {
            assertClose(n, tensor(c.get(n)), got.get(n));
        }
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertThat(actual.shape()).as(what).containsExactly(expected.shape());
        double[] e = expected.data();
        double[] a = actual.data();
        for (int i = 0; i < e.length; i++) {
            if (!Tolerance.FLOAT64.accepts(e[i], a[i])) {
                fail("%s[%d]: expected %s, was %s, error %s > %s", what, i, e[i], a[i], Math.abs(e[i] - a[i]),
                        Tolerance.FLOAT64.absolute());
            }
        }
    }

    @Test
    void theDefaultNonlinearityIsPyTorchsTanhSoAReluModuleMustSayRelu() throws Exception {
        Map<String, Object> c = json("rnn_relu_l2_bi.json");
        Object[] common = {"-i", npy("x.npy", c.get("inputs")), "-e", expected(c, "output", "h_n"), "--atol", ATOL};
        Cli tanh = run(concat(new Object[] {"verify", DIR.resolve("rnn_relu_l2_bi.pt"), "--torch",
            "RNN(num_layers=2, bidirectional=True)"}, common));
        assertThat(tanh.status).as(tanh.toString()).isEqualTo(1);
        assertThat(tanh.out).endsWith("FAIL\n");
        Cli relu = run(concat(new Object[] {"verify", DIR.resolve("rnn_relu_l2_bi.pt"), "--torch",
            "RNN(num_layers=2, bidirectional=True, nonlinearity='relu')"}, common));
        assertThat(relu.status).as(relu.toString()).isZero();
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] r = new Object[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void taggerChainWithLayerNormMatchesPyTorch() throws Exception {
        Map<String, Object> c = json("tagger.json");
        Cli r = run("verify", DIR.resolve("tagger.pt"), "--torch", TAGGER, "--torch-output", "sequence",
                "-i", npy("ids.npy", c.get("ids")), "-e", npy("y.npy", c.get("output")), "--atol", ATOL);
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.out).contains("(2, 6, 3)").endsWith("PASS\n");
    }

    @Test
    void packedClassifierNeedsItsPaddingStated() throws Exception {
        Map<String, Object> c = json("classifier.json");
        Path ids = npy("ids.npy", c.get("ids"));
        Path y = npy("y.npy", c.get("output"));
        Cli packed = run("verify", DIR.resolve("classifier.pt"), "--torch", CLASSIFIER, "--torch-output",
                "final_hidden", "--torch-padding", "0", "-i", ids, "-e", y, "--atol", ATOL);
        assertThat(packed.status).as(packed.toString()).isZero();
        assertThat(packed.out).endsWith("PASS\n");
        // Not packed (PyTorch's own default) is a different computation, and verify says so.
        Cli unpacked = run("verify", DIR.resolve("classifier.pt"), "--torch", CLASSIFIER, "--torch-output",
                "final_hidden", "-i", ids, "-e", y, "--atol", ATOL);
        assertThat(unpacked.status).as(unpacked.toString()).isEqualTo(1);
        Cli noOutput = run("verify", DIR.resolve("classifier.pt"), "--torch", CLASSIFIER, "-i", ids, "-e", y);
        assertThat(noOutput.status).isEqualTo(2);
        assertThat(noOutput.err).contains("--torch-output: required", "'gru'", "final_hidden");
    }

    @ParameterizedTest
    @ValueSource(strings = {"charlm.pt", "charlm.safetensors", "charlm.npz"})
    @SuppressWarnings("unchecked")
    void generateGivesPyTorchsGreedyText(String file) throws Exception {
        Map<String, Object> c = json("charlm.json");
        Path vocab = tmp.resolve("vocab.txt");
        Files.writeString(vocab, String.join("\n", (List<String>) c.get("vocabulary")) + "\n", StandardCharsets.UTF_8);
        List<String> greedy = (List<String>) c.get("greedy");
        Cli r = run("generate", DIR.resolve(file), "--torch", CHARLM, "--torch-output", "sequence", "--vocab", vocab,
                "--prompt", String.join("", (List<String>) c.get("prompt")), "--max", greedy.size(),
                "--temperature", "0");
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.out).isEqualTo(String.join("", greedy) + "\n");
    }

    @Test
    void benchTimesAStateDict() {
        Cli r = run("bench", DIR.resolve("charlm.pt"), "--torch", CHARLM, "--torch-output", "sequence", "--batch", "2",
                "--steps", "5", "--warmup", "1", "--calls", "3");
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.out).contains("random inputs input (2, 5)", "latency per call: median", "sequences/s",
                "allocated per call");
    }

    @Test
    void aDescriptionThatDoesNotFitNamesModuleParameterAndShapes() throws Exception {
        Map<String, Object> c = json("lstm_l2_bi.json");
        Path x = npy("x.npy", c.get("inputs"));
        Cli wrongSize = run("predict", DIR.resolve("lstm_l2_bi.pt"), "--torch",
                "LSTM(3, 5, num_layers=2, bidirectional=True)", "-i", x, "-o", tmp.resolve("y.npz"));
        assertThat(wrongSize.status).isEqualTo(2);
        assertThat(wrongSize.err).contains("--torch module LSTM(3, 5, num_layers=2, bidirectional=True)",
                "'weight_ih_l0' has shape [16][3], expected [20][3]").doesNotContain("\tat ");
        Cli notBidirectional = run("predict", DIR.resolve("lstm_l2_bi.pt"), "--torch", "LSTM(3, 4, num_layers=2)",
                "-i", x, "-o", tmp.resolve("y.npz"));
        assertThat(notBidirectional.status).isEqualTo(2);
        assertThat(notBidirectional.err).contains("weight_ih_l0_reverse [16][3]", "bidirectional");
        Cli wrongLinear = run("predict", DIR.resolve("charlm.pt"), "--torch",
                "embedding=Embedding; lstm=LSTM(8, 16, num_layers=2); fc=Linear(16, 13)", "--torch-output", "sequence",
                "-i", x, "-o", tmp.resolve("y.npz"));
        assertThat(wrongLinear.status).isEqualTo(2);
        assertThat(wrongLinear.err).contains("--torch module 'fc'", "weight", "[12][16]", "[13][16]");
        Cli missing = run("predict", DIR.resolve("tagger.pt"), "--torch",
                "embedding=Embedding; lstm=LSTM(bidirectional=True); fc=Linear", "--torch-output", "sequence",
                "-i", x, "-o", tmp.resolve("y.npz"));
        assertThat(missing.status).isEqualTo(2);
        assertThat(missing.err).contains("--torch module 'lstm'", "no parameter 'lstm.weight_ih_l0'");
        Cli leftOver = run("predict", DIR.resolve("tagger.pt"), "--torch",
                "embedding=Embedding; encoder.lstm=LSTM(bidirectional=True); fc=Linear", "--torch-output", "sequence",
                "-i", x, "-o", tmp.resolve("y.npz"));
        assertThat(leftOver.status).isEqualTo(2);
        assertThat(leftOver.err).contains("norm.weight, norm.bias");
        Cli noBias = run("predict", DIR.resolve("charlm.pt"), "--torch",
                "embedding=Embedding; lstm=LSTM(8, 16, num_layers=2); fc=Linear(bias=False)", "--torch-output",
                "sequence", "-i", x, "-o", tmp.resolve("y.npz"));
        assertThat(noBias.status).isEqualTo(2);
        assertThat(noBias.err).contains("'fc.bias' is present, expected it absent");
    }

    @Test
    void badDescriptionsAreUsageErrors() throws Exception {
        Map<String, Object> c = json("lstm_l2_bi.json");
        Path x = npy("x.npy", c.get("inputs"));
        Path pt = DIR.resolve("lstm_l2_bi.pt");
        Cli none = run("predict", pt, "-i", x, "-o", tmp.resolve("y.npz"));
        assertThat(none.status).isEqualTo(2);
        assertThat(none.err).contains("MODEL:", "PyTorch state dict", "carries no architecture", "--torch");
        Cli unknown = run("predict", pt, "--torch", "Conv1d(3, 4)", "-i", x, "-o", tmp.resolve("y.npz"));
        assertThat(unknown.status).isEqualTo(2);
        assertThat(unknown.err).contains("unknown module class 'Conv1d'",
                "Embedding, RNN, LSTM, GRU, Linear, LayerNorm");
        Cli nonlinearity = run("predict", pt, "--torch", "RNN(nonlinearity='sigmoid')", "-i", x, "-o",
                tmp.resolve("y.npz"));
        assertThat(nonlinearity.status).isEqualTo(2);
        assertThat(nonlinearity.err).contains("nonlinearity: expected 'tanh' or 'relu', but was 'sigmoid'");
        Cli keyword = run("predict", pt, "--torch", "LSTM(num_layer=2)", "-i", x, "-o", tmp.resolve("y.npz"));
        assertThat(keyword.status).isEqualTo(2);
        assertThat(keyword.err).contains("unknown argument 'num_layer'", "num_layers");
        Cli layout = run("predict", pt, "--torch", "LSTM(num_layers=2, bidirectional=True, batch_first=False)",
                "-i", x, "-o", tmp.resolve("y.npz"));
        assertThat(layout.status).isEqualTo(2);
        assertThat(layout.err).contains("batch_first=False", "batch-first");
        Cli outputWithoutRecurrent = run("predict", DIR.resolve("charlm.pt"), "--torch", "embedding=Embedding",
                "--torch-output", "sequence", "-i", x, "-o", tmp.resolve("y.npz"));
        assertThat(outputWithoutRecurrent.status).isEqualTo(2);
        assertThat(outputWithoutRecurrent.err).contains("--torch-output: there is no RNN, LSTM or GRU");
    }
}
