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
 * <p>{@code char} sizes: input of 64, 128 units, the same weights as {@link Rnn4jBenchmark#charOneHot}. One-hot rows
 * come from the token-id stream of {@link BenchData}, extended to {@code T} steps; dense rows from its input stream,
 * uniform in [-1, 1). Every state takes {@code precision}: {@code FLOAT32} measures the float32 copy
 * ({@code Rnn.float32()}, {@code Model.withPrecision}), whose products run the float32 kernels. The time score is
 * incidental. {@code compare.py --gc} runs {@link #predict}, {@link #predictBatch}, {@link #sessionStepInto} and
 * {@link #sessionStep} with each backend and precision and prints bytes per call against {@code T}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class Rnn4jAllocation {

    /** A {@code char}-sized layer and a one-hot input of {@code T} steps. */
    @State(Scope.Benchmark)
    public static class Sequence {
        @Param({"SIMPLE_RNN", "LSTM", "GRU"})
        public Cell cell;
        @Param({"50", "200", "800"})
        public int T;
        @Param({"FLOAT64", "FLOAT32"})
        public Precision precision;
        Rnn rnn;
        double[][] inputs;

        @Setup(Level.Trial)
        public void setUp() {
            BenchData data = new BenchData(Workload.CHAR, cell);
            rnn = Rnn4jLayers.rnn(data);
            if (precision == Precision.FLOAT32) {
                rnn = rnn.float32();
            }
            inputs = oneHot(T);
            report(precision);
        }
    }

    /**
     * The {@code char}-sized layer as a one-layer model, fed dense rows: one sequence of {@code T} steps, and a batch
     * of {@value #BATCH} such sequences. Dense rows take the input projection through the matrix product (one-hot
     * rows are a row lookup), so both the projection of all steps and the recurrent products are measured.
     */
    @State(Scope.Benchmark)
    public static class Dense {
        /**
         * Sequences in {@link #predictBatch}: one group of four rows and two single rows in the batch kernels, so
         * both of their row loops run at every step.
         */
        static final int BATCH = 6;
        @Param({"SIMPLE_RNN", "LSTM", "GRU"})
        public Cell cell;
        @Param({"50", "200", "800"})
        public int T;
        @Param({"FLOAT64", "FLOAT32"})
        public Precision precision;
        Model model;
        double[][] inputs;
        double[][][] batch;

        @Setup(Level.Trial)
        public void setUp() {
            BenchData data = new BenchData(Workload.CHAR, cell);
            model = Model.sequential().add(Rnn4jLayers.rnn(data)).build().withPrecision(precision);
            int n = Workload.CHAR.inputSize;
            inputs = BenchData.matrix(BenchData.INPUT_SEED, T, n, -1.0, 1.0);
            batch = new double[BATCH][][];
            for (int b = 0; b < BATCH; b++) {
                batch[b] = BenchData.matrix(BenchData.INPUT_SEED, (long) b * T * n, T, n, -1.0, 1.0);
            }
            report(precision);
        }
    }

    /** A {@code char}-sized model streamed by a {@link Session}, float64 or float32. */
    @State(Scope.Benchmark)
    public static class Stream {
        @Param({"SIMPLE_RNN", "LSTM", "GRU"})
        public Cell cell;
        @Param({"50", "200", "800"})
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
            inputs = oneHot(T);
            out = new double[Workload.CHAR.units];
            report(precision);
        }
    }

    /** {@code T} one-hot rows of the {@code char} input, from the token-id stream of {@link BenchData}. */
    static double[][] oneHot(int T) {
        int n = Workload.CHAR.inputSize;
        double[][] inputs = new double[T][n];
        for (int t = 0; t < T; t++) {
            inputs[t][(int) Math.floor(BenchData.unit(BenchData.ID_SEED, t) * n)] = 1.0;
        }
        return inputs;
    }

    /** The lines compare.py reads from the JMH log to confirm the backend and precision it measured. */
    static void report(Precision precision) {
        System.out.println("rnn4j backend: " + Backend.INSTANCE.name());
        System.out.println("rnn4j precision: " + precision);
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

    /** {@code Model.predict(inputs)} on one sequence of {@code T} dense steps: the batch-1 path. */
    @Benchmark
    public double[] predict(Dense d) {
        return d.model.predict(d.inputs);
    }

    /** {@code Model.predictBatch(inputs)} on {@value Dense#BATCH} sequences of {@code T} dense steps: the batch path. */
    @Benchmark
    public double[][] predictBatch(Dense d) {
        return d.model.predictBatch(d.batch);
    }
}
