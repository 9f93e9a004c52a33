package io.github.rnn4j.io;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.model.LayerConfig;
import io.github.rnn4j.model.SequentialModel;
import io.github.rnn4j.model.Tensor;
import io.github.rnn4j.testing.Approx;
import io.github.rnn4j.testing.Fixture;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real Keras files from ../shared/fixtures/keras (skipped when that folder is absent) and Keras-layout files made by
 * tools/fixtures/gen_hdf5.py for the loader's version rules and rejections.
 */
class KerasModelsTest {
    /**
     * expected.json is a float64 reference, so it is held to the float64 tolerance, tighter than the 1e-5 its README
     * allows (measured: at most 6.7e-16).
     */
    static final Tolerance KERAS_FILES = Tolerance.FLOAT64;

    private static final Path REAL = Path.of("..", "shared", "fixtures", "keras");
    private static final Path SYNTHETIC = Resources.fixture("keras_synthetic/keras_expected.json").getParent();

    private static Path realFixtures() {
        assumeTrue(Files.isDirectory(REAL), "../shared/fixtures/keras is absent");
        return REAL;
    }

    @SuppressWarnings("unchecked")
    @Test
    void realKerasFilesMatchTheFloat64Reference() throws IOException {
        Path dir = realFixtures();
        List<Object> cases = (List<Object>) Resources.json(dir.resolve("expected.json")).get("cases");
        assertThat(cases).hasSize(4);
        for (Object o : cases) {
            Map<String, Object> c = (Map<String, Object>) o;
            String file = (String) c.get("file");
            SequentialModel model = KerasModels.load(dir.resolve(file));
            List<Object> inputs = (List<Object>) c.get("inputs");
            List<Object> outputs = (List<Object>) c.get("expected_outputs");
            for (int i = 0; i < inputs.size(); i++) {
                double[][] x = Fixture.matrix(inputs.get(i));
                String what = file + " input " + i;
                if (model.returnsSequences()) {
                    Approx.assertClose(what, Fixture.matrix(outputs.get(i)), model.predictSequence(x),
                            KERAS_FILES);
                } else {
                    Approx.assertClose(what, Fixture.vector(outputs.get(i)), model.predict(x), KERAS_FILES);
                }
            }
        }
    }

    @Test
    void realKerasFilesHaveTheExpectedStructure() throws IOException {
        Path dir = realFixtures();
        SequentialModel masking = KerasModels.load(dir.resolve("masking_lstm_k220.h5"));
        assertThat(masking.inputSize()).isEqualTo(42);
        assertThat(masking.outputSize()).isEqualTo(32);
        SequentialModel bilstm = KerasModels.load(dir.resolve("bilstm_k213.h5"));
        assertThat(bilstm.returnsSequences()).isTrue();
        assertThat(bilstm.outputSize()).isEqualTo(20);
        SequentialModel gru = KerasModels.load(dir.resolve("gru_stock_k3legacy.h5"));
        assertThat(gru.inputSize()).isEqualTo(13);
        assertThat(gru.layers()).hasSize(3);
    }

