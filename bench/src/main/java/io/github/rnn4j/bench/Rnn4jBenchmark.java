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
        @Override
        Workload workload() {
            return Workload.WIDE;
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
}
