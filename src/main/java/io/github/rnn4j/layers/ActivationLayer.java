package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;

import java.util.List;

/**
 * A layer that only applies an activation: Keras's {@code Activation}, {@code ReLU}, {@code LeakyReLU}, {@code ELU}
 * and {@code Softmax} layers (keras/src/layers/activations/). A vector gives a vector, a sequence
 * {@code [timeSteps][features]} gives a sequence of the same shape; every one of these Keras layers sets
 * {@code supports_masking}, so the input's mask passes through unchanged. Immutable and thread-safe.
 *
 * <p>Only {@link #softmax(int)} reads the mask, and only to refuse what Keras does not define: Keras's
 * {@code Softmax} adds {@code (1 − mask)·(−1e9)} to its inputs (keras/src/layers/activations/softmax.py), but the
 * mask it receives from an Embedding or Masking layer is {@code [batch][timeSteps]} while the inputs are
 * {@code [batch][timeSteps][features]}; broadcasting lines the mask's time axis up with the feature axis, so the
 * result depends on the batch size, or the call fails. A sequence whose mask masks a step is therefore refused with
 * an {@link IllegalArgumentException}; a mask that masks nothing changes nothing and is accepted.
 */
public final class ActivationLayer implements Layer {
    private enum Kind { ACTIVATION, RELU, LEAKY_RELU, ELU, SOFTMAX }

    private final Kind kind;
    private final Activation activation;
    private final double maxValue;
    private final double negativeSlope;
    private final double threshold;
    private final double alpha;
    private final int axis;

    private ActivationLayer(Kind kind, Activation activation, double maxValue, double negativeSlope, double threshold,
            double alpha, int axis) {
        this.kind = kind;
        this.activation = activation;
        this.maxValue = maxValue;
        this.negativeSlope = negativeSlope;
        this.threshold = threshold;
        this.alpha = alpha;
        this.axis = axis;
    }

    /**
     * Keras's {@code Activation(activation)} layer: {@code y = activation(x)}, row by row on a sequence (softmax and
     * log-softmax over each step's features), keras/src/layers/activations/activation.py. The mask is not read.
     *
     * @param activation the function applied to every step's features
     * @return a layer without weights
     */
    public static ActivationLayer of(Activation activation) {
        return new ActivationLayer(Kind.ACTIVATION, Checks.notNull("activation", activation), 0, 0, 0, 0, -1);
    }

    /**
     * Keras's {@code ReLU(max_value, negative_slope, threshold)} layer (keras/src/layers/activations/relu.py, formula
     * from keras/src/activations/activations.py): {@code y = x} for {@code threshold < x < maxValue}, {@code maxValue}
     * above, {@code negativeSlope·(x − threshold)} below the threshold; computed in Keras's order.
     *
     * @param maxValue the cap, or {@link Double#POSITIVE_INFINITY} for Keras's {@code max_value=None}
     * @param negativeSlope the slope below the threshold, at least 0
     * @param threshold where the rectifier turns on
     * @return a layer without weights applying the rectifier
     */
    public static ActivationLayer relu(double maxValue, double negativeSlope, double threshold) {
        if (!(maxValue >= 0)) {
            throw new IllegalArgumentException("maxValue is " + maxValue + ", expected >= 0 (or +Infinity for none)");
        }
        if (!(negativeSlope >= 0) || Double.isInfinite(negativeSlope)) {
            throw new IllegalArgumentException("negativeSlope is " + negativeSlope + ", expected a finite number >= 0");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold is " + threshold + ", expected a finite number");
        }
        return new ActivationLayer(Kind.RELU, null, maxValue, negativeSlope, threshold, 0, -1);
    }

    /**
     * Keras's {@code LeakyReLU(negative_slope)} layer (Keras 2 called it {@code alpha}; default 0.3):
     * {@code y = x} for {@code x >= 0}, {@code negativeSlope·x} below, the formula of
     * keras/src/layers/activations/leaky_relu.py (and of TensorFlow's, JAX's and PyTorch's kernels); for a slope above 1
     * this is not {@code max(x, negativeSlope·x)}.
     *
     * @param negativeSlope the slope for negative inputs, Keras's {@code negative_slope} (or {@code alpha})
     * @return a layer without weights applying the leaky rectifier
     */
    public static ActivationLayer leakyRelu(double negativeSlope) {
        if (!(negativeSlope >= 0) || Double.isInfinite(negativeSlope)) {
            throw new IllegalArgumentException("negativeSlope is " + negativeSlope + ", expected a finite number >= 0");
        }
        return new ActivationLayer(Kind.LEAKY_RELU, null, 0, negativeSlope, 0, 0, -1);
    }

