package io.github.rnn4j.bench;

import io.github.rnn4j.internal.Backend;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Precision;
import io.github.rnn4j.model.Session;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Allocation per call of rnn4j's forward pass as the sequence grows: run with {@code -prof gc} and read
 * {@code gc.alloc.rate.norm} (bytes per operation). The layer returns the last output only (Keras default
 * {@code return_sequences=False}), so the bytes a call returns do not depend on {@code T}; neither should the bytes
 * it allocates, if no time step allocates.
 *
 * <p>{@code char} sizes: one-hot input of 64, 128 units, the same weights as {@link Rnn4jBenchmark#charOneHot};
 * the one-hot rows come from the token-id stream of {@link BenchData}, extended to {@code T} steps. The time score
 * is incidental. {@code compare.py --gc} runs this with each backend and prints bytes per call against {@code T}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class Rnn4jAllocation {

    /** A {@code char}-sized layer and a one-hot input of {@code T} steps. */
    @State(Scope.Benchmark)
    public static class Sequence {
        @Param({"SIMPLE_RNN", "LSTM", "GRU"})
        public Cell cell;
        @Param({"50", "100", "200"})
        public int T;
        Rnn rnn;
        double[][] inputs;

        @Setup(Level.Trial)
        public void setUp() {
            BenchData data = new BenchData(Workload.CHAR, cell);
            rnn = Rnn4jLayers.rnn(data);
            int n = Workload.CHAR.inputSize;
            inputs = new double[T][n];
            for (int t = 0; t < T; t++) {
                inputs[t][(int) Math.floor(BenchData.unit(BenchData.ID_SEED, t) * n)] = 1.0;
            }
            System.out.println("rnn4j backend: " + Backend.INSTANCE.name());
            System.out.println("rnn4j precision: FLOAT64");  // the layer is built in float64, as compare.py --gc expects
        }
    }

    /** A {@code char}-sized model streamed by a {@link Session}, float64 or float32. */
    @State(Scope.Benchmark)
    public static class Stream {
        @Param({"SIMPLE_RNN", "LSTM", "GRU"})
        public Cell cell;
        @Param({"50", "100", "200"})
        public int T;
        @Param({"FLOAT64", "FLOAT32"})
        public Precision precision;
        Session session;
        double[][] inputs;
        double[] out;

        @Setup(Level.Trial)
        public void setUp() {
            BenchData data = new BenchData(Workload.CHAR, cell);
            Model model = Model.sequential().add(Rnn4jLayers.rnn(data).returnSequences(true)).build()
                    .withPrecision(precision);
            session = model.session();
            int n = Workload.CHAR.inputSize;
            inputs = new double[T][n];
            for (int t = 0; t < T; t++) {
                inputs[t][(int) Math.floor(BenchData.unit(BenchData.ID_SEED, t) * n)] = 1.0;
            }
            out = new double[Workload.CHAR.units];
            System.out.println("rnn4j backend: " + Backend.INSTANCE.name());
        }
    }

    /** {@code T} steps of {@code Session.stepInto(input, out)} from a fresh stream: should allocate nothing. */
    @Benchmark
    public double[] sessionStepInto(Stream s) {
        s.session.reset();
        for (double[] x : s.inputs) {
            s.session.stepInto(x, s.out);
        }
        return s.out;
    }

    /** {@code T} steps of {@code Session.step(input)}: only the returned {@code double[units]} per step. */
    @Benchmark
    public double[] sessionStep(Stream s) {
        s.session.reset();
        double[] last = null;
        for (double[] x : s.inputs) {
            last = s.session.step(x);
        }
        return last;
    }

    /** {@code Rnn.of(cell).forward(inputs).last()} on {@code T} one-hot steps. */
    @Benchmark
    public double[] forwardLast(Sequence s) {
        return s.rnn.forward(s.inputs).last();
    }
}
