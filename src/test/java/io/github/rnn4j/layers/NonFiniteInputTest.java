package io.github.rnn4j.layers;

import io.github.rnn4j.testing.Fixture;
import io.github.rnn4j.testing.NaiveRnn;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * NaN and infinity in inputs are refused at every entry point of the layers, with an
 * {@link IllegalArgumentException} naming the position, and nothing changes: the arguments are left as given.
 */
class NonFiniteInputTest {
    private static final double[] BAD = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    private static final Random RND = new Random(12);

    private static final SimpleRnnCell SIMPLE = new SimpleRnnCell(NaiveRnn.random(RND, 3, 4, 0.5),
            NaiveRnn.random(RND, 4, 4, 0.5), new double[4]);
    private static final LstmCell LSTM = new LstmCell(NaiveRnn.random(RND, 3, 16, 0.5),
            NaiveRnn.random(RND, 4, 16, 0.5), new double[16]);

    private static double[][] sequenceWith(double bad, int t, int j) {
        double[][] x = NaiveRnn.random(new Random(5), 4, 3, 1.0);
        x[t][j] = bad;
        return x;
    }

    private static String text(double v) {
        return Double.toString(v);
    }

    @Test
    void rnnForwardRefusesEveryNonFiniteValueByPosition() {
        Rnn rnn = Rnn.of(LSTM).returnSequences(true).returnState(true);
        for (double bad : BAD) {
            double[][] x = sequenceWith(bad, 2, 1);
            assertThatThrownBy(() -> rnn.forward(x)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("inputs[2][1] is " + text(bad) + ", expected a finite number");
            assertThatThrownBy(() -> rnn.forward(x, new boolean[] {true, true, false, true}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("inputs[2][1] is ");
            assertThatThrownBy(() -> rnn.forward(x, null, LSTM.zeroStates()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("inputs[2][1] is ");
            double[][][] batch = {NaiveRnn.random(RND, 2, 3, 1.0), x};
            assertThatThrownBy(() -> rnn.forward(batch)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("inputs[1][2][1] is " + text(bad) + ", expected a finite number");
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                assertThatThrownBy(() -> rnn.forward(batch, null, pool, 2))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("inputs[1][2][1] is ");
            } finally {
                pool.shutdown();
            }
            double[] badState = new double[4];
            badState[3] = bad;
            assertThatThrownBy(() -> rnn.forward(sequenceWith(0, 0, 0), null, List.of(new double[4], badState)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("initialState[1][3] is ");
        }
    }

    @Test
    void bidirectionalForwardRefusesNonFiniteInputsByPosition() {
        Bidirectional bi = Bidirectional.of(SIMPLE, SIMPLE, MergeMode.CONCAT).returnSequences(true);
        for (double bad : BAD) {
            double[][] x = sequenceWith(bad, 3, 2);
            assertThatThrownBy(() -> bi.forward(x)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("inputs[3][2] is " + text(bad) + ", expected a finite number");
            assertThatThrownBy(() -> bi.forward(x, new boolean[4])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("inputs[3][2] is ");
            assertThatThrownBy(() -> bi.forward(new double[][][] {x}, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("inputs[0][3][2] is ");
        }
    }

    @Test
    void denseAndCellStepRefuseNonFiniteInputsByPosition() {
        Dense dense = new Dense(NaiveRnn.random(RND, 3, 2, 1.0), null, Activation.TANH);
        for (double bad : BAD) {
            double[] v = {0.5, bad, 0.25};
            assertThatThrownBy(() -> dense.forward(v)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("x[1] is " + text(bad) + ", expected a finite number");
            double[] y = {7, 8};
            assertThatThrownBy(() -> dense.forwardInto(v, y)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("x[1] is ");
            assertThat(y).as("a refused call leaves the output buffer alone").containsExactly(7, 8);
            assertThatThrownBy(() -> dense.forward(sequenceWith(bad, 1, 0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rows[1][0] is " + text(bad) + ", expected a finite number");
            List<double[]> states = List.of(new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {1, 2, 3, 4});
            assertThatThrownBy(() -> LSTM.step(v, states)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("input[1] is " + text(bad) + ", expected a finite number");
            assertThat(states.get(0)).as("a refused step changes no state").containsExactly(0.1, 0.2, 0.3, 0.4);
            double[] badState = {0, 0, bad, 0};
            assertThatThrownBy(() -> SIMPLE.step(new double[3], List.of(badState)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("states[0][2] is ");
        }
    }

    /** Every fixture case of every layer, with one value of its first input replaced by NaN or an infinity. */
    @Test
    void everyLayerApplyRefusesNonFiniteInputsByInputAndPosition() {
        Fixture fixture = Fixture.load("layers/layers_expected.json");
        Set<Class<?>> covered = new HashSet<>();
        List<String> checked = new ArrayList<>();
        for (Fixture.Case c : fixture.cases) {
            if (c.layer.equals("erf")) {
                continue;
            }
            Layer layer = KerasLayersFixtureTest.build(c);
            List<Value> inputs = KerasLayersFixtureTest.values(c.raw.get("inputs"));
            int last = inputs.size() - 1;
            for (double bad : BAD) {
                List<Value> poisoned = new ArrayList<>(inputs);
                String at = poison(poisoned, last, bad);
                assertThatThrownBy(() -> layer.apply(poisoned)).as(c.name)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage(layer.getClass().getSimpleName() + " input " + last + " " + at + " is "
                                + text(bad) + ", expected a finite number");
            }
            covered.add(layer.getClass());
            checked.add(c.name);
        }
        // The layers the fixture does not cover (they have their own fixtures and tests).
        List<Layer> others = List.of(Rnn.of(SIMPLE), Bidirectional.of(LSTM, LSTM, MergeMode.SUM),
                new Dense(new double[3][2], null, Activation.LINEAR), new Embedding(new double[5][3]),
                new Masking(0), new Identity("Dropout"));
        for (Layer layer : others) {
            List<Value> poisoned = new ArrayList<>(List.of(layer instanceof Embedding
                    ? new Value.Vector(new double[] {1, 2, 3}) : new Value.Sequence(sequenceWith(0, 0, 0))));
            String at = poison(poisoned, 0, Double.NaN);
            assertThatThrownBy(() -> layer.apply(poisoned)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(layer.getClass().getSimpleName() + " input 0 " + at + " is NaN, expected a finite number");
            covered.add(layer.getClass());
        }
        assertThat(checked).hasSizeGreaterThan(40);
        assertThat(covered).as("every permitted layer class refuses NaN in apply")
                .containsExactlyInAnyOrder(Layer.class.getPermittedSubclasses());
    }

    @Test
    void anInitialStateGivenToApplyIsCheckedToo() {
        Rnn rnn = Rnn.of(LSTM).returnState(true);
        List<Value> inputs = List.of(new Value.Sequence(sequenceWith(0, 0, 0)), new Value.Vector(new double[4]),
                new Value.Vector(new double[] {0, Double.NEGATIVE_INFINITY, 0, 0}));
        assertThatThrownBy(() -> rnn.apply(inputs)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rnn input 2 [1] is -Infinity, expected a finite number");
    }

    @Test
    void aNanMadeByOneLayerIsRefusedByTheNext() {
        // Keras's average over no steps is 0/0 = NaN; the layer after it refuses the NaN instead of passing it on.
        Value.Sequence allMasked = new Value.Sequence(new double[][] {{1, 2}, {3, 4}}, new boolean[] {false, false});
        List<Value> pooled = new GlobalPooling1D(GlobalPooling1D.Kind.AVERAGE, false).apply(List.of(allMasked));
        assertThat(((Value.Vector) pooled.get(0)).values()).containsOnly(Double.NaN);
        assertThatThrownBy(() -> new Dense(new double[2][1], null, Activation.LINEAR).apply(pooled))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Dense input 0 [0] is NaN, expected a finite number");
    }

    /** Replaces the last value of input {@code i} by {@code bad} (a copy) and returns its position. */
    private static String poison(List<Value> inputs, int i, double bad) {
        Value v = inputs.get(i);
        if (v instanceof Value.Vector) {
            double[] values = ((Value.Vector) v).values().clone();
            values[values.length - 1] = bad;
            inputs.set(i, new Value.Vector(values));
            return "[" + (values.length - 1) + "]";
        }
        Value.Sequence s = (Value.Sequence) v;
        double[][] steps = new double[s.timeSteps()][];
        for (int t = 0; t < steps.length; t++) {
            steps[t] = s.steps()[t].clone();
        }
        int t = steps.length - 1;
        int j = steps[t].length - 1;
        steps[t][j] = bad;
        inputs.set(i, new Value.Sequence(steps, s.mask()));
        return "[" + t + "][" + j + "]";
    }
}
