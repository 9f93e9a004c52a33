package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Backend;
import io.github.rnn4j.internal.Checks;

import java.util.Locale;

/**
 * The activation functions of Keras layers.
 *
 * <p>All are element-wise except {@link #SOFTMAX} and {@link #LOG_SOFTMAX}, which normalise a whole vector.
 * Thread-safe: constants.
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
    HARD_SIGMOID_KERAS2,
    /** Exponential linear unit with {@code alpha = 1}: {@code f(x) = x} for {@code x ≥ 0}, else {@code e^x − 1}. */
    ELU,
    /**
     * Scaled ELU: {@code f(x) = scale·(x ≥ 0 ? x : alpha·(e^x − 1))} with Keras's {@code alpha = 1.6732632423543772}
     * and {@code scale = 1.0507009873554805}.
     */
    SELU,
    /** Softplus: {@code f(x) = log(e^x + 1)}, computed as {@code max(x, 0) + log1p(e^{-|x|})} (numpy logaddexp). */
    SOFTPLUS,
    /** Softsign: {@code f(x) = x / (1 + |x|)}. */
    SOFTSIGN,
    /** Swish, also called SiLU: {@code f(x) = x·sigmoid(x)}; Keras names {@code "silu"} and {@code "swish"}. */
    SWISH,
    /**
     * Gaussian error linear unit, exact form (Keras 3's default {@code approximate=False}):
     * {@code f(x) = x·(erf(x/√2) + 1)/2}.
     */
    GELU,
    /** GELU with the tanh approximation ({@code approximate=True}): {@code f(x) = x·0.5·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}. */
    GELU_TANH,
    /** Exponential: {@code f(x) = e^x}. */
    EXPONENTIAL,
    /** Rectifier capped at 6: {@code f(x) = min(max(x, 0), 6)}. */
    RELU6,
    /** Leaky rectifier with Keras's activation default slope 0.2: {@code f(x) = max(x, 0.2·x)}. */
    LEAKY_RELU,
    /** Continuously differentiable ELU with {@code alpha = 1}: {@code f(x) = max(x, 0) + (e^{min(x, 0)} − 1)}. */
    CELU,
    /** Hard SiLU, also called hard swish: {@code f(x) = x·relu6(x + 3)/6}. */
    HARD_SILU,
    /** Hard tanh: {@code f(x) = clip(x, −1, 1)}. */
    HARD_TANH,
    /** Log-sigmoid: {@code f(x) = −softplus(−x)}. */
    LOG_SIGMOID,
    /** Tanh shrink: {@code f(x) = x − tanh(x)}. */
    TANH_SHRINK,
    /** Mish: {@code f(x) = x·tanh(softplus(x))}. */
    MISH,
    /** Log-softmax over a vector: {@code f(x)_j = x_j − max(x) − log Σ_k e^{x_k − max(x)}}. */
    LOG_SOFTMAX;

    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;
    private static final double SQRT_2 = Math.sqrt(2.0);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;

    /**
     * Applies an element-wise activation to one number.
     *
     * <p>Gives the same bits as the same value inside {@link #apply(double[])}: tanh and sigmoid run through this
     * JVM's {@link Backend} in both.
     *
     * @param x the pre-activation value
     * @return the activation of {@code x}
     * @throws IllegalStateException for {@link #SOFTMAX} and {@link #LOG_SOFTMAX}, which need the whole vector: use
     *     {@link #apply(double[])}
     */
    public double apply(double x) {
        switch (this) {
            case LINEAR:
                return x;
            case TANH: {
                double[] one = {x};
                Backend.INSTANCE.tanh(one, 0, 1);
                return one[0];
            }
            case SIGMOID: {
                double[] one = {x};
                Backend.INSTANCE.sigmoid(one, 0, 1);
                return one[0];
            }
            case RELU:
                return x > 0.0 ? x : (x == x ? 0.0 : x);
            case HARD_SIGMOID:
                // keras/src/backend/tensorflow/nn.py: relu6(x + 3.0) / 6.0; same rounding, NaN passes through.
                double shifted = x + 3.0;
                return (shifted < 0.0 ? 0.0 : (shifted > 6.0 ? 6.0 : shifted)) / 6.0;
            case HARD_SIGMOID_KERAS2:
                return clip01(0.2 * x + 0.5);
            case ELU:
                return x >= 0.0 ? x : Math.expm1(x);
            case SELU:
                return SELU_SCALE * (x >= 0.0 ? x : SELU_ALPHA * Math.expm1(x));
            case SOFTPLUS:
                return softplus(x);
            case SOFTSIGN:
                return x / (1.0 + Math.abs(x));
            case SWISH:
                return x * Backend.sigmoid(x);
            case GELU:
                return x * (erf(x / SQRT_2) + 1.0) / 2.0;
            case GELU_TANH:
                return x * (0.5 * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * (x * x * x)))));
            case EXPONENTIAL:
                return Math.exp(x);
            case RELU6:
                return Math.min(Math.max(x, 0.0), 6.0);
            case LEAKY_RELU:
                return Math.max(x, 0.2 * x);
            case CELU:
                return Math.max(x, 0.0) + Math.expm1(Math.min(x, 0.0));
            case HARD_SILU:
                return x * HARD_SIGMOID.apply(x);
            case HARD_TANH:
                return Math.min(Math.max(x, -1.0), 1.0);
            case LOG_SIGMOID:
                return -softplus(-x);
            case TANH_SHRINK:
                return x - Math.tanh(x);
            case MISH:
                return x * Math.tanh(softplus(x));
            default:
                throw new IllegalStateException(this + " needs the whole vector: call apply(double[])");
        }
    }

    /** {@code log(e^x + 1)} as numpy's {@code logaddexp(x, 0)}: {@code max(x, 0) + log1p(e^{-|x|})}. */
    private static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /**
     * The error function {@code erf(x) = 2/√π ∫_0^x e^{-t²} dt}, within 4 units in the last place of Python's
     * {@code math.erf} (measured over 220,000 points in [-7, 7]).
     *
     * <p>Below |x| = 1 the everywhere-positive series {@code erf(x) = 2/√π·e^{-x²}·Σ_n (2x²)^n·x / (1·3·…·(2n+1))},
     * summed from its far end; from 1 to 6, {@code 1 − erfc(x)} with the continued fraction
     * {@code erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))}; above 6, ±1. {@code x²} is carried
     * with its rounding error (fma), so {@code e^{-x²}} keeps its precision. Thread-safe: pure.
     *
     * @param x any double; NaN gives NaN
     * @return {@code erf(x)}, in [-1, 1]
     */
    public static double erf(double x) {
        if (x != x) {
            return x;
        }
        double a = Math.abs(x);
        double r;
        if (a >= 6.0) {
            r = 1.0;
        } else {
            double hi = a * a;
            double lo = Math.fma(a, a, -hi);
            double gauss = Math.exp(-hi) * (1.0 - lo);
            if (a < 1.0) {
                double t2 = 2.0 * hi;
                double sum = 1.0;
                for (int n = 14 + (int) (6 * hi); n >= 1; n--) {
                    sum = 1.0 + sum * t2 / (2 * n + 1);
                }
                r = (a * TWO_OVER_SQRT_PI) * sum * gauss;
            } else {
                double f = a;
                for (int k = 60 + (int) (240 / hi); k >= 1; k--) {
                    f = a + (k * 0.5) / f;
                }
                r = 1.0 - gauss / f * ONE_OVER_SQRT_PI;
            }
        }
        return x < 0 ? -r : r;
    }

    /**
     * Applies the activation to a vector and returns a new array; {@code x} is {@code [n]} and is not changed.
     * Softmax subtracts the maximum first, so {@code [1000, 0]} gives {@code [1, 0]}.
     *
     * @param x the pre-activation vector, {@code [n]}
     * @return a new {@code [n]} array with the activation of {@code x}
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
            case LOG_SOFTMAX:
                logSoftmaxInPlace(v, from, to);
                return;
            default:
                for (int j = from; j < to; j++) {
                    v[j] = apply(v[j]);
                }
        }
    }

    /**
     * True when the function maps each element on its own (every constant but {@link #SOFTMAX} and {@link
     * #LOG_SOFTMAX}).
     *
     * @return {@code false} only for the two softmax variants
     */
    public boolean isElementwise() {
        return this != SOFTMAX && this != LOG_SOFTMAX;
    }

    /**
     * Returns the activation for a Keras name such as {@code "tanh"} or {@code "hard_sigmoid"}.
     *
     * @param name the Keras activation name
     * @param keras2 whether {@code hard_sigmoid} means the Keras 2 / TensorFlow.js slope 0.2 rather than Keras 3's 1/6
     * @return the matching constant
     * @throws IllegalArgumentException when the name is not a supported activation, listing the supported ones
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
            case "elu":
                return ELU;
            case "selu":
                return SELU;
            case "softplus":
                return SOFTPLUS;
            case "softsign":
                return SOFTSIGN;
            case "silu":
            case "swish":
                return SWISH;
            case "gelu":
                return GELU;
            case "exponential":
                return EXPONENTIAL;
            case "relu6":
                return RELU6;
            case "leaky_relu":
                return LEAKY_RELU;
            case "celu":
                return CELU;
            case "hard_silu":
            case "hard_swish":
                return HARD_SILU;
            case "hard_tanh":
                return HARD_TANH;
            case "log_sigmoid":
                return LOG_SIGMOID;
            case "tanh_shrink":
                return TANH_SHRINK;
            case "mish":
                return MISH;
            case "log_softmax":
                return LOG_SOFTMAX;
            default:
                throw new IllegalArgumentException("activation '" + name + "' is not supported; expected one of "
                        + KERAS_NAMES);
        }
    }

    /** Every Keras name {@link #fromKerasName} accepts, for messages. */
    private static final String KERAS_NAMES = "linear, tanh, sigmoid, relu, softmax, hard_sigmoid, elu, selu, "
            + "softplus, softsign, silu, swish, gelu, exponential, relu6, leaky_relu, celu, hard_silu, hard_swish, "
            + "hard_tanh, log_sigmoid, tanh_shrink, mish, log_softmax (gelu with approximate=True is GELU_TANH)";

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

    private static void logSoftmaxInPlace(double[] v, int from, int to) {
        double max = v[from];
        for (int j = from + 1; j < to; j++) {
            if (v[j] > max) {
                max = v[j];
            }
        }
        double sum = 0.0;
        for (int j = from; j < to; j++) {
            sum += Math.exp(v[j] - max);
        }
        double log = Math.log(sum);
        for (int j = from; j < to; j++) {
            v[j] = v[j] - max - log;
        }
    }
}
