/**
 * The math users compose: recurrent cells ({@code SimpleRnnCell}, {@code LstmCell}, {@code GruCell}), the
 * {@code Rnn} and {@code Bidirectional} wrappers that run them over time, {@code Dense}, {@code Embedding} and
 * {@code Activation}.
 *
 * <p>Every type computes what the Keras layer of the same name computes, with Keras weight layouts
 * ({@code x·W}, kernel {@code [inputSize][k·units]}). All are immutable and thread-safe. Out of scope: training,
 * reading files (see {@code io.github.rnn4j.io}), and stacking layers into models (see
 * {@code io.github.rnn4j.model}).
 */
package io.github.rnn4j.layers;
