package io.github.rnn4j.layers;

import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Precision;
import io.github.rnn4j.model.Tensor;
import io.github.rnn4j.testing.Fixture;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.github.rnn4j.testing.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every layer against references no one here wrote: PyTorch float64, TensorFlow.js float32 and the golden numbers
 * of Keras's own layer tests. The generators are in {@code tools/fixtures}.
 */
class ReferenceFixturesTest {
    private static final Fixture PYTORCH = Fixture.load("pytorch/pytorch_float64.json");
    private static final Fixture TFJS = Fixture.load("tfjs/tfjs_float32.json");
    private static final Fixture KERAS = Fixture.load("keras/keras_tests.json");

    static Stream<Fixture.Case> pytorch() {
        return PYTORCH.cases.stream();
    }

    static Stream<Fixture.Case> tfjs() {
        return TFJS.cases.stream();
    }

    static Stream<Fixture.Case> keras() {
        return KERAS.cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pytorch")
    void matchesPyTorchFloat64(Fixture.Case c) {
        check(c, Tolerance.FLOAT64);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tfjs")
    void matchesTensorFlowJs(Fixture.Case c) {
        check(c, Tolerance.FLOAT32);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keras")
    void matchesKerasOwnTests(Fixture.Case c) {
        check(c, c.layer.equals("LSTM") ? Tolerance.KERAS_LSTM_TESTS : Tolerance.KERAS_TESTS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pytorch")
    void matchesPyTorchFloat64InFloat32(Fixture.Case c) {
        check(c, Tolerance.FLOAT32_MODE, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tfjs")
    void matchesTensorFlowJsInFloat32(Fixture.Case c) {
        check(c, Tolerance.FLOAT32_MODE, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keras")
    void matchesKerasOwnTestsInFloat32(Fixture.Case c) {
        check(c, Tolerance.FLOAT32_MODE, true);
    }

    @org.junit.jupiter.api.Test
    void fixturesHoldTheAdvertisedCases() {
        assertThat(PYTORCH.cases).as("PyTorch cases").hasSize(44);
        assertThat(TFJS.cases).as("TensorFlow.js cases").hasSize(98);
        assertThat(KERAS.cases).as("Keras test cases").hasSize(104);
        assertThat(PYTORCH.cases).extracting(c -> c.layer).contains("SimpleRNN", "LSTM", "GRU");
        assertThat(PYTORCH.cases).anySatisfy(c -> assertThat(c.inputs().length).isGreaterThanOrEqualTo(100));
        assertThat(TFJS.cases).extracting(c -> c.layer)
                .contains("SimpleRNN", "LSTM", "GRU", "Bidirectional", "Sequential");
        assertThat(KERAS.cases).extracting(c -> c.layer).contains("SimpleRNN", "LSTM", "GRU", "Bidirectional");
    }

    private static void check(Fixture.Case c, Tolerance tol) {
        check(c, tol, false);
    }

    /** Checks a case, with every layer as its float32 copy when {@code float32} is set. */
    private static void check(Fixture.Case c, Tolerance tol, boolean float32) {
        Map<String, Object> e = c.expected();
        switch (c.layer) {
            case "Sequential":
                checkSequential(c, tol, float32);
                return;
            case "Bidirectional": {
                Bidirectional layer = float32 ? c.bidirectional().float32() : c.bidirectional();
                RnnOutput out = layer.forward(c.inputs(), c.mask(), c.initialState());
                if (layer.mergeMode() == MergeMode.NONE) {
                    checkDirection(c, "forward", out.directions().get(0), tol);
                    checkDirection(c, "backward", out.directions().get(1), tol);
                } else {
                    if (e.containsKey("sequence")) {
                        assertClose(c.name + " sequence", Fixture.matrix(e.get("sequence")), out.sequence(), tol);
                    } else {
                        assertThat(out.hasSequence()).isFalse();
                    }
                    // With returnSequences the fixture's "last" is the last row of the merged sequence, already
                    // covered above; without it, it is what Keras returns, which last() must equal.
                    if (!layer.returnsSequences() && e.containsKey("last")) {
                        assertClose(c.name + " last", Fixture.vector(e.get("last")), out.last(), tol);
                    }
                }
                checkStates(c, out, tol);
                return;
            }
            default: {
                RnnOutput out = (float32 ? c.rnn().float32() : c.rnn()).forward(c.inputs(), c.mask(),
                        c.initialState());
                if (e.containsKey("sequence")) {
                    assertClose(c.name + " sequence", Fixture.matrix(e.get("sequence")), out.sequence(), tol);
                } else {
                    assertThat(out.hasSequence()).isFalse();
                }
                if (e.containsKey("last")) {
                    assertClose(c.name + " last", Fixture.vector(e.get("last")), out.last(), tol);
                }
                checkStates(c, out, tol);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkDirection(Fixture.Case c, String which, RnnOutput out, Tolerance tol) {
        Map<String, Object> e = (Map<String, Object>) c.expected().get(which);
        assertThat(e.containsKey("sequence") || e.containsKey("last")).as(c.name + " " + which + " has outputs").isTrue();
        if (e.containsKey("sequence")) {
            assertClose(c.name + " " + which + " sequence", Fixture.matrix(e.get("sequence")), out.sequence(), tol);
        }
        if (e.containsKey("last")) {
            assertClose(c.name + " " + which + " last", Fixture.vector(e.get("last")), out.last(), tol);
        }
    }

    private static void checkStates(Fixture.Case c, RnnOutput out, Tolerance tol) {
        Object states = c.expected().get("states");
        if (states != null) {
            assertClose(c.name + " states", List.of(Fixture.matrix(states)), out.states(), tol);
        }
    }

    /** Builds the stack as a chain {@link Model}, the way a model loader does, from the fixture's Keras weights. */
    @SuppressWarnings("unchecked")
    private static void checkSequential(Fixture.Case c, Tolerance tol, boolean float32) {
        Model.Chain chain = Model.sequential();
        int w = 0;
        for (Object o : (List<Object>) c.config.get("layers")) {
            Map<String, Object> l = (Map<String, Object>) o;
            String kind = (String) l.get("class");
            switch (kind) {
                case "Embedding":
                    chain.add(new Embedding(Fixture.matrix(c.weights.get(w++)), Boolean.TRUE.equals(l.get("maskZero"))));
                    break;
                case "Dense": {
                    double[][] kernel = Fixture.matrix(c.weights.get(w++));
                    double[] bias = Fixture.vector(c.weights.get(w++));
                    chain.add(new Dense(kernel, bias, Fixture.activation((String) l.get("activation"))));
                    break;
                }
                default: {
                    int n = Boolean.FALSE.equals(l.get("useBias")) ? 2 : 3;
                    RnnCell cell = Fixture.cell(kind, l, c.weights.subList(w, w + n));
                    w += n;
                    chain.add(Rnn.of(cell).returnSequences(Boolean.TRUE.equals(l.get("returnSequences")))
                            .goBackwards(Boolean.TRUE.equals(l.get("goBackwards"))));
                }
            }
        }
        assertThat(w).isEqualTo(c.weights.size());
        Model model = float32 ? chain.build().withPrecision(Precision.FLOAT32) : chain.build();
        Object expected = c.expected().get("output");
        if (model.outputShape(model.outputNames().get(0)).isSequence()) {
            assertClose(c.name + " output", Fixture.matrix(expected), model.predictSequence(c.tokenIds()), tol);
        } else {
            assertClose(c.name + " output", Fixture.vector(expected), model.predict(c.tokenIds()), tol);
        }
    }
}
