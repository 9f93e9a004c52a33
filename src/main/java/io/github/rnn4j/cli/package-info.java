/**
 * The {@code rnn4j} command line, shipped as {@code target/rnn4j-cli.jar}; it only calls the public API.
 *
 * <p>Not exported by the module and not part of the library jar.
 */
package io.github.rnn4j.cli;
