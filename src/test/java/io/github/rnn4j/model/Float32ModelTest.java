package io.github.rnn4j.model;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.GruCell;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.Masking;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.layers.SimpleRnnCell;
import io.github.rnn4j.testing.Approx;
import io.github.rnn4j.testing.NaiveRnn;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code Model.withPrecision}: a float32 copy is close to the float64 model but not equal to it, and its batch,
 * parallel and streamed runs agree bit for bit with its own single-sequence runs, masks and ragged batches included.
 * Widths are odd so that every vector-backend kernel (four rows, one row, vector tail, scalar tail) runs.
 */
class Float32ModelTest {
    private static Model model(Random r) {
        int in = 21;
        LstmCell lstm = new LstmCell(NaiveRnn.random(r, 19, 4 * 37, 0.4), NaiveRnn.random(r, 37, 4 * 37, 0.3),
                NaiveRnn.random(r, 1, 4 * 37, 0.3)[0]);
        GruCell gru = new GruCell(NaiveRnn.random(r, 37, 3 * 29, 0.3), NaiveRnn.random(r, 29, 3 * 29, 0.3),
                NaiveRnn.random(r, 2, 3 * 29, 0.3));
        SimpleRnnCell simple = new SimpleRnnCell(NaiveRnn.random(r, 29, 33, 0.3), NaiveRnn.random(r, 33, 33, 0.3),
                NaiveRnn.random(r, 1, 33, 0.3)[0]);
        return Model.sequential()
                .input("x", Shape.sequence(Shape.UNKNOWN, in))
                .add(new Masking(0.0))
                .add(new Dense(NaiveRnn.random(r, in, 19, 0.5), NaiveRnn.random(r, 1, 19, 0.5)[0], Activation.TANH))
                .add(Rnn.of(lstm).returnSequences(true))
                .add(Rnn.of(gru).returnSequences(true))
                .add(Rnn.of(simple).returnSequences(true))
                .add(new Dense(NaiveRnn.random(r, 33, 5, 0.5), null, Activation.SOFTMAX))
                .build();
    }

    /** Ragged sequences, with fully masked (all-zero) steps inside and at the end of some. */
    private static double[][][] batch(Random r) {
        double[][][] b = new double[11][][];
        for (int i = 0; i < b.length; i++) {
            b[i] = NaiveRnn.random(r, 3 + (i * 7) % 13, 21, 1.0);
            if (i % 3 == 0) {
                b[i][1] = new double[21];
                b[i][b[i].length - 1] = new double[21];
            }
        }
        return b;
    }

    @Test
    void withPrecisionMakesAFloat32CopyAndFindsItsWayBack() {
        Model float64 = model(new Random(3));
        Model float32 = float64.withPrecision(Precision.FLOAT32);
        assertThat(float64.precision()).isEqualTo(Precision.FLOAT64);
        assertThat(float32.precision()).isEqualTo(Precision.FLOAT32);
        assertThat(float32).isNotSameAs(float64);
        assertThat(float32.withPrecision(Precision.FLOAT32)).isSameAs(float32);
        assertThat(float32.withPrecision(Precision.FLOAT64)).isSameAs(float64);
        assertThat(float64.withPrecision(Precision.FLOAT64)).isSameAs(float64);
        assertThat(float32.parameterCount()).isEqualTo(float64.parameterCount());
        assertThat(float32.inputNames()).isEqualTo(float64.inputNames());
        assertThat(float32.layers().keySet()).containsExactlyElementsOf(float64.layers().keySet());
        assertThat(float32.toString()).endsWith(", float32]");
        assertThatThrownBy(() -> float64.withPrecision(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("precision");
    }

    @Test
    void aFloat32ModelIsCloseToTheFloat64ModelButRoundsInFloat32() {
        Random r = new Random(5);
        Model float64 = model(r);
        Model float32 = float64.withPrecision(Precision.FLOAT32);
        boolean differs = false;
        for (double[][] x : batch(r)) {
            double[][] wide = float64.predictSequence(x);
            double[][] narrow = float32.predictSequence(x);
            Approx.assertClose("float32 against float64", wide, narrow, Tolerance.FLOAT32_MODE);
            for (int t = 0; t < wide.length; t++) {
                differs |= !java.util.Arrays.equals(wide[t], narrow[t]);
            }
        }
        assertThat(differs).as("float32 results differ from float64 somewhere").isTrue();
    }

    @Test
    void float32BatchParallelAndStreamedRunsAgreeBitForBit() {
        Random r = new Random(7);
        Model float32 = model(r).withPrecision(Precision.FLOAT32);
        double[][][] inputs = batch(r);
        double[][][] alone = new double[inputs.length][][];
        for (int b = 0; b < inputs.length; b++) {
            alone[b] = float32.predictSequence(inputs[b]);
        }
        double[][][] batched = float32.predictSequenceBatch(inputs);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        double[][][] parallel;
        try {
            parallel = float32.predictSequenceBatch(inputs, pool);
        } finally {
            pool.shutdown();
        }
        for (int b = 0; b < inputs.length; b++) {
            assertThat(batched[b]).as("batch row %d", b).isDeepEqualTo(alone[b]);
            assertThat(parallel[b]).as("parallel row %d", b).isDeepEqualTo(alone[b]);
            Session session = float32.session();
            for (int t = 0; t < inputs[b].length; t++) {
                assertThat(session.step(inputs[b][t])).as("row %d step %d", b, t).isEqualTo(alone[b][t]);
            }
        }
    }
}
