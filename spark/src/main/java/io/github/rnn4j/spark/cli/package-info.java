/**
 * Command-line entry points for {@code spark-submit}; they call only the public API of {@code io.github.rnn4j.spark}.
 */
package io.github.rnn4j.spark.cli;
