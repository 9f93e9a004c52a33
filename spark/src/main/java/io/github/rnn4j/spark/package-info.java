/**
 * rnn4j on Apache Spark: score a table of sequences with one rnn4j model per executor JVM.
 *
 * <p>{@link io.github.rnn4j.spark.Rnn4jScorer} is the Dataset API (a transform that adds prediction columns, and the
 * SQL function {@code rnn4j_predict}); {@link io.github.rnn4j.spark.Rnn4jTransformer} wraps it as a Spark ML stage
 * that is saved and loaded with its {@code Pipeline}. Models are cached per JVM by the SHA-256 of their bytes.
 *
 * <p>Out of scope: training, Spark Connect clients (the scorer needs the classic {@code SparkContext} for its
 * broadcast and accumulator), Structured Streaming specifics (a streaming Dataset goes through
 * {@code transform} like any other), and Python. Spark is a {@code provided} dependency: the cluster supplies it.
 */
package io.github.rnn4j.spark;
