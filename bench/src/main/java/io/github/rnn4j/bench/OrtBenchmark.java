package io.github.rnn4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
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

import java.util.concurrent.TimeUnit;

/**
 * ONNX Runtime (Java API, CPU, float32: ONNX Runtime has no float64 RNN kernels) on the models that
 * {@code export_onnx.py} exports from PyTorch with the same weights; microseconds per sequence.
 *
 * <p>One intra-op thread, except {@code batch2Threads}, which gives ONNX Runtime two. Inputs are made
 * once; each call runs the session and reads one value of the output.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OrtBenchmark {
    static final int BATCH = 64;

    /** A session on one exported model and its input tensor; the cell is the JMH parameter. */
    @State(Scope.Benchmark)
    public abstract static class Model {
        @Param({"SIMPLE_RNN", "LSTM", "GRU"})
        public Cell cell;
        OrtSession session;
        OnnxTensor input;
        String inputName;

        abstract Workload workload();

        abstract String variant();

        int threads() {
            return 1;
        }

        @Setup(Level.Trial)
        public void setUp() throws OrtException {
            BenchData data = new BenchData(workload(), cell);
            session = OrtModels.open(variant(), cell, threads());
            boolean ids = variant().endsWith("_ids");
            inputName = ids ? "ids" : "x";
            input = ids ? OrtModels.ids(data) : OrtModels.inputs(data);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws OrtException {
            input.close();
            session.close();
        }

        float run() throws OrtException {
            return OrtModels.run(session, inputName, input);
        }
    }

    @State(Scope.Benchmark)
    public static class Hello extends Model {
        @Override
        Workload workload() {
            return Workload.HELLO;
        }

        @Override
        String variant() {
            return "hello";
        }
    }

    @State(Scope.Benchmark)
    public static class CharOneHot extends Model {
        @Override
        Workload workload() {
            return Workload.CHAR;
        }

        @Override
        String variant() {
            return "char";
        }
    }

    @State(Scope.Benchmark)
    public static class CharTokenIds extends Model {
        @Override
        Workload workload() {
            return Workload.CHAR;
        }

        @Override
        String variant() {
            return "char_ids";
        }
    }

    @State(Scope.Benchmark)
    public static class Batch extends Model {
        @Override
        Workload workload() {
            return Workload.BATCH;
        }

        @Override
        String variant() {
            return "batch";
        }
    }

    @State(Scope.Benchmark)
    public static class Batch2Threads extends Batch {
        @Override
        int threads() {
            return 2;
        }
    }

    @State(Scope.Benchmark)
    public static class Wide extends Model {
        @Override
        Workload workload() {
            return Workload.WIDE;
        }

        @Override
        String variant() {
            return "wide";
        }
    }

    @Benchmark
    public float hello(Hello s) throws OrtException {
        return s.run();
    }

    @Benchmark
    public float charOneHot(CharOneHot s) throws OrtException {
        return s.run();
    }

    @Benchmark
    public float charTokenIds(CharTokenIds s) throws OrtException {
        return s.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float batch1Thread(Batch s) throws OrtException {
        return s.run();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float batch2Threads(Batch2Threads s) throws OrtException {
        return s.run();
    }

    @Benchmark
    public float wide(Wide s) throws OrtException {
        return s.run();
    }
}
