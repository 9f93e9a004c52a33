package io.github.rnn4j.layers;

import java.util.List;

/**
 * What a recurrent layer returns for one sequence: the per-step outputs, the last output and the final states.
 *
 * <p>{@code sequence()} is {@code [timeSteps][outputSize]}, {@code last()} is {@code [outputSize]}, and each
 * state is {@code [units]}. The arrays are computed fresh for each call and belong to the caller; nothing in a
 * layer refers to them. Immutable references, safe to pass between threads.
 */
public final class RnnOutput {
    private final double[][] sequence;
    private final double[] last;
    private final List<double[]> states;
    private final List<RnnOutput> directions;

    RnnOutput(double[][] sequence, double[] last, List<double[]> states, List<RnnOutput> directions) {
        this.sequence = sequence;
        this.last = last;
        this.states = states;
        this.directions = directions;
    }

    /**
     * The output of every time step, {@code [timeSteps][outputSize]}, in processing order (for
     * {@code goBackwards} that is reversed time, as in Keras).
     *
     * @return the array computed for this call, {@code [timeSteps][outputSize]}, owned by the caller
     * @throws IllegalStateException when the layer was built without {@code returnSequences(true)}, or for a
     *         {@code Bidirectional} with {@link MergeMode#NONE}, whose outputs are in {@link #directions()}
     */
    public double[][] sequence() {
        if (sequence == null) {
            if (last == null) {
                throw new IllegalStateException("merge mode NONE keeps the directions apart: use directions()");
            }
            throw new IllegalStateException(
                    "the layer does not return sequences: build it with returnSequences(true)");
        }
        return sequence;
    }

    /**
     * The output of the last processed step, {@code [outputSize]} (for {@code goBackwards} that is time step 0).
     *
     * @return the last output, {@code [outputSize]}, owned by the caller
     * @throws IllegalStateException for a {@code Bidirectional} with {@link MergeMode#NONE}: use {@link #directions()}
     */
    public double[] last() {
        if (last == null) {
            throw new IllegalStateException("merge mode NONE keeps the directions apart: use directions()");
        }
        return last;
    }

    /**
     * Whether {@link #sequence()} is available.
     *
     * @return {@code true} when the layer returned sequences
     */
    public boolean hasSequence() {
        return sequence != null;
    }

    /**
     * The final states in Keras order: {@code [h]} for SimpleRNN and GRU, {@code [h, c]} for LSTM; for
     * {@code Bidirectional}, the forward states then the backward states.
     *
     * @return the state vectors, each {@code [units]}, owned by the caller
     * @throws IllegalStateException when the layer was built without {@code returnState(true)}
     */
    public List<double[]> states() {
        if (states == null) {
            throw new IllegalStateException("the layer does not return states: build it with returnState(true)");
        }
        return states;
    }

    /**
     * The unmerged outputs of a {@code Bidirectional} layer: {@code [forward, backward]}, the backward sequence
     * already flipped back to time order; neither carries states.
     *
     * @return a list of two outputs, forward then backward
     * @throws IllegalStateException for the output of a one-directional {@link Rnn}
     */
    public List<RnnOutput> directions() {
        if (directions == null) {
            throw new IllegalStateException("directions() is only available on the output of a Bidirectional layer");
        }
        return directions;
    }
}
