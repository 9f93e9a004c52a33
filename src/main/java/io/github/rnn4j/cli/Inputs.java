package io.github.rnn4j.cli;

import io.github.rnn4j.io.KerasModels;
import io.github.rnn4j.io.NumPy;
import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a model and a batch of inputs for it, and checks the batch against the model before anything runs.
 *
 * <p>{@code .npy} (one input) or {@code .npz} (one array per input name) hold the batch axis first:
 * {@code [batch][timeSteps][features]} floats, {@code [batch][timeSteps]} token ids, {@code [batch][features]}
 * vectors. CSV and JSON lines hold one sample a line for a model with one input: a sample's numbers in row-major
 * order (CSV) or as a nested JSON array (JSON lines).
 */
final class Inputs {
    private Inputs() {
    }

    /** Loads a Keras model, naming the argument when the file is missing. */
    static Model model(Path file) throws IOException {
        requireFile("MODEL", file);
        return KerasModels.load(file);
    }

    /**
     * Loads a Keras model, or the PyTorch state dict {@code --torch} describes when it is given; a state dict
     * without {@code --torch} is a usage error saying why.
     */
    static Model model(Path file, TorchOptions torch) throws IOException {
        requireFile("MODEL", file);
        if (torch.given()) {
            return torch.model(file);
        }
        if (TorchOptions.looksLikeStateDict(file)) {
            throw new UsageException("MODEL: " + file + " is a PyTorch state dict, which carries no architecture:"
                    + " describe its modules with --torch, for example --torch 'embedding=Embedding;"
                    + " lstm=LSTM(num_layers=2); fc=Linear' --torch-output sequence");
        }
        return KerasModels.load(file);
    }

    static void requireFile(String argument, Path file) {
        if (!Files.exists(file)) {
            throw new UsageException(argument + ": file not found: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new UsageException(argument + ": " + file + " is a directory, expected a file");
        }
    }

    /** The extension of a file name, lower case, without the dot; empty when there is none. */
    static String extension(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * Reads the batch in {@code file} for {@code model}: one tensor per input name, each with the batch axis first,
     * checked for shape, dtype (whole numbers for token ids) and NaN.
     */
    static Map<String, Tensor> read(String argument, Path file, Model model) throws IOException {
        requireFile(argument, file);
        Map<String, Tensor> batch = new LinkedHashMap<>();
        String ext = extension(file);
        switch (ext) {
            case "npy":
                batch.put(single(argument, file, model, "an .npz with one array per input name"), NumPy.readNpy(file));
                break;
            case "npz": {
                Map<String, Tensor> arrays = NumPy.readNpz(file);
                for (String name : model.inputNames()) {
                    Tensor t = arrays.get(name);
                    if (t == null) {
                        throw new UsageException(argument + ": " + file + " has no array '" + name + "'; it holds "
                                + arrays.keySet() + ", expected one array per model input " + model.inputNames());
                    }
                    batch.put(name, t);
                }
                break;
            }
            case "csv":
                batch.put(single(argument, file, model, ".npy or .npz"), text(argument, file, model, true));
                break;
            case "jsonl":
            case "json":
            case "ndjson":
                batch.put(single(argument, file, model, ".npy or .npz"), text(argument, file, model, false));
                break;
            default:
                throw new UsageException(argument + ": " + file + " has extension '" + ext
                        + "', expected .npy, .npz, .csv or .jsonl");
        }
        int size = -1;
        String first = null;
        for (Map.Entry<String, Tensor> e : batch.entrySet()) {
            int b = check(argument, file, model, e.getKey(), e.getValue());
            if (size >= 0 && b != size) {
                throw new UsageException(argument + ": " + file + ": input '" + e.getKey() + "' has " + b
                        + " samples, expected " + size + " as input '" + first + "'");
            }
            size = b;
            first = e.getKey();
        }
        return batch;
    }

    private static String single(String argument, Path file, Model model, String instead) {
        if (model.inputNames().size() != 1) {
            throw new UsageException(argument + ": " + file + " holds one array, but the model has "
                    + model.inputNames().size() + " inputs " + model.inputNames() + ": give " + instead);
        }
        return model.inputNames().get(0);
    }

    /** The sample shape of an input as text, with the batch axis: {@code (batch, 10, 3)}. */
    static String batchShape(Shape s) {
        StringBuilder sb = new StringBuilder("(batch");
        for (int d : s.dims()) {
            sb.append(", ").append(d == Shape.UNKNOWN ? "timeSteps" : Integer.toString(d));
        }
        return sb.append(')').toString();
    }

    static String dims(int[] dims) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return sb.append(dims.length == 1 ? ",)" : ")").toString();
    }

    /** What an input takes, in words. */
    static String dtype(Model model, String input) {
        return model.takesTokenIds(input) ? "int (token ids)" : "float";
    }

    /** Checks one input's batch against the model; returns the batch size. */
    private static int check(String argument, Path file, Model model, String name, Tensor t) {
        Shape expected = model.inputShape(name);
        int[] dims = t.shape();
        String where = argument + ": " + file + ": input '" + name + "'";
        boolean fits = dims.length == expected.rank() + 1;
        for (int i = 0; fits && i < expected.rank(); i++) {
            int want = expected.dim(i);
            fits = want == Shape.UNKNOWN ? dims[i + 1] > 0 : dims[i + 1] == want;
        }
        if (!fits) {
            String hint = dims.length == expected.rank() ? "; the batch axis comes first: one sample is (1, ...)" : "";
            throw new UsageException(where + " has shape " + dims(dims) + ", the model expects "
                    + batchShape(expected) + " of " + dtype(model, name) + hint);
        }
        double[] data = t.data();
        int batch = dims[0];
        int perSample = batch == 0 ? 0 : data.length / batch;
        int features = expected.rank() == 2 ? dims[2] : 1;
        boolean ids = model.takesTokenIds(name);
        for (int i = 0; i < data.length; i++) {
            double v = data[i];
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new UsageException(where + ": " + position(expected, ids, i, perSample, features) + " is " + v
                        + "; inputs must be finite numbers");
            }
            if (ids && (v != Math.rint(v) || v < 0)) {
                throw new UsageException(where + " takes token ids (whole numbers >= 0): "
                        + position(expected, ids, i, perSample, features) + " is " + v);
            }
        }
        return batch;
    }

