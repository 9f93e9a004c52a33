package io.github.rnn4j.io;

import io.github.rnn4j.testing.NestedLists;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import io.github.rnn4j.testing.Approx;
import io.github.rnn4j.testing.Tolerance;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keras-layout files written with h5py by tools/fixtures/gen_keras_models.py (Keras cannot be installed here): every
 * layer, config shape and file layout Keras writes, and files that must be refused. Expected outputs come from that
 * script's independent numpy float64 reference, cross-checked with PyTorch where a layer exists there.
 */
class KerasModelFixturesTest {
    private static final Path DIR = Resources.fixture("keras_models/expected.json").getParent();

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases() {
        return (List<Map<String, Object>>) Resources.json(DIR.resolve("expected.json")).get("cases");
    }

    static Stream<Arguments> runnable() {
        return cases().stream().filter(c -> !c.containsKey("expect_error")).map(c -> Arguments.of(c.get("file"), c));
    }

    static Stream<Arguments> refused() {
        return cases().stream().filter(c -> c.containsKey("expect_error")).map(c -> Arguments.of(c.get("file"), c));
    }

    @Test
    void theFixtureSetIsComplete() {
        assertThat(runnable().count()).as("runnable cases").isEqualTo(52);
        assertThat(refused().count()).as("refused cases").isEqualTo(13);
    }

    private static Model load(Map<String, Object> c) throws IOException {
        Path file = DIR.resolve((String) c.get("file"));
        if (c.get("weights_file") != null) {
            return KerasModels.load(file, DIR.resolve((String) c.get("weights_file")));
        }
        return KerasModels.load(file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runnable")
    @Timeout(30)
    @SuppressWarnings("unchecked")
    void loadsAndMatchesTheReference(String name, Map<String, Object> c) throws IOException {
        matchesEverySample(load(c), c, output -> Tolerance.FLOAT64);
    }

    /**
     * Checks a loaded model against a fixture case of the keras_models/keras_real schema: Keras's input and output
     * names, then every sample's outputs by name, each within the tolerance given for that output.
     */
    @SuppressWarnings("unchecked")
    static void matchesEverySample(Model model, Map<String, Object> c,
                                   java.util.function.Function<String, Tolerance> tolerance) {
        String file = (String) c.get("file");
        assertThat(model.inputNames()).as(file + " inputs").isEqualTo(c.get("input_names"));
        assertThat(model.outputNames()).as(file + " outputs").isEqualTo(c.get("output_names"));
        List<Map<String, Object>> samples = (List<Map<String, Object>>) c.get("samples");
        assertThat(samples).as(file).isNotEmpty();
        for (int s = 0; s < samples.size(); s++) {
            Map<String, Tensor> in = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) samples.get(s).get("inputs")).entrySet()) {
                in.put(e.getKey(), NestedLists.tensor(e.getValue()));
            }
            Map<String, Tensor> out = model.run(in);
            Map<String, Object> expected = (Map<String, Object>) samples.get(s).get("outputs");
            assertThat(out.keySet()).as(file).containsExactlyElementsOf(expected.keySet());
            for (String output : expected.keySet()) {
                Tensor e = NestedLists.tensor(expected.get(output));
                Tensor a = out.get(output);
                assertThat(a.shape()).as(file + " " + output + " shape").containsExactly(e.shape());
                Approx.assertClose(file + " sample " + s + " " + output, e.data(), a.data(),
                        tolerance.apply(output));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    @Timeout(30)
    @SuppressWarnings("unchecked")
    void isRefusedNamingWhatIsWrong(String name, Map<String, Object> c) throws IOException {
        Map<String, Object> error = (Map<String, Object>) c.get("expect_error");
        Path file = DIR.resolve((String) c.get("file"));
        AbstractThrowableAssert<?, ? extends Throwable> check;
        if ("run".equals(error.get("when"))) {
            Model model = load(c);
            Map<String, Tensor> in = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) error.get("inputs")).entrySet()) {
                in.put(e.getKey(), NestedLists.tensor(e.getValue()));
            }
            assertThat(error.get("type")).isEqualTo("IllegalArgumentException");
            check = assertThatThrownBy(() -> model.run(in)).isExactlyInstanceOf(IllegalArgumentException.class);
        } else {
            Class<? extends Throwable> type = "UnsupportedFeatureException".equals(error.get("type"))
                    ? UnsupportedFeatureException.class : FileFormatException.class;
            // UnsupportedFeatureException is a FileFormatException: a damaged file may be refused as either.
            check = assertThatThrownBy(() -> load(c)).isInstanceOf(type).hasMessageContaining(file.toString());
        }
        for (String part : (List<String>) error.get("contains")) {
            check.hasMessageContaining(part);
        }
    }
}
