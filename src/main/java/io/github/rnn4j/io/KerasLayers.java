package io.github.rnn4j.io;

import io.github.rnn4j.internal.Handover;
import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.ActivationLayer;
import io.github.rnn4j.layers.BatchNormalization;
import io.github.rnn4j.layers.Concatenate;
import io.github.rnn4j.layers.Conv1D;
import io.github.rnn4j.layers.GlobalPooling1D;
import io.github.rnn4j.layers.LayerNormalization;
import io.github.rnn4j.layers.Padding;
import io.github.rnn4j.layers.Pooling1D;
import io.github.rnn4j.layers.Dot;
import io.github.rnn4j.layers.Flatten;
import io.github.rnn4j.layers.Merge;
import io.github.rnn4j.layers.Permute;
import io.github.rnn4j.layers.RepeatVector;
import io.github.rnn4j.layers.Reshape;
import io.github.rnn4j.layers.TimeDistributed;
import io.github.rnn4j.layers.Bidirectional;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.GruCell;
import io.github.rnn4j.layers.Identity;
import io.github.rnn4j.layers.Layer;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.Masking;
import io.github.rnn4j.layers.MergeMode;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.RnnCell;
import io.github.rnn4j.layers.SimpleRnnCell;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Keras layer classes rnn4j reads: one reader per Keras class name, in the manner of frugally-deep's one
 * function per layer. The list of supported layers in messages and the README comes from this map.
 *
 * <p>Each reader turns one layer's configuration and weights into a {@link Layer}, applying the rules of the file's
 * Keras version, and declares every configuration key it knows; {@link KerasLayer#finish()} refuses the others.
 * Thread-safe: the map is fixed.
 */
final class KerasLayers {
    /** Reads one Keras layer. */
    interface Reader {
        Layer read(KerasLayer l) throws IOException;
    }

    private static final Map<String, Reader> READERS;
    /** The rnn4j layer classes each Keras class can become, so a test can prove every layer has a reader. */
    private static final Map<String, Set<Class<? extends Layer>>> PRODUCES = new LinkedHashMap<>();
    /** Layers refused by name, with the reason. */
    private static final Map<String, String> REFUSED;

    static {
        Map<String, Reader> m = new LinkedHashMap<>();
        put(m, "Dense", KerasLayers::dense, Dense.class);
        put(m, "Embedding", KerasLayers::embedding, Embedding.class);
        put(m, "Masking", KerasLayers::masking, Masking.class);
        for (String recurrent : List.of("SimpleRNN", "LSTM", "GRU", "CuDNNLSTM", "CuDNNGRU")) {
            put(m, recurrent, KerasLayers::rnn, Rnn.class);
        }
        put(m, "Bidirectional", KerasLayers::bidirectional, Bidirectional.class);
        put(m, "TimeDistributed", KerasLayers::timeDistributed, TimeDistributed.class);
        put(m, "Activation", l -> ActivationLayer.of(l.activation("activation", null)), ActivationLayer.class);
        put(m, "ReLU", KerasLayers::relu, ActivationLayer.class);
        put(m, "LeakyReLU", l -> ActivationLayer.leakyRelu(l.has("negative_slope") ? l.number("negative_slope", 0.3)
                : l.number("alpha", 0.3)), ActivationLayer.class);
        put(m, "ELU", l -> ActivationLayer.elu(l.number("alpha", 1.0)), ActivationLayer.class);
        put(m, "Softmax", l -> ActivationLayer.softmax(l.integer("axis", -1)), ActivationLayer.class);
        put(m, "Add", l -> new Merge(Merge.Kind.ADD), Merge.class);
        put(m, "Subtract", l -> new Merge(Merge.Kind.SUBTRACT), Merge.class);
        put(m, "Multiply", l -> new Merge(Merge.Kind.MULTIPLY), Merge.class);
        put(m, "Average", l -> new Merge(Merge.Kind.AVERAGE), Merge.class);
        put(m, "Maximum", l -> new Merge(Merge.Kind.MAXIMUM), Merge.class);
        put(m, "Minimum", l -> new Merge(Merge.Kind.MINIMUM), Merge.class);
        put(m, "Concatenate", l -> new Concatenate(l.integer("axis", -1)), Concatenate.class);
        put(m, "Dot", KerasLayers::dot, Dot.class);
        put(m, "Merge", KerasLayers::keras1Merge, Merge.class, Concatenate.class);
        put(m, "RepeatVector", l -> new RepeatVector(l.positiveInt("n")), RepeatVector.class);
        put(m, "Flatten", KerasLayers::flatten, Flatten.class);
        put(m, "Reshape", l -> new Reshape(l.ints("target_shape")), Reshape.class);
        put(m, "Permute", l -> new Permute(l.ints("dims")), Permute.class);
        put(m, "GlobalAveragePooling1D", l -> globalPooling(l, GlobalPooling1D.Kind.AVERAGE), GlobalPooling1D.class);
        put(m, "GlobalMaxPooling1D", l -> globalPooling(l, GlobalPooling1D.Kind.MAX), GlobalPooling1D.class);
        put(m, "MaxPooling1D", l -> pooling(l, Pooling1D.Kind.MAX), Pooling1D.class);
        put(m, "AveragePooling1D", l -> pooling(l, Pooling1D.Kind.AVERAGE), Pooling1D.class);
        put(m, "Conv1D", KerasLayers::conv1d, Conv1D.class);
        put(m, "BatchNormalization", KerasLayers::batchNormalization, BatchNormalization.class);
        put(m, "LayerNormalization", KerasLayers::layerNormalization, LayerNormalization.class);
        for (String noOp : List.of("Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout", "AlphaDropout",
                "ActivityRegularization", "Identity")) {
            put(m, noOp, KerasLayers::identity, Identity.class);
        }
        READERS = Collections.unmodifiableMap(m);
        Map<String, String> r = new TreeMap<>();
        r.put("Lambda", "a Lambda layer holds Python code, which rnn4j never runs");
        for (String c : List.of("ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D")) {
            r.put(c, "convolutional recurrent layers are not implemented");
        }
        for (String c : List.of("Attention", "AdditiveAttention", "MultiHeadAttention", "GroupQueryAttention")) {
            r.put(c, "attention layers are not implemented");
        }
        REFUSED = Collections.unmodifiableMap(r);
    }

    private KerasLayers() {
    }

    @SafeVarargs
    private static void put(Map<String, Reader> m, String kerasClass, Reader reader,
                            Class<? extends Layer>... produces) {
        m.put(kerasClass, reader);
        PRODUCES.put(kerasClass, Set.of(produces));
    }

    /** The rnn4j layer classes a Keras class can be read as. */
    static Set<Class<? extends Layer>> produces(String kerasClass) {
        return PRODUCES.getOrDefault(kerasClass, Set.of());
    }

    /** The Keras class names rnn4j reads, in a stable order. */
    static Set<String> supported() {
        return READERS.keySet();
    }

    /** Why a layer class is refused, or {@code null} when it is merely unknown. */
    static String refusal(String kerasClass) {
        return REFUSED.get(kerasClass);
    }

    // ------------------------------------------------------------------------------------------ readers

    /** Reads a layer through its reader and checks that every configuration key was understood. */
    static Layer read(KerasLayer l) throws IOException {
        String refusal = REFUSED.get(l.cls);
        if (refusal != null) {
            throw new UnsupportedFeatureException(l.where() + " is not supported: " + refusal);
        }
        Reader r = READERS.get(l.cls);
        if (r == null) {
            throw new UnsupportedFeatureException(l.where() + " is not supported; supported layers: "
                    + String.join(", ", READERS.keySet()));
        }
        Layer layer = r.read(l);
        l.finish();
        return layer;
    }

    private static Layer identity(KerasLayer l) {
        l.ignore("rate", "noise_shape", "seed", "stddev", "l1", "l2", "p", "sigma");
        return new Identity(l.cls);
    }

    private static Layer masking(KerasLayer l) throws IOException {
        return new Masking(l.number("mask_value", 0.0));
    }

    private static Layer dense(KerasLayer l) throws IOException {
        l.refuseSet("lora_rank", "quantization_config");
        l.ignore("lora_alpha", "input_dim");
        int units = l.has("units") ? l.positiveInt("units") : l.positiveInt("output_dim");
        Activation activation = l.activation("activation", "linear");
        boolean bias = l.flag("use_bias", l.flag("bias", true));
        List<KerasWeight> w = l.weights(bias ? 2 : 1);
        l.expectShape("kernel", w.get(0), -1, units);
        if (bias) {
            l.expectShape("bias", w.get(1), units);
        }
        return Handover.layers().dense(w.get(0).matrix(), bias ? w.get(1).vector() : null, activation);
    }

    private static Layer embedding(KerasLayer l) throws IOException {
        l.refuseSet("lora_rank", "sparse", "quantization_config");
        l.ignore("lora_alpha", "input_length", "dropout", "embeddings_initializer");
        int vocab = l.positiveInt("input_dim");
        int dim = l.positiveInt("output_dim");
        boolean maskZero = l.flag("mask_zero", false);
        List<KerasWeight> w = l.weights(1);
        l.expectShape("embeddings", w.get(0), vocab, dim);
        return Handover.layers().embedding(w.get(0).matrix(), maskZero);
    }

    private static Layer timeDistributed(KerasLayer l) throws IOException {
        KerasLayer inner = l.inner("layer", "layer");
        Layer layer = read(inner);
        try {
            return new TimeDistributed(layer);
        } catch (IllegalArgumentException e) {
            throw l.unsupported("wrapping " + layer, e.getMessage());
        }
    }

    private static void channelsLast(KerasLayer l) throws IOException {
        String format = l.string("data_format", "channels_last");
        if (!format.equals("channels_last")) {
            throw l.unsupported("data_format '" + format + "'", "supported: channels_last");
        }
    }

    private static Padding padding(KerasLayer l, boolean causalAllowed) throws IOException {
        String padding = l.string("padding", "valid").toLowerCase(java.util.Locale.ROOT);
        switch (padding) {
            case "valid":
                return Padding.VALID;
            case "same":
                return Padding.SAME;
            case "causal":
                if (causalAllowed) {
                    return Padding.CAUSAL;
                }
                break;
            default:
                break;
        }
        throw l.unsupported("padding '" + padding + "'", "supported: valid, same" + (causalAllowed ? ", causal" : ""));
    }

    private static Layer globalPooling(KerasLayer l, GlobalPooling1D.Kind kind) throws IOException {
        channelsLast(l);
        return new GlobalPooling1D(kind, l.flag("keepdims", false));
    }

    private static Layer pooling(KerasLayer l, Pooling1D.Kind kind) throws IOException {
        channelsLast(l);
        int poolSize = l.integer("pool_size", 2);
        int strides = l.has("strides") ? l.integer("strides", poolSize) : poolSize;
        try {
            return new Pooling1D(kind, poolSize, strides, padding(l, false));
        } catch (IllegalArgumentException e) {
            throw l.damaged(e.getMessage());
        }
    }

    private static Layer conv1d(KerasLayer l) throws IOException {
        channelsLast(l);
        l.refuseSet("lora_rank", "quantization_config");
        l.ignore("lora_alpha");
        int filters = l.positiveInt("filters");
        int kernelSize = l.integer("kernel_size", -1);
        int strides = l.integer("strides", 1);
        int dilation = l.integer("dilation_rate", 1);
        int groups = l.integer("groups", 1);
        Padding padding = padding(l, true);
        Activation activation = l.activation("activation", "linear");
        boolean useBias = l.flag("use_bias", true);
        if (kernelSize < 1 || strides < 1 || dilation < 1 || groups < 1 || filters % groups != 0) {
            throw l.damaged("kernel_size " + kernelSize + ", strides " + strides + ", dilation_rate " + dilation
                    + ", groups " + groups + " and filters " + filters + " do not make a convolution");
        }
        List<KerasWeight> w = l.weights(useBias ? 2 : 1);
        l.expectShape("kernel", w.get(0), kernelSize, -1, filters);
        if (useBias) {
            l.expectShape("bias", w.get(1), filters);
        }
        int[] shape = w.get(0).shape();
        double[] flat = w.get(0).data();
        double[][][] kernel = new double[shape[0]][shape[1]][];
        for (int k = 0; k < shape[0]; k++) {
            for (int c = 0; c < shape[1]; c++) {
                int from = (k * shape[1] + c) * shape[2];
                kernel[k][c] = java.util.Arrays.copyOfRange(flat, from, from + shape[2]);
            }
        }
        try {
            return Handover.layers().conv1D(kernel, useBias ? w.get(1).vector() : null, strides, padding, dilation,
                    groups, activation);
        } catch (IllegalArgumentException e) {
            throw l.damaged(e.getMessage());
        }
    }

    /** The normalized axis must be the last: {@code -1}, or its positive index (2 for sequences, 1 for vectors). */
    private static void lastAxis(KerasLayer l) throws IOException {
        int[] axes = l.has("axis") ? l.ints("axis") : new int[] {-1};
        if (axes.length != 1 || (axes[0] != -1 && axes[0] != 1 && axes[0] != 2)) {
            throw l.unsupported("axis " + java.util.Arrays.toString(axes), "supported: the last axis (-1)");
        }
    }

    private static Layer batchNormalization(KerasLayer l) throws IOException {
        lastAxis(l);
        l.ignore("momentum", "fused", "synchronized", "virtual_batch_size", "renorm_clipping", "renorm_momentum",
                "adjustment");
        l.refuseSet("renorm");
        if (l.has("mode") && l.integer("mode", 0) != 0) {
            throw l.unsupported("Keras 1 mode " + l.integer("mode", 0), "supported: mode 0");
        }
        double epsilon = l.number("epsilon", 1e-3);
        boolean center = l.flag("center", true);
        boolean scale = l.flag("scale", true);
        List<KerasWeight> w = l.weights((scale ? 1 : 0) + (center ? 1 : 0) + 2);
        int n = w.get(w.size() - 1).shape()[0];
        for (KerasWeight weight : w) {
            l.expectShape(weight.path(), weight, n);
        }
        int i = 0;
        double[] gamma = scale ? w.get(i++).vector() : null;
        double[] beta = center ? w.get(i++).vector() : null;
        try {
            return new BatchNormalization(gamma, beta, w.get(i).vector(), w.get(i + 1).vector(), epsilon);
        } catch (IllegalArgumentException e) {
            throw l.damaged(e.getMessage());
        }
    }

    private static Layer layerNormalization(KerasLayer l) throws IOException {
        lastAxis(l);
        boolean rms = l.flag("rms_scaling", false);
        double epsilon = l.number("epsilon", 1e-3);
        boolean center = l.flag("center", true);
        boolean scale = l.flag("scale", true);
        if (rms) {
            // keras/src/layers/normalization/layer_normalization.py: gamma when scale or rms_scaling, no beta.
            List<KerasWeight> w = l.weights(1);
            l.expectShape("gamma", w.get(0), -1);
            return LayerNormalization.rmsScaling(w.get(0).vector(), epsilon);
        }
        List<KerasWeight> w = l.weights((scale ? 1 : 0) + (center ? 1 : 0));
        if (w.isEmpty()) {
            return new LayerNormalization(null, null, io.github.rnn4j.layers.Shape.UNKNOWN, epsilon);
        }
        int n = w.get(0).shape()[0];
        for (KerasWeight weight : w) {
            l.expectShape(weight.path(), weight, n);
        }
        double[] gamma = scale ? w.get(0).vector() : null;
        double[] beta = center ? w.get(scale ? 1 : 0).vector() : null;
        return new LayerNormalization(gamma, beta, n, epsilon);
    }

    private static Layer relu(KerasLayer l) throws IOException {
        Double max = l.optionalNumber("max_value");
        return ActivationLayer.relu(max == null ? Double.POSITIVE_INFINITY : max, l.number("negative_slope", 0.0),
                l.number("threshold", 0.0));
    }

    private static Layer flatten(KerasLayer l) throws IOException {
        String format = l.string("data_format", "channels_last");
        if (!format.equals("channels_last")) {
            throw l.unsupported("data_format '" + format + "'", "supported: channels_last");
        }
        return new Flatten();
    }

    private static Layer dot(KerasLayer l) throws IOException {
        int[] axes = l.ints("axes");
        if (axes.length == 1) {
            axes = new int[] {axes[0], axes[0]};
        }
        if (axes.length != 2) {
            throw l.damaged("axes has " + axes.length + " entries, expected 1 or 2");
        }
        try {
            return new Dot(axes, l.flag("normalize", false));
        } catch (IllegalArgumentException e) {
            throw l.unsupported("axes " + java.util.Arrays.toString(axes), e.getMessage());
        }
    }

    /** Keras 1's {@code Merge(mode=...)} (keras 1.2.2 keras/engine/topology.py). */
    private static Layer keras1Merge(KerasLayer l) throws IOException {
        l.ignore("output_shape", "output_shape_type", "mode_type", "output_mask", "output_mask_type", "arguments",
                "dot_axes", "concat_axis");
        String mode = l.string("mode", "sum");
        switch (mode) {
            case "sum": return new Merge(Merge.Kind.ADD);
            case "mul": return new Merge(Merge.Kind.MULTIPLY);
            case "ave": return new Merge(Merge.Kind.AVERAGE);
            case "max": return new Merge(Merge.Kind.MAXIMUM);
            case "concat": return new Concatenate(l.integer("concat_axis", -1));
            default:
                throw l.unsupported("Merge mode '" + mode + "'", "supported: sum, mul, ave, max, concat");
        }
    }

    // ------------------------------------------------------------------------------------------ recurrent

    /** A recurrent layer's options, read once for Rnn and Bidirectional alike. */
    private static final class RnnOptions {
        RnnCell cell;
        boolean returnSequences;
        boolean returnState;
        boolean goBackwards;
        boolean zeroOutputForMask;
    }

    private static Layer rnn(KerasLayer l) throws IOException {
        RnnOptions o = recurrent(l);
        return Rnn.of(o.cell).returnSequences(o.returnSequences).returnState(o.returnState)
                .goBackwards(o.goBackwards).zeroOutputForMask(o.zeroOutputForMask);
    }

    private static RnnOptions recurrent(KerasLayer l) throws IOException {
        String cls = l.cls;
        boolean keras1 = l.has("output_dim") && !l.has("units");
        int units = keras1 ? l.positiveInt("output_dim") : l.positiveInt("units");
        l.ignore("dropout", "recurrent_dropout", "implementation", "unroll", "dropout_W", "dropout_U", "use_cudnn",
                "consume_less", "input_dim", "input_length", "unit_forget_bias", "inner_init", "forget_bias_init",
                "cell");
        l.refuseSet("time_major", "num_constants");
        RnnOptions o = new RnnOptions();
        o.returnSequences = l.flag("return_sequences", false);
        o.returnState = l.flag("return_state", false);
        o.goBackwards = l.flag("go_backwards", false);
        o.zeroOutputForMask = l.flag("zero_output_for_mask", false);
        if (l.flag("stateful", false)) {
            l.context.note("layer '" + l.name + "' (" + cls + ") is stateful=True: every run starts from zero"
                    + " states; a Session carries the states from step to step");
        }
        boolean cudnn = cls.startsWith("CuDNN");
        Activation activation = cudnn ? Activation.TANH : l.activation("activation", "tanh");
        Activation recurrentActivation = null;
        if (!cls.equals("SimpleRNN")) {
            if (cudnn) {
                recurrentActivation = Activation.SIGMOID;
            } else if (l.has("recurrent_activation")) {
                recurrentActivation = l.activation("recurrent_activation", null);
            } else if (l.has("inner_activation")) {
                recurrentActivation = l.activation("inner_activation", null);
            } else {
                String fallback = l.context.kerasMajor < 3 ? "hard_sigmoid" : "sigmoid";
                recurrentActivation = l.activation("recurrent_activation", fallback);
                l.context.note("layer '" + l.name + "' has no recurrent_activation: Keras "
                        + l.context.kerasVersion + "'s default " + fallback);
            }
        }
        boolean useBias = l.flag("use_bias", true);
        List<KerasWeight> w;
        int gates = cls.endsWith("LSTM") ? 4 : cls.endsWith("GRU") ? 3 : 1;
        if (keras1 && gates > 1 && l.weightsScope().remaining() == 3 * gates) {
            w = keras1Weights(l, gates, units);
        } else {
            w = l.cellWeights(useBias ? 3 : 2);
        }
        int width = gates * units;
        l.expectShape("kernel", w.get(0), -1, width);
        l.expectShape("recurrent_kernel", w.get(1), units, width);
        // Each weight is copied once, from the file's flat array into the rows the cell owns (Handover).
        Handover.Layers layers = Handover.layers();
        double[][] kernel = cudnn ? cudnnKernel(w.get(0).data(), units, gates) : w.get(0).matrix();
        KerasWeight recurrentWeight = w.get(1);
        KerasWeight bias = useBias ? w.get(2) : null;
        switch (cls) {
            case "SimpleRNN":
                if (bias != null) {
                    l.expectShape("bias", bias, width);
                }
                o.cell = layers.simpleRnn(kernel, recurrentWeight.matrix(), bias == null ? null : bias.vector(),
                        activation);
                break;
            case "LSTM":
            case "CuDNNLSTM": {
                double[] b = null;
                if (bias != null) {
                    if (cudnn) {
                        // keras 2.2.4 keras/engine/saving.py _convert_rnn_weights: input and recurrent biases summed.
                        l.expectShape("bias", bias, 2 * width);
                        double[] both = bias.vector();
                        b = new double[width];
                        for (int j = 0; j < width; j++) {
                            b[j] = both[j] + both[width + j];
                        }
                    } else {
                        l.expectShape("bias", bias, width);
                        b = bias.vector();
                    }
                }
                double[][] recurrent = cudnn ? cudnnRecurrent(recurrentWeight.data(), units, gates)
                        : recurrentWeight.matrix();
                o.cell = layers.lstm(kernel, recurrent, b, activation, recurrentActivation);
                break;
            }
            default: {
                boolean resetAfter;
                if (cudnn) {
                    resetAfter = true;
                } else if (l.has("reset_after")) {
                    resetAfter = l.flag("reset_after", false);
                } else {
                    // Absent only in files older than the option (keras-team/keras#9112, after Keras 2.1.3).
                    resetAfter = false;
                }
                l.context.note("GRU '" + l.name + "': reset_after=" + (resetAfter ? "True" : "False")
                        + (cudnn ? " (CuDNNGRU)" : l.has("reset_after") ? "" : " (the file predates the option)"));
                if (!resetAfter) {
                    // The cell keeps U's z, r columns and its candidate columns apart: split straight from the file.
                    double[] b = null;
                    if (bias != null) {
                        l.expectShape("bias (reset_after=False)", bias, width);
                        b = bias.vector();
                    }
                    o.cell = layers.gruResetBefore(kernel, recurrentWeight.columns(0, 2 * units),
                            recurrentWeight.columns(2 * units, width), b, activation, recurrentActivation);
                    break;
                }
                double[][] recurrent = cudnn ? cudnnRecurrent(recurrentWeight.data(), units, gates)
                        : recurrentWeight.matrix();
                if (bias == null) {
                    o.cell = layers.gruResetAfter(kernel, recurrent, null, activation, recurrentActivation);
                } else {
                    double[][] two;
                    if (bias.rank() == 1) {
                        l.expectShape("bias (reset_after=True)", bias, 2 * width);
                        double[] flat = bias.vector();
                        two = new double[][] {java.util.Arrays.copyOfRange(flat, 0, width),
                                java.util.Arrays.copyOfRange(flat, width, 2 * width)};
                    } else {
                        l.expectShape("bias (reset_after=True)", bias, 2, width);
                        two = bias.matrix();
                    }
                    o.cell = layers.gruResetAfter(kernel, recurrent, two, activation, recurrentActivation);
                }
            }
        }
        return o;
    }

    /**
     * Keras 1 per-gate weights ({@code W_i, U_i, b_i, W_c, ...} for LSTM, {@code W_z, U_z, b_z, W_r, ...} for GRU,
     * keras 1.2.2 keras/layers/recurrent.py) joined into the Keras 2 layout: LSTM gates i, f, c, o; GRU z, r, h.
     * A Keras 1 layer built with {@code consume_less='gpu'} already stores the joined layout.
     */
    private static List<KerasWeight> keras1Weights(KerasLayer l, int gates, int units) throws IOException {
        List<KerasWeight> all = l.weights(gates * 3);
        // Stored order per gate: LSTM i, c, f, o; GRU z, r, h. Wanted: LSTM i, f, c, o; GRU z, r, h.
        int[] order = gates == 4 ? new int[] {0, 2, 1, 3} : new int[] {0, 1, 2};
        KerasWeight[] joined = new KerasWeight[3];
        for (int part = 0; part < 3; part++) {
            List<KerasWeight> pieces = new ArrayList<>();
            for (int g : order) {
                pieces.add(all.get(g * 3 + part));
            }
            joined[part] = concatColumns(l, pieces, units);
        }
        return List.of(joined);
    }

    private static KerasWeight concatColumns(KerasLayer l, List<KerasWeight> pieces, int units) throws IOException {
        int rank = pieces.get(0).rank();
        int rows = rank == 2 ? pieces.get(0).shape()[0] : 1;
        int cols = units * pieces.size();
        double[] out = new double[rows * cols];
        for (int g = 0; g < pieces.size(); g++) {
            KerasWeight p = pieces.get(g);
            if (rank == 2) {
                l.expectShape("per-gate weight " + g, p, rows, units);
            } else {
                l.expectShape("per-gate bias " + g, p, units);
            }
            double[] d = p.data();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(d, r * units, out, r * cols + g * units, units);
            }
        }
        return KerasWeight.computed(l.where() + " per-gate weights", rank == 2 ? new int[] {rows, cols}
                : new int[] {cols}, out);
    }

    /**
     * A CuDNN kernel in the Keras layout: per gate {@code k.T.reshape(k.shape, order='F')} (keras 2.2.4
     * keras/engine/saving.py, {@code _convert_rnn_weights}, {@code transpose_input(from_cudnn=True)}).
     */
    private static double[][] cudnnKernel(double[] kernel, int units, int gates) {
        int width = gates * units;
        int in = kernel.length / width;
        double[][] out = new double[in][width];
        for (int g = 0; g < gates; g++) {
            // flat[p] = k row-major; out[a][b] = flat[a + b*in].
            for (int a = 0; a < in; a++) {
                for (int b = 0; b < units; b++) {
                    int p = a + b * in;
                    out[a][g * units + b] = kernel[(p / units) * width + g * units + p % units];
                }
            }
        }
        return out;
    }

    /** A CuDNN recurrent kernel in the Keras layout: each gate's block transposed (same source). */
    private static double[][] cudnnRecurrent(double[] recurrent, int units, int gates) {
        int width = gates * units;
        double[][] out = new double[units][width];
        for (int g = 0; g < gates; g++) {
            for (int a = 0; a < units; a++) {
                for (int b = 0; b < units; b++) {
                    out[a][g * units + b] = recurrent[b * width + g * units + a];
                }
            }
        }
        return out;
    }

    private static Layer bidirectional(KerasLayer l) throws IOException {
        l.refuseSet("num_constants");
        KerasLayer inner = l.inner("layer", "forward_layer");
        if (!Set.of("SimpleRNN", "LSTM", "GRU", "CuDNNLSTM", "CuDNNGRU").contains(inner.cls)) {
            throw l.unsupported("wrapping a " + inner.cls + " layer", "supported: SimpleRNN, LSTM, GRU");
        }
        boolean keras3 = l.context.kerasMajor >= 3;
        RnnOptions forward = recurrent(inner);
        inner.finish();
        if (forward.goBackwards) {
            throw l.unsupported("a forward layer with go_backwards=True");
        }
        Object mode = l.raw("merge_mode");
        MergeMode mergeMode;
        if (mode == null) {
            mergeMode = MergeMode.NONE;
        } else {
            switch (String.valueOf(mode)) {
                case "concat": mergeMode = MergeMode.CONCAT; break;
                case "sum": mergeMode = MergeMode.SUM; break;
                case "mul": mergeMode = MergeMode.MUL; break;
                case "ave": mergeMode = MergeMode.AVE; break;
                default:
                    throw l.unsupported("merge_mode '" + mode + "'", "supported: concat, sum, mul, ave, None");
            }
        }
        KerasLayer back;
        if (l.has("backward_layer")) {
            back = l.inner("backward_layer", "backward_layer");
            if (!back.cls.equals(inner.cls)) {
                throw l.unsupported("a backward_layer of class " + back.cls + " with a forward " + inner.cls);
            }
        } else {
            back = new KerasLayer(inner.name, inner.cls, inner.cfg, l.context,
                    keras3 ? l.weightsScope().child("backward_layer") : l.weightsScope());
        }
        RnnOptions backward = recurrent(back);
        if (l.has("backward_layer")) {
            back.finish();
            if (!backward.goBackwards || backward.returnSequences != forward.returnSequences
                    || backward.returnState != forward.returnState) {
                throw l.unsupported("a backward_layer that is not the forward layer with go_backwards=True");
            }
        }
        if (forward.cell.getClass() != backward.cell.getClass() || forward.cell.units() != backward.cell.units()) {
            throw l.unsupported("backward and forward layers of different kinds or sizes");
        }
        return Bidirectional.of(forward.cell, backward.cell, mergeMode).returnSequences(forward.returnSequences)
                .returnState(forward.returnState);
    }
}
