package io.github.rnn4j.io;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.MergeMode;
import io.github.rnn4j.model.LayerConfig;
import io.github.rnn4j.model.SequentialModel;
import io.github.rnn4j.model.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads Keras {@code Sequential} models saved in the legacy HDF5 format ({@code model.save("model.h5")} in Keras 2,
 * tf.keras and Keras 3) as {@link SequentialModel}s.
 *
 * <p>The file's root attribute {@code model_config} (JSON) gives the layers, {@code keras_version} the rules that
 * changed between versions, and {@code model_weights/<layer>/} with its {@code weight_names} attribute the
 * weights in Keras {@code get_weights()} order (keras/src/legacy/saving/legacy_h5_format.py). Both Sequential
 * forms are read: the bare layer list of Keras &lt; 2.2.3 and {@code {"layers": [...]}} after it.
 *
 * <p>Layers: {@code InputLayer}, {@code Masking}, {@code Embedding}, {@code SimpleRNN}, {@code LSTM}, {@code GRU},
 * {@code Bidirectional} (of those three; merge modes concat, sum, mul, ave), {@code Dense},
 * {@code TimeDistributed(Dense)}, and layers that do nothing at inference ({@code Dropout},
 * {@code SpatialDropout1D}, {@code GaussianNoise}, {@code GaussianDropout}, {@code AlphaDropout},
 * {@code ActivityRegularization}). Version rules:
 * <ul>
 *   <li>{@code hard_sigmoid} is {@code clip(0.2·x + 0.5, 0, 1)} for {@code keras_version} &lt; 3 (Keras 2 and
 *       tf.keras backends) and {@code clip(x/6 + 0.5, 0, 1)} from Keras 3 on (keras/src/activations/activations.py);
 *       a file without {@code keras_version} is read with the Keras 2 rules.</li>
 *   <li>A GRU whose configuration has no {@code reset_after} predates the option (added by keras-team/keras#9112,
 *       merged January 2018, after Keras 2.1.3) and resets before the recurrent product; files from versions that
 *       have the option always store it (in Keras 2 it defaults to false, in tf.keras 2 and Keras 3 to true).</li>
 * </ul>
 *
 * <p>Rejected with an {@link UnsupportedFeatureException} naming the layer and the option: other layers (for
 * example {@code Conv1D}, {@code CuDNNLSTM}, a nested model), functional models, {@code stateful=True},
 * {@code return_state=True}, {@code time_major=True}, {@code merge_mode=None}, a custom backward layer that is not
 * the mirror of the forward one, activations other than
 * linear, tanh, sigmoid, relu, softmax and hard_sigmoid, quantized or LoRA layers, and Keras 1 files. A file
 * without {@code model_config} (weights only), a missing weight or a weight whose shape does not fit its layer is a
 * {@link FileFormatException} naming the layer. Dropout and recurrent dropout are ignored, as at inference.
 * Thread-safe: stateless.
 */
public final class KerasModels {
    private static final Set<String> INFERENCE_NO_OPS = Set.of("Dropout", "SpatialDropout1D", "GaussianNoise",
            "GaussianDropout", "AlphaDropout", "ActivityRegularization");
    private static final String SUPPORTED_LAYERS = "InputLayer, Masking, Embedding, SimpleRNN, LSTM, GRU,"
            + " Bidirectional, Dense, TimeDistributed(Dense), and the inference no-ops Dropout, SpatialDropout1D,"
            + " GaussianNoise, GaussianDropout, AlphaDropout, ActivityRegularization";

    private KerasModels() {
    }

