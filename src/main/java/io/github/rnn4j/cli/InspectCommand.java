package io.github.rnn4j.cli;

import io.github.rnn4j.io.KerasModels;
import io.github.rnn4j.io.NumPy;
import io.github.rnn4j.io.PyTorch;
import io.github.rnn4j.io.Safetensors;
import io.github.rnn4j.io.StoredTensors;
import io.github.rnn4j.layers.Layer;
import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code inspect FILE}: what a model or tensor file holds. A Keras model ({@code .keras}, {@code .h5}): its layers,
 * output shapes and parameters, its inputs and outputs, the Keras version, the version rules applied and the file
 * format. A tensor file ({@code .npy}, {@code .npz}, {@code .safetensors}, PyTorch {@code .pt}/{@code .pth}): each
 * tensor's name, shape and dtype (the element type in the file; values are read as doubles whatever it is).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Show what a model or tensor file holds.",
            "Keras models (.keras, .h5): layers, output shapes, parameters, inputs and outputs with their shapes and"
                + " dtypes, Keras version, version rules applied, file format.",
            "Tensor files (.npy, .npz, .safetensors, PyTorch .pt/.pth state dicts): each tensor's name, shape and"
                + " dtype."})
final class InspectCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(index = "0", paramLabel = "FILE", description = "a .keras, .h5, .npy, .npz, .safetensors, .pt or .pth file")
    Path file;

    @Option(names = "--json", description = "print the same as JSON")
    boolean json;

    InspectCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        Inputs.requireFile("FILE", file);
        String ext = Inputs.extension(file);
        switch (ext) {
            case "npy":
                tensors("npy", Map.of("", NumPy.readNpy(file)), Map.of("", NumPy.npyDtype(file)));
                break;
            case "npz":
                StoredTensors npz = NumPy.readNpzWithDtypes(file);
                tensors("npz", npz.tensors(), npz.dtypes());
                break;
            case "safetensors":
                tensors("safetensors", Safetensors.read(file), Safetensors.dtypes(file));
                break;
            case "pt":
            case "pth":
            case "bin":
                StoredTensors stateDict = PyTorch.readStateDictWithDtypes(file);
                tensors("PyTorch state dict", stateDict.tensors(), stateDict.dtypes());
                break;
            default:
                model(KerasModels.load(file));
        }
        return 0;
    }

    private void tensors(String format, Map<String, Tensor> tensors, Map<String, String> dtypes) {
        PrintWriter out = context.out;
        long total = 0;
        for (Tensor t : tensors.values()) {
            total += t.data().length;
        }
        if (json) {
            StringBuilder sb = new StringBuilder("{\"file\": ").append(quote(file.toString()))
                    .append(", \"format\": ").append(quote(format)).append(", \"tensors\": [");
            boolean first = true;
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                sb.append(first ? "" : ", ").append("{\"name\": ").append(quote(e.getKey()))
                        .append(", \"shape\": ").append(jsonDims(e.getValue().shape()))
                        .append(", \"dtype\": ").append(quote(dtypes.get(e.getKey()))).append('}');
                first = false;
            }
            out.println(sb.append("], \"elements\": ").append(total).append('}'));
            return;
        }
        out.println(file + ": " + format + ", " + tensors.size() + " tensor" + (tensors.size() == 1 ? "" : "s")
                + ", " + total + " elements");
        int width = 7;
        int shapeWidth = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            width = Math.max(width, e.getKey().length());
            shapeWidth = Math.max(shapeWidth, Inputs.dims(e.getValue().shape()).length());
        }
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey().isEmpty() ? "(array)" : e.getKey();
            out.printf("  %-" + width + "s  %-" + shapeWidth + "s  %s%n", name, Inputs.dims(e.getValue().shape()),
                    dtypes.get(e.getKey()));
        }
    }

    private void model(Model m) {
        PrintWriter out = context.out;
        if (json) {
            out.println(modelJson(m));
            return;
        }
        out.print(m.summary());
        int width = 0;
        int shapeWidth = 0;
        for (String name : m.inputNames()) {
            width = Math.max(width, name.length());
            shapeWidth = Math.max(shapeWidth, Inputs.batchShape(m.inputShape(name)).length());
        }
        for (String name : m.outputNames()) {
            width = Math.max(width, name.length());
            shapeWidth = Math.max(shapeWidth, Inputs.batchShape(m.outputShape(name)).length());
        }
        String row = "  %-" + width + "s  %-" + shapeWidth + "s  %s%n";
        out.println("Inputs:");
        for (String name : m.inputNames()) {
            out.printf(row, name, Inputs.batchShape(m.inputShape(name)), Inputs.dtype(m, name));
        }
        out.println("Outputs:");
        for (String name : m.outputNames()) {
            out.printf(row, name, Inputs.batchShape(m.outputShape(name)), "float64");
        }
    }

    private String modelJson(Model m) {
        StringBuilder sb = new StringBuilder("{\"file\": ").append(quote(file.toString()));
        sb.append(", \"properties\": {");
        boolean first = true;
        for (Map.Entry<String, String> p : m.properties().entrySet()) {
            sb.append(first ? "" : ", ").append(quote(p.getKey())).append(": ").append(quote(p.getValue()));
            first = false;
        }
        sb.append("}, \"rules\": [");
        first = true;
        for (String n : m.notes()) {
            sb.append(first ? "" : ", ").append(quote(n));
            first = false;
        }
        sb.append("], \"inputs\": [");
        first = true;
        for (String name : m.inputNames()) {
            sb.append(first ? "" : ", ").append("{\"name\": ").append(quote(name)).append(", \"shape\": ")
                    .append(jsonShape(m.inputShape(name))).append(", \"dtype\": ")
                    .append(quote(m.takesTokenIds(name) ? "int" : "float")).append('}');
            first = false;
        }
        sb.append("], \"outputs\": [");
        first = true;
        for (String name : m.outputNames()) {
            sb.append(first ? "" : ", ").append("{\"name\": ").append(quote(name)).append(", \"shape\": ")
                    .append(jsonShape(m.outputShape(name))).append(", \"dtype\": \"float64\"}");
            first = false;
        }
        sb.append("], \"layers\": [");
        first = true;
        for (Map.Entry<String, Layer> e : m.layers().entrySet()) {
            sb.append(first ? "" : ", ").append("{\"name\": ").append(quote(e.getKey())).append(", \"class\": ")
                    .append(quote(e.getValue().getClass().getSimpleName())).append(", \"params\": ")
                    .append(e.getValue().parameterCount()).append('}');
            first = false;
        }
        sb.append("], \"params\": ").append(m.parameterCount()).append('}');
        return sb.toString();
    }

    /** A sample shape with the batch axis as JSON: {@code [null, 10, 3]}, unknown time steps {@code null}. */
    private static String jsonShape(Shape s) {
        StringBuilder sb = new StringBuilder("[null");
        for (int d : s.dims()) {
            sb.append(", ").append(d == Shape.UNKNOWN ? "null" : Integer.toString(d));
        }
        return sb.append(']').toString();
    }

    private static String jsonDims(int[] dims) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return sb.append(']').toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
