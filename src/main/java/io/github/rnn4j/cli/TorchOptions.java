package io.github.rnn4j.cli;

import io.github.rnn4j.io.PyTorch;
import io.github.rnn4j.io.PyTorchChain;
import io.github.rnn4j.io.PyTorchRecurrent;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options that describe a PyTorch state dict's modules ({@code --torch}, {@code --torch-output},
 * {@code --torch-padding}), so that {@code predict}, {@code verify}, {@code bench} and {@code generate} can run a
 * {@code .pt}, {@code .safetensors} or {@code .npz} state dict, which carries no architecture. A picocli mixin.
 *
 * <p>{@code --torch} lists the modules in the order {@code forward} applies them, in the words of their Python
 * constructors: {@code 'embedding=Embedding; lstm=LSTM(8, 16, num_layers=2); fc=Linear'}. Each entry is
 * {@code [attribute=]Class[(arguments)]}; the attribute is the module's prefix in the state dict (empty when the
 * state dict is the module's own, for example {@code 'LSTM(3, 4, num_layers=2, bidirectional=True)'}). Sizes
 * ({@code num_embeddings}, {@code input_size}, {@code in_features}, ...) may be left out: they are read from the
 * module's weight. Everything else takes PyTorch's constructor default when left out ({@code num_layers=1},
 * {@code bias=True}, {@code bidirectional=False}, {@code nonlinearity='tanh'}, {@code eps=1e-05}) and the state dict
 * is checked against it, never the other way round.
 */
final class TorchOptions {
    /** The classes {@code --torch} knows, by their PyTorch names. */
    private static final List<String> CLASSES = List.of("Embedding", "RNN", "LSTM", "GRU", "Linear", "LayerNorm");

    /** The values of {@code --torch-output}. */
    enum OutputOption {
        sequence(PyTorchRecurrent.Output.SEQUENCE),
        final_hidden(PyTorchRecurrent.Output.FINAL_HIDDEN),
        last_step(PyTorchRecurrent.Output.LAST_STEP);

        final PyTorchRecurrent.Output output;

        OutputOption(PyTorchRecurrent.Output output) {
            this.output = output;
        }
    }

    @Option(names = "--torch", paramLabel = "MODULES",
            description = {"MODEL is a PyTorch state dict (.pt, .safetensors, .npz): its modules in forward order,"
                    + " as their Python constructors, separated by ';', each [attribute=]Class[(args)] with Class one"
                    + " of Embedding, RNN, LSTM, GRU, Linear, LayerNorm, for example"
                    + " 'embedding=Embedding; lstm=LSTM(8, 16, num_layers=2); fc=Linear'. Sizes left out are read"
                    + " from the weights; other arguments default as in PyTorch (num_layers=1, bias=True,"
                    + " bidirectional=False, nonlinearity='tanh', eps=1e-05). Inputs are batch first."})
    String modules;

    @Option(names = "--torch-output", paramLabel = "WHICH",
            description = "which output of the last RNN/LSTM/GRU the next module reads: ${COMPLETION-CANDIDATES}"
                    + " (out; h_n[-1], or cat(h_n[-2], h_n[-1]) when bidirectional; out[:, -1, :]). Required when a"
                    + " module follows it; without it a lone recurrent module returns output, h_n (and c_n)")
    OutputOption output;

    @Option(names = "--torch-padding", paramLabel = "VALUE",
            description = "the batch was run through pack_padded_sequence, padded with VALUE: id 0 after an"
                    + " Embedding (the only id it can be), or a step whose features all equal VALUE for a lone"
                    + " recurrent module. Default: not packed")
    Double padding;

    /** Whether {@code --torch} was given: then MODEL is a state dict. */
    boolean given() {
        return modules != null;
    }

    /** One parsed module: its prefix, class, positional and keyword arguments, and the text it came from. */
    private record Module(String prefix, String cls, List<String> positional, Map<String, String> keywords,
                          String text) {
        String where() {
            return "--torch module " + (prefix.isEmpty() ? text : "'" + prefix + "' (" + text + ")");
        }
    }

