package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;

import java.util.List;

/**
 * Applies a per-step layer to every time step of a sequence, as Keras's {@code TimeDistributed(layer)}
 * (keras/src/layers/rnn/time_distributed.py): {@code y_t = layer(x_t)}; {@code inputs} is
 * {@code [timeSteps][features]}. Immutable and thread-safe when the inner layer is.
 *
 * <p>The inner layer must be {@link Layer.Streaming#PER_STEP} on one-step sequences (Dense, an activation layer,
 * a normalisation, Identity, Masking…). Each step runs as a one-step sequence carrying that step's mask bit, as Keras
 * hands the inner layer {@code mask[:, t]} when its {@code call} takes a mask (this matters for a Softmax layer inside).
 * The output mask is the input mask: TimeDistributed supports masking and keeps Layer's default
 * {@code compute_mask}.
 */
public final class TimeDistributed implements Layer {
    private final Layer layer;

    /**
     * Wraps a layer.
     *
     * @param layer the layer applied to each step
     * @throws IllegalArgumentException when the layer does not work step by step (a Softmax layer must use axis -1)
     */
    public TimeDistributed(Layer layer) {
        Checks.notNull("layer", layer);
        boolean oneStep = layer instanceof ActivationLayer ? ((ActivationLayer) layer).worksOnOneStep()
                : layer.streaming() == Streaming.PER_STEP;
        if (!oneStep) {
            throw new IllegalArgumentException("layer " + layer + " is " + layer.streaming()
                    + ", expected a layer that maps each time step alone (PER_STEP)");
        }
        this.layer = layer;
    }

    /**
     * The wrapped layer.
     *
     * @return the layer given at construction
     */
    public Layer layer() {
        return layer;
    }

    @Override
    public List<Value> apply(List<Value> inputs) {
        Inputs.values(this, inputs, 1, 1);
        Value.Sequence s = Inputs.sequence(this, inputs, 0);
        outputShapes(List.of(s.shape()));
        double[][] x = s.steps();
        boolean[] mask = s.mask();
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            Value.Sequence step = new Value.Sequence(new double[][] {x[t]},
                    mask == null ? null : new boolean[] {mask[t]});
            Value y = layer.apply(List.of(step)).get(0);
            out[t] = ((Value.Sequence) y).steps()[0];
        }
        return List.of(new Value.Sequence(out, mask));
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Inputs.count(this, inputs, 1, 1);
        Shape in = Inputs.sequenceShape(this, inputs, 0, -1);
        Shape step;
        try {
            step = layer.outputShapes(List.of(Shape.sequence(1, in.features()))).get(0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Inputs.name(this) + " input 0 has shape " + in
                    + ", which does not fit the wrapped layer: " + e.getMessage(), e);
        }
        if (!step.isSequence() || step.timeSteps() != 1) {
            throw new IllegalArgumentException("layer " + layer + " turns a step [1][" + in.features() + "] into "
                    + step + ", expected [1][features]");
        }
        return List.of(Shape.sequence(in.timeSteps(), step.features()));
    }

    /** A copy around the float32 copy of the wrapped layer. */
    @Override
    public TimeDistributed float32() {
        Layer narrow = layer.float32();
        return narrow == layer ? this : new TimeDistributed(narrow);
    }

    @Override
    public long parameterCount() {
        return layer.parameterCount();
    }

    /** {@link Streaming#PER_STEP}: each step goes through the wrapped layer alone. */
    @Override
    public Streaming streaming() {
        return Streaming.PER_STEP;
    }

    @Override
    public String toString() {
        return "TimeDistributed[" + layer + "]";
    }
}
