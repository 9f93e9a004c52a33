package io.github.rnn4j.bench;

/** The three Keras recurrent cells; GRU is {@code reset_after=True}, the Keras 3 default. */
public enum Cell {
    SIMPLE_RNN(1),
    LSTM(4),
    GRU(3);

    /** The number of gate blocks in the kernels: the kernels have {@code gates·units} columns. */
    public final int gates;

    Cell(int gates) {
        this.gates = gates;
    }
}
