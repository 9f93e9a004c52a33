package io.github.rnn4j.io;

import io.github.rnn4j.model.Model;
import io.github.rnn4j.testing.Approx;
import io.github.rnn4j.testing.Fixture;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keras-layout legacy .h5 files written with h5py by tools/fixtures/gen_hdf5.py, for the loader's version rules and
 * refusals; their expected outputs come from that script's numpy float64 reference.
 */
class KerasSyntheticFilesTest {
    private static final Path SYNTHETIC = Resources.fixture("keras_synthetic/keras_expected.json").getParent();
    /** The cases per file in keras_expected.json: a lost case fails the count. */
    private static final Map<String, Integer> CASES = Map.of("k2_embedding_gru.h5", 3, "k3_lstm_backwards.h5", 2);

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cases(String file) {
        Map<String, Object> files = (Map<String, Object>) Resources.json(SYNTHETIC.resolve("keras_expected.json"))
                .get("files");
        List<Map<String, Object>> cases = (List<Map<String, Object>>) ((Map<String, Object>) files.get(file))
                .get("cases");
        assertThat(cases).as(file + " cases").hasSize(CASES.get(file));
        return cases;
    }

    /**
     * Keras 2.2.4, dict-form config: Embedding(mask_zero) → GRU without reset_after (so reset before) with
     * hard_sigmoid meaning 0.2·x + 0.5 → Dropout → TimeDistributed(Dense(softmax)); layer_names and weight_names
     * split into chunks as Keras writes attributes over 64 kB.
     */
    @Test
    void keras2EmbeddingGruAppliesKeras2Rules() throws IOException {
        Model model = KerasModels.load(SYNTHETIC.resolve("k2_embedding_gru.h5"));
        assertThat(model.takesTokenIds(model.inputNames().get(0))).isTrue();
        assertThat(model.notes()).anyMatch(n -> n.contains("reset_after=False (the file predates the option)"));
        assertThat(model.notes()).anyMatch(n -> n.contains("clip(0.2x + 0.5, 0, 1)"));
        for (Map<String, Object> c : cases("k2_embedding_gru.h5")) {
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
        Model model = KerasModels.load(SYNTHETIC.resolve("k3_lstm_backwards.h5"));
        assertThat(model.notes()).anyMatch(n -> n.contains("relu6(x + 3) / 6"));
        for (Map<String, Object> c : cases("k3_lstm_backwards.h5")) {
            Approx.assertClose("k3 lstm", Fixture.vector(c.get("expected")),
                    model.predict(Fixture.matrix(c.get("inputs"))), Tolerance.FLOAT64);
        }
    }

    @Test
    void aLayerWhoseWeightsAreMissingIsRefusedNamingIt() {
        assertBad("conv1d.h5", "layer 'conv1d_1' (Conv1D): group '/model_weights/conv1d_1' lists 0 weights");
    }

    @Test
    void anEluRecurrentActivationLoads() throws IOException {
        Model model = KerasModels.load(SYNTHETIC.resolve("elu.h5"));
        assertThat(model.layers().values().iterator().next().toString()).contains("SimpleRnnCell");
    }

    @Test
    void badFilesNameTheLayerAndWhatIsWrong() {
        assertBad("weights_only.h5", "no 'model_config' attribute: the file holds weights only");
        assertBad("wrong_units.h5", "layer 'simple_rnn_1' (SimpleRNN): kernel has shape [2][2], expected [?][3]");
        assertBad("missing_weight.h5", "layer 'simple_rnn_1' (SimpleRNN): weight 'simple_rnn_1/bias:0' is missing");
        assertBad("two_weights.h5", "layer 'simple_rnn_1' (SimpleRNN): group '/model_weights/simple_rnn_1' lists 2"
                + " weights");
        assertBad("missing_group.h5", "layer 'simple_rnn_1' (SimpleRNN): the file has no weights for this layer");
        assertBad("renamed.h5", "layer 'simple_rnn_9' (SimpleRNN): the file has no weights for this layer");
    }

    @Test
    void aStatefulLayerLoadsAndRunsFromZeroStates() throws IOException {
        Model model = KerasModels.load(SYNTHETIC.resolve("stateful.h5"));
        assertThat(model.notes()).anyMatch(n -> n.contains("stateful=True"));
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
