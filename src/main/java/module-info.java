/**
 * rnn4j: the forward pass of Keras recurrent networks in plain Java, with no dependencies.
 */
module io.github.rnn4j {
    // Optional: used only when the JVM runs with --add-modules jdk.incubator.vector (see internal.Backend).
    requires static jdk.incubator.vector;
    // Command line only (package io.github.rnn4j.cli, left out of the library jar): argument parsing and the
    // allocation counter of the bench command. Never needed by the library.
    requires static info.picocli;
    requires static jdk.management;

    exports io.github.rnn4j.text;
    exports io.github.rnn4j.layers;
    exports io.github.rnn4j.model;
    exports io.github.rnn4j.io;
}
