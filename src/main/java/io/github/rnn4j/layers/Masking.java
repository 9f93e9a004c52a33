package io.github.rnn4j.layers;

import java.util.List;

/**
 * Masks the time steps whose features all equal a value, as Keras's {@code Masking}: {@code mask_t = any(x_t != v)}
 * and masked steps are set to zero (keras/src/layers/core/masking.py). {@code inputs} is
 * {@code [timeSteps][features]}; the mask travels on to later layers. Immutable and thread-safe.
 */
public final class Masking implements Layer {
    private final double maskValue;

    /**
     * Creates the layer; Keras's default {@code mask_value} is 0.
     *
     * @param maskValue the value that every feature of a padded step equals
     */
    public Masking(double maskValue) {
        this.maskValue = maskValue;
    }

    /**
     * The value that marks a padded step.
     *
     * @return the mask value given at construction
     */
    public double maskValue() {
        return maskValue;
    }

    /**
     * Whether a step is masked: every feature equals the mask value.
     *
     * @param step one time step's features
     * @return {@code true} when every feature equals {@link #maskValue()}
     */
    public boolean isMasked(double[] step) {
        for (double v : step) {
            if (v != maskValue) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the sequence with masked steps zeroed and the mask {@code any(x_t != maskValue)}. Keras replaces
     * the input's mask by this one.
     */
    @Override
    public List<Value> apply(List<Value> inputs) {
        Inputs.values(this, inputs, 1, 1);
        double[][] x = Inputs.sequence(this, inputs, 0).steps();
        boolean[] mask = new boolean[x.length];
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            mask[t] = !isMasked(x[t]);
            out[t] = mask[t] ? x[t].clone() : new double[x[t].length];
        }
        return List.of(new Value.Sequence(out, mask));
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Inputs.count(this, inputs, 1, 1);
        return List.of(Inputs.sequenceShape(this, inputs, 0, -1));
    }

    /** Returns this {@code Masking} unchanged: it has no weights to store as float32. */
    @Override
    public Masking float32() {
        return this;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    /** {@link Streaming#PER_STEP}: each step is masked alone. */
    @Override
    public Streaming streaming() {
        return Streaming.PER_STEP;
    }

    @Override
    public String toString() {
        return "Masking[maskValue=" + maskValue + "]";
    }
}
