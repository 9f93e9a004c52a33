package io.github.rnn4j.model;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.GruCell;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.Masking;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.testing.NaiveRnn;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code Session.stepInto}: into a buffer pre-filled with garbage it writes exactly what {@code step} returns and
 * what the whole-sequence run computes, masked steps included, in both precisions, for token ids and vectors.
 */
class SessionStepIntoTest {

    private static Model idsModel(Random r) {
        return Model.sequential()
                .add(new Embedding(NaiveRnn.random(r, 9, 6, 1.0), true))
                .add(Rnn.of(new LstmCell(NaiveRnn.random(r, 6, 4 * 11, 0.5), NaiveRnn.random(r, 11, 4 * 11, 0.5),
                        NaiveRnn.random(r, 1, 4 * 11, 0.5)[0])).returnSequences(true).zeroOutputForMask(true))
                .add(Rnn.of(new GruCell(NaiveRnn.random(r, 11, 3 * 7, 0.5), NaiveRnn.random(r, 7, 3 * 7, 0.5),
                        NaiveRnn.random(r, 1, 3 * 7, 0.5)[0])).returnSequences(true))
                .add(new Dense(NaiveRnn.random(r, 7, 9, 1.0), null, Activation.SOFTMAX))
                .build();
    }

    private static Model vectorModel(Random r) {
        return Model.sequential()
                .input("x", Shape.sequence(Shape.UNKNOWN, 5))
                .add(new Masking(0.0))
                .add(Rnn.of(new GruCell(NaiveRnn.random(r, 5, 3 * 13, 0.5), NaiveRnn.random(r, 13, 3 * 13, 0.5),
                        NaiveRnn.random(r, 2, 3 * 13, 0.5))))
                .add(new Dense(NaiveRnn.random(r, 13, 4, 1.0), NaiveRnn.random(r, 1, 4, 1.0)[0], Activation.LINEAR))
                .build();
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void tokenIdsStepIntoEqualsStepAndTheWholeSequence(Precision precision) {
        Model model = idsModel(new Random(11)).withPrecision(precision);
        int[] ids = {3, 0, 8, 1, 0, 0, 5, 2};
        double[][] whole = model.predictSequence(ids);
        Session a = model.session();
        Session b = model.session();
        double[] out = new double[9];
        for (int t = 0; t < ids.length; t++) {
            Arrays.fill(out, Double.NaN);
            assertThat(b.stepInto(ids[t], out)).isSameAs(out);
            assertThat(out).as("step %d", t).isEqualTo(whole[t]).isEqualTo(a.step(ids[t]));
        }
        assertThat(b.steps()).isEqualTo(ids.length);
        b.reset();
        assertThat(b.stepInto(ids[0], out)).isEqualTo(whole[0]);
        assertThatThrownBy(() -> b.stepInto(ids[0], new double[8])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out");
        assertThatThrownBy(() -> b.stepInto(9, out)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9");
        assertThatThrownBy(() -> b.stepInto(new double[6], out)).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void vectorStepIntoEqualsStepAndThePrefixRuns(Precision precision) {
        Random r = new Random(12);
        Model model = vectorModel(r).withPrecision(precision);
        double[][] x = NaiveRnn.random(r, 7, 5, 1.0);
        x[2] = new double[5];
        x[6] = new double[5];
        Session a = model.session();
        Session b = model.session();
        double[] out = new double[4];
        for (int t = 0; t < x.length; t++) {
            Arrays.fill(out, 1e300);
            b.stepInto(x[t], out);
            assertThat(out).as("step %d", t).isEqualTo(model.predict(Arrays.copyOf(x, t + 1)))
                    .isEqualTo(a.step(x[t]));
        }
        assertThatThrownBy(() -> b.stepInto(new double[4], out)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input");
        assertThatThrownBy(() -> b.stepInto(1, out)).isInstanceOf(IllegalStateException.class);
    }
}
