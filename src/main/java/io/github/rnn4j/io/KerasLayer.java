package io.github.rnn4j.io;

import io.github.rnn4j.layers.Activation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One Keras layer as a reader sees it: its configuration, with typed accessors whose errors name the file, the layer
 * and the option, and its weights in Keras {@code get_weights()} order.
 *
 * <p>Every configuration key must be read or declared known-but-ignored by the reader; {@link #finish()} refuses the
 * rest, so a damaged or newer key (for example {@code {eturn_sequences}) is never silently dropped. Not thread-safe:
 * one instance serves one loading run.
 */
final class KerasLayer {
    /** Keys every Keras layer may carry that mean nothing at inference (keras/src/layers/layer.py, get_config). */
    private static final Set<String> COMMON = Set.of("name", "trainable", "dtype", "batch_input_shape",
            "batch_shape", "input_shape", "input_dtype", "autocast", "build_config", "input_spec", "dynamic",
            "batch_size");
    /**
     * Initializers, regularizers and constraints, named one by one (no suffix rule, so that a damaged name such as
     * {@code {ernel_initializer} is refused): they shape training, never inference.
     */
    private static final Set<String> REGULARIZERS = Set.of("kernel_regularizer", "bias_regularizer",
            "activity_regularizer", "kernel_constraint", "bias_constraint", "kernel_initializer",
            "bias_initializer", "recurrent_regularizer", "recurrent_constraint", "recurrent_initializer",
            "W_regularizer", "U_regularizer", "b_regularizer", "W_constraint", "U_constraint", "b_constraint",
            "init", "inner_init", "forget_bias_init", "beta_initializer", "gamma_initializer",
            "moving_mean_initializer", "moving_variance_initializer", "beta_regularizer", "gamma_regularizer",
            "beta_constraint", "gamma_constraint", "embeddings_initializer", "embeddings_regularizer",
            "embeddings_constraint", "depthwise_initializer", "pointwise_initializer", "seed",
            // Keras 1 BatchNormalization; separable convolutions (refused elsewhere, named here for completeness).
            "beta_init", "gamma_init", "depthwise_regularizer", "depthwise_constraint", "pointwise_regularizer",
            "pointwise_constraint");

    final String name;
    final String cls;
    final Map<String, Object> cfg;
    final KerasModels.Context context;
    private final KerasWeights.Scope weights;
    private final Set<String> used = new HashSet<>();

    KerasLayer(String name, String cls, Map<String, Object> cfg, KerasModels.Context context,
               KerasWeights.Scope weights) {
        this.name = name;
        this.cls = cls;
        this.cfg = cfg;
        this.context = context;
        this.weights = weights;
    }

    /** {@code file: layer 'name' (Class)}, the start of every message about this layer. */
    String where() {
        return context.source + ": layer '" + name + "' (" + cls + ")";
    }

    UnsupportedFeatureException unsupported(String option) {
        return new UnsupportedFeatureException(where() + ": " + option + " is not supported");
    }

    UnsupportedFeatureException unsupported(String option, String why) {
        return new UnsupportedFeatureException(where() + ": " + option + " is not supported; " + why);
    }

    FileFormatException damaged(String what) {
        return new FileFormatException(where() + ": " + what);
    }

    private FileFormatException bad(String key, Object value, String expected) {
        return new FileFormatException(where() + ": " + key + " is " + Json.describe(value) + ", expected "
                + expected);
    }

    /** Whether the configuration has a non-null value for a key (the key counts as read). */
    boolean has(String key) {
        used.add(key);
        return cfg.get(key) != null;
    }

    /** Declares keys the reader knows and that change nothing at inference. */
    void ignore(String... keys) {
        used.addAll(List.of(keys));
    }

    /** Declares keys that must be absent, null, false or zero (for example training-only features that change the math). */
    void refuseSet(String... keys) throws UnsupportedFeatureException {
        for (String key : keys) {
            used.add(key);
            Object v = cfg.get(key);
            if (v != null && !Boolean.FALSE.equals(v) && !Long.valueOf(0).equals(v)
                    && !(v instanceof List && ((List<?>) v).isEmpty())) {
                throw unsupported(key + "=" + Json.describe(v));
            }
        }
    }

    Object raw(String key) {
        used.add(key);
        return cfg.get(key);
    }

    boolean flag(String key, boolean fallback) throws FileFormatException {
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean)) {
            throw bad(key, v, "true or false");
        }
        return (Boolean) v;
    }

    double number(String key, double fallback) throws FileFormatException {
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number)) {
            throw bad(key, v, "a number");
        }
        double d = ((Number) v).doubleValue();
        if (!Double.isFinite(d)) {
            throw bad(key, v, "a finite number");
        }
        return d;
    }

    /** A number or {@code null}. */
    Double optionalNumber(String key) throws FileFormatException {
        return raw(key) == null ? null : number(key, 0);
    }

    int positiveInt(String key) throws FileFormatException {
        Object v = raw(key);
        if (!(v instanceof Long) || (Long) v <= 0 || (Long) v > Integer.MAX_VALUE) {
            throw bad(key, v, "a positive integer");
        }
        return (int) (long) (Long) v;
    }

    /** An integer; a one-element list {@code [3]} (as Keras writes {@code kernel_size}) counts as its element. */
    int integer(String key, int fallback) throws FileFormatException {
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof List && ((List<?>) v).size() == 1) {
            v = ((List<?>) v).get(0);
        }
        if (!(v instanceof Long) || (Long) v < Integer.MIN_VALUE || (Long) v > Integer.MAX_VALUE) {
            throw bad(key, v, "an integer");
        }
        return (int) (long) (Long) v;
    }

    String string(String key, String fallback) throws FileFormatException {
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String)) {
            throw bad(key, v, "a string");
        }
        return (String) v;
    }

    /** A list of integers ({@code null} entries become -1, Keras's {@code None}); a bare integer is a list of one. */
    int[] ints(String key) throws FileFormatException {
        Object v = raw(key);
        if (v instanceof Long) {
            v = List.of(v);
        }
        if (!(v instanceof List)) {
            throw bad(key, v, "a list of integers");
        }
        List<?> list = (List<?>) v;
        if (list.size() > 16) {
            throw bad(key, v, "a short list of integers");
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object e = list.get(i);
            if (e == null) {
                out[i] = -1;
            } else if (e instanceof Long && (Long) e >= 0 && (Long) e <= Integer.MAX_VALUE) {
                out[i] = (int) (long) (Long) e;
            } else if (e instanceof Long && (Long) e >= -3 && (Long) e < 0) {
                out[i] = (int) (long) (Long) e;
            } else {
                throw bad(key, v, "a list of integers");
            }
        }
        return out;
    }

    /** An activation given as a name or as a Keras 3 serialized function {@code {"config": "tanh"}}. */
    @SuppressWarnings("unchecked")
    Activation activation(String key, String fallback) throws IOException {
        Object v = raw(key);
        if (v == null) {
            v = fallback;
        }
        if (v instanceof Map) {
            Map<String, Object> m = (Map<String, Object>) v;
            v = m.get("config") instanceof String ? m.get("config") : m.get("class_name");
        }
        if (!(v instanceof String)) {
            throw bad(key, cfg.get(key), "an activation name");
        }
        String activationName = ((String) v).toLowerCase(Locale.ROOT);
        Activation a;
        try {
            a = Activation.fromKerasName(activationName, context.kerasMajor < 3);
        } catch (IllegalArgumentException e) {
            throw unsupported(key + " '" + v + "'", e.getMessage());
        }
        if (activationName.equals("hard_sigmoid")) {
            context.note(context.kerasMajor < 3 ? "hard_sigmoid is clip(0.2x + 0.5, 0, 1) (Keras < 3, keras_version "
                    + context.kerasVersion + ")" : "hard_sigmoid is relu6(x + 3) / 6 (Keras 3, keras_version "
                    + context.kerasVersion + ")");
        }
        return a;
    }

    /** A nested layer configuration such as Bidirectional's {@code layer} or TimeDistributed's {@code layer}. */
    @SuppressWarnings("unchecked")
    KerasLayer inner(String key, String weightsPath) throws FileFormatException {
        Object v = raw(key);
        if (!(v instanceof Map) || !(((Map<String, Object>) v).get("config") instanceof Map)) {
            throw bad(key, v, "a layer {\"class_name\": ..., \"config\": {...}}");
        }
        Map<String, Object> m = (Map<String, Object>) v;
        Map<String, Object> c = (Map<String, Object>) m.get("config");
        String innerName = c.get("name") instanceof String ? (String) c.get("name") : name + "/" + key;
        return new KerasLayer(innerName, String.valueOf(m.get("class_name")), c, context,
                weights.child(weightsPath));
    }

    /** Where this layer's weights are. */
    KerasWeights.Scope weightsScope() {
        return weights;
    }

    /** The next {@code count} weights of this layer, in Keras {@code get_weights()} order. */
    List<KerasWeight> weights(int count) throws IOException {
        return weights.take(count, this);
    }

    /** The weights of a recurrent layer's cell (Keras 3 keeps them under {@code cell/}). */
    List<KerasWeight> cellWeights(int count) throws IOException {
        return weights.child("cell").take(count, this);
    }

    /** Checks that a weight has the expected shape ({@code -1} for any size in that dimension). */
    void expectShape(String weight, KerasWeight t, int... dims) throws FileFormatException {
        int[] s = t.shape();
        boolean ok = s.length == dims.length;
        for (int i = 0; ok && i < dims.length; i++) {
            ok = dims[i] < 0 ? s[i] > 0 : s[i] == dims[i];
        }
        if (!ok) {
            throw damaged(weight + " has shape " + io.github.rnn4j.internal.Checks.dims(s) + ", expected "
                    + io.github.rnn4j.internal.Checks.dims(dims));
        }
    }

    /** Refuses configuration keys that no reader read or declared. */
    void finish() throws FileFormatException {
        Set<String> unknown = new TreeSet<>();
        for (String key : cfg.keySet()) {
            if (!used.contains(key) && !COMMON.contains(key) && !REGULARIZERS.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw unknownKeys(where(), unknown);
        }
    }

    /**
     * The refusal of configuration keys no reader knows. A key that is not a Python identifier (such as
     * {@code {eturn_sequences}, one flipped byte) cannot be a Keras option: the file is damaged, a
     * {@link FileFormatException}. Otherwise it may be an option newer than rnn4j: an
     * {@link UnsupportedFeatureException} that says both.
     */
    static FileFormatException unknownKeys(String where, Set<String> unknown) {
        String keys = "configuration key" + (unknown.size() > 1 ? "s " : " ") + quoted(unknown);
        for (String key : unknown) {
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                return new FileFormatException(where + ": damaged " + keys + ": '" + key + "' is not an option"
                        + " name");
            }
        }
        return new UnsupportedFeatureException(where + ": unknown " + keys
                + "; a damaged file or an option rnn4j does not know");
    }

    private static String quoted(Set<String> keys) {
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            out.add("'" + k + "'");
        }
        return String.join(", ", out);
    }
}
