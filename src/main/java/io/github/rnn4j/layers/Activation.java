package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Backend;
import io.github.rnn4j.internal.Checks;

import java.util.Locale;

/**
 * The activation functions of Keras layers.
 *
 * <p>All are element-wise except {@link #SOFTMAX}, which normalises a whole vector. Thread-safe: constants.
 * Formulas follow {@code keras/src/activations/activations.py}.
 */
public enum Activation {
    /** Identity: {@code f(x) = x}. */
    LINEAR,
    /** Hyperbolic tangent: {@code f(x) = tanh(x)}. */
    TANH,
    /** Logistic sigmoid: {@code f(x) = 1 / (1 + e^{-x})}. */
    SIGMOID,
    /** Rectifier: {@code f(x) = max(x, 0)}. */
    RELU,
    /** Softmax over a vector: {@code f(x)_j = e^{x_j - max(x)} / Σ_k e^{x_k - max(x)}}. */
    SOFTMAX,
    /** Keras 3 hard sigmoid: {@code f(x) = relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1)}, computed as Keras does. */
    HARD_SIGMOID,
    /** Keras 2 and TensorFlow.js hard sigmoid: {@code f(x) = clip(0.2·x + 0.5, 0, 1)}. */
    HARD_SIGMOID_KERAS2;

    /**
     * Applies an element-wise activation to one number.
     *
     * @throws IllegalStateException for {@link #SOFTMAX}, which needs the whole vector: use {@link #apply(double[])}
     */
    public double apply(double x) {
        switch (this) {
            case LINEAR:
                return x;
            case TANH:
                return Backend.tanh(x);
            case SIGMOID:
                return Backend.sigmoid(x);
            case RELU:
                return x > 0.0 ? x : (x == x ? 0.0 : x);
            case HARD_SIGMOID:
                // keras/src/backend/tensorflow/nn.py: relu6(x + 3.0) / 6.0; same rounding, NaN passes through.
                double shifted = x + 3.0;
                return (shifted < 0.0 ? 0.0 : (shifted > 6.0 ? 6.0 : shifted)) / 6.0;
            case HARD_SIGMOID_KERAS2:
                return clip01(0.2 * x + 0.5);
            default:
                throw new IllegalStateException("SOFTMAX needs the whole vector: call apply(double[])");
        }
    }

    /**
     * Applies the activation to a vector and returns a new array; {@code x} is {@code [n]} and is not changed.
     * Softmax subtracts the maximum first, so {@code [1000, 0]} gives {@code [1, 0]}.
     */
    public double[] apply(double[] x) {
        Checks.vectorLength("x", x, -1);
        if (x.length == 0) {
            throw Checks.shape("x", "[n] with n >= 1", "[0]");
        }
        double[] out = x.clone();
        applyInPlace(out, 0, out.length);
        return out;
    }

    /** Applies the activation in place to {@code v[from, to)}; softmax normalises that range as one vector. */
    void applyInPlace(double[] v, int from, int to) {
        switch (this) {
            case LINEAR:
                return;
            case TANH:
                Backend.INSTANCE.tanh(v, from, to);
                return;
            case SIGMOID:
                Backend.INSTANCE.sigmoid(v, from, to);
                return;
            case SOFTMAX:
                softmaxInPlace(v, from, to);
                return;
            default:
                for (int j = from; j < to; j++) {
                    v[j] = apply(v[j]);
                }
        }
    }

    /** True when the function maps each element on its own (every constant but {@link #SOFTMAX}). */
    public boolean isElementwise() {
        return this != SOFTMAX;
    }

    /**
     * Returns the activation for a Keras name such as {@code "tanh"} or {@code "hard_sigmoid"}.
     *
     * @param name the Keras activation name
     * @param keras2 whether {@code hard_sigmoid} means the Keras 2 / TensorFlow.js slope 0.2 rather than Keras 3's 1/6
     */
    public static Activation fromKerasName(String name, boolean keras2) {
        Checks.notNull("name", name);
        switch (name.toLowerCase(Locale.ROOT)) {
            case "linear":
                return LINEAR;
            case "tanh":
                return TANH;
            case "sigmoid":
                return SIGMOID;
            case "relu":
                return RELU;
            case "softmax":
                return SOFTMAX;
            case "hard_sigmoid":
            case "hardsigmoid":
                return keras2 ? HARD_SIGMOID_KERAS2 : HARD_SIGMOID;
            default:
                throw new IllegalArgumentException("activation '" + name + "' is not supported; expected one of "
                        + "linear, tanh, sigmoid, relu, softmax, hard_sigmoid");
        }
    }

    private static double clip01(double x) {
        return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x);
    }

    private static void softmaxInPlace(double[] v, int from, int to) {
        double max = v[from];
        for (int j = from + 1; j < to; j++) {
            if (v[j] > max) {
                max = v[j];
            }
        }
        double sum = 0.0;
        for (int j = from; j < to; j++) {
            double e = Math.exp(v[j] - max);
            v[j] = e;
            sum += e;
        }
        for (int j = from; j < to; j++) {
            v[j] /= sum;
        }
    }
}
