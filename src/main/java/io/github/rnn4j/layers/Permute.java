package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;

import java.util.List;

/**
 * Permutes the axes of a sequence, as Keras's {@code Permute(dims)} (keras/src/layers/reshaping/permute.py), where
 * axes count from 1 (the batch axis stays): {@code (2, 1)} transposes {@code [timeSteps][features]} into
 * {@code [features][timeSteps]}, {@code (1, 2)} keeps it. Permute does not support masking in Keras, so the mask is
 * dropped. Immutable and thread-safe.
 */
public final class Permute implements Layer {
    private final boolean transpose;

    /**
     * Creates Keras's {@code Permute(dims)} layer: {@code (2, 1)} swaps time and features, {@code (1, 2)} keeps them.
     *
     * @param dims {@code (2, 1)} or {@code (1, 2)}
     */
    public Permute(int... dims) {
        Checks.notNull("dims", dims);
        boolean swap = dims.length == 2 && dims[0] == 2 && dims[1] == 1;
        boolean keep = dims.length == 2 && dims[0] == 1 && dims[1] == 2;
        if (!swap && !keep) {
            throw new IllegalArgumentException("dims is " + java.util.Arrays.toString(dims)
                    + ", expected a permutation of (1, 2) for a sequence [timeSteps][features]");
        }
        this.transpose = swap;
    }

    @Override
    public List<Value> apply(List<Value> inputs) {
        Inputs.values(this, inputs, 1, 1);
        Value.Sequence s = Inputs.sequence(this, inputs, 0);
        double[][] x = s.steps();
        if (!transpose) {
            return List.of(new Value.Sequence(ActivationLayer.copy(x)));
        }
        int f = s.features();
        double[][] y = new double[f][x.length];
        for (int t = 0; t < x.length; t++) {
            for (int j = 0; j < f; j++) {
                y[j][t] = x[t][j];
            }
        }
        return List.of(new Value.Sequence(y));
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Inputs.count(this, inputs, 1, 1);
        Shape in = Inputs.sequenceShape(this, inputs, 0, -1);
        return List.of(transpose ? Shape.sequence(in.features(), in.timeSteps()) : in);
    }

    /** Returns this {@code Permute} unchanged: it has no weights to store as float32. */
    @Override
    public Permute float32() {
        return this;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    /** {@link Streaming#WHOLE_SEQUENCE}: time and features trade places. */
    @Override
    public Streaming streaming() {
        return Streaming.WHOLE_SEQUENCE;
    }

    @Override
    public String toString() {
        return "Permute[dims=" + (transpose ? "(2, 1)" : "(1, 2)") + "]";
    }
}
