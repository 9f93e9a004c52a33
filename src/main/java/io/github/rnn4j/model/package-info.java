/**
 * Models and what runs them: {@link io.github.rnn4j.model.Model}, a graph of layers with named inputs and outputs
 * (a chain is its simple case), {@link io.github.rnn4j.model.Session} for streaming one step at a time,
 * {@link io.github.rnn4j.model.Generator} for token generation, and {@link io.github.rnn4j.model.Tensor}, the
 * n-dimensional arrays in which inputs, outputs and weights travel.
 *
 * <p>Out of scope: reading files and Keras configurations (see {@code io.github.rnn4j.io}, which builds models
 * with {@link io.github.rnn4j.model.Model#builder()}) and the layer math itself (see {@code io.github.rnn4j.layers}).
 */
package io.github.rnn4j.model;
