/**
 * Stacks of layers and what runs them: {@link io.github.rnn4j.model.SequentialModel}, built from layers or from
 * Keras layer configurations ({@link io.github.rnn4j.model.LayerConfig}) and weights ({@link io.github.rnn4j.model.Tensor}).
 *
 * <p>Out of scope: reading files (see {@code io.github.rnn4j.io}) and the layer math itself (see
 * {@code io.github.rnn4j.layers}).
 */
package io.github.rnn4j.model;
