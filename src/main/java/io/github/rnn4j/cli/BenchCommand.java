package io.github.rnn4j.cli;

import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.Layer;
import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/**
 * {@code bench MODEL}: times {@link Model#runBatch} on random inputs of the model's own shape and reports the latency
 * distribution (median, p90, p99), the throughput and the bytes allocated per call. A quick look, not a JMH
 * benchmark: the JIT warms up for {@code --warmup} calls first.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Time MODEL on random inputs of its own shape.",
            "Reports the latency median, p90 and p99, the throughput in sequences per second and the bytes"
                + " allocated per call."})
final class BenchCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(index = "0", paramLabel = "MODEL", description = "a Keras model (.keras, .h5), or a PyTorch state dict (.pt,"
            + " .safetensors, .npz) described by --torch")
    Path model;

    @Mixin
    TorchOptions torch;


    @Option(names = "--batch", defaultValue = "1", paramLabel = "B",
            description = "sequences per call (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--steps", paramLabel = "T",
            description = "time steps of a sequence input (default: the model's own, or 32 when it takes any)")
    Integer steps;

    @Option(names = "--warmup", defaultValue = "50", paramLabel = "W",
            description = "untimed calls first (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--calls", defaultValue = "200", paramLabel = "C",
            description = "timed calls (default ${DEFAULT-VALUE})")
    int calls;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "seed of the random inputs (default ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    RunOptions run;

    BenchCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        BatchRunner.checkThreads(run.threads);
        if (batch < 1) {
            throw new UsageException("--batch is " + batch + ", expected at least 1");
        }
        if (steps != null && steps < 1) {
            throw new UsageException("--steps is " + steps + ", expected at least 1");
        }
        if (warmup < 0 || calls < 1) {
            throw new UsageException("--warmup is " + warmup + " and --calls is " + calls
                    + ", expected at least 0 and at least 1");
        }
        Inputs.requireFile("MODEL", model);
        OptionalInt restarted = run.selectBackend(context);
        if (restarted.isPresent()) {
            return restarted.getAsInt();
        }
        String backend = run.describe();
        Model m = run.apply(Inputs.model(model, torch));
        Map<String, Tensor> inputs = randomInputs(m);
        ExecutorService pool = run.threads > 1 ? BatchRunner.pool(run.threads) : null;
        try {
            for (int i = 0; i < warmup; i++) {
                run(m, inputs, pool);
            }
            long[] nanos = new long[calls];
            long allocatedBefore = allocatedBytes();
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                run(m, inputs, pool);
                nanos[i] = System.nanoTime() - t0;
            }
            long elapsed = System.nanoTime() - start;
            long allocated = allocatedBytes() - allocatedBefore;
            Arrays.sort(nanos);
            StringBuilder shapes = new StringBuilder();
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                shapes.append(shapes.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                        .append(Inputs.dims(e.getValue().shape()));
            }
            context.out.printf(Locale.ROOT, "%s: random inputs %s, %d thread%s, %d warm-up + %d timed calls%n",
                    model, shapes, run.threads, run.threads == 1 ? "" : "s", warmup, calls);
            context.out.println("ran on the " + backend);
            context.out.printf(Locale.ROOT, "latency per call: median %s, p90 %s, p99 %s (min %s, max %s)%n",
                    time(percentile(nanos, 50)), time(percentile(nanos, 90)), time(percentile(nanos, 99)),
                    time(nanos[0]), time(nanos[nanos.length - 1]));
            context.out.printf(Locale.ROOT, "throughput: %.1f sequences/s%n", (double) calls * batch / (elapsed / 1e9));
            context.out.printf(Locale.ROOT, "allocated per call: %s%n",
                    allocated < 0 ? "unknown (the JVM does not count allocations)" : bytes((double) allocated / calls));
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return 0;
    }

    private static void run(Model m, Map<String, Tensor> inputs, ExecutorService pool) {
        if (pool == null) {
            m.runBatch(inputs);
        } else {
            m.runBatch(inputs, pool);
        }
    }

    private Map<String, Tensor> randomInputs(Model m) {
        Random random = new Random(seed);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (String name : m.inputNames()) {
            Shape shape = m.inputShape(name);
            int[] dims = new int[shape.rank() + 1];
            dims[0] = batch;
            for (int i = 0; i < shape.rank(); i++) {
                int d = shape.dim(i);
                boolean time = i == 0 && (shape.rank() == 2 || m.takesTokenIds(name));
                if (time && steps != null) {
                    if (d != Shape.UNKNOWN && d != steps) {
                        throw new UsageException("--steps is " + steps + ", but input '" + name + "' has a fixed " + d
                                + " time steps; leave --steps out");
                    }
                    d = steps;
                } else if (d == Shape.UNKNOWN) {
                    d = 32;
                }
                dims[i + 1] = d;
            }
            int n = 1;
            for (int d : dims) {
                n *= d;
            }
            double[] data = new double[n];
            if (m.takesTokenIds(name)) {
                int vocabSize = vocabSize(m);
                for (int i = 0; i < n; i++) {
                    data[i] = 1 + random.nextInt(Math.max(1, vocabSize - 1));
                }
            } else {
                for (int i = 0; i < n; i++) {
                    data[i] = random.nextGaussian();
                }
            }
            inputs.put(name, Tensor.of(dims, data));
        }
        return inputs;
    }

    private static int vocabSize(Model m) {
        int size = Integer.MAX_VALUE;
        for (Layer l : m.layers().values()) {
            if (l instanceof Embedding) {
                size = Math.min(size, ((Embedding) l).vocabSize());
            }
        }
        return size == Integer.MAX_VALUE ? 2 : size;
    }

    /** Bytes allocated so far by every live thread (the pool's included); -1 when the JVM does not count. */
    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean)) {
            return -1;
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        if (!threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            return -1;
        }
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(bytes, 0);
        }
        return total;
    }

    private static long percentile(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String time(long nanos) {
        if (nanos < 10_000) {
            return String.format(Locale.ROOT, "%.2f µs", nanos / 1e3);
        }
        if (nanos < 10_000_000) {
            return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    private static String bytes(double b) {
        if (b < 10_000) {
            return String.format(Locale.ROOT, "%.0f bytes", b);
        }
        if (b < 10_000_000) {
            return String.format(Locale.ROOT, "%.1f KB", b / 1024);
        }
        return String.format(Locale.ROOT, "%.1f MB", b / (1024 * 1024));
    }
}
