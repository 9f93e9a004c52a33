package io.github.rnn4j.model;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.layers.Bidirectional;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.GruCell;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.MergeMode;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.RnnCell;
import io.github.rnn4j.layers.RnnOutput;
import io.github.rnn4j.layers.SimpleRnnCell;

import java.util.ArrayList;
import java.util.List;

/**
 * A stack of layers run one after the other, as a Keras {@code Sequential} model.
 *
 * <p>Input is either token ids {@code [timeSteps]} through a leading {@link Embedding}, or vectors
 * {@code [timeSteps][inputSize]} (for example one-hot rows). Then any number of {@link Rnn},
 * {@link Bidirectional} and {@link Dense} layers; Dense applies to each time step of a sequence. Masks flow as in
 * Keras: an Embedding with {@code maskZero} or a Masking step creates one, recurrent layers receive it, a
 * recurrent layer that returns sequences passes it on, one that does not ends it (keras/src/layers/rnn/rnn.py,
 * {@code compute_mask}). Immutable and thread-safe.
 */
public final class SequentialModel {
    private final Embedding embedding;
    private final Double maskValue;
    private final List<Object> layers;
    private final int inputSize;
    private final int outputSize;
    private final boolean returnsSequences;
    /** The first layer fused with the Embedding ({@link RnnCell#withEmbedding}), or {@code null}. */
    private final Rnn fusedFirst;

    /** The most doubles a fused embedding kernel may hold: 32 MB. */
    private static final long FUSED_KERNEL_LIMIT = 1L << 22;

    private SequentialModel(Embedding embedding, Double maskValue, List<Object> layers, int inputSize,
                            int outputSize, boolean returnsSequences) {
        this.fusedFirst = fuse(embedding, layers.get(0));
        this.embedding = embedding;
        this.maskValue = maskValue;
        this.layers = layers;
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.returnsSequences = returnsSequences;
    }

    /** Starts an empty model. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a model from Keras layer configurations and the weights in Keras {@code model.get_weights()} order.
     *
     * <p>For example a SimpleRNN then a Dense take {@code [W_xh, W_hh, b_h, W_hy, b_y]}.
     *
     * @throws IllegalArgumentException when the number of weights or a weight's shape does not fit, naming the
     *         layer and the weight
     */
    public static SequentialModel fromKeras(List<LayerConfig> configs, List<Tensor> weights) {
        Checks.notNull("configs", configs);
        Checks.notNull("weights", weights);
        int needed = 0;
        for (LayerConfig c : configs) {
            needed += Checks.notNull("configs entry", c).weightCount();
        }
        if (needed != weights.size()) {
            throw new IllegalArgumentException("weights has " + weights.size() + " arrays, expected " + needed
                    + " for layers " + configs);
        }
        Builder b = builder();
        int w = 0;
        for (int i = 0; i < configs.size(); i++) {
            LayerConfig c = configs.get(i);
            List<Tensor> mine = weights.subList(w, w + c.weightCount());
            try {
                addKerasLayer(b, c, mine);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new IllegalArgumentException("layer " + i + " (" + c + ", weights[" + w + ".."
                        + (w + c.weightCount() - 1) + "]): " + e.getMessage(), e);
            }
            w += c.weightCount();
        }
        return b.build();
    }

    private static void addKerasLayer(Builder b, LayerConfig c, List<Tensor> w) {
        switch (c.kind()) {
            case EMBEDDING:
                b.embedding(new Embedding(matrix("embeddings", w.get(0)), c.maskZero()));
                break;
            case MASKING:
                b.masking(c.maskValue());
                break;
            case DENSE:
                expectShape("kernel", w.get(0), -1, c.units());
                b.add(new Dense(matrix("kernel", w.get(0)), c.useBias() ? vector("bias", w.get(1)) : null,
                        c.activation()));
                break;
            case BIDIRECTIONAL: {
                int n = c.inner().weightCount();
                RnnCell fw = cell(c.inner(), w.subList(0, n));
                RnnCell bw = cell(c.inner(), w.subList(n, 2 * n));
                b.add(Bidirectional.of(fw, bw, c.mergeMode()).returnSequences(c.returnSequences()));
                break;
            }
            default:
                b.add(Rnn.of(cell(c, w)).returnSequences(c.returnSequences()).goBackwards(c.goBackwards())
                        .zeroOutputForMask(c.zeroOutputForMask()));
        }
    }

