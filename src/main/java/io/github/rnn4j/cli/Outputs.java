package io.github.rnn4j.cli;

import io.github.rnn4j.io.NumPy;
import io.github.rnn4j.model.Tensor;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a batch of outputs by the output file's extension: {@code .npy} (one output), {@code .npz} (one array per
 * output name), {@code .csv} (one output, a sample's numbers a line, row-major) or {@code .jsonl} (a sample a line: a
 * nested array for one output, an object of them by name for several).
 */
final class Outputs {
    /** The element type of NumPy output. */
    enum Dtype {
        float64, float32
    }

    private Outputs() {
    }

    /** Refuses an output file that cannot hold the model's outputs before the model runs. */
    static void checkTarget(String argument, Path file, int outputs) {
        String ext = Inputs.extension(file);
        switch (ext) {
            case "npz":
            case "jsonl":
            case "json":
            case "ndjson":
                break;
            case "npy":
            case "csv":
                if (outputs != 1) {
                    throw new UsageException(argument + ": " + file + ": the model has " + outputs
                            + " outputs; ." + ext + " holds one: write .npz or .jsonl");
                }
                break;
            default:
                throw new UsageException(argument + ": " + file + " has extension '" + ext
                        + "', expected .npy, .npz, .csv or .jsonl");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UsageException(argument + ": directory not found: " + parent);
        }
    }

    static void write(Path file, Map<String, Tensor> outputs, Dtype dtype) throws IOException {
        NumPy.Dtype npy = dtype == Dtype.float32 ? NumPy.Dtype.FLOAT32 : NumPy.Dtype.FLOAT64;
        boolean float32 = dtype == Dtype.float32;
        switch (Inputs.extension(file)) {
            case "npy":
                NumPy.writeNpy(file, outputs.values().iterator().next(), npy);
                break;
            case "npz":
                NumPy.writeNpz(file, outputs, npy);
                break;
            case "csv":
                try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
                    Tensor t = outputs.values().iterator().next();
                    int batch = t.shape()[0];
                    double[] data = t.data();
                    int per = batch == 0 ? 0 : data.length / batch;
                    for (int b = 0; b < batch; b++) {
                        StringBuilder sb = new StringBuilder();
                        for (int i = 0; i < per; i++) {
                            sb.append(i == 0 ? "" : ",").append(JsonArrays.number(data[b * per + i], float32));
                        }
                        w.write(sb.append('\n').toString());
                    }
                }
                break;
            default:
                try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    writeJsonLines(w, outputs, float32);
                }
        }
    }

    /** One JSON value a sample: the nested array of the one output, or an object of arrays by output name. */
    static void writeJsonLines(Writer w, Map<String, Tensor> outputs, boolean float32) throws IOException {
        int batch = outputs.values().iterator().next().shape()[0];
        for (int b = 0; b < batch; b++) {
            StringBuilder sb = new StringBuilder();
            if (outputs.size() > 1) {
                sb.append('{');
            }
            boolean first = true;
            for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
                if (outputs.size() > 1) {
                    sb.append(first ? "" : ", ").append('"').append(e.getKey().replace("\\", "\\\\")
                            .replace("\"", "\\\"")).append("\": ");
                }
                first = false;
                int[] dims = e.getValue().shape();
                double[] data = e.getValue().data();
                int per = batch == 0 ? 0 : data.length / batch;
                JsonArrays.write(sb, data, b * per, dims, 1, float32);
            }
            if (outputs.size() > 1) {
                sb.append('}');
            }
            w.write(sb.append('\n').toString());
        }
    }
}
