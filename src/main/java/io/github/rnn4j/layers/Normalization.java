package io.github.rnn4j.layers;

import java.util.List;

/** Shape checks and the per-row application shared by the normalisation layers. Thread-safe: stateless. */
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

    /** Applies {@code row} to a vector, or to every step of a sequence keeping its mask (Keras passes it through). */
    static List<Value> applyRows(Layer layer, List<Value> inputs, java.util.function.UnaryOperator<double[]> row) {
        Inputs.values(layer, inputs, 1, 1);
        Value v = inputs.get(0);
        layer.outputShapes(List.of(v.shape()));
        if (v instanceof Value.Vector) {
            return List.of(new Value.Vector(row.apply(((Value.Vector) v).values())));
        }
        Value.Sequence s = (Value.Sequence) v;
        double[][] y = new double[s.timeSteps()][];
        for (int t = 0; t < y.length; t++) {
            y[t] = row.apply(s.steps()[t]);
        }
        return List.of(new Value.Sequence(y, s.mask()));
    }
}
