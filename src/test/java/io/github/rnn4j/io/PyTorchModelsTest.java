package io.github.rnn4j.io;

import io.github.rnn4j.layers.Layer;
import io.github.rnn4j.layers.Masking;
import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.model.Generator;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import io.github.rnn4j.text.Vocabulary;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Models built from state dicts of real PyTorch 1.13 float64 modules (tools/fixtures/gen_pytorch_models.py) against
 * PyTorch's own outputs: {@code output}, {@code h_n}, {@code c_n}, {@code output[:, -1, :]}, packed batches, a
 * tagger, a packed classifier and a character language model's greedy decode.
 */
class PyTorchModelsTest {
    private static final Tolerance TOL = Tolerance.FLOAT64;
    private static final String DIR = "pytorch_models/";

    private static Path file(String name) {
        return Resources.fixture(DIR + name);
    }

    @SuppressWarnings("unchecked")
    static List<String> recurrentCases() {
        return (List<String>) Resources.json(file("index.json")).get("recurrent");
    }

    @Test
    void theRecurrentFixtureSetIsComplete() {
        assertThat(recurrentCases()).as("recurrent cases in index.json").hasSize(12).doesNotHaveDuplicates();
    }

    private static PyTorchRecurrent spec(Map<String, Object> c) {
        int in = num(c.get("inputSize"));
        int hidden = num(c.get("hiddenSize"));
        PyTorchRecurrent r = switch ((String) c.get("kind")) {
            case "RNN" -> "relu".equals(c.get("nonlinearity")) ? PyTorch.rnnRelu(in, hidden) : PyTorch.rnn(in, hidden);
            case "LSTM" -> PyTorch.lstm(in, hidden);
            case "GRU" -> PyTorch.gru(in, hidden);
            default -> throw new IllegalStateException(String.valueOf(c.get("kind")));
        };
        return r.numLayers(num(c.get("numLayers"))).bias((Boolean) c.get("bias"))
                .bidirectional((Boolean) c.get("bidirectional"));
    }

    @ParameterizedTest
    @MethodSource("recurrentCases")
    void outputAndFinalStatesMatchPyTorch(String name) throws Exception {
        Map<String, Object> c = Resources.json(file(name + ".json"));
        PyTorchRecurrent spec = spec(c);
        Map<String, Tensor> sd = PyTorch.readStateDict(file(name + ".pt"));
        boolean packed = c.get("lengths") != null;
        Model model = packed ? spec.packedModel(sd, "", 0.0) : spec.model(sd, "");
        Map<String, Tensor> out = model.runBatch(Map.of("input", tensor3(c.get("inputs"))));
        assertClose(name + " output", c.get("output"), out.get("output"));
        assertClose(name + " h_n", c.get("h_n"), out.get("h_n"));
        if (c.containsKey("c_n")) {
            assertClose(name + " c_n", c.get("c_n"), out.get("c_n"));
        } else {
            assertThat(out).doesNotContainKey("c_n");
        }
    }

    @ParameterizedTest
    @MethodSource("recurrentCases")
    void chainOutputsMatchPyTorch(String name) throws Exception {
        Map<String, Object> c = Resources.json(file(name + ".json"));
        PyTorchRecurrent spec = spec(c);
        Map<String, Tensor> sd = PyTorch.readStateDict(file(name + ".pt"));
        boolean packed = c.get("lengths") != null;
        Tensor inputs = tensor3(c.get("inputs"));
        // output (every step)
        assertClose(name + " SEQUENCE", c.get("output"),
                chain(spec, sd, PyTorchRecurrent.Output.SEQUENCE, packed).runBatch(Map.of("input", inputs))
                        .get("dense"));
        // the last layer's final hidden state, cat(h_n[-2], h_n[-1]) when bidirectional
        List<List<Object>> hN = rows3(c.get("h_n"));
        List<Object> expectedHidden = new ArrayList<>();
        int d = spec.directions();
        for (List<Object> sample : hN) {
            List<Object> row = new ArrayList<>();
            for (int k = sample.size() - d; k < sample.size(); k++) {
                row.addAll((List<?>) sample.get(k));
            }
            expectedHidden.add(row);
        }
        assertClose(name + " FINAL_HIDDEN", expectedHidden,
                chain(spec, sd, PyTorchRecurrent.Output.FINAL_HIDDEN, packed).runBatch(Map.of("input", inputs))
                        .get("dense"));
        if (!packed) {
            // output[:, -1, :]: for a bidirectional module NOT the backward final state
            assertClose(name + " LAST_STEP", c.get("last_step"),
                    chain(spec, sd, PyTorchRecurrent.Output.LAST_STEP, false).runBatch(Map.of("input", inputs))
                            .get("dense"));
        }
    }

