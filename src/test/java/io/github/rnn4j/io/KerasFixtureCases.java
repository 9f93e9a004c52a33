package io.github.rnn4j.io;

import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import io.github.rnn4j.testing.Approx;
import io.github.rnn4j.testing.NestedLists;
import io.github.rnn4j.testing.Tolerance;
import org.assertj.core.api.AbstractThrowableAssert;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cases of a Keras fixture set whose {@code expected.json} follows the keras_models/keras_real schema
 * ({@code tools/fixtures/gen_keras_models.py}, {@code tools/fixtures/gen_keras_real.py}): each case names a model
 * file (and a weights file), and either samples with Keras's input and output names and expected outputs, or an
 * {@code expect_error} with the parts its message must contain.
 */
final class KerasFixtureCases {
    private final Path dir;

    /** The set in {@code /fixtures/<set>/expected.json}. */
    KerasFixtureCases(String set) {
        this.dir = Resources.fixture(set + "/expected.json").getParent();
    }

    /** Every case, in the file's order. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> cases() {
        return (List<Map<String, Object>>) Resources.json(dir.resolve("expected.json")).get("cases");
    }

    /** The cases that load and run. */
    Stream<Map<String, Object>> runnable() {
        return cases().stream().filter(c -> !c.containsKey("expect_error"));
    }

    /** The cases that must be refused ({@code expect_error}). */
    Stream<Map<String, Object>> refused() {
        return cases().stream().filter(c -> c.containsKey("expect_error"));
    }

    /** The model file of a case. */
    Path file(Map<String, Object> c) {
        return dir.resolve((String) c.get("file"));
    }

    /** Loads the model of a case, with its separate weights file when it has one. */
    Model load(Map<String, Object> c) throws IOException {
        if (c.get("weights_file") != null) {
            return KerasModels.load(file(c), dir.resolve((String) c.get("weights_file")));
        }
        return KerasModels.load(file(c));
    }

    /**
     * Checks a loaded model against a case: Keras's input and output names, then every sample's outputs by name,
     * each within the tolerance given for that output.
     */
    @SuppressWarnings("unchecked")
    static void matchesEverySample(Model model, Map<String, Object> c, Function<String, Tolerance> tolerance) {
        String file = (String) c.get("file");
        assertThat(model.inputNames()).as(file + " inputs").isEqualTo(c.get("input_names"));
        assertThat(model.outputNames()).as(file + " outputs").isEqualTo(c.get("output_names"));
        List<Map<String, Object>> samples = (List<Map<String, Object>>) c.get("samples");
        assertThat(samples).as(file).isNotEmpty();
        for (int s = 0; s < samples.size(); s++) {
            Map<String, Tensor> out = model.run(tensors((Map<String, Object>) samples.get(s).get("inputs")));
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

    /** The tensors of a JSON object of nested lists, by name in the object's order. */
    static Map<String, Tensor> tensors(Map<String, Object> nested) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : nested.entrySet()) {
            in.put(e.getKey(), NestedLists.tensor(e.getValue()));
        }
        return in;
    }

    /** Asserts that the refusal's message contains every part the case's {@code expect_error} lists. */
    @SuppressWarnings("unchecked")
    static void hasEveryPart(AbstractThrowableAssert<?, ? extends Throwable> check, Map<String, Object> error) {
        for (String part : (List<String>) error.get("contains")) {
            check.hasMessageContaining(part);
        }
    }
}