    /**
     * Loads a Keras Sequential model from a legacy HDF5 file.
     *
     * <p>The model computes in float64 from the stored (usually float32) weights. Call
     * {@link SequentialModel#predict(double[][])} when the last recurrent layer returns one vector,
     * {@link SequentialModel#predictSequence(double[][])} when it returns sequences (or the {@code int[]} forms for
     * models that start with an Embedding).
     *
     * @param file a file written by Keras's {@code model.save("....h5")}
     * @return the model
     * @throws FileFormatException when the file is not HDF5, is damaged, holds no model configuration, or its
     *         weights are missing or do not fit the layers (the message names the file and the layer)
     * @throws UnsupportedFeatureException when the model uses a layer, option or HDF5 feature rnn4j does not support
     *         (the message names the layer and the option)
     * @throws IOException when the file cannot be read
     */
    public static SequentialModel load(Path file) throws IOException {
        Checks.notNull("file", file);
        try (Hdf5File h5 = Hdf5File.open(file)) {
            return new Loader(h5).load();
        }
    }

    /** One loading run: the file, its Keras version and the layers read so far. */
    private static final class Loader {
        private final Hdf5File h5;
        private final String source;
        private final List<LayerConfig> configs = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private final List<String> classes = new ArrayList<>();
        private final List<List<Tensor>> weights = new ArrayList<>();
        private boolean keras2 = true;
        private int declaredInputSize = -1;
        private boolean masked;
        private List<String> layerNames;

        Loader(Hdf5File h5) {
            this.h5 = h5;
            this.source = h5.source();
        }

        SequentialModel load() throws IOException {
            Hdf5File.Node root = h5.root();
            if (!root.hasAttribute("model_config")) {
                throw new FileFormatException(source + ": no 'model_config' attribute: the file holds weights only"
                        + " (Keras save_weights); rnn4j needs a whole model saved with model.save(\"....h5\")");
            }
            readVersion(root);
            Map<String, Object> config = Json.parseObject(root.attribute("model_config").string(),
                    source + ": model_config");
            List<Map<String, Object>> layers = sequentialLayers(config);
            Hdf5File.Node weightsGroup = root.hasChild("model_weights") ? root.child("model_weights") : root;
            layerNames = names(weightsGroup, "layer_names");
            for (int i = 0; i < layers.size(); i++) {
                addLayer(layers.get(i), i, weightsGroup);
            }
            checkShapes();
            List<Tensor> all = new ArrayList<>();
            weights.forEach(all::addAll);
            try {
                return SequentialModel.fromKeras(configs, all);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new UnsupportedFeatureException(source + ": the layers " + describeLayers()
                        + " cannot be assembled into a model: " + e.getMessage());
            }
        }

        private void readVersion(Hdf5File.Node root) throws IOException {
            if (!root.hasAttribute("keras_version")) {
                return;
            }
            String version = root.attribute("keras_version").string().strip();
            int end = 0;
            while (end < version.length() && Character.isDigit(version.charAt(end))) {
                end++;
            }
            if (end == 0) {
                throw new FileFormatException(source + ": keras_version is '" + version + "', expected a version"
                        + " such as 2.13.1");
            }
            int major = Integer.parseInt(version.substring(0, Math.min(end, 6)));
            if (major < 2) {
                throw new UnsupportedFeatureException(source + ": files saved by Keras " + version + " are not"
                        + " supported; supported: Keras 2 and later");
            }
            keras2 = major < 3;
        }