    /** The module's layers then an identity-free tail (none): the chain output is the module's output. */
    private static Model chain(PyTorchRecurrent spec, Map<String, Tensor> sd, PyTorchRecurrent.Output output,
                               boolean packed) {
        Model.Chain chain = Model.sequential().input("input", Shape.sequence(Shape.UNKNOWN, spec.inputSize()));
        if (packed) {
            chain.add(new Masking(0.0));
        }
        List<Layer> layers = spec.layers(sd, "", output);
        for (int i = 0; i < layers.size(); i++) {
            chain.add(i == layers.size() - 1 ? "dense" : "l" + i, layers.get(i));
        }
        return chain.build();
    }

    @Test
    void forABidirectionalModuleTheLastStepIsNotTheFinalHiddenState() throws Exception {
        Map<String, Object> c = Resources.json(file("lstm_l2_bi.json"));
        Map<String, Tensor> sd = PyTorch.readStateDict(file("lstm_l2_bi.pt"));
        Tensor inputs = tensor3(c.get("inputs"));
        PyTorchRecurrent spec = spec(c);
        double[] last = chain(spec, sd, PyTorchRecurrent.Output.LAST_STEP, false).runBatch(Map.of("input", inputs))
                .get("dense").slice(0).data();
        double[] hidden = chain(spec, sd, PyTorchRecurrent.Output.FINAL_HIDDEN, false)
                .runBatch(Map.of("input", inputs)).get("dense").slice(0).data();
        // forward halves agree, backward halves differ
        assertThat(Arrays.copyOf(last, 4)).containsExactly(Arrays.copyOf(hidden, 4));
        assertThat(Arrays.copyOfRange(last, 4, 8)).isNotEqualTo(Arrays.copyOfRange(hidden, 4, 8));
    }

    @Test
    void theBigEndianArchiveRunsLikeTheLittleEndianOne() throws Exception {
        Map<String, Object> c = Resources.json(file("lstm_l2_bi.json"));
        Model model = spec(c).model(PyTorch.readStateDict(file("lstm_l2_bi_big.pt")), "");
        Map<String, Tensor> out = model.runBatch(Map.of("input", tensor3(c.get("inputs"))));
        assertClose("output", c.get("output"), out.get("output"));
        assertClose("h_n", c.get("h_n"), out.get("h_n"));
    }

    @Test
    void taggerEmbeddingBidirectionalLstmLayerNormLinear() throws Exception {
        Map<String, Object> c = Resources.json(file("tagger.json"));
        Map<String, Tensor> sd = PyTorch.readStateDict(file("tagger.pt"));
        Model m = PyTorch.chain(sd)
                .embedding("embedding", 12, 5, false)
                .recurrent("encoder.lstm", PyTorch.lstm(5, 4).bidirectional(true), PyTorchRecurrent.Output.SEQUENCE)
                .layerNorm("norm", 8, 1e-5)
                .linear("fc", 8, 3)
                .build();
        assertClose("tagger", c.get("output"), m.runBatch(Map.of("input", ids(c.get("ids")))).get("fc"));
    }

