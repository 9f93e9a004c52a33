package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.internal.Kernels;

import java.util.List;

/**
 * Layer normalisation over the last axis, as Keras 3's {@code LayerNormalization} with {@code rms_scaling=False}
 * (keras/src/layers/normalization/layer_normalization.py, keras/src/ops/nn.py {@code _layer_normalization}):
 * {@code y = (x − mean)/√(variance + epsilon)·gamma + beta} over each vector {@code [features]} or step of a
 * sequence {@code [timeSteps][features]}.
 *
 * <p>Computed in Keras's order: {@code mean} and the biased {@code variance = mean((x − mean)²)} (two passes, as
 * {@code ops.moments} on the TensorFlow and JAX backends; the NumPy backend's {@code E[x²] − E[x]²} rounds
 * differently), then {@code inv = 1/√(variance + epsilon)·gamma}, {@code y = x·inv + (beta − mean·inv)}. The mask
 * passes through. Immutable and thread-safe.
 */
public final class LayerNormalization implements Layer {
    private final int features;
    private final double[] gamma;
    private final double[] beta;
    private final double epsilon;
    /** Whether gamma and beta are rounded to float32. */
    private final boolean float32;
    /** Keras 3's deprecated {@code rms_scaling=True}: {@code y = x·rsqrt(var(x) + ε)·γ}, no centring, no beta. */
    private final boolean rmsScaling;

    /**
     * Creates the layer from Keras's weights.
     *
     * @param gamma {@code [features]}, or {@code null} for {@code scale=False}
     * @param beta {@code [features]}, or {@code null} for {@code center=False}
     * @param features the size of the last axis (must match gamma and beta when given); {@link Shape#UNKNOWN}
     *        when there are neither (Keras's {@code center=False, scale=False}), so any size is normalised
     * @param epsilon added to the variance, Keras default 1e-3
     */
    public LayerNormalization(double[] gamma, double[] beta, int features, double epsilon) {
        if (features < 1 && !(features == Shape.UNKNOWN && gamma == null && beta == null)) {
            throw new IllegalArgumentException("features is " + features + ", expected >= 1 (or UNKNOWN without"
                    + " gamma and beta)");
        }
        if (gamma != null) {
            Checks.finiteVector("gamma", gamma, features);
        }
        if (beta != null) {
            Checks.finiteVector("beta", beta, features);
        }
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon is " + epsilon + ", expected a finite number >= 0");
        }
        this.features = features;
        this.gamma = gamma == null ? null : gamma.clone();
        this.beta = beta == null ? null : beta.clone();
        this.epsilon = epsilon;
        this.float32 = false;
        this.rmsScaling = false;
    }

    private LayerNormalization(LayerNormalization other) {
        this.features = other.features;
        this.gamma = other.gamma == null ? null : Kernels.roundToFloat(other.gamma);
        this.beta = other.beta == null ? null : Kernels.roundToFloat(other.beta);
        this.epsilon = other.epsilon;
        this.float32 = true;
        this.rmsScaling = other.rmsScaling;
    }

    private LayerNormalization(double[] gamma, double epsilon) {
        this.features = gamma.length;
        this.gamma = gamma.clone();
        this.beta = null;
        this.epsilon = epsilon;
        this.float32 = false;
        this.rmsScaling = true;
    }

    /**
     * Keras 3's {@code LayerNormalization(rms_scaling=True)}, deprecated there because it scales by the variance,
     * not the root mean square: {@code y = x·rsqrt(var(x) + ε)·γ} with no centring and no beta
     * (keras/src/ops/nn.py, {@code _layer_normalization}).
     *
     * @param gamma {@code [features]}
     * @param epsilon added to the variance
     * @return a layer normalising over the last axis, without beta
     */
    public static LayerNormalization rmsScaling(double[] gamma, double epsilon) {
        Checks.finiteVector("gamma", gamma, -1);
        if (gamma.length < 1) {
            throw new IllegalArgumentException("gamma has shape [0], expected at least one feature");
        }
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon is " + epsilon + ", expected a finite number >= 0");
        }
        return new LayerNormalization(gamma, epsilon);
    }

    /**
     * The number of features normalised together at each step.
     *
     * @return the length of {@code gamma}, the last axis
     */
    public int features() {
        return features;
    }

    private double[] row(double[] x) {
        int features = x.length;
        double sum = 0.0;
        for (int j = 0; j < features; j++) {
            sum += x[j];
        }
        double mean = sum / features;
        double squares = 0.0;
        for (int j = 0; j < features; j++) {
            double d = x[j] - mean;
            squares += d * d;
        }
        double variance = squares / features;
        double invStd = 1.0 / Math.sqrt(variance + epsilon);
        double[] y = new double[features];
        if (rmsScaling) {
            for (int j = 0; j < features; j++) {
                y[j] = x[j] * invStd * gamma[j];
            }
            return y;
        }
        for (int j = 0; j < features; j++) {
            double inv = gamma == null ? invStd : invStd * gamma[j];
            double res = -mean * inv;
            if (beta != null) {
                res = res + beta[j];
            }
            y[j] = x[j] * inv + res;
        }
        return y;
    }

    @Override
    public List<Value> apply(List<Value> inputs) {
        return Normalization.applyRows(this, inputs, this::row);
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        if (features == Shape.UNKNOWN) {
            Inputs.count(this, inputs, 1, 1);
            return List.of(inputs.get(0));
        }
        return Normalization.sameFeatures(this, inputs, features);
    }

    /** {@code 2·features} with center and scale (gamma and beta). */
    /** A copy with gamma and beta rounded to float32; the statistics and the scaling stay float64. */
    @Override
    public LayerNormalization float32() {
        return float32 ? this : new LayerNormalization(this);
    }

    @Override
    public long parameterCount() {
        return features == Shape.UNKNOWN ? 0 : (long) features * ((gamma != null ? 1 : 0) + (beta != null ? 1 : 0));
    }

    /** {@link Streaming#PER_STEP}: each step is normalised over its own features. */
    @Override
    public Streaming streaming() {
        return Streaming.PER_STEP;
    }

    @Override
    public String toString() {
        return "LayerNormalization[features=" + features + ", epsilon=" + epsilon + (rmsScaling ? ", rms scaling"
                : (beta != null ? "" : ", no center") + (gamma != null ? "" : ", no scale")) + "]";
    }
}
