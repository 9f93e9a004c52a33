package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.internal.Kernels;

import java.util.List;

/**
 * A one-dimensional convolution over time, as Keras's {@code Conv1D} with channels_last
 * (keras/src/layers/convolutional/conv1d.py and base_conv.py):
 * {@code y[o][f] = activation(Σ_i Σ_c x[o·strides + i·dilationRate − pad][g·cg + c]·kernel[i][c][f] + bias[f])},
 * where {@code g = f / (filters/groups)} is the filter's group and {@code cg = inputChannels/groups}.
 *
 * <p>{@code inputs} is {@code [timeSteps][inputChannels]}, {@code kernel} is
 * {@code [kernelSize][inputChannels/groups][filters]} as Keras stores it, the output
 * {@code [outputs][filters]} with the number of outputs of {@link Padding}; padded steps are zeros. Conv layers do
 * not support masking in Keras: the input mask is not read (masked steps are convolved like the others) and the
 * output has no mask. Keras forbids {@code strides > 1} together with {@code dilationRate > 1}; so does this class.
 * Immutable and thread-safe.
 */
public final class Conv1D implements Layer {
    private final double[][][] kernel;
    /** The kernel as float32 in a float32 layer (then {@code kernel} is {@code null}). */
    private final float[][][] narrowKernel;
    private final double[] bias;
    private final int kernelSize;
    private final int groupChannels;
    private final int filters;
    private final int strides;
    private final Padding padding;
    private final int dilationRate;
    private final int groups;
    private final Activation activation;

    /**
     * Creates Keras's {@code Conv1D} layer from its kernel, bias and options.
     *
     * @param kernel {@code [kernelSize][inputChannels/groups][filters]}
     * @param bias {@code [filters]}, or {@code null} for {@code use_bias=False}
     * @param strides at least 1 (Keras default 1)
     * @param padding VALID (Keras default), SAME or CAUSAL
     * @param dilationRate at least 1 (Keras default 1)
     * @param groups at least 1, dividing {@code filters} (Keras default 1)
     * @param activation applied to each output step
     */
    public Conv1D(double[][][] kernel, double[] bias, int strides, Padding padding, int dilationRate, int groups,
            Activation activation) {
        this(kernel, bias, strides, padding, dilationRate, groups, activation, true);
    }

    /** A layer that keeps {@code kernel} and {@code bias} without copying them: the caller gives them up. */
    static Conv1D owning(double[][][] kernel, double[] bias, int strides, Padding padding, int dilationRate,
                         int groups, Activation activation) {
        return new Conv1D(kernel, bias, strides, padding, dilationRate, groups, activation, false);
    }

    /** Checks as the public constructor; copies the arrays only when {@code copy} (see {@link OwningFactories}). */
    private Conv1D(double[][][] kernel, double[] bias, int strides, Padding padding, int dilationRate, int groups,
            Activation activation, boolean copy) {
        Checks.notNull("kernel", kernel);
        if (kernel.length == 0) {
            throw Checks.shape("kernel", "[kernelSize][inputChannels/groups][filters] with kernelSize >= 1", "[0]");
        }
        this.kernelSize = kernel.length;
        this.groupChannels = kernel[0] == null ? 0 : kernel[0].length;
        this.filters = Checks.finiteMatrix("kernel[0]", kernel[0], -1, -1);
        this.kernel = new double[kernelSize][][];
        for (int i = 0; i < kernelSize; i++) {
            Checks.finiteMatrix("kernel[" + i + "]", kernel[i], groupChannels, filters);
            this.kernel[i] = new double[groupChannels][];
            for (int c = 0; c < groupChannels; c++) {
                this.kernel[i][c] = copy ? kernel[i][c].clone() : kernel[i][c];
            }
        }
        if (bias != null) {
            Checks.finiteVector("bias", bias, filters);
        }
        this.bias = bias == null ? null : copy ? bias.clone() : bias;
        if (strides < 1) {
            throw new IllegalArgumentException("strides is " + strides + ", expected >= 1");
        }
        if (dilationRate < 1) {
            throw new IllegalArgumentException("dilationRate is " + dilationRate + ", expected >= 1");
        }
        if (strides > 1 && dilationRate > 1) {
            throw new IllegalArgumentException("strides is " + strides + " and dilationRate is " + dilationRate
                    + ", expected at most one of them above 1 (Keras does not support both)");
        }
        if (groups < 1 || filters % groups != 0) {
            throw new IllegalArgumentException("groups is " + groups + ", expected >= 1 and dividing filters ("
                    + filters + ")");
        }
        this.strides = strides;
        this.padding = Checks.notNull("padding", padding);
        this.dilationRate = dilationRate;
        this.groups = groups;
        this.activation = Checks.notNull("activation", activation);
        this.narrowKernel = null;
    }

