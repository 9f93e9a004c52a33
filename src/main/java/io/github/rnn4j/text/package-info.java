/**
 * Turning tokens into numbers and back: {@link io.github.rnn4j.text.Vocabulary}.
 *
 * <p>Out of scope: learned tokenizers (BPE, WordPiece) and anything that needs a model file.
 */
package io.github.rnn4j.text;
