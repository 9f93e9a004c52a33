package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;

import java.util.List;

/**
 * Checks of the inputs a {@link Layer} is given, so that every layer words its messages the same way:
 * {@code Dense input 0 has shape [4][3], expected [?][5]}. Thread-safe: stateless.
 */
final class Inputs {
    private Inputs() {
    }

    /** Checks that there are between {@code min} and {@code max} inputs and returns their number. */
    static int count(Layer layer, List<?> inputs, int min, int max) {
        Checks.notNull("inputs", inputs);
        int n = inputs.size();
        if (n < min || n > max) {
            String expected = min == max ? Integer.toString(min) : max == Integer.MAX_VALUE ? "at least " + min
                    : min + " to " + max;
            throw new IllegalArgumentException(name(layer) + " takes " + expected + " input" + (max == 1 ? "" : "s")
                    + ", got " + n);
        }
        for (int i = 0; i < n; i++) {
            if (inputs.get(i) == null) {
                throw new IllegalArgumentException(name(layer) + " input " + i + " must not be null");
            }
        }
        return n;
    }

    /**
     * Checks the inputs of {@link Layer#apply} as {@link #count} and refuses a NaN or infinite value, naming the
     * input and the position: {@code Dense input 0 [2][1] is NaN, expected a finite number}. Every layer's
     * {@code apply} starts here; the cost is one pass over the values (see {@link Checks#finiteValues(String,
     * double[][])}).
     */
    static int values(Layer layer, List<Value> inputs, int min, int max) {
        int n = count(layer, inputs, min, max);
        for (int i = 0; i < n; i++) {
            Value v = inputs.get(i);
            if (v instanceof Value.Sequence) {
                Checks.finiteValues(name(layer) + " input " + i + " ", ((Value.Sequence) v).steps());
            } else {
                Checks.finiteValues(name(layer) + " input " + i + " ", ((Value.Vector) v).values());
            }
        }
        return n;
    }

    /** Input {@code i} as a sequence, or an exception naming the layer and the shape it got. */
    static Value.Sequence sequence(Layer layer, List<Value> inputs, int i) {
        Value v = inputs.get(i);
        if (v instanceof Value.Sequence) {
            return (Value.Sequence) v;
        }
        throw Checks.shape(name(layer) + " input " + i, "a sequence [timeSteps][features]", v.shape().toString());
    }

    /** Input {@code i} as a vector, or an exception naming the layer and the shape it got. */
    static Value.Vector vector(Layer layer, List<Value> inputs, int i) {
        Value v = inputs.get(i);
        if (v instanceof Value.Vector) {
            return (Value.Vector) v;
        }
        throw Checks.shape(name(layer) + " input " + i, "a vector [features]", v.shape().toString());
    }

    /** Checks that shape {@code actual} of input {@code i} fits {@code expected} (unknown dimensions match any). */
    static void shape(Layer layer, int i, Shape actual, Shape expected) {
        Checks.notNull("inputs entry", actual);
        if (!expected.accepts(actual)) {
            throw Checks.shape(name(layer) + " input " + i, expected.toString(), actual.toString());
        }
    }

    /** Checks that input {@code i} is a sequence shape with {@code features} features (any when negative). */
    static Shape sequenceShape(Layer layer, List<Shape> inputs, int i, int features) {
        Shape s = Checks.notNull("inputs entry", inputs.get(i));
        if (!s.isSequence() || (features >= 0 && s.features() != Shape.UNKNOWN && s.features() != features)) {
            throw Checks.shape(name(layer) + " input " + i, "[timeSteps][" + (features >= 0 ? features : "features")
                    + "]", s.toString());
        }
        return s;
    }

    /** The name used in messages: the layer's class, for example {@code Dense}. */
    static String name(Layer layer) {
        return layer.getClass().getSimpleName();
    }
}
