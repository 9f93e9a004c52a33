/**
 * Turning text into numbers and back: {@link io.github.rnn4j.text.Vocabulary} (exact tokens, one-hot rows),
 * {@link io.github.rnn4j.text.KerasTokenizer} (a fitted Keras {@code Tokenizer} read from its JSON, reproducing
 * {@code texts_to_sequences} and {@code sequences_to_texts}), and {@link io.github.rnn4j.text.Sequences}
 * ({@code pad_sequences}).
 *
 * <p>Keras's text code runs on Python strings, so Python's string semantics are reproduced here, not Java's:
 * {@code str.lower()} (full Unicode lowercase with CPython's Final_Sigma rule, from Python's own tables),
 * {@code str.split(sep)} at an exact separator, and iteration by code point rather than UTF-16 char.
 *
 * <p>Out of scope: fitting a tokenizer (counting a corpus is training, not inference), learned subword tokenizers
 * (BPE, WordPiece), and anything that reads a file: callers hand this package strings.
 */
package io.github.rnn4j.text;
