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
    private final boolean dropsMask;

    /**
     * Creates an identity standing for a layer that does nothing at inference, such as {@code Dropout}.
     *
     * @param kind what it stands for, shown by {@link #toString()}, for example {@code "Dropout"}
     */
    public Identity(String kind) {
        this(kind, false);
    }

    private Identity(String kind, boolean dropsMask) {
        this.kind = Checks.notNull("kind", kind);
        this.dropsMask = dropsMask;
    }

    /**
     * An identity that removes a sequence's mask: where Keras calls a layer without the mask its input carries (Keras
     * 3 passes a mask implicitly only to calls with one tensor argument, keras/src/layers/layer.py, so a recurrent
     * layer given an {@code initial_state} runs unmasked).
     *
     * @param kind what it stands for, shown by {@link #toString()}
     * @return an identity layer that drops the mask of its input
     */
    public static Identity droppingMask(String kind) {
        return new Identity(kind, true);
    }

    /**
     * Whether this identity removes the mask of a sequence.
     *
     * @return {@code true} when made by {@link #droppingMask(String)}
     */
    public boolean dropsMask() {
        return dropsMask;
    }

    @Override
    public List<Value> apply(List<Value> inputs) {
        Inputs.values(this, inputs, 1, 1);
        Value v = inputs.get(0);
        if (dropsMask && v instanceof Value.Sequence && ((Value.Sequence) v).mask() != null) {
            return List.of(new Value.Sequence(((Value.Sequence) v).steps()));
        }
        return List.of(v);
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Inputs.count(this, inputs, 1, 1);
        return List.of(inputs.get(0));
    }

    /** Returns this {@code Identity} unchanged: it has no weights to store as float32. */
    @Override
    public Identity float32() {
        return this;
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
        return "Identity[" + kind + (dropsMask ? ", drops the mask" : "") + "]";
    }
}