    /**
     * Reads the state dict in {@code file} and builds the model {@code --torch} describes.
     *
     * @param file a {@code .pt}, {@code .safetensors} or {@code .npz} state dict (recognised by its content)
     * @return the model, with PyTorch's outputs: {@code output}, {@code h_n} (and {@code c_n}) for a lone recurrent
     *         module without {@code --torch-output}, else the last module's output
     * @throws IOException when the file cannot be read as a state dict
     * @throws UsageException when the description cannot be parsed or does not match the state dict, naming the
     *         module, the parameter, and the expected and actual shapes
     */
    Model model(Path file) throws IOException {
        List<Module> chain = parse(modules);
        Map<String, Tensor> sd = PyTorch.readStateDict(file);
        if (padding != null && !chain.get(0).cls.equals("Embedding")
                && !(chain.size() == 1 && isRecurrent(chain.get(0).cls))) {
            throw new UsageException("--torch-padding: applies to a chain that starts with an Embedding or to a lone"
                    + " RNN/LSTM/GRU, not to '" + chain.get(0).text + "' followed by more modules");
        }
        if (chain.size() == 1 && isRecurrent(chain.get(0).cls) && output == null) {
            Module m = chain.get(0);
            PyTorchRecurrent r = recurrent(m, sd);
            try {
                return padding == null ? r.model(sd, m.prefix) : r.packedModel(sd, m.prefix, padding);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new UsageException(m.where() + ": " + e.getMessage());
            }
        }
        int lastRecurrent = -1;
        for (int i = 0; i < chain.size(); i++) {
            if (isRecurrent(chain.get(i).cls)) {
                lastRecurrent = i;
            }
        }
        if (lastRecurrent < 0 && output != null) {
            throw new UsageException("--torch-output: there is no RNN, LSTM or GRU in --torch '" + modules + "'");
        }
        if (lastRecurrent >= 0 && output == null) {
            throw new UsageException("--torch-output: required, the state dict cannot say which output of "
                    + chain.get(lastRecurrent).where() + " the next module reads: sequence (out), final_hidden"
                    + " (h_n[-1], or cat(h_n[-2], h_n[-1]) when bidirectional) or last_step (out[:, -1, :])");
        }
        if (padding != null && padding != 0.0) {
            throw new UsageException("--torch-padding: expected 0 after an Embedding (id 0 is the padding id), but"
                    + " was " + padding);
        }
        PyTorchChain builder = PyTorch.chain(sd);
        for (int i = 0; i < chain.size(); i++) {
            Module m = chain.get(i);
            try {
                switch (m.cls) {
                    case "Embedding" -> {
                        allow(m, 2, Set.of("num_embeddings", "embedding_dim", "padding_idx"));
                        int[] w = weight(m, sd, "weight");
                        int n = size(m, 0, "num_embeddings", w[0]);
                        int d = size(m, 1, "embedding_dim", w[1]);
                        builder.embedding(m.prefix, n, d, padding != null && i == 0);
                    }
                    case "RNN", "LSTM", "GRU" -> builder.recurrent(m.prefix, recurrent(m, sd),
                            i == lastRecurrent ? output.output : PyTorchRecurrent.Output.SEQUENCE);
                    case "Linear" -> {
                        allow(m, 2, Set.of("in_features", "out_features", "bias"));
                        int[] w = weight(m, sd, "weight");
                        int in = size(m, 0, "in_features", w[1]);
                        int out = size(m, 1, "out_features", w[0]);
                        requireBias(m, sd, bool(m, "bias", true));
                        builder.linear(m.prefix, in, out);
                    }
                    case "LayerNorm" -> {
                        allow(m, 1, Set.of("normalized_shape", "eps", "elementwise_affine"));
                        boolean affine = bool(m, "elementwise_affine", true);
                        requireParameter(m, sd, "weight", affine);
                        requireParameter(m, sd, "bias", affine);
                        int n;
                        if (m.positional.size() > 0 || m.keywords.containsKey("normalized_shape")) {
                            n = integer(m, "normalized_shape", m.positional.size() > 0 ? m.positional.get(0)
                                    : m.keywords.get("normalized_shape"));
                        } else if (affine) {
                            n = weight(m, sd, "weight")[0];
                        } else {
                            throw new UsageException(m.where() + ": normalized_shape: required with"
                                    + " elementwise_affine=False, the state dict holds no weight to read it from");
                        }
                        builder.layerNorm(m.prefix, n, number(m, "eps", 1e-5));
                    }
                    default -> throw new IllegalStateException("unreachable: " + m.cls);
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new UsageException(m.where() + ": " + e.getMessage());
            }
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UsageException("--torch '" + modules + "': " + e.getMessage());
        }
    }

    private static boolean isRecurrent(String cls) {
        return cls.equals("RNN") || cls.equals("LSTM") || cls.equals("GRU");
    }

    /** The recurrent module {@code m} describes, its sizes read from {@code weight_ih_l0}/{@code weight_hh_l0}. */
    private static PyTorchRecurrent recurrent(Module m, Map<String, Tensor> sd) {
        allow(m, 2, m.cls.equals("RNN")
                ? Set.of("input_size", "hidden_size", "num_layers", "nonlinearity", "bias", "batch_first", "dropout",
                        "bidirectional")
                : m.cls.equals("LSTM")
                ? Set.of("input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout", "bidirectional",
                        "proj_size")
                : Set.of("input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
                        "bidirectional"));
        int inputSize;
        int hiddenSize;
        if (m.positional.size() >= 2 || m.keywords.containsKey("input_size") && m.keywords.containsKey("hidden_size")) {
            inputSize = size(m, 0, "input_size", -1);
            hiddenSize = size(m, 1, "hidden_size", -1);
        } else {
            int[] ih = weight(m, sd, "weight_ih_l0");
            int[] hh = weight(m, sd, "weight_hh_l0");
            inputSize = size(m, 0, "input_size", ih[1]);
            hiddenSize = size(m, 1, "hidden_size", hh[1]);
        }
        if (bool(m, "batch_first", true) != Boolean.TRUE) {
            throw new UsageException(m.where() + ": batch_first=False: the command line reads batch-first inputs"
                    + " (batch, timeSteps, features); save X batch first and give batch_first=True or leave it out");
        }
        if (m.keywords.containsKey("proj_size") && integer(m, "proj_size", m.keywords.get("proj_size")) != 0) {
            throw new UsageException(m.where() + ": proj_size: expected 0, nn.LSTM with projections is not supported,"
                    + " but was " + m.keywords.get("proj_size"));
        }
        if (m.keywords.containsKey("dropout")) {
            number(m, "dropout", 0); // dropout acts only in training; checked to be a number
        }
        PyTorchRecurrent.Kind kind;
        if (m.cls.equals("RNN")) {
            String nl = text(m, "nonlinearity", "tanh");
            kind = switch (nl) {
                case "tanh" -> PyTorchRecurrent.Kind.RNN_TANH;
                case "relu" -> PyTorchRecurrent.Kind.RNN_RELU;
                default -> throw new UsageException(m.where() + ": nonlinearity: expected 'tanh' or 'relu', but was '"
                        + nl + "'");
            };
        } else {
            kind = m.cls.equals("LSTM") ? PyTorchRecurrent.Kind.LSTM : PyTorchRecurrent.Kind.GRU;
        }
        try {
            return PyTorchRecurrent.of(kind, inputSize, hiddenSize)
                    .numLayers(m.keywords.containsKey("num_layers")
                            ? integer(m, "num_layers", m.keywords.get("num_layers")) : 1)
                    .bias(bool(m, "bias", true))
                    .bidirectional(bool(m, "bidirectional", false));
        } catch (IllegalArgumentException e) {
            throw new UsageException(m.where() + ": " + e.getMessage());
        }
    }

    /** Refuses more than {@code positional} positional arguments and any keyword not in {@code keywords}. */
    private static void allow(Module m, int positional, Set<String> keywords) {
        if (m.positional.size() > positional) {
            throw new UsageException(m.where() + ": expected at most " + positional + " positional arguments, but"
                    + " got " + m.positional.size() + ": " + m.positional);
        }
        for (String k : m.keywords.keySet()) {
            if (!keywords.contains(k)) {
                throw new UsageException(m.where() + ": unknown argument '" + k + "', expected one of "
                        + new java.util.TreeSet<>(keywords));
            }
        }
    }

    /** The shape of {@code prefix.name}, which must be a matrix (or a vector for LayerNorm's weight). */
    private static int[] weight(Module m, Map<String, Tensor> sd, String name) {
        String key = key(m, name);
        Tensor t = sd.get(key);
        if (t == null) {
            List<String> near = new ArrayList<>();
            for (String k : sd.keySet()) {
                if (m.prefix.isEmpty() || k.startsWith(m.prefix + ".")) {
                    near.add(k);
                }
            }
            throw new UsageException(m.where() + ": the state dict has no parameter '" + key + "'"
                    + (near.isEmpty() ? "; it has " + String.join(", ", sd.keySet()) : "; under this prefix it has "
                    + String.join(", ", near)));
        }
        return t.shape();
    }

    private static String key(Module m, String name) {
        return m.prefix.isEmpty() ? name : m.prefix + "." + name;
    }

    private static void requireBias(Module m, Map<String, Tensor> sd, boolean bias) {
        requireParameter(m, sd, "bias", bias);
    }

    private static void requireParameter(Module m, Map<String, Tensor> sd, String name, boolean expected) {
        boolean present = sd.containsKey(key(m, name));
        if (present != expected) {
            throw new UsageException(m.where() + ": parameter '" + key(m, name) + "' is "
                    + (present ? "present" : "absent") + ", expected it " + (expected ? "present" : "absent")
                    + " for " + m.text + (expected ? " (give bias=False / elementwise_affine=False if the module has"
                    + " none)" : ""));
        }
    }

    /** A size given as positional {@code index} or keyword {@code name}, else {@code fromWeights}. */
    private static int size(Module m, int index, String name, int fromWeights) {
        String given = index < m.positional.size() ? m.positional.get(index) : m.keywords.get(name);
        if (given == null) {
            return fromWeights;
        }
        if (index < m.positional.size() && m.keywords.containsKey(name)) {
            throw new UsageException(m.where() + ": " + name + " given twice, positionally and by keyword");
        }
        return integer(m, name, given);
    }

    private static int integer(Module m, String name, String value) {
        try {
            int v = Integer.parseInt(value.strip());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(m.where() + ": " + name + ": expected a non-negative integer, but was '"
                    + value + "'");
        }
    }

    private static boolean bool(Module m, String name, boolean defaultValue) {
        String v = m.keywords.get(name);
        if (v == null) {
            return defaultValue;
        }
        return switch (v) {
            case "True" -> true;
            case "False" -> false;
            default -> throw new UsageException(m.where() + ": " + name + ": expected True or False, but was '" + v
                    + "'");
        };
    }

    private static double number(Module m, String name, double defaultValue) {
        String v = m.keywords.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(m.where() + ": " + name + ": expected a number, but was '" + v + "'");
        }
    }

