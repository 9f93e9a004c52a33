package io.github.rnn4j.layers;

import io.github.rnn4j.testing.Fixture;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static io.github.rnn4j.testing.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The non-recurrent layers against {@code fixtures/layers/layers_expected.json}: numpy transliterations of the Keras 3
 * layer code, cross-checked with PyTorch float64 (generator: {@code tools/fixtures/gen_layers.py}). Each case checks
 * the values, the output mask, and that the declared output shape is the shape returned.
 */
class KerasLayersFixtureTest {
    private static final Fixture LAYERS = Fixture.load("layers/layers_expected.json");

    static Stream<Fixture.Case> cases() {
        return LAYERS.cases.stream().filter(c -> !c.layer.equals("erf"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheReference(Fixture.Case c) {
        Layer layer = build(c);
        List<Value> inputs = values(c.raw.get("inputs"));
        List<Value> expected = values(c.raw.get("expected"));
        List<Value> snapshot = copies(inputs);

        List<Value> actual = layer.apply(inputs);

        assertThat(actual).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertSame(c.name + " output " + i, expected.get(i), actual.get(i));
        }
        List<Shape> shapes = new ArrayList<>();
        for (Value v : inputs) {
            shapes.add(v.shape());
        }
        List<Shape> declared = layer.outputShapes(shapes);
        for (int i = 0; i < actual.size(); i++) {
            assertThat(declared.get(i)).as(c.name + " declared shape of output " + i)
                    .isEqualTo(actual.get(i).shape());
        }
        for (int i = 0; i < inputs.size(); i++) {
            assertSame(c.name + " input " + i + " after the call", snapshot.get(i), inputs.get(i));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheReferenceInFloat32(Fixture.Case c) {
        Layer layer = build(c).float32();
        List<Value> inputs = values(c.raw.get("inputs"));
        List<Value> expected = values(c.raw.get("expected"));
        List<Value> actual = layer.apply(inputs);
        assertThat(actual).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertSame(c.name + " output " + i + " in float32", expected.get(i), actual.get(i),
                    Tolerance.FLOAT32_MODE);
        }
    }

    @Test
    void theFixtureSetIsComplete() {
        assertThat(cases().count()).as("layer cases in layers_expected.json").isEqualTo(129);
    }

    @Test
    void erfIsWithinFourUnitsInTheLastPlaceOfTheCLibrary() {
        Fixture.Case c = LAYERS.cases.stream().filter(k -> k.layer.equals("erf")).findFirst().orElseThrow();
        double[] x = Fixture.vector(((Map<?, ?>) ((List<?>) c.raw.get("inputs")).get(0)).get("values"));
        double[] want = Fixture.vector(((Map<?, ?>) ((List<?>) c.raw.get("expected")).get(0)).get("values"));
        assertThat(x).hasSizeGreaterThan(500);
        for (int i = 0; i < x.length; i++) {
            double got = Activation.erf(x[i]);
            assertThat(Math.abs(got - want[i])).as("erf(%s) = %s, expected %s", x[i], got, want[i])
                    .isLessThanOrEqualTo(4 * Math.ulp(want[i]));
        }
        assertThat(Activation.erf(Double.NaN)).isNaN();
        assertThat(Activation.erf(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
        assertThat(Activation.erf(Double.NEGATIVE_INFINITY)).isEqualTo(-1.0);
    }

    static void assertSame(String what, Value expected, Value actual) {
        assertSame(what, expected, actual, Tolerance.FLOAT64);
    }

    static void assertSame(String what, Value expected, Value actual, Tolerance tol) {
        assertThat(actual.getClass()).as(what + " kind").isEqualTo(expected.getClass());
        if (expected instanceof Value.Vector) {
            assertClose(what, ((Value.Vector) expected).values(), ((Value.Vector) actual).values(), tol);
            return;
        }
        Value.Sequence e = (Value.Sequence) expected;
        Value.Sequence a = (Value.Sequence) actual;
        assertClose(what, e.steps(), a.steps(), tol);
        assertThat(a.mask()).as(what + " mask").isEqualTo(e.mask());
    }

    private static List<Value> copies(List<Value> values) {
        List<Value> out = new ArrayList<>();
        for (Value v : values) {
            if (v instanceof Value.Vector) {
                out.add(new Value.Vector(((Value.Vector) v).values().clone()));
            } else {
                Value.Sequence s = (Value.Sequence) v;
                out.add(new Value.Sequence(ActivationLayer.copy(s.steps()), s.mask() == null ? null : s.mask().clone()));
            }
        }
        return out;
    }

    static List<Value> values(Object raw) {
        List<Value> out = new ArrayList<>();
        for (Object o : (List<?>) raw) {
            Map<?, ?> m = (Map<?, ?>) o;
            List<?> values = (List<?>) m.get("values");
            boolean sequence = !values.isEmpty() && values.get(0) instanceof List;
            if (!sequence) {
                out.add(new Value.Vector(Fixture.vector(values)));
                continue;
            }
            List<?> maskList = (List<?>) m.get("mask");
            boolean[] mask = null;
            if (maskList != null) {
                mask = new boolean[maskList.size()];
                for (int i = 0; i < mask.length; i++) {
                    mask[i] = (Boolean) maskList.get(i);
                }
            }
            out.add(new Value.Sequence(Fixture.matrix(values), mask));
        }
        return out;
    }

    private static double number(Map<String, Object> config, String key, double otherwise) {
        Object o = config.get(key);
        return o == null ? otherwise : ((Number) o).doubleValue();
    }

    private static int integer(Map<String, Object> config, String key) {
        return ((Number) config.get(key)).intValue();
    }

    private static String upper(Map<String, Object> config, String key) {
        return ((String) config.get(key)).toUpperCase(Locale.ROOT);
    }

    private static Activation activation(String name) {
        return name.equals("gelu_tanh") ? Activation.GELU_TANH : Activation.fromKerasName(name, false);
    }

    private static int[] ints(Object o) {
        List<?> l = (List<?>) o;
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).intValue();
        }
        return out;
    }

    private static double[] vectorOrNull(Object o) {
        return o == null ? null : Fixture.vector(o);
    }

    /** Builds the layer of a case from its Keras-style configuration, as a loader would. */
    static Layer build(Fixture.Case c) {
        Map<String, Object> cfg = c.config;
        List<Object> w = c.weights;
        switch (c.layer) {
            case "Activation":
                return ActivationLayer.of(activation((String) cfg.get("activation")));
            case "ReLU":
                return ActivationLayer.relu(number(cfg, "max_value", Double.POSITIVE_INFINITY),
                        number(cfg, "negative_slope", 0), number(cfg, "threshold", 0));
            case "LeakyReLU":
                return ActivationLayer.leakyRelu(number(cfg, "negative_slope", 0.3));
            case "ELU":
                return ActivationLayer.elu(number(cfg, "alpha", 1));
            case "Softmax":
                return ActivationLayer.softmax(integer(cfg, "axis"));
            case "Merge":
                return new Merge(Merge.Kind.valueOf(upper(cfg, "kind")));
            case "Concatenate":
                return new Concatenate(integer(cfg, "axis"));
            case "Dot":
                return new Dot(ints(cfg.get("axes")), Boolean.TRUE.equals(cfg.get("normalize")));
            case "RepeatVector":
                return new RepeatVector(integer(cfg, "n"));
            case "Flatten":
                return new Flatten();
            case "Reshape":
                return new Reshape(ints(cfg.get("targetShape")));
            case "Permute":
                return new Permute(ints(cfg.get("dims")));
            case "TimeDistributed":
                if (cfg.get("inner").equals("Dense")) {
                    return new TimeDistributed(new Dense(Fixture.matrix(w.get(0)), Fixture.vector(w.get(1)),
                            activation((String) cfg.get("activation"))));
                }
                return new TimeDistributed(ActivationLayer.softmax(-1));
            case "GlobalPooling1D":
                return new GlobalPooling1D(GlobalPooling1D.Kind.valueOf(upper(cfg, "kind")),
                        Boolean.TRUE.equals(cfg.get("keepdims")));
            case "BatchNormalization":
                return new BatchNormalization(vectorOrNull(w.get(0)), vectorOrNull(w.get(1)), Fixture.vector(w.get(2)),
                        Fixture.vector(w.get(3)), number(cfg, "epsilon", 1e-3));
            case "LayerNormalization": {
                int features = values(c.raw.get("inputs")).get(0).shape().features();
                return new LayerNormalization(vectorOrNull(w.get(0)), vectorOrNull(w.get(1)), features,
                        number(cfg, "epsilon", 1e-3));
            }
            case "Conv1D": {
                List<?> k = (List<?>) w.get(0);
                double[][][] kernel = new double[k.size()][][];
                for (int i = 0; i < kernel.length; i++) {
                    kernel[i] = Fixture.matrix(k.get(i));
                }
                return new Conv1D(kernel, vectorOrNull(w.get(1)), integer(cfg, "strides"),
                        Padding.valueOf(upper(cfg, "padding")), integer(cfg, "dilationRate"), integer(cfg, "groups"),
                        activation((String) cfg.get("activation")));
            }
            case "Pooling1D":
                return new Pooling1D(Pooling1D.Kind.valueOf(upper(cfg, "kind")), integer(cfg, "poolSize"),
                        integer(cfg, "strides"), Padding.valueOf(upper(cfg, "padding")));
            default:
                throw new IllegalArgumentException("no builder for fixture layer " + c.layer);
        }
    }
}
