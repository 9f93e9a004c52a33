package io.github.rnn4j.model;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.layers.Bidirectional;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.RnnCell;

import java.util.List;

/**
 * A stream through a {@link SequentialModel}: feed one time step, get that step's output, with the recurrent states
 * kept between calls.
 *
 * <p>After {@code t} steps, {@link #step} returns what the model computes for those {@code t} inputs, bit for bit:
 * row {@code t-1} of {@code predictSequence}, or {@code predict} of the prefix for a model that returns one vector.
 * Masked steps (token id 0 with {@code maskZero}, or a {@code Masking} value) keep all states and repeat the previous
 * output, as in the whole-sequence run. Works for models whose recurrent layers all read forwards; a
 * {@code Bidirectional} or {@code goBackwards} layer needs the whole sequence. Not thread-safe: one session per
 * stream; the model behind it is shared and immutable. Each step allocates its small state vectors.
 */
public final class Session {
    private final SequentialModel model;
    private final List<Object> layers;
    /** States per layer ({@code null} for Dense), in Keras order. */
    private final List<double[]>[] states;
    /** The last output of each recurrent layer, repeated at masked steps. */
    private final double[][] previous;
    private int steps;
    /** The first layer as the model runs it on token ids (fused with the Embedding), or {@code null}. */
    private final Rnn firstLayer;

    @SuppressWarnings("unchecked")
    Session(SequentialModel model) {
        this.model = model;
        this.layers = model.layers();
        this.states = new List[layers.size()];
        this.previous = new double[layers.size()][];
        this.firstLayer = model.fusedFirst();
        for (Object layer : layers) {
            if (layer instanceof Bidirectional) {
                throw new IllegalStateException("a Bidirectional layer needs the whole sequence: use predict or "
                        + "predictSequence instead of a session");
            }
            if (layer instanceof Rnn && ((Rnn) layer).isGoBackwards()) {
                throw new IllegalStateException("a goBackwards layer needs the whole sequence: use predict or "
                        + "predictSequence instead of a session");
            }
        }
        reset();
    }

    /** Forgets the stream: back to zero states, as a new session. */
    public void reset() {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof Rnn) {
                RnnCell cell = (i == 0 && firstLayer != null ? firstLayer : (Rnn) layers.get(i)).cell();
                states[i] = cell.zeroStates();
                previous[i] = new double[cell.units()];
            }
        }
        steps = 0;
    }

    /** The number of steps fed since the session started or was reset. */
    public int steps() {
        return steps;
    }

    /**
     * Feeds one input vector and returns the model's output for the stream so far, {@code [outputSize]}.
     *
     * @param input {@code [inputSize]}
     * @throws IllegalStateException when the model starts with an Embedding: use {@link #step(int)}
     */
    public double[] step(double[] input) {
        if (model.takesTokenIds()) {
            throw new IllegalStateException("the model starts with an Embedding: feed token ids with step(int)");
        }
        Checks.vectorLength("input", input, model.inputSize());
        if (model.maskValue() != null && SequentialModel.isMaskedRow(input, model.maskValue())) {
            return advance(new double[input.length], true);
        }
        return advance(input, false);
    }

    /**
     * Feeds one token id and returns the model's output for the stream so far, {@code [outputSize]}.
     *
     * @param id in {@code [0, vocabSize)}; 0 is a masked step when the Embedding has {@code maskZero}
     * @throws IllegalStateException when the model takes vectors: use {@link #step(double[])}
     */
    public double[] step(int id) {
        if (!model.takesTokenIds()) {
            throw new IllegalStateException("the model has no Embedding: feed vectors with step(double[])");
        }
        Embedding embedding = model.embedding();
        if (id < 0 || id >= embedding.vocabSize()) {
            throw new IllegalArgumentException("id is " + id + ", expected an id in [0, " + embedding.vocabSize() + ")");
        }
        boolean masked = embedding.maskZero() && id == 0;
        if (model.fusedFirst() != null) {
            // The same fused first layer as predictSequence(int[]), fed the one-hot row of the id.
            double[] oneHot = new double[embedding.vocabSize()];
            oneHot[id] = 1.0;
            return advance(oneHot, masked);
        }
        return advance(embedding.forward(new int[] {id})[0], masked);
    }

    private double[] advance(double[] input, boolean masked) {
        double[] x = input;
        for (int i = 0; i < layers.size(); i++) {
            Object layer = layers.get(i);
            if (layer instanceof Dense) {
                x = ((Dense) layer).forward(x);
                continue;
            }
            Rnn rnn = i == 0 && firstLayer != null ? firstLayer : (Rnn) layer;
            if (masked) {
                x = rnn.isZeroOutputForMask() ? new double[rnn.outputSize()] : previous[i].clone();
            } else {
                states[i] = rnn.cell().step(x, states[i]);
                previous[i] = states[i].get(0);
                x = previous[i].clone();
            }
        }
        steps++;
        return x;
    }
}
