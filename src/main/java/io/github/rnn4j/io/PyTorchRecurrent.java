package io.github.rnn4j.io;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.internal.Handover;
import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Bidirectional;
import io.github.rnn4j.layers.Concatenate;
import io.github.rnn4j.layers.GruCell;
import io.github.rnn4j.layers.Layer;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.Masking;
import io.github.rnn4j.layers.MergeMode;
import io.github.rnn4j.layers.Reshape;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.RnnCell;
import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.layers.SimpleRnnCell;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PyTorch recurrent module described by its constructor arguments — {@code nn.RNN}, {@code nn.LSTM} or
 * {@code nn.GRU} with {@code input_size}, {@code hidden_size}, {@code num_layers}, {@code bias} and
 * {@code bidirectional} — that turns the module's parameters in a state dict into rnn4j layers. Always
 * {@code batch_first}: rnn4j's sequences are {@code [timeSteps][features]}.
 *
 * <p>Start from {@link PyTorch#rnn}, {@link PyTorch#lstm} or {@link PyTorch#gru}, set options with the withers, then
 * call {@link #model} for a {@link Model} with PyTorch's three results ({@code output}, {@code h_n}, {@code c_n}), or
 * {@link #layers} for layers to add to a chain ending in what a classifier reads ({@link Output}).
 *
 * <p>Conversion (torch/nn/modules/rnn.py): {@code weight_ih_l{k}} {@code [G·H][in]} becomes the kernel
 * {@code [in][G·H]} and {@code weight_hh_l{k}} the recurrent kernel {@code [H][G·H]} (transposed); LSTM gates
 * {@code i,f,g,o} are Keras's {@code i,f,c,o} (the same order) and {@code b_ih + b_hh} is summed in float64; GRU
 * gates {@code r,z,n} become Keras's {@code z,r,h} and the two biases the rows of a {@code reset_after=True} bias
 * {@code [2][3·H]} (PyTorch's {@code n = tanh(W_in x + b_in + r·(W_hn h + b_hn))} is exactly Keras's
 * {@code reset_after=True}); {@code nn.RNN}'s two biases are summed. Layer {@code k > 0} reads {@code D·H}
 * features; {@code _reverse} parameters are the backward direction of a {@link Bidirectional} layer, whose outputs
 * are concatenated forward then backward as PyTorch does.
 *
 * <p>Masks: a masked (padded) step leaves the states unchanged and outputs zeros, and the backward direction starts
 * at each sequence's own last step, which is what {@code pack_padded_sequence} computes; see
 * {@link #packedModel}. Immutable and thread-safe.
 */
public final class PyTorchRecurrent {
    /** The recurrent module class. */
    public enum Kind {
        /** {@code nn.RNN(nonlinearity='tanh')}. */
        RNN_TANH("nn.RNN", 1),
        /** {@code nn.RNN(nonlinearity='relu')}. */
        RNN_RELU("nn.RNN", 1),
        /** {@code nn.LSTM}. */
        LSTM("nn.LSTM", 4),
        /** {@code nn.GRU}. */
        GRU("nn.GRU", 3);

        private final String pythonName;
        private final int gates;

        Kind(String pythonName, int gates) {
            this.pythonName = pythonName;
            this.gates = gates;
        }
    }

    /** What the last recurrent layer hands to the next layer of a chain ({@link #layers}). */
    public enum Output {
        /** {@code output}: every step of the last layer, {@code [timeSteps][D·H]}. */
        SEQUENCE,
        /**
         * {@code output[:, -1, :]}: the last step of {@code output}, {@code [D·H]}. For a bidirectional module
         * its backward half is the backward direction's output at the last time step — after reading one step —
         * NOT the backward direction's final state (that is {@link #FINAL_HIDDEN}). Meant for unpadded input: on
         * a padded batch PyTorch's {@code output[:, -1, :]} is zero for the shorter sequences.
         */
        LAST_STEP,
        /**
         * The last layer's final hidden state: {@code h_n[-1]}, or {@code torch.cat((h_n[-2], h_n[-1]), dim=1)}
         * for a bidirectional module, {@code [D·H]}; with packed (masked) sequences each is taken at the
         * sequence's own length.
         */
        FINAL_HIDDEN
    }

    private final Kind kind;
    private final int inputSize;
    private final int hiddenSize;
    private final int numLayers;
    private final boolean bias;
    private final boolean bidirectional;

    private PyTorchRecurrent(Kind kind, int inputSize, int hiddenSize, int numLayers, boolean bias,
                             boolean bidirectional) {
        this.kind = kind;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.bidirectional = bidirectional;
    }

    /**
     * Describes a module with PyTorch's defaults: one layer, with bias, one direction.
     *
     * @param kind the module class
     * @param inputSize {@code input_size}, at least 1
     * @param hiddenSize {@code hidden_size}, at least 1
     * @return an immutable description
     * @throws IllegalArgumentException when a size is below 1
     */
    public static PyTorchRecurrent of(Kind kind, int inputSize, int hiddenSize) {
        Checks.notNull("kind", kind);
        atLeastOne("inputSize", inputSize);
        atLeastOne("hiddenSize", hiddenSize);
        return new PyTorchRecurrent(kind, inputSize, hiddenSize, 1, true, false);
    }

    private static void atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " is " + value + ", expected >= 1");
        }
    }

    /**
     * Returns a copy with {@code num_layers} stacked layers.
     *
     * @param layers {@code num_layers}, at least 1
     * @return a new description; this one is unchanged
     */
    public PyTorchRecurrent numLayers(int layers) {
        atLeastOne("numLayers", layers);
        return new PyTorchRecurrent(kind, inputSize, hiddenSize, layers, bias, bidirectional);
    }

    /**
     * Returns a copy with or without the bias parameters ({@code bias=False} has none).
     *
     * @param on {@code false} for {@code bias=False}
     * @return a new description; this one is unchanged
     */
    public PyTorchRecurrent bias(boolean on) {
        return new PyTorchRecurrent(kind, inputSize, hiddenSize, numLayers, on, bidirectional);
    }

    /**
     * Returns a copy that reads in both directions ({@code bidirectional=True}).
     *
     * @param on {@code true} for {@code bidirectional=True}
     * @return a new description; this one is unchanged
     */
    public PyTorchRecurrent bidirectional(boolean on) {
        return new PyTorchRecurrent(kind, inputSize, hiddenSize, numLayers, bias, on);
    }

    /**
     * The module class.
     *
     * @return RNN, LSTM or GRU
     */
    public Kind kind() {
        return kind;
    }

    /**
     * {@code input_size}: the features of each input step.
     *
     * @return {@code input_size}
     */
    public int inputSize() {
        return inputSize;
    }

    /**
     * {@code hidden_size}: the units of each direction.
     *
     * @return {@code hidden_size}
     */
    public int hiddenSize() {
        return hiddenSize;
    }

    /**
     * {@code num_layers}.
     *
     * @return the number of stacked layers, at least 1
     */
    public int numLayers() {
        return numLayers;
    }

    /**
     * Whether the module has bias parameters.
     *
     * @return {@code false} for {@code bias=False}
     */
    public boolean hasBias() {
        return bias;
    }

    /**
     * Whether the module is bidirectional.
     *
     * @return {@code true} for {@code bidirectional=True}
     */
    public boolean isBidirectional() {
        return bidirectional;
    }

    /**
     * The number of directions D: 2 when bidirectional, else 1.
     *
     * @return 1 or 2
     */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /**
     * The features of each step of {@code output}: {@code D·hidden_size}.
     *
     * @return {@code D·hidden_size}
     */
    public int outputSize() {
        return directions() * hiddenSize;
    }

    // ------------------------------------------------------------------------------------------ building

    /**
     * The module's layers for a chain ({@code Model.sequential()}), one per PyTorch layer, the last one returning
     * {@code output}.
     *
     * @param stateDict the state dict, as {@link PyTorch#readStateDict} returns it
     * @param prefix the module's name in the state dict, for example {@code "encoder.lstm"} (empty for the state
     *        dict of the bare module)
     * @param output which result the last layer returns
     * @return the layers, to add to a chain in order
     * @throws IllegalArgumentException when a parameter is missing, has another shape (both shapes are named), is
     *         not finite, or an extra parameter lives under the prefix
     */
    public List<Layer> layers(Map<String, Tensor> stateDict, String prefix, Output output) {
        Checks.notNull("output", output);
        List<RnnCell[]> cells = cells(stateDict, prefix);
        List<Layer> out = new ArrayList<>();
        for (int k = 0; k < numLayers; k++) {
            boolean last = k == numLayers - 1;
            boolean sequences = !last || output != Output.FINAL_HIDDEN && !(output == Output.LAST_STEP
                    && !bidirectional);
            out.add(layer(cells.get(k), sequences, false));
        }
        if (output == Output.LAST_STEP && bidirectional) {
            out.add(lastStep(outputSize()));
        }
        return out;
    }

    /**
     * The module as a {@link Model} with PyTorch's results: input {@code "input"} {@code [timeSteps][input_size]},
     * outputs {@code "output"} {@code [timeSteps][D·H]}, {@code "h_n"} {@code [num_layers·D][H]} and, for an LSTM,
     * {@code "c_n"} {@code [num_layers·D][H]} — per sample, so a batch run gives {@code h_n} as
     * {@code [batch][num_layers·D][H]} where PyTorch gives {@code [num_layers·D][batch][H]}. Rows of {@code h_n} are
     * in PyTorch's order: layer 0 forward, layer 0 backward, layer 1 forward, ...
     *
     * @param stateDict the state dict, as {@link PyTorch#readStateDict} returns it
     * @param prefix the module's name in the state dict (empty for the bare module)
     * @return a model with one input and two or three outputs
     * @throws IllegalArgumentException as {@link #layers}
     */
    public Model model(Map<String, Tensor> stateDict, String prefix) {
        return model(stateDict, prefix, null);
    }

    /**
     * The module as {@link #model}, run as on a {@code pack_padded_sequence} batch: the steps whose features all
     * equal {@code paddingValue} are padding (a Keras {@code Masking} layer comes first). Each sequence's states
     * stop at its own last step ({@code h_n}, {@code c_n}), the backward direction starts there, and the padded
     * steps of {@code output} are zero, as {@code pad_packed_sequence} returns them. Pad with a value no real step
     * has in every feature.
     *
     * @param stateDict the state dict, as {@link PyTorch#readStateDict} returns it
     * @param prefix the module's name in the state dict (empty for the bare module)
     * @param paddingValue the feature value of every padded step
     * @return a model with one input and two or three outputs, skipping padded steps
     */
    public Model packedModel(Map<String, Tensor> stateDict, String prefix, double paddingValue) {
        return model(stateDict, prefix, paddingValue);
    }

    private Model model(Map<String, Tensor> stateDict, String prefix, Double paddingValue) {
        List<RnnCell[]> cells = cells(stateDict, prefix);
        Model.Builder b = Model.builder().input("input", Shape.sequence(Shape.UNKNOWN, inputSize));
        String previous = "input";
        if (paddingValue != null) {
            b.add("masking", new Masking(paddingValue), previous);
            previous = "masking";
        }
        int states = kind == Kind.LSTM ? 2 : 1;
        List<Model.Port> h = new ArrayList<>();
        List<Model.Port> c = new ArrayList<>();
        for (int k = 0; k < numLayers; k++) {
            String name = "layer" + k;
            b.add(name, layer(cells.get(k), true, true), previous);
            for (int d = 0; d < directions(); d++) {
                h.add(Model.Port.of(name, 0, 1 + d * states));
                if (states == 2) {
                    c.add(Model.Port.of(name, 0, 2 + d * states));
                }
            }
            previous = name;
        }
        List<Model.Port> outputs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        outputs.add(Model.Port.of(previous, 0, 0));
        names.add("output");
        outputs.add(stack(b, "h_n", h));
        names.add("h_n");
        if (states == 2) {
            outputs.add(stack(b, "c_n", c));
            names.add("c_n");
        }
        return b.outputs(outputs.toArray(new Model.Port[0])).outputNames(names)
                .property("source", "PyTorch " + this).build();
    }

    /** Stacks final-state vectors into {@code [count][H]}: a Concatenate (when more than one) then a Reshape. */
    private Model.Port stack(Model.Builder b, String name, List<Model.Port> vectors) {
        List<Model.Port> from = vectors;
        if (vectors.size() > 1) {
            b.add(name + "_concat", new Concatenate(-1), vectors);
            from = List.of(Model.Port.of(name + "_concat"));
        }
        b.add(name, new Reshape(vectors.size(), hiddenSize), from);
        return Model.Port.of(name);
    }

    private Layer layer(RnnCell[] cells, boolean sequences, boolean state) {
        if (cells.length == 1) {
            // zeros at padded steps of a sequence, as pad_packed_sequence; a last output is the state at the own length
            return Rnn.of(cells[0]).returnSequences(sequences).returnState(state).zeroOutputForMask(sequences);
        }
        return Bidirectional.of(cells[0], cells[1], MergeMode.CONCAT).returnSequences(sequences).returnState(state);
    }

    /**
     * {@code x[-1]} of a sequence {@code [timeSteps][features]} as a layer: a linear recurrent layer whose kernel is
     * the identity and whose recurrent kernel is zero, so its last output is the last step exactly
     * ({@code x_j·1 + Σ 0}).
     */
    private static Layer lastStep(int features) {
        double[][] identity = new double[features][features];
        for (int i = 0; i < features; i++) {
            identity[i][i] = 1.0;
        }
        return Rnn.of(SimpleRnnCell.withoutBias(identity, new double[features][features], Activation.LINEAR));
    }

    // ------------------------------------------------------------------------------------------ parameters

    /** The converted cells of every layer: {@code [forward]} or {@code [forward, backward]}. */
    private List<RnnCell[]> cells(Map<String, Tensor> stateDict, String prefix) {
        StateDictScope scope = new StateDictScope(stateDict, prefix, toString());
        int g = kind.gates;
        List<String> expected = new ArrayList<>();
        for (int k = 0; k < numLayers; k++) {
            for (int d = 0; d < directions(); d++) {
                String suffix = "_l" + k + (d == 1 ? "_reverse" : "");
                expected.add("weight_ih" + suffix);
                expected.add("weight_hh" + suffix);
                if (bias) {
                    expected.add("bias_ih" + suffix);
                    expected.add("bias_hh" + suffix);
                }
            }
        }
        // extra parameters first: they say which hyper-parameter differs (num_layers, bias, bidirectional)
        scope.checkOnly(expected, extraHint());
        List<RnnCell[]> out = new ArrayList<>();
        for (int k = 0; k < numLayers; k++) {
            int in = k == 0 ? inputSize : outputSize();
            RnnCell[] dirs = new RnnCell[directions()];
            for (int d = 0; d < dirs.length; d++) {
                String suffix = "_l" + k + (d == 1 ? "_reverse" : "");
                // Views of the tensors: the transposes and bias sums below are the one copy of each weight.
                double[] wIh = scope.values("weight_ih" + suffix, g * hiddenSize, in);
                double[] wHh = scope.values("weight_hh" + suffix, g * hiddenSize, hiddenSize);
                double[] bIh = bias ? scope.values("bias_ih" + suffix, g * hiddenSize) : null;
                double[] bHh = bias ? scope.values("bias_hh" + suffix, g * hiddenSize) : null;
                dirs[d] = cell(wIh, in, wHh, bIh, bHh);
            }
            out.add(dirs);
        }
        return out;
    }

    private String extraHint() {
        return "the module " + this + " has no such parameter (check num_layers, bias and bidirectional)";
    }

    /** A cell owning new arrays made from the state dict's values ({@code wIh} is {@code [G·H][in]} row-major). */
    private RnnCell cell(double[] wIh, int in, double[] wHh, double[] bIh, double[] bHh) {
        int[] order = kind == Kind.GRU ? new int[] {1, 0, 2} : identityOrder(kind.gates);
        double[][] kernel = transposeBlocks(wIh, in, order);
        double[][] recurrent = transposeBlocks(wHh, hiddenSize, order);
        Handover.Layers layers = Handover.layers();
        switch (kind) {
            case RNN_TANH, RNN_RELU -> {
                Activation act = kind == Kind.RNN_TANH ? Activation.TANH : Activation.RELU;
                return layers.simpleRnn(kernel, recurrent, bIh == null ? null : sum(bIh, bHh), act);
            }
            case LSTM -> {
                return layers.lstm(kernel, recurrent, bIh == null ? null : sum(bIh, bHh), Activation.TANH,
                        Activation.SIGMOID);
            }
            case GRU -> {
                return layers.gruResetAfter(kernel, recurrent, bIh == null ? null
                        : new double[][] {reorder(bIh, order), reorder(bHh, order)}, Activation.TANH,
                        Activation.SIGMOID);
            }
            default -> throw new AssertionError(kind);
        }
    }

    private static int[] identityOrder(int gates) {
        int[] order = new int[gates];
        for (int i = 0; i < gates; i++) {
            order[i] = i;
        }
        return order;
    }

    /**
     * PyTorch's {@code [G·H][in]} to rnn4j's {@code [in][G·H]}, Keras gate block {@code j} taken from PyTorch gate
     * block {@code order[j]}.
     */
    private static double[][] transposeBlocks(double[] w, int cols, int[] order) {
        int rows = w.length / cols;
        int h = rows / order.length;
        double[][] out = new double[cols][rows];
        for (int j = 0; j < order.length; j++) {
            for (int u = 0; u < h; u++) {
                int src = (order[j] * h + u) * cols;
                for (int i = 0; i < cols; i++) {
                    out[i][j * h + u] = w[src + i];
                }
            }
        }
        return out;
    }

    private static double[] reorder(double[] b, int[] order) {
        int h = b.length / order.length;
        double[] out = new double[b.length];
        for (int j = 0; j < order.length; j++) {
            System.arraycopy(b, order[j] * h, out, j * h, h);
        }
        return out;
    }

    private static double[] sum(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    /** The Python constructor call, for example {@code nn.LSTM(3, 4, num_layers=2, bidirectional=True)}. */
    @Override
    public String toString() {
        Map<String, String> args = new LinkedHashMap<>();
        if (numLayers != 1) {
            args.put("num_layers", Integer.toString(numLayers));
        }
        if (kind == Kind.RNN_RELU) {
            args.put("nonlinearity", "'relu'");
        }
        if (!bias) {
            args.put("bias", "False");
        }
        args.put("batch_first", "True");
        if (bidirectional) {
            args.put("bidirectional", "True");
        }
        StringBuilder sb = new StringBuilder(kind.pythonName).append('(').append(inputSize).append(", ")
                .append(hiddenSize);
        args.forEach((k, v) -> sb.append(", ").append(k).append('=').append(v));
        return sb.append(')').toString();
    }
}
