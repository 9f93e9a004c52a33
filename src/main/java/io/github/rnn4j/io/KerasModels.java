package io.github.rnn4j.io;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.internal.Names;
import io.github.rnn4j.layers.Identity;
import io.github.rnn4j.layers.Layer;
import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.model.Model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads Keras models as {@link Model}s: Keras 3 {@code .keras} archives, legacy HDF5 files from Keras 1, Keras 2,
 * tf.keras and Keras 3, and architectures saved apart from their weights; Sequential and Functional alike.
 *
 * <p>The format is decided by the content, not the file name (real {@code .keras} files exist that are HDF5
 * inside):
 * <ul>
 *   <li>a zip with {@code config.json} and {@code model.weights.h5}: the Keras 3 format
 *       (keras/src/saving/saving_lib.py); the Keras version comes from {@code metadata.json};</li>
 *   <li>HDF5 with the root attribute {@code model_config}: the legacy format
 *       (keras/src/legacy/saving/legacy_h5_format.py); the Keras version from {@code keras_version};</li>
 *   <li>{@link #load(Path, Path)}: {@code model.to_json()} text plus weights from {@code save_weights}, in either
 *       layout.</li>
 * </ul>
 * Version rules: {@code hard_sigmoid} is {@code clip(0.2·x + 0.5, 0, 1)} before Keras 3 and {@code relu6(x + 3)/6}
 * from Keras 3 on; a GRU without {@code reset_after} predates the option and resets before the recurrent product;
 * Keras 1 per-gate weights are joined into the Keras 2 layout. Each rule applied is listed in
 * {@link Model#notes()} and {@link Model#summary()}.
 *
 * <p>Refused with an {@link UnsupportedFeatureException} naming the file, the layer and its class: layers rnn4j
 * does not implement (for example {@code Lambda}, which holds Python code, {@code ConvLSTM2D}, attention layers and
 * custom classes), unknown configuration keys, and options without an exact rnn4j equivalent. A damaged file is a
 * {@link FileFormatException} naming the file. Nothing is ever half-loaded. Thread-safe: stateless.
 */
public final class KerasModels {
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1A, '\n'};
    private static final String RESAVE = "re-save the model in Keras with model.save(\"model.keras\")";
    /** The most bytes a model read from a stream may have: 2 GiB. */
    private static final long STREAM_LIMIT = Integer.MAX_VALUE - 8;
    /** The keys of a Sequential or Functional model's config in every Keras version. */
    private static final java.util.Set<String> MODEL_KEYS = java.util.Set.of("name", "trainable", "dtype", "layers",
            "input_layers", "output_layers", "build_input_shape");
    /** The InputLayer keys of every Keras version (see {@code GraphReader.checkInputLayer}). */
    private static final java.util.Set<String> INPUT_LAYER_KEYS = java.util.Set.of("name", "dtype",
            "batch_input_shape", "batch_shape", "input_dtype", "sparse", "ragged", "optional", "type_spec");

    private KerasModels() {
    }

    /**
     * Loads a Keras model file: a Keras 3 {@code .keras} archive or a legacy {@code .h5} file.
     *
     * <p>The model computes in float64 from the stored (usually float32) weights.
     *
     * @param file a file written by Keras's {@code model.save(...)}
     * @return the model, immutable and thread-safe
     * @throws FileFormatException when the file is not a Keras model, is damaged, or its weights do not fit its
     *         layers (the message names the file and the layer)
     * @throws UnsupportedFeatureException when the model uses a layer or option rnn4j does not support
     * @throws IOException when the file cannot be read
     */
    public static Model load(Path file) throws IOException {
        return load(file, Limits.defaults());
    }

    /**
     * Loads a Keras model file as {@link #load(Path)}, within the given limits on what an untrusted file may make
     * rnn4j allocate.
     *
     * @param file a file written by Keras's {@code model.save(...)}
     * @param limits the limits on what the file may make rnn4j allocate
     * @return the model, immutable and thread-safe
     * @throws FileFormatException also when the file exceeds a limit (the message names the limit and its wither)
     */
    public static Model load(Path file, Limits limits) throws IOException {
        Checks.notNull("file", file);
        Checks.notNull("limits", limits);
        if (Files.isDirectory(file)) {
            if (Files.exists(file.resolve("saved_model.pb")) || Files.exists(file.resolve("saved_model.pbtxt"))) {
                throw new UnsupportedFeatureException(file + ": a TensorFlow SavedModel directory is not supported;"
                        + " load it in Keras and " + RESAVE);
            }
            throw new FileFormatException(file + ": is a directory, expected a Keras model file; " + RESAVE);
        }
        byte[] head = head(file);
        if (startsWith(head, HDF5) || hdf5AfterUserBlock(file)) {
            try (Hdf5File h5 = Hdf5File.open(file, limits)) {
                return fromHdf5(h5, file.toString(), limits);
            }
        }
        if (isZip(head)) {
            try (ZipArchive zip = ZipArchive.open(file, limits)) {
                return fromZip(zip, file.toString(), limits);
            }
        }
        throw notKeras(file.toString(), head);
    }

    /**
     * Loads a Keras model from a stream (for example a class-path resource); the format is decided by the content,
     * as {@link #load(Path)}. The stream is read to its end, not closed.
     *
     * @param in the bytes of a {@code .keras} or {@code .h5} file
     * @return the model, immutable and thread-safe
     * @throws IOException when the stream cannot be read, or its content is not a Keras model ({@link
     *     FileFormatException})
     */
    public static Model load(InputStream in) throws IOException {
        return load(in, Limits.defaults());
    }

    /**
     * Loads a Keras model from a stream as {@link #load(InputStream)}, within the given limits.
     *
     * @param in the bytes of a {@code .keras} or {@code .h5} file
     * @param limits the limits on what the content may make rnn4j allocate
     * @return the model, immutable and thread-safe
     * @throws IOException when the stream cannot be read, or its content is not a Keras model or exceeds a limit
     */
    public static Model load(InputStream in, Limits limits) throws IOException {
        Checks.notNull("in", in);
        Checks.notNull("limits", limits);
        String source = "input stream";
        byte[] bytes = readAll(in, Math.min(STREAM_LIMIT, limits.maxInflatedBytes()), source,
                "Limits.withMaxInflatedBytes");
        if (startsWith(bytes, HDF5) || (bytes.length > 520 && startsWith(Arrays.copyOfRange(bytes, 512, 520), HDF5))) {
            try (Hdf5File h5 = Hdf5File.open(bytes, source, limits)) {
                return fromHdf5(h5, source, limits);
            }
        }
        if (isZip(bytes)) {
            try (ZipArchive zip = ZipArchive.open(bytes, source, limits)) {
                return fromZip(zip, source, limits);
            }
        }
        throw notKeras(source, Arrays.copyOf(bytes, Math.min(bytes.length, 16)));
    }

    /**
     * Loads an architecture saved apart from its weights: {@code model.to_json()} text and the weights of
     * {@code model.save_weights(...)}, either Keras 2's HDF5 layout or Keras 3's {@code .weights.h5}.
     *
     * @param architectureJson a file holding the text of {@code model.to_json()}
     * @param weights the weights file of {@code model.save_weights(...)}
     * @return the model, immutable and thread-safe
     * @throws IOException when a file cannot be read, or the weights do not fit the architecture ({@link
     *     FileFormatException})
     */
    public static Model load(Path architectureJson, Path weights) throws IOException {
        return load(architectureJson, weights, Limits.defaults());
    }

    /**
     * Loads an architecture and its weights as {@link #load(Path, Path)}, within the given limits.
     *
     * @param architectureJson a file holding the text of {@code model.to_json()}
     * @param weights the weights file of {@code model.save_weights(...)}
     * @param limits the limits on what the files may make rnn4j allocate
     * @return the model, immutable and thread-safe
     * @throws IOException when a file cannot be read, does not fit, or exceeds a limit
     */
    public static Model load(Path architectureJson, Path weights, Limits limits) throws IOException {
        Checks.notNull("architectureJson", architectureJson);
        Checks.notNull("weights", weights);
        Checks.notNull("limits", limits);
        String json;
        try (InputStream in = Files.newInputStream(architectureJson)) {
            json = new String(readAll(in, limits.maxJsonBytes(), architectureJson.toString(),
                    "Limits.withMaxJsonBytes"), StandardCharsets.UTF_8);
        }
        Map<String, Object> config = Json.parseObject(json, architectureJson + ": model JSON", limits);
        String version = config.get("keras_version") instanceof String ? (String) config.get("keras_version") : null;
        try (Hdf5File h5 = Hdf5File.open(weights, limits)) {
            Hdf5File.Node root = h5.root();
            if (version == null && root.hasAttribute("keras_version")) {
                version = root.attribute("keras_version").string();
            }
            boolean keras3Layout = root.hasChild("layers") && !root.hasAttribute("layer_names");
            if (version == null && (keras3Layout || config.containsKey("module"))) {
                version = "3";   // Keras 3 writes no version into to_json() or .weights.h5; its layout tells
            }
            Context context = new Context(architectureJson + " + " + weights, version, keras3Layout
                    ? "model.to_json() + Keras 3 .weights.h5" : "model.to_json() + legacy save_weights HDF5");
            return new GraphReader(context, keras3Layout ? null : root, keras3Layout ? root : null).model(config);
        }
    }

    // ------------------------------------------------------------------------------------------ formats

    private static Model fromHdf5(Hdf5File h5, String source, Limits limits) throws IOException {
        Hdf5File.Node root = h5.root();
        if (!root.hasAttribute("model_config")) {
            String what = root.hasAttribute("layer_names") || root.hasChild("layers") || root.hasChild("model_weights")
                    ? "the file holds weights only (save_weights): load it with KerasModels.load(architectureJson,"
                    + " weights), or " : "the HDF5 file holds no Keras model: ";
            throw new FileFormatException(source + ": no 'model_config' attribute: " + what + RESAVE);
        }
        String version = root.hasAttribute("keras_version") ? root.attribute("keras_version").string() : null;
        Context context = new Context(source, version, "legacy HDF5 (model.save(\"....h5\"))");
        Map<String, Object> config = Json.parseObject(root.attribute("model_config").string(),
                source + ": model_config", limits);
        Hdf5File.Node weights = root.hasChild("model_weights") ? root.child("model_weights") : root;
        return new GraphReader(context, weights, null).model(config);
    }

    private static Model fromZip(ZipArchive zip, String source, Limits limits) throws IOException {
        List<String> names = new ArrayList<>();
        for (ZipArchive.Entry e : zip.entries()) {
            names.add(e.name);
        }
        if (zip.entry("config.json") == null) {
            String hint = names.stream().anyMatch(n -> n.endsWith("data.pkl"))
                    ? "it is a PyTorch file: read it with PyTorch.readStateDict"
                    : names.stream().anyMatch(n -> n.endsWith(".npy"))
                    ? "it is a NumPy .npz archive: read it with NumPy" : RESAVE;
            throw new FileFormatException(source + ": a zip archive without config.json, so not a Keras 3 .keras"
                    + " file (entries " + abbreviate(names) + "); " + hint);
        }
        if (zip.entry("model.weights.h5") == null) {
            throw new FileFormatException(source + ": the .keras archive has no model.weights.h5 (entries "
                    + abbreviate(names) + ")");
        }
        String version = null;
        if (zip.entry("metadata.json") != null) {
            Object v = Json.parseObject(new String(zip.read("metadata.json"), StandardCharsets.UTF_8),
                    source + ": metadata.json", limits).get("keras_version");
            version = v instanceof String ? (String) v : null;
        }
        Context context = new Context(source, version == null ? "3" : version, "Keras 3 .keras archive");
        Map<String, Object> config = Json.parseObject(new String(zip.read("config.json"), StandardCharsets.UTF_8),
                source + ": config.json", limits);
        byte[] weights = zip.read("model.weights.h5");
        try (Hdf5File h5 = Hdf5File.open(weights, source + ": model.weights.h5", limits)) {
            return new GraphReader(context, null, h5.root()).model(config);
        }
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 8 ? names.toString() : names.subList(0, 8) + " and " + (names.size() - 8) + " more";
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(16);
        }
    }

    /** HDF5 allows a user block before the superblock: the signature may sit at 512, 1024, 2048... */
    private static boolean hdf5AfterUserBlock(Path file) throws IOException {
        try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            for (long at = 512; at + 8 <= size; at *= 2) {
                java.nio.ByteBuffer sig = java.nio.ByteBuffer.allocate(8);
                ch.position(at);
                while (sig.hasRemaining() && ch.read(sig) > 0) {
                    continue;
                }
                if (Arrays.equals(sig.array(), HDF5)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(Arrays.copyOf(bytes, prefix.length), prefix);
    }

    private static boolean isZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    private static FileFormatException notKeras(String source, byte[] head) {
        String start = new String(head, StandardCharsets.ISO_8859_1).strip();
        String hint = start.startsWith("{") ? "it looks like JSON (model.to_json()): load it with"
                + " KerasModels.load(architectureJson, weights)" : RESAVE;
        return new FileFormatException(source + ": not a Keras model: neither a .keras zip archive nor an HDF5 file;"
                + " " + hint);
    }

    private static byte[] readAll(InputStream in, long limit, String source, String wither) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > limit) {
                throw new FileFormatException(source + ": more than " + limit + " bytes; raise the limit with "
                        + wither + " if the model is this large");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------------------------------ context

    /** One loading run: the file, its Keras version and the rules applied. Not thread-safe. */
    static final class Context {
        final String source;
        final String kerasVersion;
        final int kerasMajor;
        final String format;
        final List<String> notes = new ArrayList<>();

        Context(String source, String kerasVersion, String format) throws FileFormatException {
            this.source = source;
            this.format = format;
            String v = kerasVersion == null ? null : kerasVersion.strip();
            if (v == null) {
                this.kerasVersion = "unknown (read with the Keras 2 rules)";
                this.kerasMajor = 2;
            } else {
                int end = 0;
                while (end < v.length() && Character.isDigit(v.charAt(end))) {
                    end++;
                }
                if (end == 0 || end > 4) {
                    throw new FileFormatException(source + ": keras_version is '" + v + "', expected a version such"
                            + " as 2.13.1");
                }
                this.kerasVersion = v;
                this.kerasMajor = Integer.parseInt(v.substring(0, end));
            }
        }

        void note(String rule) {
            if (!notes.contains(rule)) {
                notes.add(rule);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ graphs

    /** Turns a model configuration into a {@link Model}: Sequential, Functional (Keras 1-3) and nested models. */
    private static final class GraphReader {
        private final Context context;
        private final Hdf5File.Node legacyRoot;
        private final Hdf5File.Node keras3Root;
        private final Model.Builder builder = Model.builder();
        /** Layers already read, by full name, so that a shared layer is read once. */
        private final Map<String, Layer> layers = new HashMap<>();
        /** How many times each layer has been called so far. */
        private final Map<String, Integer> callCounts = new HashMap<>();
        /** A Sequential model's {@code build_input_shape}, used when no layer declares the input. */
        private Object sequentialBuildShape;
        /** Legacy weight cursors of top-level groups, checked at the end. */
        private final List<Object[]> legacyScopes = new ArrayList<>();

        GraphReader(Context context, Hdf5File.Node legacyRoot, Hdf5File.Node keras3Root) {
            this.context = context;
            this.legacyRoot = legacyRoot;
            this.keras3Root = keras3Root;
        }

        @SuppressWarnings("unchecked")
        Model model(Map<String, Object> config) throws IOException {
            refuseUnsupportedLayers(config);
            String cls = String.valueOf(config.get("class_name"));
            if (!isModelClass(cls)) {
                throw new UnsupportedFeatureException(context.source + ": model class '" + cls + "' is not supported;"
                        + " supported: Sequential, Functional, Model");
            }
            Object body = config.get("config");
            checkModelKeys(body, context.source + ": model '" + (body instanceof Map
                    ? String.valueOf(((Map<?, ?>) body).get("name")) : cls) + "' (" + cls + ")");
            List<Model.Port> outputs;
            List<String> outputNames;
            if (cls.equals("Sequential")) {
                if (body instanceof Map) {
                    sequentialBuildShape = ((Map<String, Object>) body).get("build_input_shape");
                }
                List<Map<String, Object>> list = layerList(body, "model");
                String inputName = sequentialInputName(list);
                Shape shape = sequentialInputShape(list);
                if (shape == null) {
                    shape = inferInput(list.get(0));
                }
                builder.input(inputName, shape);
                outputs = sequential(list, "", List.of(Model.Port.of(inputName)), keras3Root == null ? null
                        : keras3Root.hasChild("layers") ? keras3Root.child("layers") : null);
                String last = lastLayerName(list);
                outputNames = List.of(last);
            } else {
                Map<String, Object> c = object(body, "model config");
                List<String[]> ins = refs(c.get("input_layers"), "input_layers");
                List<Map<String, Object>> list = layerList(c, "model");
                for (String[] in : ins) {
                    builder.input(in[0], inputLayerShape(findLayer(list, in[0])));
                }
                List<Model.Port> inPorts = new ArrayList<>();
                for (String[] in : ins) {
                    inPorts.add(Model.Port.of(in[0]));
                }
                outputs = functional(c, "", inPorts, keras3Root == null ? null
                        : keras3Root.hasChild("layers") ? keras3Root.child("layers") : null);
                outputNames = new ArrayList<>();
                if (c.get("output_layers") instanceof Map) {
                    // Named outputs: Keras returns them under their keys.
                    outputNames.addAll(((Map<String, Object>) c.get("output_layers")).keySet());
                } else {
                    for (String[] out : refs(c.get("output_layers"), "output_layers")) {
                        outputNames.add(out[0]);
                    }
                }
            }
            for (Object[] s : legacyScopes) {
                ((KerasWeights.Legacy) s[0]).finish((KerasLayer) s[1]);
            }
            Model.Port[] ports = outputs.toArray(new Model.Port[0]);
            builder.outputs(ports);
            builder.property("format", context.format);
            builder.property("Keras version", context.kerasVersion);
            for (String n : context.notes) {
                builder.note(n);
            }
            Model m;
            try {
                m = builder.outputNames(outputNames).build();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new FileFormatException(context.source + ": " + e.getMessage(), e);
            }
            return m;
        }

        /**
         * Refuses layers rnn4j never runs (Lambda, custom classes, ConvLSTM, attention) before anything else is read,
         * so that the message names the layer rather than a symptom such as its input shape.
         */
        @SuppressWarnings("unchecked")
        private void refuseUnsupportedLayers(Object node) throws UnsupportedFeatureException {
            if (node instanceof List) {
                for (Object e : (List<Object>) node) {
                    refuseUnsupportedLayers(e);
                }
                return;
            }
            if (!(node instanceof Map)) {
                return;
            }
            Map<String, Object> m = (Map<String, Object>) node;
            Object cls = m.get("class_name");
            if (cls instanceof String && m.get("config") instanceof Map) {
                Map<String, Object> cfg = (Map<String, Object>) m.get("config");
                String name = cfg.get("name") instanceof String ? (String) cfg.get("name") : String.valueOf(m.get("name"));
                String refusal = KerasLayers.refusal((String) cls);
                if (refusal != null) {
                    throw new UnsupportedFeatureException(context.source + ": layer '" + name + "' (" + cls + ") is not"
                            + " supported: " + refusal);
                }
                Object registered = m.get("registered_name");
                if (registered instanceof String && ((String) registered).contains(">")) {
                    throw new UnsupportedFeatureException(context.source + ": layer '" + name + "' (" + cls
                            + "): custom layer classes ('" + registered + "') are not supported: rnn4j runs no"
                            + " Python code");
                }
            }
            for (Object v : m.values()) {
                refuseUnsupportedLayers(v);
            }
        }

        private boolean isModelClass(String cls) {
            return cls.equals("Sequential") || cls.equals("Functional") || cls.equals("Model");
        }

        // -------------------------------------------------------------------------------------- Sequential

        private List<Model.Port> sequential(List<Map<String, Object>> list, String prefix, List<Model.Port> in,
                                            Hdf5File.Node keras3Layers) throws IOException {
            if (in.size() != 1) {
                throw new FileFormatException(context.source + ": a nested Sequential model is called on "
                        + in.size() + " inputs, expected 1");
            }
            Model.Port current = in.get(0);
            Map<String, Integer> keys = new HashMap<>();
            Object[] legacyShared = null;
            for (Map<String, Object> entry : list) {
                String cls = String.valueOf(entry.get("class_name"));
                Map<String, Object> cfg = object(entry.get("config"), "layer config");
                String key = keras3Key(keys, cls);
                if (cls.equals("InputLayer")) {
                    checkInputLayer(entry);
                    continue;
                }
                String name = layerName(entry, cfg);
                if (isModelClass(cls)) {
                    current = nested(entry, cls, prefix + name + "/", List.of(current), keras3Layers, key).get(0);
                    continue;
                }
                String full = prefix + name;
                List<Model.Port> outs = call(full, cls, cfg, entry, List.of(current), keras3Layers, key, prefix);
                current = outs.get(0);
            }
            return List.of(current);
        }

        private String sequentialInputName(List<Map<String, Object>> list) throws IOException {
            Map<String, Object> first = list.get(0);
            Map<String, Object> cfg = object(first.get("config"), "layer config");
            String name = layerName(first, cfg);
            if ("InputLayer".equals(first.get("class_name"))) {
                return name;
            }
            if (context.kerasMajor < 2) {
                // Keras 1 names the implicit input after the class: 'lstm_input_1' (as its own saved data shows).
                return String.valueOf(first.get("class_name")).toLowerCase(Locale.ROOT) + "_input_1";
            }
            return name + "_input";
        }

        private Shape sequentialInputShape(List<Map<String, Object>> list) throws IOException {
            Map<String, Object> first = list.get(0);
            Map<String, Object> cfg = object(first.get("config"), "layer config");
            String cls = String.valueOf(first.get("class_name"));
            if (cls.equals("InputLayer") || cfg.get("batch_input_shape") != null || cfg.get("batch_shape") != null) {
                return inputLayerShape(first);
            }
            if (cfg.get("input_dim") instanceof Long && !cls.equals("Embedding")) {
                // Keras 1: input_dim (and input_length) instead of batch_input_shape.
                int length = cfg.get("input_length") instanceof Long ? (int) (long) (Long) cfg.get("input_length")
                        : Shape.UNKNOWN;
                return Shape.sequence(length, (int) (long) (Long) cfg.get("input_dim"));
            }
            if (cls.equals("Embedding")) {
                int length = cfg.get("input_length") instanceof Long ? (int) (long) (Long) cfg.get("input_length")
                        : Shape.UNKNOWN;
                return Shape.vector(length);
            }
            if (sequentialBuildShape != null) {
                return inputLayerShape(Map.of("class_name", "InputLayer", "config",
                        Map.of("name", layerName(first, cfg), "batch_shape", sequentialBuildShape)));
            }
            return null;
        }

        /** A Sequential model that does not declare its input: its first layer's weights tell the feature size. */
        private Shape inferInput(Map<String, Object> first) throws IOException {
            Map<String, Object> cfg = object(first.get("config"), "layer config");
            String cls = String.valueOf(first.get("class_name"));
            String name = layerName(first, cfg);
            Hdf5File.Node keras3Layers = keras3Root == null ? null
                    : keras3Root.hasChild("layers") ? keras3Root.child("layers") : null;
            Layer layer = readLayer(name, cls, cfg, first, keras3Layers, Names.snakeCase(cls), "");
            if (layer instanceof io.github.rnn4j.layers.Embedding) {
                return Shape.vector(Shape.UNKNOWN);
            }
            if (layer instanceof io.github.rnn4j.layers.Rnn) {
                return Shape.sequence(Shape.UNKNOWN, ((io.github.rnn4j.layers.Rnn) layer).inputSize());
            }
            if (layer instanceof io.github.rnn4j.layers.Bidirectional) {
                return Shape.sequence(Shape.UNKNOWN, ((io.github.rnn4j.layers.Bidirectional) layer).inputSize());
            }
            if (layer instanceof io.github.rnn4j.layers.Dense) {
                return Shape.sequence(Shape.UNKNOWN, ((io.github.rnn4j.layers.Dense) layer).inputSize());
            }
            throw new FileFormatException(context.source + ": the Sequential model does not declare its input shape"
                    + " (no InputLayer, batch_input_shape or input_dim on its first layer '" + name + "' (" + cls
                    + "))");
        }

        private String lastLayerName(List<Map<String, Object>> list) throws IOException {
            Map<String, Object> last = list.get(list.size() - 1);
            return layerName(last, object(last.get("config"), "layer config"));
        }

        // -------------------------------------------------------------------------------------- Functional

        /** Adds the layers of a functional model whose inputs are {@code in}; returns its output ports. */
        private List<Model.Port> functional(Map<String, Object> c, String prefix, List<Model.Port> in,
                                            Hdf5File.Node keras3Layers) throws IOException {
            List<Map<String, Object>> list = layerList(c, "model");
            List<String[]> ins = refs(c.get("input_layers"), "input_layers");
            if (ins.size() != in.size()) {
                throw new FileFormatException(context.source + ": model '" + prefix + "' has " + ins.size()
                        + " inputs, called with " + in.size());
            }
            // (layer name, node index) -> the ports of that node's outputs.
            Map<String, List<Model.Port>> nodes = new HashMap<>();
            for (int i = 0; i < ins.size(); i++) {
                nodes.put(ins.get(i)[0] + "#0", List.of(in.get(i)));
            }
            // Keras 3 keys in layer order, computed before any deferral.
            Map<String, Integer> keyCounts = new HashMap<>();
            List<String> keys = new ArrayList<>();
            for (Map<String, Object> entry : list) {
                keys.add(keras3Key(keyCounts, String.valueOf(entry.get("class_name"))));
            }
            List<Object[]> pending = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Map<String, Object> entry = list.get(i);
                if ("InputLayer".equals(entry.get("class_name"))) {
                    checkInputLayer(entry);
                    continue;
                }
                if (isOperation(entry)) {
                    int count = entry.get("inbound_nodes") instanceof List ? ((List<?>) entry.get("inbound_nodes")).size()
                            : 0;
                    for (int k = 0; k < count; k++) {
                        pending.add(new Object[] {entry, k, List.of(), keys.get(i)});
                    }
                    continue;
                }
                List<List<String[]>> inbound = inboundNodes(entry);
                for (int k = 0; k < inbound.size(); k++) {
                    pending.add(new Object[] {entry, k, inbound.get(k), keys.get(i)});
                }
            }
            boolean progress = true;
            while (!pending.isEmpty() && progress) {
                progress = false;
                for (int p = 0; p < pending.size(); p++) {
                    Object[] job = pending.get(p);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> entry = (Map<String, Object>) job[0];
                    String cls = String.valueOf(entry.get("class_name"));
                    Map<String, Object> cfg = object(entry.get("config"), "layer config");
                    String name = layerName(entry, cfg);
                    if (isOperation(entry)) {
                        String mask = maskOperation(entry, cls, cfg, name, (int) job[1], nodes);
                        if (mask == null) {
                            continue;
                        }
                        maskOps.put(name + "#" + job[1], mask);
                    } else {
                        @SuppressWarnings("unchecked")
                        List<String[]> all = (List<String[]>) job[2];
                        List<String[]> refs = new ArrayList<>();
                        List<String[]> maskRefs = new ArrayList<>();
                        boolean keras3Node = false;
                        for (String[] r : all) {
                            if (r.length == 4 && KERAS3_NODE.equals(r[3])) {
                                keras3Node = true;
                            } else if (r.length > 3) {
                                maskRefs.add(r);
                            } else {
                                refs.add(r);
                            }
                        }
                        List<Model.Port> from = resolve(refs, nodes);
                        boolean masksReady = true;
                        for (String[] m : maskRefs) {
                            String key = m[0] + "#" + m[1];
                            if (m[0] != null && nodes.containsKey(key)) {
                                // a layer's output passed as mask=: not one of the not_equal/any operations that
                                // Keras 3 records for the masks layers carry, which are all rnn4j can check
                                throw new UnsupportedFeatureException(context.source + ": layer '" + name + "' ("
                                        + cls + "): a mask argument computed by layer '" + m[0] + "' is not"
                                        + " supported (only the masks that layers carry, such as Embedding's"
                                        + " mask_zero or Masking's)");
                            }
                            masksReady &= m[0] == null || maskOps.containsKey(key);
                        }
                        if (from == null || !masksReady) {
                            continue;
                        }
                        for (String[] m : maskRefs) {
                            int input = Integer.parseInt(m[4]);
                            String explicit = m[0] == null ? null : maskOps.get(m[0] + "#" + m[1]);
                            String implicit = input < from.size() ? implicitMasks.get(from.get(input)) : null;
                            if (!java.util.Objects.equals(explicit, implicit)) {
                                throw new UnsupportedFeatureException(context.source + ": layer '" + name + "' (" + cls
                                        + "): a mask argument other than the mask its input carries is not supported"
                                        + " (the graph computes " + explicit + ", input " + input + " carries "
                                        + (implicit == null ? "no mask" : implicit) + ")");
                            }
                        }
                        if (!maskRefs.isEmpty()) {
                            context.note("Keras 3 records masks as not_equal/any operations passed to each layer;"
                                    + " they are the masks rnn4j's layers carry, checked to be the same");
                        }
                        if (keras3Node && maskRefs.isEmpty() && MASK_TAKING.contains(cls) && !from.isEmpty()
                                && implicitMasks.get(from.get(0)) != null) {
                            // Keras 3 passes a mask implicitly only to a call with one tensor argument
                            // (keras/src/layers/layer.py, __call__): this call ran without the mask its input carries.
                            String unmasked = prefix + name + "/unmasked_input_" + job[1];
                            builder.add(unmasked, Identity.droppingMask("Keras called '" + name + "' without a mask"),
                                    List.of(from.get(0)));
                            List<Model.Port> dropped = new ArrayList<>(from);
                            dropped.set(0, Model.Port.of(unmasked));
                            from = dropped;
                            context.note("layer '" + name + "' (" + cls + ") was called with several tensors (for"
                                    + " example initial_state), so Keras 3 ran it without its input's mask; so does"
                                    + " rnn4j");
                        }
                        List<Model.Port> outs;
                        if (isModelClass(cls)) {
                            outs = nested(entry, cls, prefix + name + "/", from, keras3Layers, (String) job[3]);
                        } else {
                            outs = call(prefix + name, cls, cfg, entry, from, keras3Layers, (String) job[3], prefix);
                            recordMasks(cls, cfg, from, outs);
                        }
                        nodes.put(name + "#" + job[1], outs);
                    }
                    pending.remove(p);
                    p--;
                    progress = true;
                }
            }
            if (!pending.isEmpty()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> entry = (Map<String, Object>) pending.get(0)[0];
                throw new FileFormatException(context.source + ": layer '" + entry.get("name") + "' takes inputs that"
                        + " no layer produces (a cycle or a missing layer in the functional config)");
            }
            List<Model.Port> outs = new ArrayList<>();
            for (String[] out : refs(c.get("output_layers"), "output_layers")) {
                List<Model.Port> node = nodes.get(out[0] + "#" + out[1]);
                int tensor = Integer.parseInt(out[2]);
                if (node == null || tensor >= node.size()) {
                    throw new FileFormatException(context.source + ": output " + Arrays.toString(out)
                            + " is not produced by any layer");
                }
                outs.add(node.get(tensor));
            }
            return outs;
        }

        private List<Model.Port> resolve(List<String[]> refs, Map<String, List<Model.Port>> nodes) {
            List<Model.Port> out = new ArrayList<>();
            for (String[] r : refs) {
                List<Model.Port> node = nodes.get(r[0] + "#" + r[1]);
                if (node == null) {
                    return null;
                }
                int t = Integer.parseInt(r[2]);
                if (t >= node.size()) {
                    return null;
                }
                out.add(node.get(t));
            }
            return out;
        }

        /**
         * The inbound nodes of a layer, each a list of {@code [layer, node, tensor]} references: Keras 3's
         * {@code {"args": [...], "kwargs": {...}}} with {@code __keras_tensor__} entries, Keras 2's
         * {@code [[name, node, tensor, kwargs], ...]} and Keras 1's {@code [[name, node, tensor], ...]}. Initial
         * states (in kwargs or as extra entries) follow the layer's first input.
         */
        @SuppressWarnings("unchecked")
        private List<List<String[]>> inboundNodes(Map<String, Object> entry) throws IOException {
            Object nodes = entry.get("inbound_nodes");
            String where = context.source + ": layer '" + entry.get("name") + "'";
            if (!(nodes instanceof List)) {
                throw new FileFormatException(where + ": inbound_nodes is " + Json.describe(nodes)
                        + ", expected a list");
            }
            List<List<String[]>> out = new ArrayList<>();
            for (Object node : (List<Object>) nodes) {
                List<String[]> refs = new ArrayList<>();
                if (node instanceof Map) {
                    Map<String, Object> m = (Map<String, Object>) node;
                    refs.add(new String[] {"", "", "", KERAS3_NODE});
                    collectTensors(m.get("args"), refs, where);
                    Object kwargs = m.get("kwargs");
                    if (kwargs instanceof Map) {
                        for (Map.Entry<String, Object> kw : ((Map<String, Object>) kwargs).entrySet()) {
                            kwarg(kw.getKey(), kw.getValue(), refs, where);
                        }
                    }
                } else if (node instanceof List) {
                    for (Object e : (List<Object>) node) {
                        if (!(e instanceof List) || ((List<Object>) e).size() < 3) {
                            throw new FileFormatException(where + ": inbound node entry " + Json.describe(e)
                                    + ", expected [layer, node, tensor, kwargs]");
                        }
                        List<Object> l = (List<Object>) e;
                        refs.add(ref(l, where));
                        if (l.size() > 3 && l.get(3) instanceof Map) {
                            for (Map.Entry<String, Object> kw : ((Map<String, Object>) l.get(3)).entrySet()) {
                                kwarg(kw.getKey(), kw.getValue(), refs, where);
                            }
                        }
                    }
                } else {
                    throw new FileFormatException(where + ": inbound node " + Json.describe(node)
                            + ", expected a list or {\"args\": ..., \"kwargs\": ...}");
                }
                out.add(refs);
            }
            return out;
        }

        private boolean isTensorRef(List<Object> l) {
            return l.size() >= 3 && l.get(0) instanceof String && l.get(1) instanceof Long && l.get(2) instanceof Long;
        }

        @SuppressWarnings("unchecked")
        private void kwarg(String key, Object value, List<String[]> refs, String where) throws IOException {
            switch (key) {
                case "training":
                    return;
                case "mask": {
                    if (value == null) {
                        return;
                    }
                    // One mask, or one per input of a layer that takes a list (null where an input has none).
                    List<Object> masks = value instanceof List && !isTensorRef((List<Object>) value)
                            ? (List<Object>) value : List.of(value);
                    for (int i = 0; i < masks.size(); i++) {
                        if (masks.get(i) == null) {
                            refs.add(new String[] {null, null, null, "mask", Integer.toString(i)});
                            continue;
                        }
                        List<String[]> one = new ArrayList<>();
                        collectTensors(masks.get(i), one, where);
                        if (one.size() != 1) {
                            throw new UnsupportedFeatureException(where + ": mask argument " + Json.describe(value)
                                    + " is not supported");
                        }
                        String[] r = one.get(0);
                        refs.add(new String[] {r[0], r[1], r[2], "mask", Integer.toString(i)});
                    }
                    return;
                }
                case "initial_state":
                case "states":
                    collectTensors(value, refs, where);
                    return;
                default:
                    if (value == null || value instanceof Boolean || value instanceof Number) {
                        throw new UnsupportedFeatureException(where + ": call argument '" + key + "'="
                                + Json.describe(value) + " is not supported");
                    }
                    throw new UnsupportedFeatureException(where + ": call argument '" + key + "' is not supported");
            }
        }

        @SuppressWarnings("unchecked")
        private void collectTensors(Object v, List<String[]> refs, String where) throws IOException {
            if (v == null) {
                return;
            }
            if (v instanceof Map) {
                Map<String, Object> m = (Map<String, Object>) v;
                if ("__keras_tensor__".equals(m.get("class_name")) && m.get("config") instanceof Map) {
                    Object history = ((Map<String, Object>) m.get("config")).get("keras_history");
                    if (!(history instanceof List)) {
                        throw new FileFormatException(where + ": a keras tensor without keras_history");
                    }
                    refs.add(ref((List<Object>) history, where));
                    return;
                }
                throw new UnsupportedFeatureException(where + ": call argument " + Json.describe(v)
                        + " is not a tensor");
            }
            if (v instanceof List) {
                List<Object> l = (List<Object>) v;
                if (l.size() >= 3 && l.get(0) instanceof String && l.get(1) instanceof Long
                        && l.get(2) instanceof Long) {
                    refs.add(ref(l, where));
                    return;
                }
                for (Object e : l) {
                    collectTensors(e, refs, where);
                }
                return;
            }
            throw new UnsupportedFeatureException(where + ": call argument " + Json.describe(v) + " is not supported");
        }

        private String[] ref(List<Object> l, String where) throws FileFormatException {
            if (l.size() < 3 || !(l.get(0) instanceof String) || !(l.get(1) instanceof Long) || !(l.get(2) instanceof Long)
                    || (Long) l.get(1) < 0 || (Long) l.get(2) < 0 || (Long) l.get(1) > 1_000_000
                    || (Long) l.get(2) > 1_000_000) {
                throw new FileFormatException(where + ": tensor reference " + Json.describe(l)
                        + ", expected [layer name, node index, tensor index]");
            }
            return new String[] {(String) l.get(0), l.get(1).toString(), l.get(2).toString()};
        }

        /** {@code input_layers}/{@code output_layers}: {@code [[name, node, tensor], ...]} or one {@code [name, node, tensor]}. */
        @SuppressWarnings("unchecked")
        private List<String[]> refs(Object v, String key) throws FileFormatException {
            if (v instanceof Map && !((Map<String, Object>) v).isEmpty()) {
                // Keras 3 models with dict inputs or outputs: {"name": [layer, node, tensor], ...}, in order.
                List<String[]> out = new ArrayList<>();
                for (Object e : ((Map<String, Object>) v).values()) {
                    out.addAll(refs(e, key));
                }
                return out;
            }
            if (!(v instanceof List) || ((List<Object>) v).isEmpty()) {
                throw new FileFormatException(context.source + ": " + key + " is " + Json.describe(v)
                        + ", expected a list of [layer name, node index, tensor index]");
            }
            List<Object> l = (List<Object>) v;
            List<String[]> out = new ArrayList<>();
            if (l.get(0) instanceof String) {
                out.add(ref(l, context.source + ": " + key));
                return out;
            }
            for (Object e : l) {
                if (!(e instanceof List) || ((List<Object>) e).size() < 3) {
                    throw new FileFormatException(context.source + ": " + key + " entry " + Json.describe(e)
                            + ", expected [layer name, node index, tensor index]");
                }
                out.add(ref((List<Object>) e, context.source + ": " + key));
            }
            return out;
        }

        private Map<String, Object> findLayer(List<Map<String, Object>> list, String name) throws IOException {
            for (Map<String, Object> e : list) {
                if (name.equals(layerName(e, object(e.get("config"), "layer config")))) {
                    return e;
                }
            }
            throw new FileFormatException(context.source + ": input layer '" + name + "' is not among the layers");
        }

        /**
         * Refuses a key of a Sequential or Functional model's {@code config} outside the keys Keras writes
         * (keras/src/models/sequential.py and functional.py, tf-keras and Keras 2 engine): a Keras 1 Sequential's
         * config is a bare list, with no keys.
         */
        private void checkModelKeys(Object body, String where) throws FileFormatException {
            if (!(body instanceof Map)) {
                return;
            }
            java.util.Set<String> unknown = new java.util.TreeSet<>();
            for (Object k : ((Map<?, ?>) body).keySet()) {
                unknown.add(String.valueOf(k));
            }
            unknown.removeAll(MODEL_KEYS);
            if (!unknown.isEmpty()) {
                throw KerasLayer.unknownKeys(where, unknown);
            }
        }

        /**
         * Refuses an InputLayer configuration key outside the keys Keras writes (keras/src/layers/core/
         * input_layer.py, tf-keras engine/input_layer.py, Keras 1/2 engine/topology.py; and the real files), so
         * that a flipped byte in one is not ignored; {@code optional=True} is refused as unsupported.
         */
        private void checkInputLayer(Map<String, Object> entry) throws IOException {
            if (!"InputLayer".equals(entry.get("class_name"))) {
                return;
            }
            Map<String, Object> cfg = object(entry.get("config"), "layer config");
            java.util.Set<String> unknown = new java.util.TreeSet<>(cfg.keySet());
            unknown.removeAll(INPUT_LAYER_KEYS);
            String where = context.source + ": input '" + layerName(entry, cfg) + "'";
            if (!unknown.isEmpty()) {
                throw KerasLayer.unknownKeys(where, unknown);
            }
            if (Boolean.TRUE.equals(cfg.get("optional"))) {
                throw new UnsupportedFeatureException(where + ": optional=True inputs are not supported");
            }
        }

        /** The per-sample input shape of an InputLayer (or a first layer with batch_input_shape). */
        private Shape inputLayerShape(Map<String, Object> entry) throws IOException {
            checkInputLayer(entry);
            Map<String, Object> cfg = object(entry.get("config"), "layer config");
            Object shape = cfg.get("batch_shape") != null ? cfg.get("batch_shape") : cfg.get("batch_input_shape");
            String where = context.source + ": input '" + layerName(entry, cfg) + "'";
            if (!(shape instanceof List) || ((List<?>) shape).size() < 2) {
                throw new FileFormatException(where + ": batch_shape is " + Json.describe(shape)
                        + ", expected [batch, ...] with at least one dimension per sample");
            }
            List<?> dims = ((List<?>) shape).subList(1, ((List<?>) shape).size());
            if (dims.size() > 2) {
                throw new UnsupportedFeatureException(where + ": inputs of rank " + dims.size() + " per sample "
                        + dims + " are not supported; supported: vectors and sequences [timeSteps][features]");
            }
            int[] d = new int[dims.size()];
            for (int i = 0; i < d.length; i++) {
                Object o = dims.get(i);
                if (o == null) {
                    d[i] = Shape.UNKNOWN;
                } else if (o instanceof Long && (Long) o >= 0 && (Long) o <= Integer.MAX_VALUE) {
                    d[i] = (int) (long) (Long) o;
                } else {
                    throw new FileFormatException(where + ": batch_shape " + shape + " has dimension "
                            + Json.describe(o));
                }
            }
            for (String flag : List.of("sparse", "ragged")) {
                if (Boolean.TRUE.equals(cfg.get(flag))) {
                    throw new UnsupportedFeatureException(where + ": " + flag + "=True inputs are not supported");
                }
            }
            if (d.length == 2 && d[1] == Shape.UNKNOWN) {
                throw new UnsupportedFeatureException(where + ": an unknown feature size " + shape
                        + " is not supported");
            }
            return Shape.of(d);
        }

        // -------------------------------------------------------------------------------------- layers

        /** The masks ports carry, as Keras's compute_mask makes them: {@code NE(port,0.0)}, {@code ANY(NE(port,v))}. */
        private final Map<Model.Port, String> implicitMasks = new java.util.IdentityHashMap<>();
        private final Map<Model.Port, Integer> portIds = new java.util.IdentityHashMap<>();
        /** Keras 3 mask operations of the functional graph (layer#node → the mask they compute). */
        private final Map<String, String> maskOps = new HashMap<>();

        private String portId(Model.Port p) {
            return "t" + portIds.computeIfAbsent(p, k -> portIds.size());
        }

        /** Whether a functional entry is a Keras 3 operation (keras.src.ops) rather than a layer. */
        private boolean isOperation(Map<String, Object> entry) {
            Object module = entry.get("module");
            return module instanceof String && ((String) module).startsWith("keras.src.ops");
        }

        /**
         * A Keras 3 mask operation: {@code not_equal(x, v)} and {@code any(m, axis=-1)}, which Keras 3 records when
         * it passes a layer's mask to the next layer explicitly (keras/src/layers/core/embedding.py and
         * masking.py, {@code compute_mask}). Returns its description, or {@code null} while its input is not ready.
         */
        @SuppressWarnings("unchecked")
        private String maskOperation(Map<String, Object> entry, String cls, Map<String, Object> cfg, String name,
                                     int node, Map<String, List<Model.Port>> nodes) throws IOException {
            String where = context.source + ": operation '" + name + "' (" + cls + ")";
            Object n = ((List<Object>) entry.get("inbound_nodes")).get(node);
            if (!(n instanceof Map) || !(((Map<String, Object>) n).get("args") instanceof List)) {
                throw new FileFormatException(where + ": inbound node " + Json.describe(n));
            }
            List<Object> args = (List<Object>) ((Map<String, Object>) n).get("args");
            switch (cls) {
                case "NotEqual": {
                    if (args.size() != 2 || !(args.get(1) instanceof Number)) {
                        throw new UnsupportedFeatureException(where + ": only not_equal(tensor, number) is supported");
                    }
                    List<String[]> t = new ArrayList<>();
                    collectTensors(args.get(0), t, where);
                    List<Model.Port> p = t.size() == 1 ? resolve(t, nodes) : null;
                    if (p == null) {
                        if (t.size() != 1) {
                            throw new UnsupportedFeatureException(where + ": only not_equal(tensor, number) is"
                                    + " supported");
                        }
                        return null;
                    }
                    return "NE(" + portId(p.get(0)) + "," + ((Number) args.get(1)).doubleValue() + ")";
                }
                case "Any": {
                    Object axis = cfg.get("axis");
                    if (args.size() != 1 || !(Long.valueOf(-1).equals(axis) || Long.valueOf(2).equals(axis))
                            || Boolean.TRUE.equals(cfg.get("keepdims"))) {
                        throw new UnsupportedFeatureException(where + ": only any(mask, axis=-1) is supported");
                    }
                    List<String[]> t = new ArrayList<>();
                    collectTensors(args.get(0), t, where);
                    if (t.size() != 1) {
                        throw new UnsupportedFeatureException(where + ": only any(mask, axis=-1) is supported");
                    }
                    String inner = maskOps.get(t.get(0)[0] + "#" + t.get(0)[1]);
                    return inner == null ? null : "ANY(" + inner + ")";
                }
                default:
                    throw new UnsupportedFeatureException(where + ": operations in a functional graph are not"
                            + " supported, except the mask operations Keras records (not_equal, any)");
            }
        }

        /** Layers whose Keras 3 call takes a mask argument and uses it. */
        private static final java.util.Set<String> MASK_TAKING = java.util.Set.of("SimpleRNN", "LSTM", "GRU",
                "Bidirectional", "TimeDistributed", "GlobalAveragePooling1D", "Softmax");
        private static final String KERAS3_NODE = "keras3-node";

        private static final java.util.Set<String> MASK_PASSING = java.util.Set.of("Dense", "Activation", "ReLU",
                "LeakyReLU", "ELU", "Softmax", "Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout",
                "AlphaDropout", "ActivityRegularization", "Identity", "TimeDistributed", "BatchNormalization",
                "LayerNormalization");

        /** The masks a layer's outputs carry, following each Keras class's compute_mask. */
        @SuppressWarnings("unchecked")
        private void recordMasks(String cls, Map<String, Object> cfg, List<Model.Port> from, List<Model.Port> outs) {
            if (from.isEmpty() || outs.isEmpty()) {
                return;
            }
            String in = implicitMasks.get(from.get(0));
            String out = null;
            int outputs = 1;
            switch (cls) {
                case "Embedding":
                    out = Boolean.TRUE.equals(cfg.get("mask_zero")) ? "NE(" + portId(from.get(0)) + ",0.0)" : null;
                    break;
                case "Masking": {
                    Object v = cfg.get("mask_value");
                    double value = v instanceof Number ? ((Number) v).doubleValue() : 0.0;
                    out = "ANY(NE(" + portId(from.get(0)) + "," + value + "))";
                    break;
                }
                case "SimpleRNN":
                case "LSTM":
                case "GRU":
                case "CuDNNLSTM":
                case "CuDNNGRU":
                    out = Boolean.TRUE.equals(cfg.get("return_sequences")) ? in : null;
                    break;
                case "Bidirectional": {
                    Object layer = cfg.get("layer");
                    Object inner = layer instanceof Map ? ((Map<String, Object>) layer).get("config") : null;
                    boolean sequences = inner instanceof Map
                            && Boolean.TRUE.equals(((Map<String, Object>) inner).get("return_sequences"));
                    out = sequences ? in : null;
                    outputs = cfg.get("merge_mode") == null ? 2 : 1;
                    break;
                }
                default:
                    out = MASK_PASSING.contains(cls) ? in : null;
            }
            if (out != null) {
                for (int i = 0; i < Math.min(outputs, outs.size()); i++) {
                    implicitMasks.put(outs.get(i), out);
                }
            }
        }

        /** Reads (once) and calls one layer; returns the ports of its outputs. */
        private List<Model.Port> call(String full, String cls, Map<String, Object> cfg, Map<String, Object> entry,
                                      List<Model.Port> from, Hdf5File.Node keras3Layers, String key, String prefix)
                throws IOException {
            Layer layer = readLayer(full, cls, cfg, entry, keras3Layers, key, prefix);
            int index = callCounts.merge(full, 1, Integer::sum) - 1;
            try {
                builder.add(full, layer, from);
            } catch (IllegalArgumentException e) {
                throw new FileFormatException(context.source + ": " + e.getMessage(), e);
            }
            int outputs = layer.outputShapes(shapesOf(from)).size();
            List<Model.Port> outs = new ArrayList<>();
            for (int o = 0; o < outputs; o++) {
                outs.add(Model.Port.of(full, index, o));
            }
            return outs;
        }

        /** Reads a layer once (a shared layer is called again with the same instance). */
        private Layer readLayer(String full, String cls, Map<String, Object> cfg, Map<String, Object> entry,
                                Hdf5File.Node keras3Layers, String key, String prefix) throws IOException {
            Layer layer = layers.get(full);
            if (layer == null) {
                String registered = entry.get("registered_name") instanceof String
                        ? (String) entry.get("registered_name") : null;
                Object module = entry.get("module");
                if ((registered != null && registered.contains(">")) || (module instanceof String
                        && !((String) module).startsWith("keras"))) {
                    throw new UnsupportedFeatureException(context.source + ": layer '" + full + "' (" + cls
                            + "): custom layer classes ('" + (registered != null ? registered : module) + "') are not"
                            + " supported: rnn4j runs no Python code");
                }
                KerasWeights.Scope scope = scope(full, cls, key, keras3Layers, prefix);
                KerasLayer kl = new KerasLayer(full, cls, cfg, context, scope);
                layer = KerasLayers.read(kl);
                if (scope instanceof KerasWeights.Legacy && prefix.isEmpty()) {
                    legacyScopes.add(new Object[] {scope, kl});
                }
                layers.put(full, layer);
            }
            return layer;
        }

        private List<Shape> shapesOf(List<Model.Port> ports) {
            return builder.shapes(ports);
        }

        /** A nested model used as a layer: its layers join the graph with {@code prefix}. */
        private List<Model.Port> nested(Map<String, Object> entry, String cls, String prefix, List<Model.Port> from,
                                        Hdf5File.Node keras3Layers, String key) throws IOException {
            Hdf5File.Node inner = null;
            if (keras3Layers != null) {
                Hdf5File.Node g = keras3Layers.hasChild(key) ? keras3Layers.child(key) : null;
                inner = g != null && g.hasChild("layers") ? g.child("layers") : null;
            }
            String name = prefix.substring(0, prefix.length() - 1);
            if (legacyRoot != null && !nestedLegacy.containsKey(name)) {
                nestedLegacy.put(name, legacyGroup(name.contains("/") ? name.substring(name.lastIndexOf('/') + 1)
                        : name, cls));
            }
            Object body = entry.get("config");
            checkModelKeys(body, context.source + ": nested model '" + name + "' (" + cls + ")");
            String saved = currentNested;
            currentNested = name;
            try {
                if (cls.equals("Sequential")) {
                    return sequential(layerList(body, "nested model"), prefix, from, inner);
                }
                return functional(object(body, "nested model config"), prefix, from, inner);
            } finally {
                currentNested = saved;
            }
        }

        private final Map<String, KerasWeights.Legacy> nestedLegacy = new HashMap<>();
        private String currentNested;

        private KerasWeights.Scope scope(String full, String cls, String key, Hdf5File.Node keras3Layers,
                                         String prefix) throws IOException {
            if (legacyRoot != null) {
                if (currentNested != null) {
                    return nestedLegacy.get(currentNested);
                }
                String name = full;
                if (!legacyRoot.hasChild(name)) {
                    return KerasWeights.NONE;
                }
                return legacyGroup(name, cls);
            }
            if (keras3Layers == null || !keras3Layers.hasChild(key)) {
                return new KerasWeights.Keras3(null, "layers/" + key);
            }
            return new KerasWeights.Keras3(keras3Layers.child(key), keras3Layers.path() + "/" + key);
        }

        private KerasWeights.Legacy legacyGroup(String name, String cls) throws IOException {
            if (!legacyRoot.hasChild(name)) {
                return new KerasWeights.Legacy(legacyRoot, List.of());
            }
            Hdf5File.Node group = legacyRoot.child(name);
            return new KerasWeights.Legacy(group, names(group, "weight_names"));
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
                throw new FileFormatException(context.source + ": '" + node.path() + "' has no '" + attribute
                        + "' attribute");
            }
            return out;
        }

        // -------------------------------------------------------------------------------------- helpers

        /** Keras 3's weight key for the next layer of a class: snake_case, then {@code _1}, {@code _2}... */
        private static String keras3Key(Map<String, Integer> counts, String cls) {
            String base = Names.snakeCase(cls);
            int n = counts.merge(base, 1, Integer::sum) - 1;
            return n == 0 ? base : base + "_" + n;
        }

        @SuppressWarnings("unchecked")
        private List<Map<String, Object>> layerList(Object body, String what) throws FileFormatException {
            Object layers = body instanceof Map ? ((Map<String, Object>) body).get("layers") : body;
            if (!(layers instanceof List) || ((List<Object>) layers).isEmpty()) {
                throw new FileFormatException(context.source + ": the " + what + " config has no layer list (found "
                        + Json.describe(layers) + ")");
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (Object l : (List<Object>) layers) {
                if (!(l instanceof Map) || !(((Map<String, Object>) l).get("config") instanceof Map)) {
                    throw new FileFormatException(context.source + ": " + what + " layer " + out.size() + " is "
                            + Json.describe(l) + ", expected {\"class_name\": ..., \"config\": {...}}");
                }
                out.add((Map<String, Object>) l);
            }
            return out;
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> object(Object v, String what) throws FileFormatException {
            if (!(v instanceof Map)) {
                throw new FileFormatException(context.source + ": " + what + " is " + Json.describe(v)
                        + ", expected an object");
            }
            return (Map<String, Object>) v;
        }

        private String layerName(Map<String, Object> entry, Map<String, Object> cfg) throws FileFormatException {
            Object name = cfg.get("name") instanceof String ? cfg.get("name") : entry.get("name");
            if (!(name instanceof String) || ((String) name).isEmpty()) {
                throw new FileFormatException(context.source + ": a " + entry.get("class_name")
                        + " layer has no name");
            }
            return (String) name;
        }
    }
}
