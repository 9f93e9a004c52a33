package io.github.rnn4j.bench;

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
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The textbook loop ({@link NaiveRnn}) on the same workloads as {@link Rnn4jBenchmark}, float64;
 * microseconds per sequence.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NaiveBenchmark {
    static final int BATCH = 64;

    /** The naive layer and inputs of one workload; the cell is the JMH parameter. */
    @State(Scope.Benchmark)
    public abstract static class Layer {
        @Param({"SIMPLE_RNN", "LSTM", "GRU"})
        public Cell cell;
        BenchData data;
        NaiveRnn rnn;

        abstract Workload workload();

        @Setup(Level.Trial)
        public void setUp() {
            data = new BenchData(workload(), cell);
            rnn = new NaiveRnn(data);
            prepare();
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
        @Override
        Workload workload() {
            return Workload.CHAR;
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
            pool = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "naive-bench-second-thread");
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

    @Benchmark
    public double[] hello(Hello s) {
        return s.rnn.forward(s.data.inputs[0]);
    }

    @Benchmark
    public double[] charOneHot(Char s) {
        return s.rnn.forward(s.data.inputs[0]);
    }

    @Benchmark
    public double[] charTokenIds(Char s) {
        return s.rnn.forward(s.data.embedding, s.data.ids[0]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void batch1Thread(Batch s, Blackhole bh) {
        for (double[][] seq : s.data.inputs) {
            bh.consume(s.rnn.forward(seq));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void batch2Threads(Batch s, Blackhole bh) throws InterruptedException, ExecutionException {
        double[][][] inputs = s.data.inputs;
        int half = inputs.length / 2;
        Future<double[]> other = s.pool.submit(() -> {
            double[] last = null;
            for (int b = 0; b < half; b++) {
                last = s.rnn.forward(inputs[b]);
            }
            return last;
        });
        for (int b = half; b < inputs.length; b++) {
            bh.consume(s.rnn.forward(inputs[b]));
        }
        bh.consume(other.get());
    }

    @Benchmark
    public double[] wide(Wide s) {
        return s.rnn.forward(s.data.inputs[0]);
    }
}
