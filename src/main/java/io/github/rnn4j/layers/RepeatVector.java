package io.github.rnn4j.layers;

import java.util.List;

/**
 * Repeats a vector {@code [features]} {@code n} times into a sequence {@code [n][features]}, as Keras's
 * {@code RepeatVector(n)} (keras/src/layers/reshaping/repeat_vector.py). The output has no mask (the input, a vector,
 * has none). Immutable and thread-safe.
 */
public final class RepeatVector implements Layer {
    private final int n;

    /**
     * Creates the layer; {@code n} is at least 1.
     *
     * @param n how many times the input vector is repeated
     */
    public RepeatVector(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n is " + n + ", expected >= 1");
        }
        this.n = n;
    }

    /**
     * The number of repetitions.
     *
     * @return {@code n}, at least 1
     */
    public int n() {
        return n;
    }

    @Override
    public List<Value> apply(List<Value> inputs) {
        Inputs.values(this, inputs, 1, 1);
        double[] x = Inputs.vector(this, inputs, 0).values();
        double[][] out = new double[n][];
        for (int t = 0; t < n; t++) {
            out[t] = x.clone();
        }
        return List.of(new Value.Sequence(out));
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Inputs.count(this, inputs, 1, 1);
        Shape in = inputs.get(0);
        if (in.isSequence()) {
            throw io.github.rnn4j.internal.Checks.shape(Inputs.name(this) + " input 0", "a vector [features]",
                    in.toString());
        }
        return List.of(Shape.sequence(n, in.features()));
    }

    /** Returns this {@code RepeatVector} unchanged: it has no weights to store as float32. */
    @Override
    public RepeatVector float32() {
        return this;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    /** {@link Streaming#WHOLE_SEQUENCE}: its input is a vector, not a stream of steps. */
    @Override
    public Streaming streaming() {
        return Streaming.WHOLE_SEQUENCE;
    }

    @Override
    public String toString() {
        return "RepeatVector[n=" + n + "]";
    }
}
