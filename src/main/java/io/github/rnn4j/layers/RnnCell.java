package io.github.rnn4j.layers;

import java.util.List;

/**
 * One time step of a recurrent layer: new states from an input vector and the previous states.
 *
 * <p>{@code (h_t, …) = cell(x_t, h_{t-1}, …)}; {@code x_t} is {@code [inputSize]}, each state is {@code [units]},
 * and the step's output is the first state {@code h_t}, as for every Keras recurrent cell.
 * Cells are immutable and thread-safe. To run a cell over a sequence, wrap it in {@link Rnn} or
 * {@link Bidirectional}.
 */
public sealed interface RnnCell permits SimpleRnnCell, LstmCell, GruCell {

    /**
     * The length of each input vector {@code x_t}.
     *
     * @return the input size
     */
    int inputSize();

    /**
     * The number of units: the length of the output and of each state vector.
     *
     * @return {@code units}
     */
    int units();

    /**
     * The number of state vectors in Keras order: 1 for SimpleRNN and GRU ({@code [h]}), 2 for LSTM ({@code [h, c]}).
     *
     * @return 1 or 2
     */
    int stateCount();

    /**
     * Computes one time step without changing its arguments.
     *
     * @param input {@code x_t}, {@code [inputSize]}
     * @param states the previous states in Keras order, {@code stateCount()} vectors of {@code [units]}
     * @return new state vectors in Keras order; the first is the step's output {@code h_t}
     * @throws IllegalArgumentException when a shape does not match, or a value is NaN or infinite (named by position,
     *         {@code input[j]}); the arguments and the cell are left unchanged
     */
    List<double[]> step(double[] input, List<double[]> states);

    /**
     * Returns this cell fused with the {@link Embedding} before it: a cell of {@code inputSize = vocabSize} whose
     * kernel is {@code table·W}, so that token id {@code k} (one-hot row {@code e_k}) projects by a row lookup,
     * {@code e_k·(table·W) = table[k]·W}. Same results as the embedding followed by this cell, up to rounding
     * (the products are summed once, ahead of time). The fused kernel holds {@code vocabSize × gates·units}
     * doubles.
     *
     * @param embedding the embedding that feeds this cell
     * @return a new cell taking one-hot rows of {@code [vocabSize]}; this one is unchanged
     * @throws IllegalArgumentException when the embedding's {@code embeddingDim} is not this cell's {@code inputSize}
     */
    RnnCell withEmbedding(Embedding embedding);

    /**
     * Returns zero states, {@code stateCount()} vectors of {@code [units]}, the states Keras starts from.
     *
     * @return new zero vectors, one per state
     */
    default List<double[]> zeroStates() {
        double[][] zeros = new double[stateCount()][units()];
        return List.of(zeros);
    }
}
