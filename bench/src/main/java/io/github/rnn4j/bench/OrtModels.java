package io.github.rnn4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;

/**
 * Opens the ONNX models that {@code export_onnx.py} writes, and feeds them {@link BenchData} inputs.
 *
 * <p>Models live in the folder named by the system property {@code rnn4j.bench.models}, else the environment
 * variable {@code RNN4J_BENCH_MODELS}, else {@code models} under the working directory (run from {@code bench/}).
 * A model is named {@code <variant>_<cell>.onnx}, e.g. {@code char_ids_lstm.onnx}; it takes {@code x}
 * (float32 {@code [batch][timeSteps][inputSize]}) or {@code ids} (int64 {@code [batch][timeSteps]}) and
 * returns {@code h} (float32 {@code [batch][units]}), the last output.
 */
public final class OrtModels {
    private OrtModels() {
    }

    public static Path folder() {
        String dir = System.getProperty("rnn4j.bench.models");
        if (dir == null) {
            dir = System.getenv("RNN4J_BENCH_MODELS");
        }
        return Paths.get(dir == null ? "models" : dir);
    }

    public static Path model(String variant, Cell cell) {
        Path p = folder().resolve(variant + "_" + cell.name().toLowerCase(Locale.ROOT) + ".onnx");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing ONNX model " + p.toAbsolutePath()
                    + ": run /usr/bin/python3 export_onnx.py in bench/ (or set -Drnn4j.bench.models=DIR)");
        }
        return p;
    }

    /** A session with {@code intraOpThreads} threads for one operator, sequential execution, all optimizations. */
    public static OrtSession open(String variant, Cell cell, int intraOpThreads) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return env.createSession(model(variant, cell).toString(), options);
        }
    }

    /** The float32 input {@code x} of the whole batch. */
    public static OnnxTensor inputs(BenchData d) throws OrtException {
        Workload w = d.workload;
        return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(d.inputsAsFloats()),
                new long[] {w.batch, w.timeSteps, w.inputSize});
    }

    /** The int64 input {@code ids} of the whole batch. */
    public static OnnxTensor ids(BenchData d) throws OrtException {
        Workload w = d.workload;
        return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), LongBuffer.wrap(d.idsAsLongs()),
                new long[] {w.batch, w.timeSteps});
    }

    /** Runs the model and returns {@code h[0][0]}, reading the output as a caller would. */
    public static float run(OrtSession session, String inputName, OnnxTensor input) throws OrtException {
        try (OrtSession.Result r = session.run(Map.of(inputName, input))) {
            return ((OnnxTensor) r.get(0)).getFloatBuffer().get(0);
        }
    }

    /** Runs the model and returns all of {@code h}, {@code [batch][units]}. */
    public static float[][] runAll(OrtSession session, String inputName, OnnxTensor input) throws OrtException {
        try (OrtSession.Result r = session.run(Map.of(inputName, input))) {
            return (float[][]) r.get(0).getValue();
        }
    }
}
