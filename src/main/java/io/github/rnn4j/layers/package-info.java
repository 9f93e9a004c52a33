/**
 * The math users compose: recurrent cells ({@code SimpleRnnCell}, {@code LstmCell}, {@code GruCell}), the
 * {@code Rnn} and {@code Bidirectional} wrappers that run them over time, {@code Dense}, {@code Embedding} and
 * {@code Activation}, and the layers around them, each one {@code Layer}: activation layers ({@code ActivationLayer}),
 * merges ({@code Merge}, {@code Concatenate}, {@code Dot}), reshaping ({@code RepeatVector}, {@code TimeDistributed},
 * {@code Flatten}, {@code Reshape}, {@code Permute}), pooling and normalisation ({@code GlobalPooling1D},
 * {@code BatchNormalization}, {@code LayerNormalization}) and convolution over time ({@code Conv1D},
 * {@code Pooling1D}).
 *
 * <p>Every type computes what the Keras layer of the same name computes, with Keras weight layouts
 * ({@code x·W}, kernel {@code [inputSize][k·units]}). All are immutable and thread-safe. Out of scope: training,
 * reading files (see {@code io.github.rnn4j.io}), and stacking layers into models (see
 * {@code io.github.rnn4j.model}); images and volumes (2-D and 3-D convolution and pooling), attention, and
 * channels_first layouts.
 */
package io.github.rnn4j.layers;