        @SuppressWarnings("unchecked")
        private List<Map<String, Object>> sequentialLayers(Map<String, Object> config) throws IOException {
            Object cls = config.get("class_name");
            if (!"Sequential".equals(cls)) {
                throw new UnsupportedFeatureException(source + ": model class '" + cls + "' is not supported;"
                        + " supported: Sequential");
            }
            Object body = config.get("config");
            Object layers = body instanceof Map ? ((Map<String, Object>) body).get("layers") : body;
            if (!(layers instanceof List)) {
                throw new FileFormatException(source + ": model_config has no layer list (found "
                        + Json.describe(layers) + ")");
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (Object l : (List<Object>) layers) {
                if (!(l instanceof Map) || !(((Map<String, Object>) l).get("config") instanceof Map)) {
                    throw new FileFormatException(source + ": model_config layer " + out.size() + " is "
                            + Json.describe(l) + ", expected {\"class_name\": ..., \"config\": {...}}");
                }
                out.add((Map<String, Object>) l);
            }
            return out;
        }

        // ------------------------------------------------------------------------------------------ layers

        @SuppressWarnings("unchecked")
        private void addLayer(Map<String, Object> layer, int index, Hdf5File.Node weightsGroup) throws IOException {
            String cls = String.valueOf(layer.get("class_name"));
            Map<String, Object> cfg = (Map<String, Object>) layer.get("config");
            Object nameValue = cfg.get("name");
            String name = nameValue instanceof String ? (String) nameValue : "layer " + index;
            Layer l = new Layer(name, cls, cfg);
            if (index == 0 || cls.equals("InputLayer")) {
                declaredInput(l);
            }
            LayerConfig c;
            switch (cls) {
                case "InputLayer":
                    if (l.flag("sparse", false) || l.flag("ragged", false)) {
                        throw l.unsupported("sparse or ragged input");
                    }
                    return;
                case "Masking":
                    c = LayerConfig.masking(l.number("mask_value", 0.0));
                    masked = true;
                    break;
                case "Embedding":
                    l.rejectNonNull("lora_rank");
                    l.rejectNonNull("quantization_config");
                    c = LayerConfig.embedding(l.flag("mask_zero", false));
                    masked |= c.maskZero();
                    break;
                case "SimpleRNN":
                case "LSTM":
                case "GRU":
                    c = recurrent(l, true);
                    break;
                case "Bidirectional":
                    c = bidirectional(l);
                    break;
                case "Dense":
                    c = dense(l);
                    break;
                case "TimeDistributed": {
                    Layer inner = l.inner("layer");
                    if (!inner.cls.equals("Dense")) {
                        throw l.unsupported("wrapping a " + inner.cls + " layer", "supported: Dense");
                    }
                    c = dense(inner.renamed(name, cls));
                    break;
                }
                default:
                    if (INFERENCE_NO_OPS.contains(cls)) {
                        return;
                    }
                    throw new UnsupportedFeatureException(source + ": layer '" + name + "' (" + cls + ") is not"
                            + " supported; supported layers: " + SUPPORTED_LAYERS);
            }
            configs.add(c);
            names.add(name);
            classes.add(cls);
            weights.add(c.weightCount() == 0 ? List.of() : readWeights(l, c, weightsGroup));
        }

        private void declaredInput(Layer l) {
            for (String key : List.of("batch_input_shape", "batch_shape")) {
                Object shape = l.cfg.get(key);
                if (shape instanceof List && !((List<?>) shape).isEmpty()) {
                    Object last = ((List<?>) shape).get(((List<?>) shape).size() - 1);
                    if (last instanceof Long && ((List<?>) shape).size() == 3) {
                        declaredInputSize = (int) Math.min(Integer.MAX_VALUE, (Long) last);
                    }
                }
            }
        }

        private LayerConfig recurrent(Layer l, boolean checkMaskOutput) throws IOException {
            int units = l.positiveInt("units");
            LayerConfig c;
            switch (l.cls) {
                case "SimpleRNN":
                    c = LayerConfig.simpleRnn(units);
                    break;
                case "LSTM":
                    c = LayerConfig.lstm(units);
                    break;
                default:
                    c = LayerConfig.gru(units);
                    // Absent only in files older than the option (keras-team/keras#9112), which reset before.
                    c = c.resetAfter(l.flag("reset_after", !keras2));
            }
            c = c.activation(l.activation("activation", "tanh"));
            if (!l.cls.equals("SimpleRNN")) {
                if (!l.cfg.containsKey("recurrent_activation")) {
                    throw new FileFormatException(source + ": layer '" + l.name + "' (" + l.cls + ") has no"
                            + " recurrent_activation; its default differs between Keras versions");
                }
                c = c.recurrentActivation(l.activation("recurrent_activation", null));
            }
            c = c.useBias(l.flag("use_bias", true));
            boolean sequences = l.flag("return_sequences", false);
            c = c.returnSequences(sequences).goBackwards(l.flag("go_backwards", false));
            if (l.flag("return_state", false)) {
                throw l.unsupported("return_state=True");
            }
            if (l.flag("stateful", false)) {
                throw l.unsupported("stateful=True", "rnn4j starts every sequence from zero state");
            }
            if (l.flag("time_major", false)) {
                throw l.unsupported("time_major=True");
            }
            if (checkMaskOutput) {
                c = c.zeroOutputForMask(l.flag("zero_output_for_mask", false));
                masked &= sequences;
            }
            return c;
        }

        private LayerConfig bidirectional(Layer l) throws IOException {
            Layer inner = l.inner("layer");
            if (!Set.of("SimpleRNN", "LSTM", "GRU").contains(inner.cls)) {
                throw l.unsupported("wrapping a " + inner.cls + " layer", "supported: SimpleRNN, LSTM, GRU");
            }
            boolean wasMasked = masked;
            LayerConfig forward = recurrent(inner, false);
            if (forward.goBackwards()) {
                throw l.unsupported("a forward layer with go_backwards=True");
            }
            Object mode = l.cfg.get("merge_mode");
            if (mode == null) {
                throw l.unsupported("merge_mode=None", "its two outputs cannot be stacked in a Sequential model");
            }
            MergeMode mergeMode;
            switch (String.valueOf(mode)) {
                case "concat": mergeMode = MergeMode.CONCAT; break;
                case "sum": mergeMode = MergeMode.SUM; break;
                case "mul": mergeMode = MergeMode.MUL; break;
                case "ave": mergeMode = MergeMode.AVE; break;
                default:
                    throw l.unsupported("merge_mode '" + mode + "'", "supported: concat, sum, mul, ave");
            }
            if (l.cfg.get("backward_layer") != null) {
                Layer back = l.inner("backward_layer");
                LayerConfig backward = back.cls.equals(inner.cls) ? recurrent(back, false) : null;
                if (backward == null || !backward.goBackwards() || !sameCell(forward, backward)
                        || backward.returnSequences() != forward.returnSequences()) {
                    throw l.unsupported("a backward_layer that is not the forward layer with go_backwards=True");
                }
            }
            masked = wasMasked && forward.returnSequences();
            return LayerConfig.bidirectional(forward, mergeMode);
        }

        private static boolean sameCell(LayerConfig a, LayerConfig b) {
            return a.kind() == b.kind() && a.units() == b.units() && a.activation() == b.activation()
                    && a.recurrentActivation() == b.recurrentActivation() && a.useBias() == b.useBias()
                    && a.resetAfter() == b.resetAfter();
        }

        private LayerConfig dense(Layer l) throws IOException {
            l.rejectNonNull("lora_rank");
            l.rejectNonNull("quantization_config");
            return LayerConfig.dense(l.positiveInt("units"), l.activation("activation", "linear"))
                    .useBias(l.flag("use_bias", true));
        }

        // ----------------------------------------------------------------------------------------- weights

        private List<Tensor> readWeights(Layer l, LayerConfig c, Hdf5File.Node weightsGroup) throws IOException {
            if (!layerNames.contains(l.name)) {
                throw new FileFormatException(source + ": layer '" + l.name + "' (" + l.cls + ") is not among the"
                        + " layer_names of '" + weightsGroup.path() + "': " + layerNames);
            }
            if (!weightsGroup.hasChild(l.name)) {
                throw new FileFormatException(source + ": layer '" + l.name + "' (" + l.cls + ") has no weights:"
                        + " group '" + weightsGroup.path() + "' has no member '" + l.name + "'");
            }
            Hdf5File.Node group = weightsGroup.child(l.name);
            List<String> weightNames = names(group, "weight_names");
            if (weightNames.size() != c.weightCount()) {
                throw new FileFormatException(source + ": layer '" + l.name + "' (" + l.cls + ") has "
                        + weightNames.size() + " weights " + weightNames + ", expected " + c.weightCount());
            }
            List<Tensor> out = new ArrayList<>();
            for (String w : weightNames) {
                Hdf5File.Node n = group;
                for (String part : w.split("/")) {
                    if (part.isEmpty()) {
                        continue;
                    }
                    if (!n.hasChild(part)) {
                        throw new FileFormatException(source + ": layer '" + l.name + "' (" + l.cls + "): weight '"
                                + w + "' is missing (no '" + part + "' in '" + n.path() + "')");
                    }
                    n = n.child(part);
                }
                out.add(n.readTensor());
            }
            return out;
        }

        /** A string-list attribute, or its chunks {@code name0, name1, ...} as Keras writes attributes over 64 kB. */
        private List<String> names(Hdf5File.Node node, String attribute) throws IOException {
            if (node.hasAttribute(attribute)) {
                return node.attribute(attribute).strings();
            }
            List<String> out = new ArrayList<>();
            int chunk = 0;
            while (node.hasAttribute(attribute + chunk)) {
                out.addAll(node.attribute(attribute + chunk).strings());
                chunk++;
            }
            if (chunk == 0) {
                throw new FileFormatException(source + ": '" + node.path() + "' has no '" + attribute
                        + "' attribute");
            }
            return out;
        }

        /** Checks every weight shape against its layer's units and the previous layer's output size. */
        private void checkShapes() throws FileFormatException {
            int size = declaredInputSize;
            for (int i = 0; i < configs.size(); i++) {
                LayerConfig c = configs.get(i);
                List<Tensor> w = weights.get(i);
                String what = source + ": layer '" + names.get(i) + "' (" + classes.get(i) + ")";
                switch (c.kind()) {
                    case EMBEDDING: {
                        int[] s = w.get(0).shape();
                        if (s.length != 2 || s[0] == 0 || s[1] == 0) {
                            throw new FileFormatException(what + ": embeddings has shape " + Arrays.toString(s)
                                    + ", expected [vocabSize, embeddingDim]");
                        }
                        size = s[1];
                        break;
                    }
                    case MASKING:
                        break;
                    case DENSE:
                        expect(what, "kernel", w.get(0), size, c.units());
                        if (c.useBias()) {
                            expect(what, "bias", w.get(1), -2, c.units());
                        }
                        size = c.units();
                        break;
                    case BIDIRECTIONAL: {
                        int n = c.inner().weightCount();
                        expectCell(what + " forward", c.inner(), w.subList(0, n), size);
                        expectCell(what + " backward", c.inner(), w.subList(n, 2 * n), size);
                        size = c.mergeMode() == MergeMode.CONCAT ? 2 * c.units() : c.units();
                        break;
                    }
                    default:
                        expectCell(what, c, w, size);
                        size = c.units();
                }
            }
        }

        private static void expectCell(String what, LayerConfig c, List<Tensor> w, int inputSize)
                throws FileFormatException {
            int gates = c.kind() == LayerConfig.Kind.LSTM ? 4 : c.kind() == LayerConfig.Kind.GRU ? 3 : 1;
            int cols = gates * c.units();
            expect(what, "kernel", w.get(0), inputSize, cols);
            expect(what, "recurrent_kernel", w.get(1), c.units(), cols);
            if (c.useBias()) {
                boolean twoBiases = c.kind() == LayerConfig.Kind.GRU && c.resetAfter();
                expect(what, "bias" + (twoBiases ? " (reset_after=True)" : ""), w.get(2), twoBiases ? 2 : -2, cols);
            }
        }

        /** {@code rows}: the expected first dimension, -1 for any, -2 for a vector. */
        private static void expect(String what, String weight, Tensor t, int rows, int cols)
                throws FileFormatException {
            int[] s = t.shape();
            boolean ok = rows == -2 ? s.length == 1 && s[0] == cols
                    : s.length == 2 && s[1] == cols && s[0] > 0 && (rows < 0 || s[0] == rows);
            if (!ok) {
                String expected = rows == -2 ? "[" + cols + "]"
                        : "[" + (rows < 0 ? "inputSize" : Integer.toString(rows)) + ", " + cols + "]";
                boolean rowsDiffer = rows >= 0 && weight.equals("kernel") && s.length == 2 && s[0] != rows;
                throw new FileFormatException(what + ": " + weight + " has shape " + Arrays.toString(s)
                        + ", expected " + expected + (rowsDiffer ? " (" + rows + " = the size of this layer's input)"
                        : ""));
            }
        }

        private String describeLayers() {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                out.add("'" + names.get(i) + "' (" + classes.get(i) + ")");
            }
            return out.toString();
        }

