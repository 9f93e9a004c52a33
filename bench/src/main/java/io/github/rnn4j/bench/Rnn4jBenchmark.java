package io.github.rnn4j.bench;

import io.github.rnn4j.internal.Backend;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.RnnOutput;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Precision;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * rnn4j's forward pass, float64, through the public API: {@code Rnn.of(cell).forward(inputs).last()}.
 *
 * <p>Scores are microseconds per sequence: batch benchmarks divide by the batch size
 * ({@code @OperationsPerInvocation}). Method names match {@link NaiveBenchmark} and {@link OrtBenchmark},
 * so {@code compare.py} can line them up.
 *
 * <p>The backend is the JVM's ({@code io.github.rnn4j.internal.Backend}): plain by default; the Vector API one with
 * {@code -jvmArgsAppend "--add-modules jdk.incubator.vector -Drnn4j.backend=vector"}. Each trial prints
 * {@code rnn4j backend: NAME}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Rnn4jBenchmark {
    static final int BATCH = 64;
    /** {@code -Drnn4j.bench.precision=FLOAT32} measures float32 copies ({@code Model.withPrecision}, {@code Rnn.float32}). */
    static final Precision PRECISION = Precision.valueOf(System.getProperty("rnn4j.bench.precision", "FLOAT64"));

    /** The layer and inputs of one workload; the cell is the JMH parameter. */
    @State(Scope.Benchmark)
    public abstract static class Layer {
        @Param({"SIMPLE_RNN", "LSTM", "GRU"})
        public Cell cell;
        BenchData data;
        Rnn rnn;
        /** The layer as a one-layer model, for the {@code Model} path. */
        Model model;

        abstract Workload workload();

        @Setup(Level.Trial)
        public void setUp() {
            data = new BenchData(workload(), cell);
            rnn = Rnn4jLayers.rnn(data);
            if (PRECISION == Precision.FLOAT32) {
                rnn = rnn.float32();
            }
            model = Model.sequential().add(rnn).build();
            prepare();
            // compare.py reads this line from the JMH log to confirm which backend it measured.
            System.out.println("rnn4j backend: " + Backend.INSTANCE.name());
            System.out.println("rnn4j precision: " + PRECISION);
        }

        /** Extra setup of a workload, after the layer is built. */
        void prepare() {
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            release();
        }

        /** Extra cleanup of a workload. */
        void release() {
        }
    }

    @State(Scope.Benchmark)
    public static class Hello extends Layer {
        @Override
        Workload workload() {
            return Workload.HELLO;
        }
    }

    @State(Scope.Benchmark)
    public static class Char extends Layer {
        Model tokenModel;

        @Override
        Workload workload() {
            return Workload.CHAR;
        }

        @Override
        void prepare() {
            tokenModel = Rnn4jLayers.tokenModel(data).withPrecision(PRECISION);
        }
    }

    @State(Scope.Benchmark)
    public static class Batch extends Layer {
        ExecutorService pool;

        @Override
        Workload workload() {
            return Workload.BATCH;
        }

        @Override
        void prepare() {
            pool = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "rnn4j-bench-worker");
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        void release() {
            pool.shutdownNow();
        }
    }

    @State(Scope.Benchmark)
    public static class Wide extends Layer {
        /** The helper of the two-thread split: one pool thread, started and stopped with the trial. */
        ExecutorService helper;
        /** The same layer with each step split by units across the caller and {@link #helper}. */
        Rnn rnn2;

        @Override
        Workload workload() {
            return Workload.WIDE;
        }

        @Override
        void prepare() {
            helper = Executors.newFixedThreadPool(1, r -> {
                Thread t = new Thread(r, "rnn4j-bench-split");
                t.setDaemon(true);
                return t;
            });
            rnn2 = rnn.withThreads(helper, 2);
        }

        @Override
        void release() {
            helper.shutdownNow();
        }
    }

    /**
     * The crossover of the unit split: W4's shape (inputSize 256, 50 steps, batch 1) at several widths, one thread
     * against two, same weights.
     */
    @State(Scope.Benchmark)
    public static class Split {
        @Param({"SIMPLE_RNN", "LSTM", "GRU"})
        public Cell cell;
        @Param({"128", "256", "512", "1024"})
        public int units;
        ExecutorService helper;
        Rnn rnn1;
        Rnn rnn2;
        double[][] inputs;

        @Setup(Level.Trial)
        public void setUp() {
            java.util.Random r = new java.util.Random(42);
            int in = 256;
            int width = cell.gates * units;
            double[][] kernel = random(r, in, width);
            double[][] recurrent = random(r, units, width);
            double[] bias = random(r, 1, width)[0];
            io.github.rnn4j.layers.RnnCell c;
            switch (cell) {
                case SIMPLE_RNN:
                    c = new io.github.rnn4j.layers.SimpleRnnCell(kernel, recurrent, bias);
                    break;
                case LSTM:
                    c = new io.github.rnn4j.layers.LstmCell(kernel, recurrent, bias);
                    break;
                default:
                    c = new io.github.rnn4j.layers.GruCell(kernel, recurrent, new double[][] {bias, bias});
            }
            rnn1 = Rnn.of(c);
            if (PRECISION == Precision.FLOAT32) {
                rnn1 = rnn1.float32();
            }
            helper = Executors.newFixedThreadPool(1, r2 -> {
                Thread t = new Thread(r2, "rnn4j-bench-split");
                t.setDaemon(true);
                return t;
            });
            // The bench measures below the library's threshold too: it is where the threshold comes from.
            rnn2 = rnn1.withThreads(helper, 2, 1);
            inputs = random(r, 50, in);
            System.out.println("rnn4j backend: " + Backend.INSTANCE.name());
        }

        private static double[][] random(java.util.Random r, int rows, int cols) {
            double[][] m = new double[rows][cols];
            for (double[] row : m) {
                for (int j = 0; j < cols; j++) {
                    row[j] = (r.nextDouble() * 2 - 1) * 0.1;
                }
            }
            return m;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            helper.shutdownNow();
        }
    }

    /** W1: one-hot input 5, units 3, 5 steps. */
    @Benchmark
    public double[] hello(Hello s) {
        return s.rnn.forward(s.data.inputs[0]).last();
    }

    /** W2: one-hot input 64, units 128, 100 steps. */
    @Benchmark
    public double[] charOneHot(Char s) {
        return s.rnn.forward(s.data.inputs[0]).last();
    }

    /** W2 with token ids: Embedding(64, 64) then the layer, through {@code Model.predict(int[])}. */
    @Benchmark
    public double[] charTokenIds(Char s) {
        return s.tokenModel.predict(s.data.ids[0]);
    }

    /** W3: 64 sequences of dense input 64, units 256, 100 steps, on one thread; time per sequence. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<RnnOutput> batch1Thread(Batch s) {
        return s.rnn.forward(s.data.inputs, null);
    }

    /** W3 split in two parts on a two-thread pool, {@code forward(inputs, null, executor, 2)}; time per sequence. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<RnnOutput> batch2Threads(Batch s) {
        return s.rnn.forward(s.data.inputs, null, s.pool, 2);
    }

    /** W3 through {@code Model.predictBatch}, one thread; time per sequence. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double[][] batchModel(Batch s) {
        return s.model.predictBatch(s.data.inputs);
    }

    /** W4: dense input 256, units 1024, 50 steps. */
    @Benchmark
    public double[] wide(Wide s) {
        return s.rnn.forward(s.data.inputs[0]).last();
    }

    /** W4 with each step split by units across two threads, {@code Rnn.withThreads(executor, 2)}. */
    @Benchmark
    public double[] wide2Threads(Wide s) {
        return s.rnn2.forward(s.data.inputs[0]).last();
    }

    /** The split's crossover: one thread. */
    @Benchmark
    public double[] split1Thread(Split s) {
        return s.rnn1.forward(s.inputs).last();
    }

    /** The split's crossover: two threads, at every width ({@code withThreads(executor, 2, 1)}). */
    @Benchmark
    public double[] split2Threads(Split s) {
        return s.rnn2.forward(s.inputs).last();
    }
}