    /**
     * Fuses an Embedding into the recurrent layer after it when the fused kernel is small enough, so that a token's
     * input projection is a row lookup instead of an {@code embeddingDim × 4·units} product per step.
     */
    private static Rnn fuse(Embedding embedding, Object first) {
        if (embedding == null || !(first instanceof Rnn)) {
            return null;
        }
        Rnn rnn = (Rnn) first;
        if ((long) embedding.vocabSize() * 4 * rnn.outputSize() > FUSED_KERNEL_LIMIT) {
            return null;
        }
        return Rnn.of(rnn.cell().withEmbedding(embedding)).returnSequences(rnn.returnsSequences())
                .returnState(rnn.returnsState()).goBackwards(rnn.isGoBackwards())
                .zeroOutputForMask(rnn.isZeroOutputForMask());
    }

    /** Builds the cell of a SIMPLE_RNN, LSTM or GRU configuration from its Keras weights. */
    static RnnCell cell(LayerConfig c, List<Tensor> w) {
        int gates = c.kind() == LayerConfig.Kind.LSTM ? 4 : c.kind() == LayerConfig.Kind.GRU ? 3 : 1;
        int width = gates * c.units();
        expectShape("kernel", w.get(0), -1, width);
        expectShape("recurrent_kernel", w.get(1), c.units(), width);
        double[][] kernel = matrix("kernel", w.get(0));
        double[][] recurrent = matrix("recurrent_kernel", w.get(1));
        Tensor bias = c.useBias() ? w.get(2) : null;
        switch (c.kind()) {
            case SIMPLE_RNN:
                return new SimpleRnnCell(kernel, recurrent, bias == null ? null : vector("bias", bias), c.activation());
            case LSTM:
                return new LstmCell(kernel, recurrent, bias == null ? null : vector("bias", bias), c.activation(),
                        c.recurrentActivation());
            case GRU:
                if (bias == null) {
                    return GruCell.withoutBias(kernel, recurrent, c.resetAfter(), c.activation(),
                            c.recurrentActivation());
                }
                if (c.resetAfter()) {
                    if (bias.rank() != 2) {
                        throw Checks.shape("bias", "[2][" + 3 * c.units() + "] for reset_after=True",
                                Checks.dims(bias.shape()));
                    }
                    return new GruCell(kernel, recurrent, bias.matrix(), c.activation(), c.recurrentActivation());
                }
                return new GruCell(kernel, recurrent, vector("bias", bias), c.activation(), c.recurrentActivation());
            default:
                throw new IllegalArgumentException(c.kind() + " is not a recurrent cell");
        }
    }

    /** Checks a rank-2 weight against the configuration's sizes; {@code rows < 0} accepts any row count. */
    private static void expectShape(String name, Tensor t, int rows, int cols) {
        int[] shape = t.shape();
        if (shape.length != 2 || (rows >= 0 && shape[0] != rows) || shape[1] != cols) {
            throw Checks.shape(name, (rows >= 0 ? "[" + rows + "]" : "[inputSize]") + "[" + cols + "]",
                    Checks.dims(shape));
        }
    }

    private static double[][] matrix(String name, Tensor t) {
        if (t.rank() != 2) {
            throw Checks.shape(name, "[rows][cols]", Checks.dims(t.shape()));
        }
        return t.matrix();
    }

    private static double[] vector(String name, Tensor t) {
        if (t.rank() != 1) {
            throw Checks.shape(name, "[n]", Checks.dims(t.shape()));
        }
        return t.vector();
    }

    /**
     * Starts a stream through this model: one time step per call, states kept between calls.
     *
     * @throws IllegalStateException when a layer needs the whole sequence (Bidirectional, goBackwards)
     */
    public Session session() {
        return new Session(this);
    }

    /** The leading Embedding, or {@code null} for a model that takes vectors. */
    Embedding embedding() {
        return embedding;
    }

    /** The first layer fused with the Embedding, or {@code null} when it is not fused. */
    Rnn fusedFirst() {
        return fusedFirst;
    }

    /** The value of a leading Masking step, or {@code null}. */
    Double maskValue() {
        return maskValue;
    }

