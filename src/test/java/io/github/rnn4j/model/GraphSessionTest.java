package io.github.rnn4j.model;

import io.github.rnn4j.layers.Concatenate;
import io.github.rnn4j.layers.Masking;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.layers.SimpleRnnCell;
import io.github.rnn4j.testing.NaiveRnn;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session over a graph that is not a chain (a layer reads two earlier outputs), so each step runs layer by layer
 * rather than through the allocation-free chain: with masked steps, with and without {@code zeroOutputForMask}, it
 * gives {@code predictSequence}'s rows bit for bit, counts its steps, and forgets everything on {@code reset}.
 */
class GraphSessionTest {
    private static Model graph(Random rnd, boolean zeroOutputForMask) {
        SimpleRnnCell cell = new SimpleRnnCell(NaiveRnn.random(rnd, 3, 4, 0.8), NaiveRnn.random(rnd, 4, 4, 0.8),
                NaiveRnn.random(rnd, 1, 4, 0.5)[0]);
        return Model.builder().input("x", Shape.sequence(Shape.UNKNOWN, 3))
                .add("mask", new Masking(0.0), "x")
                .add("rnn", Rnn.of(cell).returnSequences(true).zeroOutputForMask(zeroOutputForMask), "mask")
                .add("cat", new Concatenate(-1), "rnn", "mask").outputs("cat").build();
    }

    @Test
    void aLayerByLayerSessionGivesTheWholeSequencesRowsThroughMaskedStepsAndResets() {
        Random rnd = new Random(41);
        for (boolean zero : new boolean[] {false, true}) {
            Model model = graph(rnd, zero);
            double[][] x = NaiveRnn.random(rnd, 7, 3, 1.0);
            x[0] = new double[3];
            x[3] = new double[3];
            x[4] = new double[3];
            double[][] whole = model.predictSequence(x);
            assertThat(whole).hasDimensions(7, 7);
            assertThat(whole[4]).as("a masked step repeats the previous output, or zeros")
                    .startsWith(zero ? new double[4] : java.util.Arrays.copyOf(whole[2], 4));
            Session session = model.session();
            session.step(NaiveRnn.random(rnd, 1, 3, 2.0)[0]);
            session.step(NaiveRnn.random(rnd, 1, 3, 2.0)[0]);
            assertThat(session.steps()).isEqualTo(2);
            session.reset();
            assertThat(session.steps()).isZero();
            for (int t = 0; t < x.length; t++) {
                assertThat(session.step(x[t])).as("zeroOutputForMask %s, step %d", zero, t).isEqualTo(whole[t]);
                assertThat(session.steps()).isEqualTo(t + 1);
            }
            double[] out = new double[7];
            java.util.Arrays.fill(out, Double.NaN);
            Session again = model.session();
            assertThat(again.stepInto(x[0], out)).isSameAs(out).isEqualTo(whole[0]);
            assertThat(again.steps()).isEqualTo(1);
        }
    }
}