    private static String text(Module m, String name, String defaultValue) {
        String v = m.keywords.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (v.length() >= 2 && (v.startsWith("'") && v.endsWith("'") || v.startsWith("\"") && v.endsWith("\""))) {
            return v.substring(1, v.length() - 1);
        }
        throw new UsageException(m.where() + ": " + name + ": expected a quoted string such as 'tanh', but was " + v);
    }

    /** Parses {@code --torch}: entries separated by ';', each {@code [attribute=]Class[(arguments)]}. */
    private static List<Module> parse(String spec) {
        List<Module> out = new ArrayList<>();
        for (String raw : spec.split(";")) {
            String text = raw.strip();
            if (text.isEmpty()) {
                continue;
            }
            int paren = text.indexOf('(');
            int eq = text.indexOf('=');
            String prefix = "";
            String rest = text;
            if (eq >= 0 && (paren < 0 || eq < paren)) {
                prefix = text.substring(0, eq).strip();
                rest = text.substring(eq + 1).strip();
                if (!prefix.matches("[A-Za-z_0-9]+(\\.[A-Za-z_0-9]+)*")) {
                    throw new UsageException("--torch: '" + text + "': the attribute '" + prefix + "' is not a"
                            + " module path such as fc or encoder.lstm");
                }
            }
            String cls = rest;
            List<String> positional = new ArrayList<>();
            Map<String, String> keywords = new LinkedHashMap<>();
            int open = rest.indexOf('(');
            if (open >= 0) {
                if (!rest.endsWith(")")) {
                    throw new UsageException("--torch: '" + text + "': expected Class(arguments) ending in ')'");
                }
                cls = rest.substring(0, open).strip();
                String args = rest.substring(open + 1, rest.length() - 1).strip();
                if (!args.isEmpty()) {
                    for (String a : args.split(",")) {
                        String arg = a.strip();
                        int k = arg.indexOf('=');
                        if (k < 0) {
                            if (!keywords.isEmpty()) {
                                throw new UsageException("--torch: '" + text + "': positional argument '" + arg
                                        + "' follows a keyword argument");
                            }
                            positional.add(arg);
                        } else {
                            String name = arg.substring(0, k).strip();
                            if (keywords.put(name, arg.substring(k + 1).strip()) != null) {
                                throw new UsageException("--torch: '" + text + "': keyword argument '" + name
                                        + "' repeated");
                            }
                        }
                    }
                }
            }
            if (cls.startsWith("nn.")) {
                cls = cls.substring(3);
            }
            if (!CLASSES.contains(cls)) {
                throw new UsageException("--torch: '" + text + "': unknown module class '" + cls + "', expected one"
                        + " of " + String.join(", ", CLASSES));
            }
            out.add(new Module(prefix, cls, positional, keywords, text));
        }
        if (out.isEmpty()) {
            throw new UsageException("--torch: expected at least one module such as 'lstm=LSTM(8, 16)', but was '"
                    + spec + "'");
        }
        Set<String> prefixes = new java.util.HashSet<>();
        for (Module m : out) {
            if (!prefixes.add(m.prefix)) {
                throw new UsageException("--torch: the attribute '" + m.prefix + "' names two modules");
            }
        }
        if (out.size() > 1 && out.stream().anyMatch(m -> m.prefix.isEmpty())) {
            throw new UsageException("--torch: '" + spec + "': with several modules each needs its attribute name,"
                    + " for example 'fc=Linear'");
        }
        return out;
    }

    /**
     * Whether the file name ends as a state dict's does: {@code .pt}, {@code .pth}, {@code .bin},
     * {@code .safetensors} or {@code .npz}.
     */
    static boolean looksLikeStateDict(Path file) {
        return Arrays.asList("pt", "pth", "bin", "safetensors", "npz").contains(Inputs.extension(file));
    }
}