    /** Whether the model takes token ids (it starts with an Embedding). */
    public boolean takesTokenIds() {
        return embedding != null;
    }

    /** The length of each input vector; for a model taking token ids, the embedding size. */
    public int inputSize() {
        return inputSize;
    }

    /** The length of the model's output at each step (or of its one output vector). */
    public int outputSize() {
        return outputSize;
    }

    /** Whether the output is a sequence ({@code [timeSteps][outputSize]}) rather than one vector. */
    public boolean returnsSequences() {
        return returnsSequences;
    }

    /** The layers after the input, in order: {@link Rnn}, {@link Bidirectional} and {@link Dense} instances. */
    public List<Object> layers() {
        return layers;
    }

    /**
     * Runs the model on vector input and returns the output of every step, {@code [timeSteps][outputSize]}.
     *
     * @param inputs {@code [timeSteps][inputSize]}
     * @throws IllegalStateException when the model ends in a layer that does not return sequences
     */
    public double[][] predictSequence(double[][] inputs) {
        requireSequences(true);
        requireVectors();
        return (double[][]) run(inputs, null);
    }

    /**
     * Runs the model on vector input and returns its single output vector, {@code [outputSize]}.
     *
     * @param inputs {@code [timeSteps][inputSize]}
     * @throws IllegalStateException when the model returns sequences: use {@link #predictSequence(double[][])}
     */
    public double[] predict(double[][] inputs) {
        requireSequences(false);
        requireVectors();
        return (double[]) run(inputs, null);
    }

    /**
     * Runs the model on token ids and returns the output of every step, {@code [timeSteps][outputSize]}.
     *
     * @param ids {@code [timeSteps]}, each in {@code [0, vocabSize)}
     */
    public double[][] predictSequence(int[] ids) {
        requireSequences(true);
        requireIds();
        return (double[][]) runIds(ids);
    }

    /** Runs the model on token ids and returns its single output vector, {@code [outputSize]}. */
    public double[] predict(int[] ids) {
        requireSequences(false);
        requireIds();
        return (double[]) runIds(ids);
    }

    private Object runIds(int[] ids) {
        boolean[] mask = embedding.mask(ids);
        if (ids.length == 0) {
            throw new IllegalArgumentException("ids has shape [0], expected at least one time step");
        }
        if (fusedFirst == null) {
            return run(embedding.forward(ids), mask);
        }
        RnnOutput out = fusedFirst.forward(ids, mask);
        return continueAfter(1, out.hasSequence() ? out.sequence() : null, out.hasSequence() ? null : out.last(),
                out.hasSequence() ? mask : null);
    }

    private void requireSequences(boolean sequences) {
        if (sequences && !returnsSequences) {
            throw new IllegalStateException("the model returns one vector per sequence: call predict");
        }
        if (!sequences && returnsSequences) {
            throw new IllegalStateException("the model returns a sequence: call predictSequence");
        }
    }

    private void requireVectors() {
        if (embedding != null) {
            throw new IllegalStateException("the model starts with an Embedding: pass token ids (int[])");
        }
    }

    private void requireIds() {
        if (embedding == null) {
            throw new IllegalStateException("the model has no Embedding: pass vectors (double[][])");
        }
    }

    private Object run(double[][] inputs, boolean[] mask) {
        if (embedding == null) {
            Checks.notNull("inputs", inputs);
            if (inputs.length == 0) {
                throw Checks.shape("inputs", "[timeSteps][" + inputSize + "] with timeSteps >= 1",
                        "[0][" + inputSize + "]");
            }
            Checks.matrixShape("inputs", inputs, -1, inputSize);
        }
        double[][] sequence = inputs;
        if (maskValue != null) {
            mask = new boolean[inputs.length];
            sequence = new double[inputs.length][];
            for (int t = 0; t < inputs.length; t++) {
                mask[t] = !isMaskedRow(inputs[t], maskValue);
                sequence[t] = mask[t] ? inputs[t] : new double[inputSize];
            }
        }
        return continueAfter(0, sequence, null, mask);
    }

    /** Keras {@code Masking}: a row is masked when every feature equals the mask value (masking.py). */
    static boolean isMaskedRow(double[] row, double maskValue) {
        for (double v : row) {
            if (v != maskValue) {
                return false;
            }
        }
        return true;
    }

