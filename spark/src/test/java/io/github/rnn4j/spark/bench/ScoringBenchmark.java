package io.github.rnn4j.spark.bench;

import io.github.rnn4j.io.KerasModels;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import io.github.rnn4j.spark.Rnn4jScorer;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.apache.spark.sql.functions.col;

/**
 * Rows per second of scoring a GRU(64) model (Masking, GRU(64), Dense(1, sigmoid); 8 features) on sequences of
 * {@code --steps} steps: plain single-JVM {@code Model.runBatch} (1 and 2 threads), {@link Rnn4jScorer#transform} in
 * {@code local[1]} and {@code local[2]}, and a naive UDF that loads the model on every call. A runnable main, not a
 * test: the numbers depend on the machine. Data is generated inside Spark from each row's id (seeded), and written to
 * Spark's {@code noop} sink; the time of generating alone is measured and reported too.
 *
 * <pre>
 * cd spark && mvn -B -q test-compile exec:exec -Dbench.args="--rows 1000000 --steps 50 --naive-rows 2000"
 * </pre>
 *
 * <p>{@code --write-parquet PATH} writes the generated rows ({@code id}, {@code features}) as Parquet instead, as
 * input for the {@code spark-submit} example.
 */
public final class ScoringBenchmark {
    private static final int FEATURES = 8;
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("features", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType, false), false));

    private ScoringBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = 1_000_000;
        int steps = 50;
        long naiveRows = 2_000;
        long warmupRows = 2_000;
        int partitions = 8;
        String modelFile = "src/test/resources/keras/masking_gru64_k3.keras";
        String modes = "plain,local1,local2,naive";
        String parquet = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--rows": rows = Long.parseLong(args[i + 1]); break;
                case "--steps": steps = Integer.parseInt(args[i + 1]); break;
                case "--naive-rows": naiveRows = Long.parseLong(args[i + 1]); break;
                case "--warmup-rows": warmupRows = Long.parseLong(args[i + 1]); break;
                case "--partitions": partitions = Integer.parseInt(args[i + 1]); break;
                case "--model": modelFile = args[i + 1]; break;
                case "--modes": modes = args[i + 1]; break;
                case "--write-parquet": parquet = args[i + 1]; break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        final long n = rows;
        final int t = steps;
        if (parquet != null) {
            SparkSession session = SparkSession.builder().master("local[2]").appName("rnn4j-bench-data")
                    .config("spark.ui.enabled", "false").getOrCreate();
            generate(session, n, t, partitions).write().mode("overwrite").parquet(parquet);
            System.out.println("wrote " + n + " rows of " + t + " steps to " + parquet);
            session.stop();
            return;
        }
        byte[] bytes = Files.readAllBytes(Path.of(modelFile));
        List<String> lines = new ArrayList<>();
        lines.add("| what | rows | wall s | rows/s (wall) | CPU s | rows per CPU-second |");
        lines.add("| --- | ---: | ---: | ---: | ---: | ---: |");
        String loadBefore = loadAverage();
        double plain1 = 0;
        if (modes.contains("plain")) {
            Model model = KerasModels.load(new ByteArrayInputStream(bytes));
            for (int threads = 1; threads <= 2; threads++) {
                int th = threads;
                plain(model, Math.min(warmupRows, n), t, th);
                double[] m = measure(() -> plain(model, n, t, th));
                lines.add(row("plain Model.runBatch, " + threads + " thread" + (threads > 1 ? "s" : ""), n, m));
                if (threads == 1) {
                    plain1 = n / m[0];
                }
            }
        }
        double[] spark = new double[3];
        for (int cores = 1; cores <= 2; cores++) {
            if (!modes.contains("local" + cores)) {
                continue;
            }
            SparkSession session = SparkSession.builder().master("local[" + cores + "]").appName("rnn4j-bench")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
            session.sparkContext().setLogLevel("WARN");
            try {
                Rnn4jScorer scorer = Rnn4jScorer.fromBytes(session, bytes).input("features").build();
                Dataset<Row> warm = generate(session, Math.min(warmupRows, n), t, partitions);
                scorer.transform(warm).write().format("noop").mode("overwrite").save();
                Dataset<Row> table = generate(session, n, t, partitions);
                double[] gen = measure(() -> table.write().format("noop").mode("overwrite").save());
                double[] scored = measure(() -> scorer.transform(table).write().format("noop").mode("overwrite")
                        .save());
                spark[cores] = n / scored[0];
                lines.add(row("generating the rows alone, local[" + cores + "]", n, gen));
                lines.add(row("Rnn4jScorer.transform, local[" + cores + "]", n, scored));
                if (cores == 2 && modes.contains("naive")) {
                    Dataset<Row> small = generate(session, naiveRows, t, partitions);
                    UserDefinedFunction naive = org.apache.spark.sql.functions.udf(
                            (UDF1<scala.collection.Seq<scala.collection.Seq<Double>>, double[]>) seq -> {
                                Model m = KerasModels.load(new ByteArrayInputStream(bytes));
                                return m.predict(toArray(seq));
                            }, DataTypes.createArrayType(DataTypes.DoubleType));
                    double[] m = measure(() -> small.select(naive.apply(col("features"))).write().format("noop")
                            .mode("overwrite").save());
                    lines.add(row("naive UDF loading the model per call, local[2]", naiveRows, m));
                }
            } finally {
                session.stop();
            }
        }
        lines.add("");
        if (spark[1] > 0 && spark[2] > 0) {
            lines.add(String.format(Locale.ROOT, "speed-up local[2] / local[1] (wall): %.2fx", spark[2] / spark[1]));
        }
        if (plain1 > 0 && spark[1] > 0) {
            lines.add(String.format(Locale.ROOT, "local[1] / plain runBatch 1 thread (wall): %.2f", spark[1] / plain1));
        }
        lines.add(String.format(Locale.ROOT, "cores: %d, steps: %d, features: 8, partitions: %d, java %s, "
                        + "load average before: %s, after: %s", Runtime.getRuntime().availableProcessors(), t,
                partitions, System.getProperty("java.version"), loadBefore, loadAverage()));
        lines.forEach(System.out::println);
    }

    /** Wall-clock and process CPU seconds of {@code r}. */
    private static double[] measure(Runnable r) {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        r.run();
        return new double[] {(System.nanoTime() - start) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9};
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Plain {@code Model.runBatch} in chunks of 256, on 1 or 2 threads, generating the same sequences. */
    private static void plain(Model model, long rows, int steps, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            int chunk = 256;
            for (long start = 0; start < rows; start += chunk) {
                int n = (int) Math.min(chunk, rows - start);
                double[] flat = new double[n * steps * FEATURES];
                for (int b = 0; b < n; b++) {
                    double[][] s = sequence(start + b, steps);
                    for (int t = 0; t < steps; t++) {
                        System.arraycopy(s[t], 0, flat, (b * steps + t) * FEATURES, FEATURES);
                    }
                }
                Map<String, Tensor> in = Map.of(model.inputNames().get(0),
                        Tensor.of(new int[] {n, steps, FEATURES}, flat));
                if (threads == 1) {
                    model.runBatch(in);
                } else {
                    model.runBatch(in, pool);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The sequence of row {@code id}: Gaussian values from a generator seeded by the id. */
    static double[][] sequence(long id, int steps) {
        SplittableRandom random = new SplittableRandom(id * 0x9E3779B97F4A7C15L + 17);
        double[][] s = new double[steps][FEATURES];
        for (double[] step : s) {
            for (int j = 0; j < FEATURES; j++) {
                step[j] = gaussian(random);
            }
        }
        return s;
    }

    private static double gaussian(SplittableRandom random) {
        double u = random.nextDouble(1e-12, 1.0);
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static Dataset<Row> generate(SparkSession spark, long rows, int steps, int partitions) {
        return spark.range(0, rows, 1, partitions).map((MapFunction<Long, Row>) id -> {
            return RowFactory.create(id, sequence(id, steps));
        }, Encoders.row(SCHEMA));
    }

    private static double[][] toArray(scala.collection.Seq<scala.collection.Seq<Double>> seq) {
        double[][] s = new double[seq.length()][];
        for (int t = 0; t < s.length; t++) {
            scala.collection.Seq<Double> step = seq.apply(t);
            s[t] = new double[step.length()];
            for (int j = 0; j < s[t].length; j++) {
                s[t][j] = step.apply(j);
            }
        }
        return s;
    }

    private static String row(String what, long rows, double[] seconds) {
        return String.format(Locale.ROOT, "| %s | %,d | %.1f | %,.0f | %.1f | %,.0f |", what, rows, seconds[0],
                rows / seconds[0], seconds[1], rows / seconds[1]);
    }
}