    @Test
    void packedClassifierInOneCall() throws Exception {
        Map<String, Object> c = Resources.json(file("classifier.json"));
        Map<String, Tensor> sd = PyTorch.readStateDict(file("classifier.pt"));
        Model m = PyTorch.textModel(sd, "embedding", "gru", PyTorch.gru(6, 5).numLayers(2).bidirectional(true), "fc",
                PyTorchRecurrent.Output.FINAL_HIDDEN, true);
        Map<String, Tensor> out = m.runBatch(Map.of(m.inputNames().get(0), ids(c.get("ids"))));
        assertClose("classifier", c.get("output"), out.get(m.outputNames().get(0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"charlm.pt", "charlm.safetensors", "charlm.npz"})
    @SuppressWarnings("unchecked")
    void charLanguageModelLogitsAndGreedyDecodeMatchPyTorch(String fileName) throws Exception {
        Map<String, Object> c = Resources.json(file("charlm.json"));
        List<String> vocab = (List<String>) c.get("vocabulary");
        Map<String, Tensor> sd = PyTorch.readStateDict(file(fileName));
        Model m = PyTorch.textModel(sd, "embedding", "lstm", PyTorch.lstm(8, 16).numLayers(2), "fc",
                PyTorchRecurrent.Output.SEQUENCE, false);
        List<?> idList = (List<?>) c.get("ids");
        double[] ids = new double[idList.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ((Number) idList.get(i)).doubleValue();
        }
        Tensor logits = m.run(Map.of(m.inputNames().get(0), Tensor.of(ids))).get(m.outputNames().get(0));
        assertClose("logits", List.of(c.get("logits")), Tensor.stack(logits));
        assertThat((Double) c.get("minMargin")).as("PyTorch's greedy path is far from ties").isGreaterThan(1e-6);
        Generator g = new Generator(m, Vocabulary.of(vocab));
        List<String> greedy = (List<String>) c.get("greedy");
        assertThat(g.greedy((List<String>) c.get("prompt"), greedy.size(), null)).containsExactlyElementsOf(greedy);
    }

    // ------------------------------------------------------------------ state dicts that do not fit

    @Test
    void aParameterOfAnotherShapeIsNamedWithBothShapes() throws Exception {
        Map<String, Tensor> sd = PyTorch.readStateDict(Resources.fixture(DIR + "hostile/lstm_hidden5.pt"));
        assertThatThrownBy(() -> PyTorch.lstm(3, 4).model(sd, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter 'weight_ih_l0' has shape [20][3], expected [16][3]")
                .hasMessageContaining("nn.LSTM(3, 4, batch_first=True)");
    }

    @Test
    void aMissingParameterIsNamedWithTheShapeExpected() throws Exception {
        Map<String, Tensor> sd = PyTorch.readStateDict(file("lstm_l1.pt"));
        assertThatThrownBy(() -> PyTorch.lstm(3, 4).numLayers(2).model(sd, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no parameter 'weight_ih_l1'")
                .hasMessageContaining("weight_ih_l1 of shape [16][4]");
        assertThatThrownBy(() -> PyTorch.lstm(3, 4).model(sd, "encoder.lstm"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no parameter 'encoder.lstm.weight_ih_l0'")
                .hasMessageContaining("check the prefix");
    }

    @Test
    void anExtraParameterIsNamed() throws Exception {
        Map<String, Tensor> bi = PyTorch.readStateDict(file("lstm_l2_bi.pt"));
        assertThatThrownBy(() -> PyTorch.lstm(3, 4).numLayers(2).model(bi, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("extra parameters weight_ih_l0_reverse [16][3]")
                .hasMessageContaining("check num_layers, bias and bidirectional");
        Map<String, Tensor> withBias = PyTorch.readStateDict(file("lstm_l1.pt"));
        assertThatThrownBy(() -> PyTorch.lstm(3, 4).bias(false).model(withBias, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("extra parameters bias_ih_l0 [16], bias_hh_l0 [16]");
    }

    @Test
    void aChainNamesTheParametersNoModuleUsed() throws Exception {
        Map<String, Tensor> sd = PyTorch.readStateDict(file("tagger.pt"));
        PyTorchChain skipping = PyTorch.chain(sd)
                .embedding("embedding", 12, 5, false)
                .recurrent("encoder.lstm", PyTorch.lstm(5, 4).bidirectional(true), PyTorchRecurrent.Output.SEQUENCE);
        assertThatThrownBy(skipping::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("parameters norm.weight, norm.bias, fc.weight, fc.bias of the state dict"
                        + " belong to no module");
        assertThat(skipping.ignore("norm").ignore("fc").build().outputNames()).containsExactly("encoder_lstm_l0");
    }

    @Test
    void aLinearOfAnotherShapeIsNamedWithBothShapes() throws Exception {
        Map<String, Tensor> sd = PyTorch.readStateDict(file("tagger.pt"));
        assertThatThrownBy(() -> PyTorch.linear(sd, "fc", 8, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter 'fc.weight' has shape [3][8], expected [4][8] for nn.Linear(8, 4)");
    }

    // ------------------------------------------------------------------ helpers

    private static int num(Object o) {
        return ((Number) o).intValue();
    }

    @SuppressWarnings("unchecked")
    private static List<List<Object>> rows3(Object o) {
        return (List<List<Object>>) o;
    }

    private static Tensor tensor3(Object o) {
        List<?> batch = (List<?>) o;
        Tensor[] samples = new Tensor[batch.size()];
        for (int b = 0; b < samples.length; b++) {
            samples[b] = Tensor.of(matrix(batch.get(b)));
        }
        return Tensor.stack(samples);
    }

    private static Tensor ids(Object o) {
        List<?> batch = (List<?>) o;
        Tensor[] samples = new Tensor[batch.size()];
        for (int b = 0; b < samples.length; b++) {
            List<?> row = (List<?>) batch.get(b);
            double[] v = new double[row.size()];
            for (int t = 0; t < v.length; t++) {
                v[t] = ((Number) row.get(t)).doubleValue();
            }
            samples[b] = Tensor.of(v);
        }
        return Tensor.stack(samples);
    }

    private static double[][] matrix(Object o) {
        List<?> rows = (List<?>) o;
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            List<?> r = (List<?>) rows.get(i);
            m[i] = new double[r.size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = ((Number) r.get(j)).doubleValue();
            }
        }
        return m;
    }


    /** Compares a nested JSON list with a tensor of the same shape, element by element, naming the index. */
    private static void assertClose(String what, Object expected, Tensor actual) {
        List<Integer> shape = new ArrayList<>();
        List<Double> flat = new ArrayList<>();
        flatten(expected, 0, shape, flat);
        int[] expectedShape = shape.stream().mapToInt(Integer::intValue).toArray();
        assertThat(actual.shape()).as(what + " shape").containsExactly(expectedShape);
        double[] a = actual.data();
        for (int i = 0; i < a.length; i++) {
            double e = flat.get(i);
            if (!TOL.accepts(e, a[i])) {
                fail(what + " " + index(i, expectedShape) + ": expected " + e + ", actual " + a[i] + ", error "
                        + Math.abs(e - a[i]) + ", tolerance " + TOL.absolute());
            }
        }
    }

    private static void flatten(Object o, int depth, List<Integer> shape, List<Double> out) {
        if (o instanceof List<?> l) {
            if (shape.size() == depth) {
                shape.add(l.size());
            }
            for (Object x : l) {
                flatten(x, depth + 1, shape, out);
            }
        } else {
            out.add(((Number) o).doubleValue());
        }
    }

    private static String index(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int k = shape.length - 1; k >= 0; k--) {
            idx[k] = flat % shape[k];
            flat /= shape[k];
        }
        StringBuilder sb = new StringBuilder();
        for (int i : idx) {
            sb.append('[').append(i).append(']');
        }
        return sb.toString();
    }
}
