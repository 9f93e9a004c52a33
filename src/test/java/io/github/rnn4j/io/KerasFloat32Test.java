package io.github.rnn4j.io;

import io.github.rnn4j.testing.NestedLists;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Precision;
import io.github.rnn4j.model.Tensor;
import io.github.rnn4j.testing.Approx;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Keras file the project holds, run as a float32 model ({@code withPrecision(FLOAT32)}), against its float64
 * reference to {@link Tolerance#FLOAT32_MODE}: the real files of ../shared/fixtures/keras and the h5py-written
 * fixtures of {@code keras_models}. Each suite must also show float32 rounding somewhere, so a float32 mode that
 * quietly ran in float64 would fail.
 */
class KerasFloat32Test {

    @SuppressWarnings("unchecked")
    @Test
    void everyRealKerasFileInFloat32IsWithinTheBoundOfItsFloat64Reference() throws IOException {
        double largest = 0.0;
        int checked = 0;
        for (Map<String, Object> c : KerasModelsTest.realCases()) {
            String file = (String) c.get("file");
            Model model = KerasModels.load(KerasModelsTest.REAL.resolve(file)).withPrecision(Precision.FLOAT32);
            assertThat(model.precision()).isEqualTo(Precision.FLOAT32);
            List<Object> inputs = (List<Object>) c.get("inputs");
            List<Object> outputs = (List<Object>) c.get("expected_outputs");
            for (int i = 0; i < inputs.size(); i++) {
                Map<String, Tensor> in = new LinkedHashMap<>();
                if (inputs.get(i) instanceof Map) {
                    for (Map.Entry<String, Object> e : ((Map<String, Object>) inputs.get(i)).entrySet()) {
                        in.put(e.getKey(), NestedLists.tensor(e.getValue()));
                    }
                } else {
                    in.put(model.inputNames().get(0), NestedLists.tensor(inputs.get(i)));
                }
                Tensor expected = NestedLists.tensor(outputs.get(i));
                Tensor actual = model.run(in).values().iterator().next();
                assertThat(actual.shape()).as(file + " output shape").containsExactly(expected.shape());
                Approx.assertClose(file + " case " + i + " in float32", expected.data(), actual.data(),
                        Tolerance.FLOAT32_MODE);
                largest = Math.max(largest, maxError(expected.data(), actual.data()));
                checked++;
            }
        }
        assertThat(checked).as("samples checked").isEqualTo(43);
        assertThat(largest).as("largest float32 error: float32 rounding must show").isGreaterThan(1e-10);
    }

    @SuppressWarnings("unchecked")
    @Test
    void everyKerasModelFixtureInFloat32IsWithinTheBoundOfItsFloat64Reference() throws IOException {
        KerasFixtureCases set = new KerasFixtureCases("keras_models");
        double largest = 0.0;
        int checked = 0;
        for (Map<String, Object> c : set.runnable().toList()) {
            Model model = set.load(c).withPrecision(Precision.FLOAT32);
            for (Map<String, Object> sample : (List<Map<String, Object>>) c.get("samples")) {
                Map<String, Object> inputs = (Map<String, Object>) sample.get("inputs");
                Map<String, Tensor> out = model.run(KerasFixtureCases.tensors(inputs));
                Map<String, Object> expected = (Map<String, Object>) sample.get("outputs");
                for (String output : expected.keySet()) {
                    Tensor e = NestedLists.tensor(expected.get(output));
                    Approx.assertClose(c.get("file") + " " + output + " in float32", e.data(), out.get(output).data(),
                            Tolerance.FLOAT32_MODE);
                    largest = Math.max(largest, maxError(e.data(), out.get(output).data()));
                    checked++;
                }
            }
        }
        assertThat(checked).as("outputs checked").isEqualTo(432);
        assertThat(largest).as("largest float32 error: float32 rounding must show").isGreaterThan(1e-10);
    }

    static double maxError(double[] expected, double[] actual) {
        double m = 0.0;
        for (int i = 0; i < expected.length; i++) {
            m = Math.max(m, Math.abs(expected[i] - actual[i]));
        }
        return m;
    }
}
