package io.github.rnn4j.layers;

import java.util.List;

/** Shape checks shared by the normalisation layers. Thread-safe: stateless. */
final class Normalization {
    private Normalization() {
    }

    /** Checks one input, a vector {@code [features]} or a sequence {@code [timeSteps][features]}, and returns it. */
    static List<Shape> sameFeatures(Layer layer, List<Shape> inputs, int features) {
        Inputs.count(layer, inputs, 1, 1);
        Shape in = inputs.get(0);
        Inputs.shape(layer, 0, in, in.isSequence() ? Shape.sequence(Shape.UNKNOWN, features) : Shape.vector(features));
        return List.of(in.isSequence() ? Shape.sequence(in.timeSteps(), features) : Shape.vector(features));
    }
}
