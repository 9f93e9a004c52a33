package io.github.rnn4j.layers;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every bad input gets an IllegalArgumentException naming the parameter and both shapes. */
class BadInputTest {
    private static final double[][] K = new double[4][3];
    private static final double[][] U = new double[3][3];
    private static final double[] B = new double[3];
    private final SimpleRnnCell cell = new SimpleRnnCell(K, U, B);

    @Test
    void raggedOrMisShapedWeights() {
        assertThatThrownBy(() -> new SimpleRnnCell(new double[][] {{1, 2, 3}, {1, 2}}, U, B))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("kernel row 1 has 2 columns, expected 3");
        assertThatThrownBy(() -> new SimpleRnnCell(new double[4][2], U, B))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("kernel has shape [4][2], expected [?][3]");
        assertThatThrownBy(() -> new SimpleRnnCell(K, new double[3][4], B)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("recurrentKernel has shape [3][4], expected [units][units] for SimpleRNN");
        assertThatThrownBy(() -> new SimpleRnnCell(K, U, new double[4])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bias has shape [4], expected [3]");
        assertThatThrownBy(() -> new LstmCell(new double[4][12], new double[3][9], new double[12])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("recurrentKernel has shape [3][9], expected [units][4*units] for LSTM");
        assertThatThrownBy(() -> new SimpleRnnCell(null, U, B)).isInstanceOf(IllegalArgumentException.class).hasMessage("kernel must not be null");
        assertThatThrownBy(() -> new SimpleRnnCell(new double[0][3], U, B)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel has shape [0][3], expected [?][3]");
    }

    @Test
    void gruBiasShapeSaysWhichResetModeEachShapeMeans() {
        double[][] k = new double[2][6];
        double[][] u = new double[2][6];
        assertThatThrownBy(() -> new GruCell(k, u, new double[12])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bias has shape [12], expected [6] for reset_after=False")
                .hasMessageContaining("[2][6] bias for reset_after=True");
        assertThatThrownBy(() -> new GruCell(k, u, new double[1][6])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bias has shape [1][6], expected [2][6] for reset_after=True")
                .hasMessageContaining("[6] bias for reset_after=False");
        assertThatThrownBy(() -> new GruCell(k, u, new double[2][5])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bias has shape [2][5], expected [2][6]");
    }

    @Test
    void nonFiniteWeightsAreRejectedWithTheirIndex() {
        double[][] k = new double[4][3];
        k[2][1] = Double.NaN;
        assertThatThrownBy(() -> new SimpleRnnCell(k, U, B)).isInstanceOf(IllegalArgumentException.class).hasMessage("kernel[2][1] is NaN, expected a finite number");
        assertThatThrownBy(() -> new SimpleRnnCell(K, U, new double[] {0, Double.POSITIVE_INFINITY, 0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bias[1] is Infinity, expected a finite number");
        assertThatThrownBy(() -> new Dense(new double[][] {{Double.NaN}}, null, Activation.LINEAR)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kernel[0][0] is NaN");
        assertThatThrownBy(() -> new Embedding(new double[][] {{1}, {Double.NEGATIVE_INFINITY}})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table[1][0] is -Infinity");
    }

    @Test
    void badSequences() {
        Rnn rnn = Rnn.of(cell);
        assertThatThrownBy(() -> rnn.forward(new double[0][4]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputs has shape [0][4], expected [timeSteps][4] with timeSteps >= 1");
        assertThatThrownBy(() -> rnn.forward(new double[][] {{1, 2, 3, 4}, {1, 2, 3}})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputs row 1 has 3 columns, expected 4");
        assertThatThrownBy(() -> rnn.forward(new double[2][5])).isInstanceOf(IllegalArgumentException.class).hasMessage("inputs has shape [2][5], expected [?][4]");
        assertThatThrownBy(() -> rnn.forward((double[][]) null)).isInstanceOf(IllegalArgumentException.class).hasMessage("inputs must not be null");
        assertThatThrownBy(() -> rnn.forward(new double[3][4], new boolean[2])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mask has shape [2], expected [3] (one entry per time step)");
        assertThatThrownBy(() -> rnn.forward(new double[][][] {new double[2][4], new double[1][5]})).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputs[1] has shape [1][5], expected [?][4]");
        assertThatThrownBy(() -> rnn.forward(new double[][][] {new double[2][4]}, new boolean[][] {new boolean[3]})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("masks[0] has shape [3], expected [2]");
        assertThatThrownBy(() -> rnn.forward(new double[][][] {new double[2][4]}, new boolean[2][])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("masks has shape [2][?], expected [1][?]");
    }

    @Test
    void badInitialStates() {
        Rnn rnn = Rnn.of(cell);
        assertThatThrownBy(() -> rnn.forward(new double[2][4], null, List.of(new double[3], new double[3]))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initialState has 2 entries, expected 1");
        assertThatThrownBy(() -> rnn.forward(new double[2][4], null, List.of(new double[2]))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initialState[0] has shape [2], expected [3]");
        LstmCell lstm = new LstmCell(new double[4][12], new double[3][12], new double[12]);
        assertThatThrownBy(() -> Rnn.of(lstm).forward(new double[2][4], null, List.of(new double[3]))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initialState has 1 entries, expected 2");
        Bidirectional bi = Bidirectional.of(lstm, lstm, MergeMode.SUM);
        assertThatThrownBy(() -> bi.forward(new double[2][4], null, List.of(new double[3], new double[3]))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initialState has 2 entries, expected 4");
        assertThatThrownBy(() -> cell.step(new double[4], new double[4])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("states[0] has shape [4], expected [3]");
        assertThatThrownBy(() -> cell.step(new double[3], new double[3])).isInstanceOf(IllegalArgumentException.class).hasMessage("input has shape [3], expected [4]");
    }

    @Test
    void badLayerCombinationsAndIds() {
        SimpleRnnCell other = new SimpleRnnCell(new double[5][3], U, B);
        assertThatThrownBy(() -> Bidirectional.of(cell, other, MergeMode.CONCAT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backward cell has inputSize 5, expected 4 (the forward cell's inputSize)");
        assertThatThrownBy(() -> new SimpleRnnCell(K, U, B, Activation.SOFTMAX)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("activation must be element-wise, got SOFTMAX");
        Embedding e = new Embedding(new double[3][2]);
        assertThatThrownBy(() -> e.forward(new int[] {0, 3})).isInstanceOf(IllegalArgumentException.class).hasMessage("ids[1] is 3, expected an id in [0, 3)");
        assertThatThrownBy(() -> e.forward(new int[] {-1})).isInstanceOf(IllegalArgumentException.class).hasMessage("ids[0] is -1, expected an id in [0, 3)");
        Dense d = new Dense(new double[3][2], null, Activation.SOFTMAX);
        assertThatThrownBy(() -> d.forward(new double[4])).isInstanceOf(IllegalArgumentException.class).hasMessage("x has shape [4], expected [3]");
        assertThatThrownBy(() -> d.forwardInto(new double[3], new double[3])).isInstanceOf(IllegalArgumentException.class).hasMessage("y has shape [3], expected [2]");
        assertThatThrownBy(() -> d.forward(new double[][] {{1, 2, 3}, {1}})).isInstanceOf(IllegalArgumentException.class).hasMessage("rows row 1 has 1 columns, expected 3");
    }

    @Test
    void outputsThatWereNotRequestedSayHowToEnableThem() {
        RnnOutput out = Rnn.of(cell).forward(new double[2][4]);
        assertThatThrownBy(out::sequence).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returnSequences(true)");
        assertThatThrownBy(out::states).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returnState(true)");
        assertThatThrownBy(out::directions).isInstanceOf(IllegalStateException.class);
        RnnOutput none = Bidirectional.of(cell, cell, MergeMode.NONE).forward(new double[2][4]);
        assertThatThrownBy(none::last).isInstanceOf(IllegalStateException.class).hasMessageContaining("directions()");
    }
}
