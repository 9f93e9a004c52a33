package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;

import java.util.List;

/**
 * Flattens a sequence {@code [timeSteps][features]} into the vector {@code [timeSteps·features]}, row by row
 * ({@code y[t·features + j] = x[t][j]}), as Keras's {@code Flatten} with channels_last
 * (keras/src/layers/reshaping/flatten.py); a vector passes unchanged. Flatten does not support masking in Keras, so
 * the mask is dropped (Keras warns that it "will therefore destroy the mask information"). The model must fix the
 * number of time steps. Immutable and thread-safe.
 */
public final class Flatten implements Layer {
    /** Creates Keras's {@code Flatten()} layer, which reads a sequence row by row into one vector. */
    public Flatten() {
    }

    @Override
    public List<Value> apply(List<Value> inputs) {
        Inputs.values(this, inputs, 1, 1);
        Value v = inputs.get(0);
        if (v instanceof Value.Vector) {
            return List.of(new Value.Vector(((Value.Vector) v).values().clone()));
        }
        double[][] x = ((Value.Sequence) v).steps();
        int f = ((Value.Sequence) v).features();
        double[] y = new double[x.length * f];
        for (int t = 0; t < x.length; t++) {
            System.arraycopy(x[t], 0, y, t * f, f);
        }
        return List.of(new Value.Vector(y));
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Inputs.count(this, inputs, 1, 1);
        Shape in = inputs.get(0);
        if (!in.isSequence()) {
            return List.of(in);
        }
        if (in.timeSteps() == Shape.UNKNOWN) {
            throw Checks.shape(Inputs.name(this) + " input 0", "[timeSteps][features] with a fixed timeSteps",
                    in.toString());
        }
        return List.of(Shape.vector((int) in.size()));
    }

    /** Returns this {@code Flatten} unchanged: it has no weights to store as float32. */
    @Override
    public Flatten float32() {
        return this;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    /** {@link Streaming#WHOLE_SEQUENCE}: the output is one vector from all steps. */
    @Override
    public Streaming streaming() {
        return Streaming.WHOLE_SEQUENCE;
    }

    @Override
    public String toString() {
        return "Flatten[]";
    }
}