    /**
     * Keras's {@code ELU(alpha)} layer (default 1): {@code y = x} for {@code x ≥ 0}, else {@code alpha·(e^x − 1)}
     * (keras/src/layers/activations/elu.py).
     *
     * @param alpha the scale of the negative branch
     * @return a layer without weights applying ELU
     */
    public static ActivationLayer elu(double alpha) {
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha is " + alpha + ", expected a finite number");
        }
        return new ActivationLayer(Kind.ELU, null, 0, 0, 0, alpha, -1);
    }

    /**
     * Keras's {@code Softmax(axis)} layer (default -1), with Keras's mask arithmetic described in the class comment.
     *
     * @param axis -1 or 2 (each step's features) or 1 (each feature over time) for sequences; -1 or 1 for vectors
     * @return a layer without weights applying softmax over {@code axis}
     */
    public static ActivationLayer softmax(int axis) {
        if (axis != -1 && axis != 1 && axis != 2) {
            throw new IllegalArgumentException("axis is " + axis + ", expected -1, 1 or 2 (axis 0 is the batch)");
        }
        return new ActivationLayer(Kind.SOFTMAX, Activation.SOFTMAX, 0, 0, 0, 0, axis);
    }

    @Override
    public List<Value> apply(List<Value> inputs) {
        Inputs.values(this, inputs, 1, 1);
        Value v = inputs.get(0);
        outputShapes(List.of(v.shape()));
        if (v instanceof Value.Vector) {
            double[] x = ((Value.Vector) v).values().clone();
            applyRow(x);
            return List.of(new Value.Vector(x));
        }
        Value.Sequence s = (Value.Sequence) v;
        double[][] x = copy(s.steps());
        if (kind == Kind.SOFTMAX && s.mask() != null) {
            addMask(x, s.mask());
        }
        if (kind == Kind.SOFTMAX && axis == 1) {
            softmaxOverTime(x);
        } else {
            for (double[] row : x) {
                applyRow(row);
            }
        }
        return List.of(new Value.Sequence(x, s.mask()));
    }

    private static void addMask(double[][] x, boolean[] mask) {
        for (int t = 0; t < mask.length; t++) {
            if (!mask[t]) {
                throw new IllegalArgumentException("Softmax input 0 is a sequence " + Checks.dims(x.length,
                        x.length == 0 ? 0 : x[0].length) + " whose mask masks step " + t + ": Keras adds the"
                        + " [batch][timeSteps] mask along the feature axis (keras/src/layers/activations/softmax.py),"
                        + " which depends on the batch size, so rnn4j refuses a masked step here rather than guess");
            }
        }
    }

    private void softmaxOverTime(double[][] x) {
        int timeSteps = x.length;
        if (timeSteps == 0) {
            return;
        }
        double[] column = new double[timeSteps];
        for (int f = 0; f < x[0].length; f++) {
            for (int t = 0; t < timeSteps; t++) {
                column[t] = x[t][f];
            }
            Activation.SOFTMAX.applyInPlace(column, 0, timeSteps);
            for (int t = 0; t < timeSteps; t++) {
                x[t][f] = column[t];
            }
        }
    }

    private void applyRow(double[] v) {
        switch (kind) {
            case ACTIVATION:
            case SOFTMAX:
                if (v.length > 0) {
                    activation.applyInPlace(v, 0, v.length);
                }
                return;
            case RELU:
                for (int j = 0; j < v.length; j++) {
                    v[j] = relu(v[j]);
                }
                return;
            case LEAKY_RELU:
                for (int j = 0; j < v.length; j++) {
                    v[j] = v[j] >= 0.0 ? v[j] : negativeSlope * v[j];
                }
                return;
            default:
                for (int j = 0; j < v.length; j++) {
                    v[j] = v[j] >= 0.0 ? v[j] : alpha * Math.expm1(v[j]);
                }
        }
    }

    /** keras/src/activations/activations.py {@code ReLU.static_call}, step by step. */
    private double relu(double x) {
        if (negativeSlope != 0.0 && maxValue == Double.POSITIVE_INFINITY && threshold == 0.0) {
            return x >= 0.0 ? x : negativeSlope * x;  // ops.leaky_relu, as the layer above
        }
        double negativePart = negativeSlope != 0.0 ? Math.max(-x + threshold, 0.0) : 1.0;
        // Without a cap, a negative threshold lets values in (threshold, 0) through unclipped, as in Keras.
        double y = threshold != 0.0 ? (x > threshold ? x : 0.0) : Math.max(x, 0.0);
        if (maxValue != Double.POSITIVE_INFINITY) {
            y = Math.min(Math.max(y, 0.0), maxValue);
        }
        if (negativeSlope != 0.0) {
            y -= negativeSlope * negativePart;
        }
        return y;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Inputs.count(this, inputs, 1, 1);
        Shape in = inputs.get(0);
        if (kind == Kind.SOFTMAX && !in.isSequence() && axis == 2) {
            throw Checks.shape(Inputs.name(this) + " input 0", "a sequence [timeSteps][features] for axis 2",
                    in.toString());
        }
        return List.of(in);
    }

    /** Whether the layer can run on each step alone, as TimeDistributed runs it: all but Softmax over axis 1 or 2. */
    boolean worksOnOneStep() {
        return kind != Kind.SOFTMAX || axis == -1;
    }

    /** Returns this {@code ActivationLayer} unchanged: it has no weights to store as float32. */
    @Override
    public ActivationLayer float32() {
        return this;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    /** {@link Streaming#PER_STEP}, except a {@link #softmax(int) Softmax} over time, which needs every step. */
    @Override
    public Streaming streaming() {
        return kind == Kind.SOFTMAX && axis == 1 ? Streaming.WHOLE_SEQUENCE : Streaming.PER_STEP;
    }

    @Override
    public String toString() {
        switch (kind) {
            case ACTIVATION:
                return "Activation[" + activation + "]";
            case RELU:
                return "ReLU[maxValue=" + maxValue + ", negativeSlope=" + negativeSlope + ", threshold=" + threshold + "]";
            case LEAKY_RELU:
                return "LeakyReLU[negativeSlope=" + negativeSlope + "]";
            case ELU:
                return "ELU[alpha=" + alpha + "]";
            default:
                return "Softmax[axis=" + axis + "]";
        }
    }

    static double[][] copy(double[][] x) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            out[t] = x[t].clone();
        }
        return out;
    }
}
