package io.github.rnn4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import io.github.rnn4j.internal.Backend;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.RnnOutput;
import io.github.rnn4j.model.Precision;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Prints, as JSON, the last outputs that every Java-side implementation computes on every benchmark input,
 * so that {@code compare.py} can check that rnn4j, the naive loop, ONNX Runtime, NumPy and PyTorch all
 * compute the same function before it compares their speed.
 *
 * <p>For each {@code variant/CELL}: {@code h0}, the last output of the first sequence, and {@code sum}, the sum
 * of the last outputs of all sequences in the batch; {@code "backend"}, the name of rnn4j's backend in this JVM; and
 * {@code "precision"}, rnn4j's precision ({@code -Drnn4j.bench.precision=FLOAT32} checks the float32 layers).
 * Run: {@code java -cp target/benchmarks.jar io.github.rnn4j.bench.Checksums [--rnn4j-only] [variant ...]};
 * {@code --rnn4j-only} skips the naive loop and ONNX Runtime (for checking the Vector API backend, with
 * {@code --add-modules jdk.incubator.vector -Drnn4j.backend=vector}).
 */
public final class Checksums {
    private Checksums() {
    }

    public static void main(String[] args) throws Exception {
        List<String> only = new ArrayList<>(List.of(args));
        boolean rnn4jOnly = only.remove("--rnn4j-only");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        StringBuilder json = new StringBuilder("{\n  \"backend\": ").append(quote(Backend.INSTANCE.name()))
                .append(",\n  \"precision\": ").append(quote(Rnn4jBenchmark.PRECISION.name()));
        try {
            for (String variant : List.of("hello", "char", "char_ids", "batch", "wide")) {
                if (!only.isEmpty() && !only.contains(variant)) {
                    continue;
                }
                Workload w = workload(variant);
                for (Cell cell : Cell.values()) {
                    BenchData d = new BenchData(w, cell);
                    boolean ids = variant.equals("char_ids");
                    List<String> parts = new ArrayList<>();
                    parts.add(entry("rnn4j", rnn4j(d, ids)));
                    if (w == Workload.BATCH) {
                        List<RnnOutput> outs = layer(d).forward(d.inputs, null, pool, 2);
                        double[][] all = new double[outs.size()][];
                        for (int i = 0; i < all.length; i++) {
                            all[i] = outs.get(i).last();
                        }
                        parts.add(entry("rnn4j_2threads", all));
                    }
                    if (!rnn4jOnly) {
                        parts.add(entry("naive", naive(d, ids)));
                        parts.add(ort(variant, cell, d, ids));
                    }
                    json.append(",\n  ").append(quote(variant + "/" + cell.name()))
                            .append(": {").append(String.join(", ", parts)).append("}");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        json.append("\n}");
        System.out.println(json);
    }

    /** ONNX Runtime's last outputs as an {@link #entry}, or an {@code ort_error} entry when it cannot run. */
    private static String ort(String variant, Cell cell, BenchData d, boolean ids) {
        try (OrtSession s = OrtModels.open(variant, cell, 1);
             OnnxTensor in = ids ? OrtModels.ids(d) : OrtModels.inputs(d)) {
            float[][] h = OrtModels.runAll(s, ids ? "ids" : "x", in);
            double[][] hd = new double[h.length][];
            for (int i = 0; i < h.length; i++) {
                hd[i] = new double[h[i].length];
                for (int j = 0; j < h[i].length; j++) {
                    hd[i][j] = h[i][j];
                }
            }
            return entry("ort", hd);
        } catch (Exception | UnsatisfiedLinkError e) {
            return "\"ort_error\": " + quote(String.valueOf(e));
        }
    }

    /** The benchmark's layer in the precision of {@code -Drnn4j.bench.precision}, as {@link Rnn4jBenchmark} runs it. */
    private static Rnn layer(BenchData d) {
        Rnn rnn = Rnn4jLayers.rnn(d);
        return Rnn4jBenchmark.PRECISION == Precision.FLOAT32 ? rnn.float32() : rnn;
    }

    static Workload workload(String variant) {
        switch (variant) {
            case "hello":
                return Workload.HELLO;
            case "char":
            case "char_ids":
                return Workload.CHAR;
            case "batch":
                return Workload.BATCH;
            case "wide":
                return Workload.WIDE;
            default:
                throw new IllegalArgumentException("unknown variant " + variant);
        }
    }

    private static double[][] rnn4j(BenchData d, boolean ids) {
        if (ids) {
            return new double[][] {Rnn4jLayers.tokenModel(d).withPrecision(Rnn4jBenchmark.PRECISION)
                    .predict(d.ids[0])};
        }
        List<RnnOutput> outs = layer(d).forward(d.inputs, null);
        double[][] h = new double[outs.size()][];
        for (int i = 0; i < h.length; i++) {
            h[i] = outs.get(i).last();
        }
        return h;
    }

    private static double[][] naive(BenchData d, boolean ids) {
        NaiveRnn rnn = new NaiveRnn(d);
        double[][] h = new double[d.inputs.length][];
        for (int i = 0; i < h.length; i++) {
            h[i] = ids ? rnn.forward(d.embedding, d.ids[i]) : rnn.forward(d.inputs[i]);
        }
        return h;
    }

    private static String entry(String name, double[][] h) {
        double sum = 0;
        for (double[] row : h) {
            for (double v : row) {
                sum += v;
            }
        }
        StringBuilder sb = new StringBuilder(quote(name)).append(": {\"sum\": ").append(num(sum)).append(", \"h0\": [");
        for (int j = 0; j < h[0].length; j++) {
            sb.append(j == 0 ? "" : ", ").append(num(h[0][j]));
        }
        return sb.append("]}").toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.17g", v) : "null";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
