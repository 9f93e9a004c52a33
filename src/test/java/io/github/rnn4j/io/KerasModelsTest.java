package io.github.rnn4j.io;

import static io.github.rnn4j.testing.NestedLists.tensor;

import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import io.github.rnn4j.testing.Approx;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

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
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real Keras files from ../shared/fixtures/keras: every one loads and matches its float64 reference
 * (expected.json, computed by gen_expected.py from the same stored weights, cross-checked with PyTorch) to 1e-9, as
 * the issue asks; measured differences are around 1e-15. Skipped when the folder is absent, failed instead when the
 * environment variable CI is set.
 */
class KerasModelsTest {
    /** The bound for float64 runs of real files against the float64 reference. */
    static final Tolerance KERAS_FILES = new Tolerance(1e-9, 0.0);

    static final Path REAL = Path.of("..", "shared", "fixtures", "keras");

    static Path realFixtures() {
        if (!Files.isDirectory(REAL)) {
            if (System.getenv("CI") != null) {
                fail("../shared/fixtures/keras is absent and CI is set: the real Keras files are required");
            }
            assumeTrue(false, "../shared/fixtures/keras is absent: skipping the real Keras files");
        }
        return REAL;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> realCases() {
        Path dir = realFixtures();
        return (List<Map<String, Object>>) (List<?>) Resources.json(dir.resolve("expected.json")).get("cases");
    }

    @SuppressWarnings("unchecked")
    @Test
    void everyRealKerasFileMatchesItsFloat64Reference() throws IOException {
        List<Map<String, Object>> cases = realCases();
        assertThat(cases).as("cases in ../shared/fixtures/keras/expected.json").hasSize(14);
        int checked = 0;
        for (Map<String, Object> c : cases) {
            String file = (String) c.get("file");
            Model model = KerasModels.load(REAL.resolve(file));
            List<Object> inputs = (List<Object>) c.get("inputs");
            List<Object> outputs = (List<Object>) c.get("expected_outputs");
            assertThat(inputs).as(file).isNotEmpty().hasSameSizeAs(outputs);
            for (int i = 0; i < inputs.size(); i++) {
                Map<String, Tensor> in = new LinkedHashMap<>();
                if (inputs.get(i) instanceof Map) {
                    for (Map.Entry<String, Object> e : ((Map<String, Object>) inputs.get(i)).entrySet()) {
                        in.put(e.getKey(), tensor(e.getValue()));
                    }
                } else {
                    in.put(model.inputNames().get(0), tensor(inputs.get(i)));
                }
                Map<String, Tensor> out = model.run(in);
                assertThat(out).as(file).hasSize(1);
                Tensor expected = tensor(outputs.get(i));
                Tensor actual = out.values().iterator().next();
                assertThat(actual.shape()).as(file + " output shape").containsExactly(expected.shape());
                Approx.assertClose(file + " case " + i, expected.data(), actual.data(), KERAS_FILES);
                checked++;
            }
        }
        assertThat(checked).as("samples checked").isEqualTo(43);
    }

    @Test
    void realFilesKeepKerasNamesAndShapes() throws IOException {
        realFixtures();
        Model two = KerasModels.load(REAL.resolve("gru_func_twoinput_k38.keras"));
        assertThat(two.inputNames()).containsExactly("input_layer", "input_layer_1");
        assertThat(two.inputShape("input_layer").toString()).isEqualTo("[12][1]");
        assertThat(two.properties()).containsEntry("Keras version", "3.8.0");
        Model functional = KerasModels.load(REAL.resolve("lstm_functional_k208.h5"));
        assertThat(functional.inputNames()).containsExactly("inputLayer_1");
        assertThat(functional.outputNames()).containsExactly("outputLayer_a");
        Model sequential = KerasModels.load(REAL.resolve("masking_lstm_k220.h5"));
        assertThat(sequential.inputNames()).hasSize(1);
        assertThat(sequential.outputShape(sequential.outputNames().get(0)).toString()).isEqualTo("[32]");
        Model gru = KerasModels.load(REAL.resolve("gru_stock_k3legacy.h5"));
        assertThat(gru.summary()).contains("GRU 'gru': reset_after=True").contains("Total params: ");
    }

    @Test
    void aModelLoadsFromAStreamAsFromItsFile() throws IOException {
        realFixtures();
        for (String file : List.of("embed_mask_gru_k3132.keras", "lstm_functional_k208.h5")) {
            Model fromFile = KerasModels.load(REAL.resolve(file));
            Model fromStream;
            try (InputStream in = Files.newInputStream(REAL.resolve(file))) {
                fromStream = KerasModels.load(in);
            }
            assertThat(fromStream.toString()).isEqualTo(fromFile.toString());
            assertThat(fromStream.summary().replace("input stream", "")).contains("Total params");
        }
    }

    /**
     * Keras's own float32 predictions for 25 inputs (simple_rnn_k213_keras_io.h5, group predictions/). Keras ran in
     * float32, rnn4j in float64, so the difference is float32 rounding (measured at most 2.1e-6 absolute, 1.6e-7
     * relative); Keras's assertAllClose default (atol = rtol = 1e-6) covers that.
     */
    @Test
    void simpleRnnMatchesKerasOwnPredictions() throws IOException {
        Path dir = realFixtures();
        Model model = KerasModels.load(dir.resolve("simple_rnn_k213.h5"));
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

    @Test
    void filesThatAreNotKerasModelsAreRefusedWithAHint() throws IOException {
        Path notKeras = Resources.fixture("numpy/f8_2d.npy");
        assertThatThrownBy(() -> KerasModels.load(notKeras)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(notKeras + ": not a Keras model")
                .hasMessageContaining("model.save(\"model.keras\")");
        Path npz = Resources.fixture("numpy/stored.npz");
        assertThatThrownBy(() -> KerasModels.load(npz)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageContaining("without config.json").hasMessageContaining("NumPy");
        Path dir = Files.createTempDirectory("savedmodel");
        Files.writeString(dir.resolve("saved_model.pb"), "x");
        assertThatThrownBy(() -> KerasModels.load(dir)).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("SavedModel").hasMessageContaining("model.save(\"model.keras\")");
        assertThatThrownBy(() -> KerasModels.load((Path) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file must not be null");
    }
}
