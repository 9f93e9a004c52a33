package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Handover;
import io.github.rnn4j.testing.NaiveRnn;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The factories the loaders use ({@link Handover#layers()}) keep the arrays they are given, where the public
 * constructors copy them: a weight loaded from a file is then copied at most once on its way into a layer. Each
 * test shows both sides: a layer built by a factory gives the bits of the same layer built by its public
 * constructor; a change to a given array afterwards reaches the factory's layer (it kept the array: no copy) and not
 * the constructor's (it copied). The factories check as the constructors do.
 */
class OwningFactoriesTest {
    private static final Handover.Layers OWNING = Handover.layers();
    private static final double[][] INPUTS = {{0.5, -1.0, 0.25}, {1.5, 0.0, -0.75}, {-0.2, 0.3, 0.9}};

    @Test
    void denseKeepsItsKernelAndBias() {
        Random r = new Random(1);
        double[][] kernel = NaiveRnn.random(r, 3, 4, 1.0);
        double[] bias = NaiveRnn.random(r, 1, 4, 1.0)[0];
        Dense copied = new Dense(kernel, bias, Activation.TANH);
        Dense owning = OWNING.dense(kernel, bias, Activation.TANH);
        double[] before = copied.forward(INPUTS[0]);
        assertThat(owning.forward(INPUTS[0])).isEqualTo(before);

        kernel[1][2] += 0.5;
        bias[3] -= 0.5;
        assertThat(copied.forward(INPUTS[0])).isEqualTo(before);
        double[] after = owning.forward(INPUTS[0]);
        assertThat(after[2]).isNotEqualTo(before[2]);
        assertThat(after[3]).isNotEqualTo(before[3]);
        assertThat(after[0]).isEqualTo(before[0]);
    }

    @Test
    void embeddingKeepsItsTable() {
        double[][] table = NaiveRnn.random(new Random(2), 5, 3, 1.0);
        Embedding copied = new Embedding(table, true);
        Embedding owning = OWNING.embedding(table, true);
        int[] ids = {4, 0, 2};
        double[][] before = copied.forward(ids);
        assertThat(owning.forward(ids)).isEqualTo(before);
        assertThat(owning.maskZero()).isTrue();

        table[4][1] = 7.0;
        assertThat(copied.forward(ids)).isEqualTo(before);
        assertThat(owning.forward(ids)[0][1]).isEqualTo(7.0);
    }

    @Test
    void conv1DKeepsItsKernelAndBias() {
        Random r = new Random(3);
        double[][][] kernel = {NaiveRnn.random(r, 3, 2, 1.0), NaiveRnn.random(r, 3, 2, 1.0)};
        double[] bias = {0.1, -0.2};
        Conv1D copied = new Conv1D(kernel, bias, 1, Padding.VALID, 1, 1, Activation.LINEAR);
        Conv1D owning = OWNING.conv1D(kernel, bias, 1, Padding.VALID, 1, 1, Activation.LINEAR);
        double[][] before = conv(copied);
        assertThat(before).hasNumberOfRows(2);
        assertThat(conv(owning)).isEqualTo(before);

        bias[1] += 1.0;
        assertThat(conv(copied)).isEqualTo(before);
        assertThat(conv(owning)[0][1]).isNotEqualTo(before[0][1]).isCloseTo(before[0][1] + 1.0,
                org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void simpleRnnLstmAndGruCellsKeepTheirKernels() {
        Random r = new Random(4);
        int units = 2;
        double[][] k1 = NaiveRnn.random(r, 3, units, 0.5);
        double[][] u1 = NaiveRnn.random(r, units, units, 0.5);
        double[] b1 = NaiveRnn.random(r, 1, units, 0.5)[0];
        checkOwnership(new SimpleRnnCell(k1, u1, b1, Activation.TANH),
                OWNING.simpleRnn(k1, u1, b1, Activation.TANH), () -> u1[0][1] += 0.25);

        double[][] k4 = NaiveRnn.random(r, 3, 4 * units, 0.5);
        double[][] u4 = NaiveRnn.random(r, units, 4 * units, 0.5);
        double[] b4 = NaiveRnn.random(r, 1, 4 * units, 0.5)[0];
        checkOwnership(new LstmCell(k4, u4, b4, Activation.TANH, Activation.SIGMOID),
                OWNING.lstm(k4, u4, b4, Activation.TANH, Activation.SIGMOID), () -> k4[2][5] += 0.25);

        double[][] k3 = NaiveRnn.random(r, 3, 3 * units, 0.5);
        double[][] u3 = NaiveRnn.random(r, units, 3 * units, 0.5);
        double[][] b3 = NaiveRnn.random(r, 2, 3 * units, 0.5);
        checkOwnership(new GruCell(k3, u3, b3, Activation.TANH, Activation.SIGMOID),
                OWNING.gruResetAfter(k3, u3, b3, Activation.TANH, Activation.SIGMOID), () -> b3[1][4] += 0.25);

        double[][] k = NaiveRnn.random(r, 3, 3 * units, 0.5);
        double[][] u = NaiveRnn.random(r, units, 3 * units, 0.5);
        double[] b = NaiveRnn.random(r, 1, 3 * units, 0.5)[0];
        double[][] gates = {java.util.Arrays.copyOfRange(u[0], 0, 2 * units),
                java.util.Arrays.copyOfRange(u[1], 0, 2 * units)};
        double[][] candidate = {java.util.Arrays.copyOfRange(u[0], 2 * units, 3 * units),
                java.util.Arrays.copyOfRange(u[1], 2 * units, 3 * units)};
        checkOwnership(new GruCell(k, u, b, Activation.TANH, Activation.SIGMOID),
                OWNING.gruResetBefore(k, gates, candidate, b, Activation.TANH, Activation.SIGMOID),
                () -> candidate[1][0] += 0.25);
    }

    @Test
    void cellsWithoutBiasEqualTheirPublicForms() {
        Random r = new Random(5);
        double[][] k = NaiveRnn.random(r, 3, 6, 0.5);
        double[][] u = NaiveRnn.random(r, 2, 6, 0.5);
        RnnCell copied = GruCell.withoutBias(k, u, true, Activation.TANH, Activation.SIGMOID);
        RnnCell owning = OWNING.gruResetAfter(k, u, null, Activation.TANH, Activation.SIGMOID);
        assertThat(Rnn.of(owning).returnSequences(true).forward(INPUTS).sequence())
                .isEqualTo(Rnn.of(copied).returnSequences(true).forward(INPUTS).sequence());
        assertThat(((GruCell) owning).parameterCount()).isEqualTo(((GruCell) copied).parameterCount());
    }

    @Test
    void factoriesCheckAsThePublicConstructors() {
        double[][] ragged = {{1.0, 2.0}, {3.0}};
        assertThatThrownBy(() -> OWNING.dense(ragged, null, Activation.LINEAR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel");
        assertThatThrownBy(() -> OWNING.dense(new double[][] {{1.0, Double.NaN}}, null, Activation.LINEAR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel");
        assertThatThrownBy(() -> OWNING.dense(new double[][] {{1.0, 2.0}}, new double[3], Activation.LINEAR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bias");
        assertThatThrownBy(() -> OWNING.embedding(new double[][] {{Double.POSITIVE_INFINITY}}, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table");
        assertThatThrownBy(() -> OWNING.lstm(new double[3][8], new double[2][6], null, Activation.TANH,
                Activation.SIGMOID)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recurrentKernel");
        assertThatThrownBy(() -> OWNING.simpleRnn(new double[3][2], new double[2][2], new double[3],
                Activation.TANH)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bias");
        assertThatThrownBy(() -> OWNING.gruResetAfter(new double[3][6], new double[2][6], new double[1][6],
                Activation.TANH, Activation.SIGMOID)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bias");
        assertThatThrownBy(() -> OWNING.gruResetBefore(new double[3][6], new double[2][3], new double[2][2], null,
                Activation.TANH, Activation.SIGMOID)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recurrentGates").hasMessageContaining("[2][4]");
        assertThatThrownBy(() -> OWNING.gruResetBefore(new double[3][6], new double[2][4], new double[3][2], null,
                Activation.TANH, Activation.SIGMOID)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recurrentCandidate");
        assertThatThrownBy(() -> OWNING.gruResetBefore(new double[3][5], new double[2][4], new double[2][2], null,
                Activation.TANH, Activation.SIGMOID)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kernel");
    }

    private static double[][] conv(Conv1D layer) {
        Value out = layer.apply(java.util.List.of(new Value.Sequence(INPUTS, null))).get(0);
        return ((Value.Sequence) out).steps();
    }

    /**
     * The two cells give the same bits; after {@code change} to an array both were given, the copying cell is
     * unchanged and the owning one differs.
     */
    private static void checkOwnership(RnnCell copied, RnnCell owning, Runnable change) {
        RnnOutput before = Rnn.of(copied).returnSequences(true).returnState(true).forward(INPUTS);
        RnnOutput same = Rnn.of(owning).returnSequences(true).returnState(true).forward(INPUTS);
        assertThat(same.sequence()).isEqualTo(before.sequence());
        assertThat(same.states().toArray(new double[0][])).isEqualTo(before.states().toArray(new double[0][]));

        change.run();
        assertThat(Rnn.of(copied).returnSequences(true).forward(INPUTS).sequence()).isEqualTo(before.sequence());
        assertThat(Rnn.of(owning).returnSequences(true).forward(INPUTS).sequence())
                .isNotEqualTo(before.sequence());
    }
}
