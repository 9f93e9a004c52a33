package io.github.rnn4j.layers;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * One layer of a model: takes the values of one sample and returns its outputs, as one call of a Keras layer.
 *
 * <p>Every layer, recurrent or not, is a {@code Layer}, so that a model holds one type. Inputs and outputs are
 * lists because some layers take several (merges; a recurrent layer's {@code initial_state} follows its input) and
 * some return several (a recurrent layer with {@code return_state}: {@code [output, h, c]}). Masks travel inside
 * {@link Value.Sequence} and follow Keras's {@code compute_mask} rules of each layer.
 *
 * <p>Adding a layer: one class here that implements this interface (and joins the {@code permits} list), one
 * reader entry in {@code io.github.rnn4j.io.KerasLayers}, one fixture-backed test. A test checks that every
 * permitted class has a reader. Implementations are immutable and thread-safe.
 */
public sealed interface Layer
        permits Rnn, Bidirectional, Dense, Embedding, Masking, Identity,
                ActivationLayer, Merge, Concatenate, Dot,
                RepeatVector, TimeDistributed, Flatten, Reshape, Permute,
                GlobalPooling1D, BatchNormalization, LayerNormalization,
                Conv1D, Pooling1D {

    /** How a streaming session ({@code io.github.rnn4j.model.Session}) can run a layer one time step at a time. */
    enum Streaming {
        /** Each step's output depends only on that step's input: the layer runs on one-step sequences. */
        PER_STEP,
        /** A recurrent layer reading forwards: the session carries its states from step to step. */
        RECURRENT,
        /** The layer needs the whole sequence (reads backwards, pools or convolves over time). */
        WHOLE_SEQUENCE
    }

    /**
     * Runs the layer on one sample.
     *
     * @param inputs the layer's inputs, in order; for a recurrent layer the sequence then its initial states
     * @return the outputs, in order
     * @throws IllegalArgumentException when an input does not fit the layer, naming it and both shapes
     */
    List<Value> apply(List<Value> inputs);

    /**
     * Checks input shapes against the layer and returns the shapes of its outputs, without running it.
     *
     * @param inputs the shapes of the inputs, in the order of {@link #apply}; time steps may be unknown
     * @return the output shapes, in the order of {@link #apply}'s results
     * @throws IllegalArgumentException when the inputs do not fit, naming the input and both shapes
     */
    List<Shape> outputShapes(List<Shape> inputs);

    /**
     * The number of weights (trainable and not), as Keras's {@code count_params}.
     *
     * @return the weight count, at least 0
     */
    long parameterCount();

    /**
     * A copy of this layer that stores its weights as float32 and computes its matrix products in float32, as
     * Keras computes them (keras/src/backend/config.py, {@code floatx}); values between layers stay {@code double}.
     * A layer without weights, or already float32, returns itself. Same shapes, same outputs within about 1e-6 of
     * the float64 layer for weights and values of order 1.
     *
     * @return a float32 layer, or this layer when there is nothing to convert
     */
    Layer float32();

    /**
     * A copy of this layer whose recurrent steps over a single sequence are split by units across {@code threads}
     * threads, the caller's and {@code threads − 1} helper tasks run by {@code executor}, with bit-identical results
     * (see {@link Rnn#withThreads}). Layers without a recurrence return themselves.
     *
     * @param executor runs the helper tasks, one per extra thread and call
     * @param threads the number of threads a single sequence's steps are split across, at least 1
     * @return the threaded copy, or this layer when it has no recurrence
     * @throws IllegalArgumentException when {@code executor} is {@code null} or {@code threads} is below 1
     */
    default Layer withThreads(Executor executor, int threads) {
        io.github.rnn4j.internal.Checks.notNull("executor", executor);
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + ", expected at least 1");
        }
        return this;
    }

    /**
     * How this layer can be streamed one step at a time.
     *
     * @return the streaming mode of this layer
     */
    Streaming streaming();
}