    private static String position(Shape expected, boolean ids, int flat, int perSample, int features) {
        int sample = flat / perSample;
        int within = flat % perSample;
        if (expected.rank() == 2) {
            return "sample " + sample + ", step " + within / features + ", feature " + within % features;
        }
        return "sample " + sample + (ids ? ", step " : ", feature ") + within;
    }

    /** Reads CSV (one sample a line, row-major numbers) or JSON lines (one nested array a line). */
    private static Tensor text(String argument, Path file, Model model, boolean csv) throws IOException {
        String name = model.inputNames().get(0);
        Shape shape = model.inputShape(name);
        List<double[]> rows = new ArrayList<>();
        int[] sampleDims = null;
        int width = -1;
        int firstLine = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String where = argument + ": " + file + ": line " + number;
                double[] row;
                int[] dims;
                if (csv) {
                    row = csvRow(line, where);
                    dims = null;
                } else {
                    JsonArrays.Parsed p = JsonArrays.parse(line, where);
                    row = p.values;
                    dims = p.dims;
                    if (sampleDims == null) {
                        sampleDims = dims;
                    } else if (!java.util.Arrays.equals(dims, sampleDims)) {
                        throw new UsageException(where + " has shape " + dims(dims) + ", expected " + dims(sampleDims)
                                + " as line " + firstLine);
                    }
                }
                if (width < 0) {
                    width = row.length;
                    firstLine = number;
                } else if (row.length != width) {
                    throw new UsageException(where + " has " + row.length + " values, expected " + width
                            + " as line " + firstLine);
                }
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            throw new UsageException(argument + ": " + file + " holds no samples, expected one sample a line");
        }
        int[] sample;
        if (sampleDims != null && sampleDims.length == shape.rank()) {
            sample = sampleDims;
        } else if (shape.rank() == 2) {
            int features = shape.features();
            if (width % features != 0) {
                throw new UsageException(argument + ": " + file + ": a line has " + width + " values, expected a"
                        + " multiple of " + features + " (timeSteps x " + features + " features) for input '" + name
                        + "' of shape " + batchShape(shape));
            }
            sample = new int[] {width / features, features};
        } else {
            sample = new int[] {width};
        }
        double[] flat = new double[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, flat, i * width, width);
        }
        int[] dims = new int[sample.length + 1];
        dims[0] = rows.size();
        System.arraycopy(sample, 0, dims, 1, sample.length);
        return Tensor.of(dims, flat);
    }

    private static double[] csvRow(String line, String where) {
        String[] cells = line.split(",", -1);
        double[] row = new double[cells.length];
        for (int j = 0; j < cells.length; j++) {
            String c = cells[j].strip();
            try {
                row[j] = Double.parseDouble(c);
            } catch (NumberFormatException e) {
                throw new UsageException(where + ", column " + (j + 1) + ": '" + c + "' is not a number");
            }
        }
        return row;
    }
}
