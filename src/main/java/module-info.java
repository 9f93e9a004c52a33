/**
 * rnn4j: the forward pass of Keras recurrent networks in plain Java, with no dependencies.
 */
module io.github.rnn4j {
    exports io.github.rnn4j.text;
    exports io.github.rnn4j.layers;
    exports io.github.rnn4j.model;
}
