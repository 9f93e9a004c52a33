package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.internal.Kernels;

import java.util.List;

/**
 * Batch normalisation at inference, over the last axis, as Keras's {@code BatchNormalization}
 * (keras/src/layers/normalization/batch_normalization.py, which calls {@code ops.batch_normalization} with the
 * moving statistics): {@code y = (x − movingMean)/√(movingVariance + epsilon)·gamma + beta}. Computed in the
 * backends' order (TensorFlow's {@code tf.nn.batch_normalization}, keras/src/backend/numpy/nn.py):
 * {@code inv = 1/√(movingVariance + epsilon)·gamma}, {@code y = x·inv + (beta − movingMean·inv)}.
 *
 * <p>Each vector {@code [features]} or step of a sequence {@code [timeSteps][features]} is normalised alone; the mask
 * passes through (the layer supports masking and uses the mask only when training). Immutable and thread-safe.
 */
public final class BatchNormalization implements Layer {
    private final int features;
    private final double[] inv;
    private final double[] offset;
    private final boolean center;
    private final boolean scale;
    private final double epsilon;
    /** Whether the folded scale and offset are rounded to float32. */
    private final boolean float32;

    /**
     * Creates the layer from Keras's weights, in Keras's order.
     *
     * @param gamma {@code [features]}, or {@code null} for {@code scale=False}
     * @param beta {@code [features]}, or {@code null} for {@code center=False}
     * @param movingMean {@code [features]}
     * @param movingVariance {@code [features]}, each at least 0
     * @param epsilon added to the variance, Keras default 1e-3
     */
    public BatchNormalization(double[] gamma, double[] beta, double[] movingMean, double[] movingVariance,
            double epsilon) {
        Checks.notNull("movingMean", movingMean);
        this.features = movingMean.length;
        Checks.finiteVector("movingMean", movingMean, features);
        Checks.finiteVector("movingVariance", movingVariance, features);
        if (gamma != null) {
            Checks.finiteVector("gamma", gamma, features);
        }
        if (beta != null) {
            Checks.finiteVector("beta", beta, features);
        }
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon is " + epsilon + ", expected a finite number >= 0");
        }
        this.inv = new double[features];
        this.offset = new double[features];
        for (int j = 0; j < features; j++) {
            if (movingVariance[j] < 0) {
                throw new IllegalArgumentException("movingVariance[" + j + "] is " + movingVariance[j]
                        + ", expected >= 0");
            }
            double i = 1.0 / Math.sqrt(movingVariance[j] + epsilon);
            if (gamma != null) {
                i *= gamma[j];
            }
            inv[j] = i;
            offset[j] = beta != null ? beta[j] - movingMean[j] * i : -movingMean[j] * i;
        }
        this.center = beta != null;
        this.scale = gamma != null;
        this.epsilon = epsilon;
        this.float32 = false;
    }

    private BatchNormalization(BatchNormalization other) {
        this.features = other.features;
        this.inv = Kernels.roundToFloat(other.inv);
        this.offset = Kernels.roundToFloat(other.offset);
        this.center = other.center;
        this.scale = other.scale;
        this.epsilon = other.epsilon;
        this.float32 = true;
    }

    /**
     * The number of features normalised, each with its own moving mean and variance.
     *
     * @return the length of the last axis, which each statistic covers
     */
    public int features() {
        return features;
    }

    private double[] row(double[] x) {
        double[] y = new double[features];
        for (int j = 0; j < features; j++) {
            y[j] = x[j] * inv[j] + offset[j];
        }
        return y;
    }

    @Override
    public List<Value> apply(List<Value> inputs) {
        return Normalization.applyRows(this, inputs, this::row);
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        return Normalization.sameFeatures(this, inputs, features);
    }

    /** {@code 4·features} with center and scale (gamma, beta and the two non-trainable moving statistics). */
    /**
     * A copy with the folded scale {@code inv} and offset rounded to float32, as Keras's float32 weights; the
     * element-wise {@code x·inv + offset} stays float64.
     */
    @Override
    public BatchNormalization float32() {
        return float32 ? this : new BatchNormalization(this);
    }

    @Override
    public long parameterCount() {
        return (long) features * (2 + (center ? 1 : 0) + (scale ? 1 : 0));
    }

    /** {@link Streaming#PER_STEP}: each step is normalised alone, with the moving mean and variance. */
    @Override
    public Streaming streaming() {
        return Streaming.PER_STEP;
    }

    @Override
    public String toString() {
        return "BatchNormalization[features=" + features + ", epsilon=" + epsilon + (center ? "" : ", no center")
                + (scale ? "" : ", no scale") + "]";
    }
}
