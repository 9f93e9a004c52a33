package io.github.rnn4j.model;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Bidirectional;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.GruCell;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.MergeMode;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.testing.NaiveRnn;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code Model.withThreads}: a copy whose wide recurrent layers split their steps by units gives the bits of the
 * one-thread model, in both precisions, and keeps its threads through {@code withPrecision}.
 */
class ModelThreadsTest {
    private static final int UNITS = Rnn.MIN_SPLIT_UNITS + 40;

    private static Model model(Random r) {
        int in = 12;
        LstmCell lstm = new LstmCell(NaiveRnn.random(r, in, 4 * UNITS, 0.3), NaiveRnn.random(r, UNITS, 4 * UNITS, 0.1),
                NaiveRnn.random(r, 1, 4 * UNITS, 0.3)[0]);
        GruCell forward = new GruCell(NaiveRnn.random(r, UNITS, 3 * UNITS, 0.1),
                NaiveRnn.random(r, UNITS, 3 * UNITS, 0.1), NaiveRnn.random(r, 1, 3 * UNITS, 0.3)[0]);
        GruCell backward = new GruCell(NaiveRnn.random(r, UNITS, 3 * UNITS, 0.1),
                NaiveRnn.random(r, UNITS, 3 * UNITS, 0.1), NaiveRnn.random(r, 1, 3 * UNITS, 0.3)[0]);
        return Model.sequential()
                .input("x", Shape.sequence(Shape.UNKNOWN, in))
                .add(Rnn.of(lstm).returnSequences(true))
                .add(Bidirectional.of(forward, backward, MergeMode.CONCAT))
                .add(new Dense(NaiveRnn.random(r, 2 * UNITS, 3, 0.3), null, Activation.SOFTMAX))
                .build();
    }

    private static long[] bits(double[] v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Double.doubleToRawLongBits(v[i]);
        }
        return b;
    }

    @Test
    void aThreadedModelGivesTheBitsOfTheOneThreadModelInBothPrecisions() {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            Model one = model(new Random(1));
            Model split = one.withThreads(pool, 2);
            double[][] x = NaiveRnn.random(new Random(2), 7, 12, 1.0);
            assertThat(split.threads()).isEqualTo(2);
            assertThat(one.threads()).isEqualTo(1);
            assertThat(bits(split.predict(x))).isEqualTo(bits(one.predict(x)));
            Model split32 = split.withPrecision(Precision.FLOAT32);
            assertThat(split32.threads()).as("float32 copy keeps the threads").isEqualTo(2);
            assertThat(bits(split32.predict(x))).isEqualTo(bits(one.withPrecision(Precision.FLOAT32).predict(x)));
            Model back = one.withPrecision(Precision.FLOAT32).withThreads(pool, 2).withPrecision(Precision.FLOAT64);
            assertThat(back.threads()).as("the float64 model of a threaded float32 copy").isEqualTo(2);
            assertThat(split.withThreads(pool, 2)).isSameAs(split);
            assertThat(split.withThreads(pool, 1).threads()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badThreadSettingsAreRefusedNamingTheParameter() {
        Model m = model(new Random(3));
        assertThatThrownBy(() -> m.withThreads(null, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("executor");
        assertThatThrownBy(() -> m.withThreads(Runnable::run, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads is -1, expected at least 1");
    }
}
