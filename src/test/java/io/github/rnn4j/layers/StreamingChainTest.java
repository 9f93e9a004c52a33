package io.github.rnn4j.layers;

import io.github.rnn4j.testing.Approx;
import io.github.rnn4j.testing.NaiveRnn;
import io.github.rnn4j.testing.RandomCell;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link StreamingChain} step by step against {@link NaiveRnn} and a written-out dense layer, with Keras's masking
 * rules (keras/src/layers/rnn/rnn.py: a masked step keeps the states and repeats the previous output, or gives
 * zeros with {@code zero_output_for_mask}). Before, only the {@code model} tests reached this class.
 */
class StreamingChainTest {

    /** {@code act(x·W + b)} written out. */
    private static double[] dense(double[] x, double[][] w, double[] b, Activation act) {
        double[] y = new double[b.length];
        for (int j = 0; j < b.length; j++) {
            double s = b[j];
            for (int k = 0; k < x.length; k++) {
                s += x[k] * w[k][j];
            }
            y[j] = act == Activation.TANH ? Math.tanh(s) : s;
        }
        return y;
    }

    private static double[] garbage(int n) {
        double[] out = new double[n];
        Arrays.fill(out, Double.NaN);
        return out;
    }

    @Test
    void maskingThenLstmThenDenseStepsAsTheReference() {
        Random rnd = new Random(1301);
        RandomCell c = RandomCell.draw(rnd, NaiveRnn.Kind.LSTM, 3, 4);
        double[][] w = NaiveRnn.random(rnd, 4, 2, 1.0);
        double[] b = NaiveRnn.random(rnd, 1, 2, 1.0)[0];
        double[][] x = NaiveRnn.random(rnd, 5, 3, 1.0);
        x[2] = new double[3];
        boolean[] mask = {true, true, false, true, true};

        for (boolean zero : new boolean[] {false, true}) {
            StreamingChain chain = StreamingChain.of(List.of(new Masking(0),
                    Rnn.of(c.cell()).returnSequences(true).zeroOutputForMask(zero),
                    new Dense(w, b, Activation.TANH)), 3);
            assertThat(chain).isNotNull();
            assertThat(chain.takesTokenIds()).isFalse();
            assertThat(chain.outputSize()).isEqualTo(2);
            NaiveRnn.Result ref = NaiveRnn.run(NaiveRnn.Kind.LSTM, c.kernel(), c.recurrent(), c.bias(), x, mask, null,
                    false, zero);
            double[] first = null;
            for (int t = 0; t < x.length; t++) {
                double[] out = garbage(2);
                chain.stepInto(x[t], out);
                Approx.assertClose("zeroOutputForMask=" + zero + " step " + t,
                        dense(ref.sequence()[t], w, b, Activation.TANH), out, Tolerance.FLOAT64);
                if (t == 0) {
                    first = out;
                }
            }
            chain.reset();
            double[] again = garbage(2);
            chain.stepInto(x[0], again);
            assertThat(again).containsExactly(first);
        }
    }

    @Test
    void maskingAfterDenseAndIdentityInsideTheChain() {
        Random rnd = new Random(1302);
        RandomCell c = RandomCell.draw(rnd, NaiveRnn.Kind.SIMPLE, 3, 2);
        double[][] w = {{1, 0, 2}, {0, 1, -1}};
        double[] b = {0, 0, 0};
        double[][] x = {{0.5, -1}, {0, 0}, {2, 0.25}};
        boolean[] mask = {true, false, true};
        StreamingChain chain = StreamingChain.of(List.of(new Dense(w, b, Activation.LINEAR), new Masking(0),
                new Identity("Dropout"), Rnn.of(c.cell()).returnSequences(true)), 2);
        assertThat(chain.outputSize()).isEqualTo(2);
        double[][] projected = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            projected[t] = dense(x[t], w, b, Activation.LINEAR);
        }
        NaiveRnn.Result ref = NaiveRnn.run(NaiveRnn.Kind.SIMPLE, c.kernel(), c.recurrent(), c.bias(), projected, mask,
                null, false, false);
        for (int t = 0; t < x.length; t++) {
            double[] out = garbage(2);
            chain.stepInto(x[t], out);
            Approx.assertClose("step " + t, ref.sequence()[t], out, Tolerance.FLOAT64);
        }
    }

    @Test
    void tokenIdsWithMaskZeroThenGruThenIdentity() {
        Random rnd = new Random(1303);
        RandomCell c = RandomCell.draw(rnd, NaiveRnn.Kind.GRU_RESET_AFTER, 3, 2);
        double[][] table = NaiveRnn.random(rnd, 5, 3, 1.0);
        int[] ids = {3, 0, 4, 1};
        boolean[] mask = {true, false, true, true};
        double[][] rows = new double[ids.length][];
        for (int t = 0; t < ids.length; t++) {
            rows[t] = table[ids[t]];
        }
        StreamingChain chain = StreamingChain.of(List.of(new Embedding(table, true), Rnn.of(c.cell()),
                new Identity("Dropout")), 5);
        assertThat(chain.takesTokenIds()).isTrue();
        assertThat(chain.outputSize()).isEqualTo(2);
        NaiveRnn.Result ref = NaiveRnn.run(c.kind(), c.kernel(), c.recurrent(), c.bias(), rows, mask, null, false,
                false);
        for (int t = 0; t < ids.length; t++) {
            double[] out = garbage(2);
            chain.stepInto(ids[t], out);
            Approx.assertClose("step " + t, ref.sequence()[t], out, Tolerance.FLOAT64);
        }
    }

    @Test
    void anEmbeddingAloneGivesItsRows() {
        double[][] table = {{1, 2}, {3, 4}, {5, 6}};
        StreamingChain chain = StreamingChain.of(List.of(new Embedding(table, true)), 3);
        assertThat(chain.outputSize()).isEqualTo(2);
        double[] out = garbage(2);
        chain.stepInto(2, out);
        assertThat(out).containsExactly(5.0, 6.0);
        chain.stepInto(0, out);
        assertThat(out).containsExactly(1.0, 2.0);
    }

    @Test
    void chainsItCannotStepAreNotBuilt() {
        RandomCell c = RandomCell.draw(new Random(1304), NaiveRnn.Kind.SIMPLE, 3, 2);
        double[][] table = new double[4][3];
        assertThat(StreamingChain.of(List.of(), 3)).isNull();
        assertThat(StreamingChain.of(List.of(Rnn.of(c.cell()).goBackwards(true)), 3)).isNull();
        assertThat(StreamingChain.of(List.of(new Masking(0), new Embedding(table)), 3)).isNull();
        assertThat(StreamingChain.of(List.of(Bidirectional.of(c.cell(), c.cell(), MergeMode.SUM)), 3)).isNull();
        assertThat(StreamingChain.of(List.of(Rnn.of(c.cell()), new Identity("Dropout")), 3).outputSize())
                .isEqualTo(2);
        assertThat(StreamingChain.of(List.of(new Masking(0)), 3).outputSize()).isEqualTo(3);
        assertThatThrownBy(() -> StreamingChain.of(null, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("chain must not be null");
    }
}