    private Conv1D(Conv1D other) {
        this.kernel = null;
        this.narrowKernel = new float[other.kernelSize][][];
        for (int i = 0; i < other.kernelSize; i++) {
            this.narrowKernel[i] = Kernels.toFloat(other.kernel[i]);
        }
        this.bias = other.bias == null ? null : Kernels.roundToFloat(other.bias);
        this.kernelSize = other.kernelSize;
        this.groupChannels = other.groupChannels;
        this.filters = other.filters;
        this.strides = other.strides;
        this.padding = other.padding;
        this.dilationRate = other.dilationRate;
        this.groups = other.groups;
        this.activation = other.activation;
    }

    /**
     * The number of input channels: {@code groups·(inputChannels/groups)}.
     *
     * @return the length of each input step
     */
    public int inputChannels() {
        return groups * groupChannels;
    }

    /**
     * The number of output channels.
     *
     * @return the length of each output step
     */
    public int filters() {
        return filters;
    }

    private int window() {
        return dilationRate * (kernelSize - 1) + 1;
    }

    @Override
    public List<Value> apply(List<Value> inputs) {
        Inputs.values(this, inputs, 1, 1);
        Value.Sequence s = Inputs.sequence(this, inputs, 0);
        int outputs = outputShapes(List.of(s.shape())).get(0).timeSteps();
        double[][] x = s.steps();
        int timeSteps = x.length;
        int before = padding.before(timeSteps, window(), strides);
        int filtersPerGroup = filters / groups;
        double[][] y = new double[outputs][filters];
        for (int o = 0; o < outputs; o++) {
            double[] yo = y[o];
            for (int i = 0; i < kernelSize; i++) {
                int t = o * strides + i * dilationRate - before;
                if (t < 0 || t >= timeSteps) {
                    continue;
                }
                double[] xt = x[t];
                if (narrowKernel != null) {
                    addFloat32(xt, narrowKernel[i], filtersPerGroup, yo);
                    continue;
                }
                double[][] ki = kernel[i];
                for (int g = 0; g < groups; g++) {
                    int fFrom = g * filtersPerGroup;
                    int fTo = fFrom + filtersPerGroup;
                    for (int c = 0; c < groupChannels; c++) {
                        double xv = xt[g * groupChannels + c];
                        double[] kc = ki[c];
                        for (int f = fFrom; f < fTo; f++) {
                            yo[f] += xv * kc[f];
                        }
                    }
                }
            }
            if (bias != null) {
                for (int f = 0; f < filters; f++) {
                    yo[f] += bias[f];
                }
            }
            activation.applyInPlace(yo, 0, filters);
        }
        return List.of(new Value.Sequence(y));
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Inputs.count(this, inputs, 1, 1);
        Shape in = Inputs.sequenceShape(this, inputs, 0, inputChannels());
        int outputs = padding.outputs(in.timeSteps(), window(), strides);
        if (outputs < Shape.UNKNOWN) {
            throw Checks.shape(Inputs.name(this) + " input 0", "[timeSteps][" + inputChannels()
                    + "] with timeSteps >= " + window() + " (the dilated kernel) for VALID padding", in.toString());
        }
        return List.of(Shape.sequence(outputs, filters));
    }

    /** {@code kernelSize·(inputChannels/groups)·filters} plus {@code filters} with a bias. */
    /** {@code yo[f] += Σ_c float(x[c])·k[c][f]}, each product in float32, summed in float64. */
    private void addFloat32(double[] xt, float[][] ki, int filtersPerGroup, double[] yo) {
        for (int g = 0; g < groups; g++) {
            int fFrom = g * filtersPerGroup;
            int fTo = fFrom + filtersPerGroup;
            for (int c = 0; c < groupChannels; c++) {
                float xv = (float) xt[g * groupChannels + c];
                float[] kc = ki[c];
                for (int f = fFrom; f < fTo; f++) {
                    yo[f] += xv * kc[f];
                }
            }
        }
    }

    /** A copy that stores its kernel as float32 and computes each product in float32; the bias rounded to float32. */
    @Override
    public Conv1D float32() {
        return narrowKernel != null ? this : new Conv1D(this);
    }

    @Override
    public long parameterCount() {
        return (long) kernelSize * groupChannels * filters + (bias != null ? filters : 0);
    }

    /**
     * {@link Streaming#WHOLE_SEQUENCE}: each output step reads {@code kernelSize} input steps, {@code dilationRate}
     * apart.
     */
    @Override
    public Streaming streaming() {
        return Streaming.WHOLE_SEQUENCE;
    }

    @Override
    public String toString() {
        return "Conv1D[filters=" + filters + ", kernelSize=" + kernelSize + ", inputChannels=" + inputChannels()
                + ", strides=" + strides + ", padding=" + padding + ", dilationRate=" + dilationRate
                + ", groups=" + groups + ", activation=" + activation + (bias != null ? "" : ", no bias") + "]";
    }
}
