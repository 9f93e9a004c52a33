package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;

import java.util.List;

/**
 * A layer that returns its input unchanged at inference, mask included: Keras's {@code Dropout},
 * {@code SpatialDropout1D}, {@code GaussianNoise}, {@code GaussianDropout}, {@code AlphaDropout},
 * {@code ActivityRegularization} and {@code Identity} (each is the identity outside training, for example
 * keras/src/layers/regularization/dropout.py). Immutable and thread-safe.
 */
public final class Identity implements Layer {
    private final String kind;

    /**
     * Creates the layer.
     *
     * @param kind what it stands for, shown by {@link #toString()}, for example {@code "Dropout"}
     */
    public Identity(String kind) {
        this.kind = Checks.notNull("kind", kind);
    }

    @Override
    public List<Value> apply(List<Value> inputs) {
        Inputs.values(this, inputs, 1, 1);
        return List.of(inputs.get(0));
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Inputs.count(this, inputs, 1, 1);
        return List.of(inputs.get(0));
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    /** {@link Streaming#PER_STEP}: nothing to carry. */
    @Override
    public Streaming streaming() {
        return Streaming.PER_STEP;
    }

    @Override
    public String toString() {
        return "Identity[" + kind + "]";
    }
}