    /**
     * Keras's own float32 predictions for 25 inputs (simple_rnn_k213_keras_io.h5, group predictions/). Keras ran in
     * float32, rnn4j in float64, so the difference is float32 rounding: it grows with the output (up to 19.5 here;
     * measured at most 2.1e-6 absolute, 1.6e-7 relative, about 2 float32 ulps). Keras's assertAllClose default
     * (atol = rtol = 1e-6) covers that with a 10x margin, where a fixed 1e-6 absolute bound would not.
     */
    @Test
    void simpleRnnMatchesKerasOwnPredictions() throws IOException {
        Path dir = realFixtures();
        SequentialModel model = KerasModels.load(dir.resolve("simple_rnn_k213.h5"));
        double[] inputs;
        double[] predictions;
        try (Hdf5File h5 = Hdf5File.open(dir.resolve("simple_rnn_k213_keras_io.h5"))) {
            Tensor in = h5.node("inputs/simple_rnn_1_input").readTensor();
            Tensor out = h5.node("predictions/dense_1").readTensor();
            assertThat(in.shape()).containsExactly(25, 1, 1);
            assertThat(out.shape()).containsExactly(25, 1);
            inputs = in.data();
            predictions = out.data();
        }
        double[] actual = new double[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            actual[i] = model.predict(new double[][] {{inputs[i]}})[0];
        }
        Approx.assertClose("simple_rnn_k213 vs Keras predictions", predictions, actual, Tolerance.KERAS_TESTS);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> syntheticCases(String file) {
        Map<String, Object> files = (Map<String, Object>) Resources.json(SYNTHETIC.resolve("keras_expected.json"))
                .get("files");
        return (List<Map<String, Object>>) ((Map<String, Object>) files.get(file)).get("cases");
    }

    /**
     * Keras 2.2.4, dict-form config: Embedding(mask_zero) → GRU without reset_after (so reset before) with
     * hard_sigmoid meaning 0.2·x + 0.5 → Dropout → TimeDistributed(Dense(softmax)); layer_names and weight_names
     * split into chunks ({@code layer_names0}, {@code layer_names1}) as Keras writes attributes over 64 kB.
     */
    @Test
    void keras2EmbeddingGruAppliesKeras2Rules() throws IOException {
        SequentialModel model = KerasModels.load(SYNTHETIC.resolve("k2_embedding_gru.h5"));
        assertThat(model.takesTokenIds()).isTrue();
        for (Map<String, Object> c : syntheticCases("k2_embedding_gru.h5")) {
            List<?> l = (List<?>) c.get("ids");
            int[] ids = new int[l.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = ((Number) l.get(i)).intValue();
            }
            Approx.assertClose("ids " + l, Fixture.matrix(c.get("expected")), model.predictSequence(ids),
                    Tolerance.FLOAT64);
        }
    }

    /** Keras 3 legacy h5: InputLayer → LSTM(hard_sigmoid = x/6 + 0.5, go_backwards) → Dense(serialized linear). */
    @Test
    void keras3LstmAppliesKeras3HardSigmoidAndGoBackwards() throws IOException {
        SequentialModel model = KerasModels.load(SYNTHETIC.resolve("k3_lstm_backwards.h5"));
        for (Map<String, Object> c : syntheticCases("k3_lstm_backwards.h5")) {
            Approx.assertClose("k3 lstm", Fixture.vector(c.get("expected")),
                    model.predict(Fixture.matrix(c.get("inputs"))), Tolerance.FLOAT64);
        }
    }

    /** The version rule matters: the same weights with Keras 2's hard sigmoid give a visibly different answer. */
    @Test
    void theHardSigmoidVersionRuleIsObservable() throws IOException {
        Map<String, Object> c = syntheticCases("k3_lstm_backwards.h5").get(0);
        List<Tensor> weights = new ArrayList<>();
        try (Hdf5File h5 = Hdf5File.open(SYNTHETIC.resolve("k3_lstm_backwards.h5"))) {
            for (String w : List.of("lstm/sequential/lstm/lstm_cell/kernel",
                    "lstm/sequential/lstm/lstm_cell/recurrent_kernel", "lstm/sequential/lstm/lstm_cell/bias",
                    "dense/sequential/dense/kernel", "dense/sequential/dense/bias")) {
                weights.add(h5.node("model_weights/" + w).readTensor());
            }
        }
        SequentialModel keras2Rule = SequentialModel.fromKeras(List.of(
                LayerConfig.lstm(3).recurrentActivation(Activation.HARD_SIGMOID_KERAS2).goBackwards(true),
                LayerConfig.dense(1, Activation.LINEAR)), weights);
        double expected = Fixture.vector(c.get("expected"))[0];
        assertThat(Math.abs(keras2Rule.predict(Fixture.matrix(c.get("inputs")))[0] - expected)).isGreaterThan(1e-3);
    }

    @Test
    void unsupportedLayersAndOptionsAreNamed() {
        assertUnsupported("conv1d.h5", "layer 'conv1d_1' (Conv1D) is not supported; supported layers: InputLayer,");
        assertUnsupported("stateful.h5", "layer 'simple_rnn_1' (SimpleRNN): stateful=True is not supported");
        assertUnsupported("elu.h5", "layer 'simple_rnn_1' (SimpleRNN): activation 'elu' is not supported;"
                + " supported: linear, tanh, sigmoid, relu, softmax, hard_sigmoid");
        assertUnsupported("functional.h5", "model class 'Model' is not supported; supported: Sequential");
    }

    @Test
    void badFilesNameTheLayerAndWhatIsWrong() throws IOException {
        assertBad("weights_only.h5", "no 'model_config' attribute: the file holds weights only");
        assertBad("wrong_units.h5", "layer 'simple_rnn_1' (SimpleRNN): kernel has shape [2, 2], expected [2, 3]");
        assertBad("missing_weight.h5", "layer 'simple_rnn_1' (SimpleRNN): weight 'simple_rnn_1/bias:0' is missing");
        assertBad("two_weights.h5", "layer 'simple_rnn_1' (SimpleRNN) has 2 weights [simple_rnn_1/kernel:0,"
                + " simple_rnn_1/recurrent_kernel:0], expected 3");
        assertBad("missing_group.h5", "layer 'simple_rnn_1' (SimpleRNN) has no weights: group '/model_weights'"
                + " has no member 'simple_rnn_1'");
        assertBad("renamed.h5", "layer 'simple_rnn_9' (SimpleRNN) is not among the layer_names of '/model_weights':"
                + " [simple_rnn_1]");
        Path notHdf5 = Resources.fixture("numpy/f8_2d.npy");
        assertThatThrownBy(() -> KerasModels.load(notHdf5)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(notHdf5 + ": not an HDF5 file");
        assertThatThrownBy(() -> KerasModels.load(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file must not be null");
    }

    private static void assertUnsupported(String file, String message) {
        Path p = SYNTHETIC.resolve(file);
        assertThatThrownBy(() -> KerasModels.load(p)).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessageStartingWith(p + ": ").hasMessageContaining(message);
    }

    private static void assertBad(String file, String message) {
        Path p = SYNTHETIC.resolve(file);
        assertThatThrownBy(() -> KerasModels.load(p)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(p + ": ").hasMessageContaining(message);
    }
}