        /** One layer's configuration with typed accessors whose errors name the layer and the option. */
        private final class Layer {
            final String name;
            final String cls;
            final Map<String, Object> cfg;

            Layer(String name, String cls, Map<String, Object> cfg) {
                this.name = name;
                this.cls = cls;
                this.cfg = cfg;
            }

            Layer renamed(String newName, String newCls) {
                return new Layer(newName, newCls + "(" + cls + ")", cfg);
            }

            UnsupportedFeatureException unsupported(String option) {
                return new UnsupportedFeatureException(source + ": layer '" + name + "' (" + cls + "): " + option
                        + " is not supported");
            }

            UnsupportedFeatureException unsupported(String option, String why) {
                return new UnsupportedFeatureException(source + ": layer '" + name + "' (" + cls + "): " + option
                        + " is not supported; " + why);
            }

            private FileFormatException bad(String key, Object value, String expected) {
                return new FileFormatException(source + ": layer '" + name + "' (" + cls + "): " + key + " is "
                        + Json.describe(value) + ", expected " + expected);
            }

            boolean flag(String key, boolean fallback) throws FileFormatException {
                Object v = cfg.get(key);
                if (v == null) {
                    return fallback;
                }
                if (!(v instanceof Boolean)) {
                    throw bad(key, v, "true or false");
                }
                return (Boolean) v;
            }

