package io.github.rnn4j.model;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.ActivationLayer;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Masking;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.testing.NaiveRnn;
import io.github.rnn4j.testing.RandomCell;
import io.github.rnn4j.testing.Trials;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Properties of streaming and of the softmax head over hundreds of random models: a {@link Session} fed one step at
 * a time, with refused steps and resets in between, gives the whole-sequence outputs bit for bit; softmax rows sum
 * to one.
 */
class StreamPropertiesTest {

    /** Masking(0), then one or two forward recurrent layers, then maybe a Dense head; all random. */
    private static Model randomModel(Random rnd, int inputSize) {
        RandomCell first = RandomCell.draw(rnd, kind(rnd), inputSize, Trials.between(rnd, 1, 6));
        Model.Chain chain = Model.sequential().input("x", Shape.sequence(Shape.UNKNOWN, inputSize))
                .add(new Masking(0.0)).add(Rnn.of(first.cell()).returnSequences(true));
        int width = first.units();
        if (rnd.nextBoolean()) {
            RandomCell second = RandomCell.draw(rnd, kind(rnd), width, Trials.between(rnd, 1, 6));
            chain.add(Rnn.of(second.cell()).returnSequences(true));
            width = second.units();
        }
        if (rnd.nextBoolean()) {
            int units = Trials.between(rnd, 1, 5);
            chain.add(new Dense(NaiveRnn.random(rnd, width, units, 1.0),
                    rnd.nextBoolean() ? null : NaiveRnn.random(rnd, 1, units, 1.0)[0], Activation.TANH));
        }
        return chain.build();
    }

    private static NaiveRnn.Kind kind(Random rnd) {
        return NaiveRnn.Kind.values()[rnd.nextInt(NaiveRnn.Kind.values().length)];
    }

    @Test
    void aSessionFedStepByStepEqualsTheWholeSequenceThroughRefusalsAndResets() {
        int trials = Trials.forAll("session = whole sequence", 250, 10_000, rnd -> {
            int inputSize = Trials.between(rnd, 1, 5);
            Model model = randomModel(rnd, inputSize);
            int timeSteps = Trials.between(rnd, 1, 14);
            double[][] x = NaiveRnn.random(rnd, timeSteps, inputSize, 1.5);
            for (int t = 0; t < timeSteps; t++) {
                if (rnd.nextInt(5) == 0) {
                    x[t] = new double[inputSize]; // a step that Masking(0) masks
                }
            }
            double[][] whole = model.predictSequence(x);
            Session session = model.session();
            if (rnd.nextBoolean()) {
                // A stream that is abandoned part-way, then reset, leaves nothing behind.
                for (int t = 0; t < Trials.between(rnd, 1, 4); t++) {
                    session.step(NaiveRnn.random(rnd, 1, inputSize, 3.0)[0]);
                }
                session.reset();
            }
            for (int t = 0; t < timeSteps; t++) {
                if (rnd.nextInt(4) == 0) {
                    double[] bad = x[t].clone();
                    bad[rnd.nextInt(inputSize)] = rnd.nextBoolean() ? Double.NaN : Double.NEGATIVE_INFINITY;
                    assertThatThrownBy(() -> session.step(bad)).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("expected a finite number");
                    assertThat(session.steps()).as("a refused step is not counted").isEqualTo(t);
                }
                assertThat(session.step(x[t])).as("output after step %d", t).isEqualTo(whole[t]);
            }
            assertThat(session.steps()).isEqualTo(timeSteps);
        });
        assertThat(trials).isEqualTo(250);
    }

    @Test
    void softmaxRowsSumToOneWithin1em12() {
        int trials = Trials.forAll("softmax sums to 1", 1_000, 11_000, rnd -> {
            int n = Trials.between(rnd, 1, 64);
            double scale = Math.pow(10, rnd.nextInt(5)); // up to 1e4: exponents far beyond exp's range
            double[] x = NaiveRnn.random(rnd, 1, n, scale)[0];
            double[] y = Activation.SOFTMAX.apply(x);
            double sum = 0;
            for (double v : y) {
                assertThat(v).isBetween(0.0, 1.0);
                sum += v;
            }
            assertThat(Math.abs(sum - 1.0)).as("|sum - 1| for %d values at scale %s", n, scale)
                    .isLessThanOrEqualTo(1e-12);
            double[][] rows = NaiveRnn.random(rnd, Trials.between(rnd, 1, 5), n, scale);
            double[][] out = ((io.github.rnn4j.layers.Value.Sequence) ActivationLayer.softmax(-1)
                    .apply(java.util.List.of(new io.github.rnn4j.layers.Value.Sequence(rows))).get(0)).steps();
            for (double[] row : out) {
                double s = 0;
                for (double v : row) {
                    s += v;
                }
                assertThat(Math.abs(s - 1.0)).isLessThanOrEqualTo(1e-12);
            }
        });
        assertThat(trials).isEqualTo(1_000);
    }

    @Test
    void everyElementwiseActivationGivesTheSameBitsForOneValueAsInAnArray() {
        int trials = Trials.forAll("activation scalar = array", 300, 12_000, rnd -> {
            double[] x = NaiveRnn.random(rnd, 1, Trials.between(rnd, 1, 40), Math.pow(10, rnd.nextInt(4) - 1))[0];
            for (Activation a : Activation.values()) {
                if (!a.isElementwise()) {
                    continue;
                }
                double[] array = a.apply(x);
                for (int j = 0; j < x.length; j++) {
                    assertThat(Double.doubleToRawLongBits(a.apply(x[j]))).as("%s(%s)", a, x[j])
                            .isEqualTo(Double.doubleToRawLongBits(array[j]));
                }
            }
        });
        assertThat(trials).isEqualTo(300);
    }
}