    /** Runs layers {@code from..} on a sequence (or, after a layer that ended it, a vector) and its mask. */
    private Object continueAfter(int from, double[][] sequence, double[] vector, boolean[] mask) {
        for (Object layer : layers.subList(from, layers.size())) {
            if (layer instanceof Dense) {
                Dense d = (Dense) layer;
                if (vector != null) {
                    vector = d.forward(vector);
                } else {
                    sequence = d.forward(sequence);
                }
                continue;
            }
            RnnOutput out = layer instanceof Rnn ? ((Rnn) layer).forward(sequence, mask)
                    : ((Bidirectional) layer).forward(sequence, mask);
            if (out.hasSequence()) {
                sequence = out.sequence();
            } else {
                vector = out.last();
                sequence = null;
                mask = null;
            }
        }
        return vector != null ? vector : sequence;
    }

    /**
     * Assembles a {@link SequentialModel}; checks that each layer's input size is the previous layer's output
     * size. Not thread-safe; the model it builds is.
     */
    public static final class Builder {
        private Embedding embedding;
        private Double maskValue;
        private final List<Object> layers = new ArrayList<>();
        private int inputSize = -1;
        private int size = -1;
        private boolean sequences = true;

        private Builder() {
        }

        /** Starts the model with an Embedding: the model then takes token ids. Must come first. */
        public Builder embedding(Embedding e) {
            Checks.notNull("embedding", e);
            if (embedding != null || maskValue != null || !layers.isEmpty()) {
                throw new IllegalStateException("an Embedding must be the first layer");
            }
            embedding = e;
            inputSize = e.embeddingDim();
            size = inputSize;
            return this;
        }

        /**
         * Adds a Keras {@code Masking(maskValue)} step at the input: a step whose features all equal
         * {@code maskValue} is masked and its input zeroed (keras/src/layers/core/masking.py). Must come before
         * any other layer, and not after an Embedding.
         */
        public Builder masking(double maskValue) {
            if (embedding != null || this.maskValue != null || !layers.isEmpty()) {
                throw new IllegalStateException("Masking must be the first layer");
            }
            this.maskValue = maskValue;
            return this;
        }

        /** Adds a recurrent layer. */
        public Builder add(Rnn rnn) {
            Checks.notNull("rnn", rnn);
            return addRecurrent(rnn, rnn.inputSize(), rnn.outputSize(), rnn.returnsSequences());
        }

        /** Adds a bidirectional recurrent layer; its merge mode must not be {@link MergeMode#NONE}. */
        public Builder add(Bidirectional layer) {
            Checks.notNull("layer", layer);
            if (layer.mergeMode() == MergeMode.NONE) {
                throw new IllegalArgumentException("a Bidirectional layer with merge mode NONE has two outputs and"
                        + " cannot be stacked; use CONCAT, SUM, MUL or AVE");
            }
            return addRecurrent(layer, layer.inputSize(), layer.outputSize(), layer.returnsSequences());
        }

        /** Adds a Dense layer, applied to each time step of a sequence or to a single vector. */
        public Builder add(Dense dense) {
            Checks.notNull("dense", dense);
            checkInput(dense.inputSize());
            layers.add(dense);
            size = dense.units();
            return this;
        }

        private Builder addRecurrent(Object layer, int in, int out, boolean returnsSequences) {
            if (!sequences) {
                throw new IllegalArgumentException("layer " + layers.size() + " is recurrent but its input is one"
                        + " vector: the recurrent layer before it must return sequences");
            }
            checkInput(in);
            layers.add(layer);
            size = out;
            sequences = returnsSequences;
            return this;
        }

        private void checkInput(int in) {
            if (size < 0) {
                inputSize = in;
            } else if (in != size) {
                throw new IllegalArgumentException("layer " + layers.size() + " has inputSize " + in + ", expected "
                        + size + " (the previous layer's output size)");
            }
        }

        /**
         * Builds the model.
         *
         * @throws IllegalStateException when no layer was added
         */
        public SequentialModel build() {
            if (layers.isEmpty()) {
                throw new IllegalStateException("the model has no layers: add at least one Rnn, Bidirectional or Dense");
            }
            return new SequentialModel(embedding, maskValue, List.copyOf(layers), inputSize, size, sequences);
        }
    }

}