            double number(String key, double fallback) throws FileFormatException {
                Object v = cfg.get(key);
                if (v == null) {
                    return fallback;
                }
                if (!(v instanceof Number)) {
                    throw bad(key, v, "a number");
                }
                return ((Number) v).doubleValue();
            }

            int positiveInt(String key) throws FileFormatException {
                Object v = cfg.get(key);
                if (!(v instanceof Long) || (Long) v <= 0 || (Long) v > Integer.MAX_VALUE) {
                    throw bad(key, v, "a positive integer");
                }
                return (int) (long) (Long) v;
            }

            void rejectNonNull(String key) throws UnsupportedFeatureException {
                Object v = cfg.get(key);
                if (v != null && !Boolean.FALSE.equals(v) && !Long.valueOf(0).equals(v)) {
                    throw unsupported(key + "=" + Json.describe(v));
                }
            }

            /** An activation given as a name or as a Keras 3 serialized function {@code {"config": "tanh"}}. */
            @SuppressWarnings("unchecked")
            Activation activation(String key, String fallback) throws IOException {
                Object v = cfg.getOrDefault(key, fallback);
                if (v instanceof Map) {
                    Map<String, Object> m = (Map<String, Object>) v;
                    v = m.get("config") instanceof String ? m.get("config") : m.get("class_name");
                }
                if (!(v instanceof String)) {
                    throw bad(key, cfg.get(key), "an activation name");
                }
                String activationName = ((String) v).toLowerCase(Locale.ROOT);
                try {
                    return Activation.fromKerasName(activationName, keras2);
                } catch (IllegalArgumentException e) {
                    throw unsupported(key + " '" + v + "'", "supported: linear, tanh, sigmoid, relu, softmax,"
                            + " hard_sigmoid");
                }
            }

            @SuppressWarnings("unchecked")
            Layer inner(String key) throws FileFormatException {
                Object v = cfg.get(key);
                if (!(v instanceof Map) || !(((Map<String, Object>) v).get("config") instanceof Map)) {
                    throw bad(key, v, "a layer {\"class_name\": ..., \"config\": {...}}");
                }
                Map<String, Object> m = (Map<String, Object>) v;
                return new Layer(name, String.valueOf(m.get("class_name")), (Map<String, Object>) m.get("config"));
            }
        }
    }
}
