package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.internal.Kernels;

import java.util.List;

/**
 * The Keras {@code SimpleRNN} cell: a fully connected recurrence.
 *
 * <p>{@code h_t = activation(x_t·W + h_{t-1}·U + b)}, tanh by default; {@code kernel} W is
 * {@code [inputSize][units]}, {@code recurrentKernel} U is {@code [units][units]}, {@code bias} b is
 * {@code [units]}; the state is {@code [h]} (keras/src/layers/rnn/simple_rnn.py, SimpleRNNCell.call).
 * Weights are copied on the way in. Immutable and thread-safe.
 */
public final class SimpleRnnCell extends BaseCell implements RnnCell {
    private final boolean hasBias;
    private final Weights recurrentKernel;

    /**
     * Creates a tanh cell: {@code h_t = tanh(x_t·W + h_{t-1}·U + b)}, shapes as in the class comment.
     *
     * @param kernel {@code W}, {@code [inputSize][units]}
     * @param recurrentKernel {@code U}, {@code [units][units]}
     * @param bias {@code b}, {@code [units]}
     */
    public SimpleRnnCell(double[][] kernel, double[][] recurrentKernel, double[] bias) {
        this(kernel, recurrentKernel, bias, Activation.TANH);
    }

    /**
     * Creates a cell with the given activation: {@code h_t = activation(x_t·W + h_{t-1}·U + b)}.
     *
     * @param kernel {@code W}, {@code [inputSize][units]}
     * @param recurrentKernel {@code U}, {@code [units][units]}
     * @param bias {@code [units]}; {@code null} for a cell without bias (Keras {@code use_bias=False})
     * @param activation the activation of the sum, tanh in Keras by default
     */
    public SimpleRnnCell(double[][] kernel, double[][] recurrentKernel, double[] bias, Activation activation) {
        this(kernel, recurrentKernel, bias, activation, true);
    }

    /** Checks as the public constructor; copies the arrays only when {@code copy} (see {@link OwningFactories}). */
    private SimpleRnnCell(double[][] kernel, double[][] recurrentKernel, double[] bias, Activation activation,
                          boolean copy) {
        super(checkedWidth("SimpleRNN", 1, recurrentKernel), recurrentKernel.length, kernel, copy,
                bias("bias", bias, recurrentKernel.length, copy), activation, null);
        this.recurrentKernel = Weights.owning(copy ? Kernels.copyRows(recurrentKernel) : recurrentKernel, units);
        this.hasBias = bias != null;
    }

    /** A cell that keeps its arrays without copying them: the caller gives them up. */
    static SimpleRnnCell owning(double[][] kernel, double[][] recurrentKernel, double[] bias, Activation activation) {
        return new SimpleRnnCell(kernel, recurrentKernel, bias, activation, false);
    }

    private SimpleRnnCell(SimpleRnnCell other) {
        super(other);
        this.recurrentKernel = other.recurrentKernel.float32();
        this.hasBias = other.hasBias;
    }

    @Override
    SimpleRnnCell float32() {
        return isFloat32() ? this : new SimpleRnnCell(this);
    }

    /**
     * Creates a SimpleRNN cell without bias (Keras {@code use_bias=False}): {@code h_t = activation(x_t·W +
     * h_{t-1}·U)}.
     *
     * @param kernel {@code W}, {@code [inputSize][units]}
     * @param recurrentKernel {@code U}, {@code [units][units]}
     * @param activation the activation of the sum
     * @return a cell without bias
     */
    public static SimpleRnnCell withoutBias(double[][] kernel, double[][] recurrentKernel, Activation activation) {
        return new SimpleRnnCell(kernel, recurrentKernel, null, activation);
    }

    private SimpleRnnCell(SimpleRnnCell other, Embedding embedding) {
        super(other, embedding);
        this.recurrentKernel = other.recurrentKernel;
        this.hasBias = other.hasBias;
    }

    @Override
    int biasParameters() {
        return hasBias ? width : 0;
    }

    @Override
    public SimpleRnnCell withEmbedding(Embedding embedding) {
        return new SimpleRnnCell(this, embedding);
    }

    @Override
    public int stateCount() {
        return 1;
    }

    /**
     * The activation applied to the pre-activation sum.
     *
     * @return the activation given at construction
     */
    public Activation activation() {
        return activation;
    }

    /**
     * Computes one step from the previous hidden state: {@code h_t = activation(x_t·W + h_{t-1}·U + b)}.
     *
     * @param input {@code x_t}, {@code [inputSize]}
     * @param h {@code h_{t-1}}, {@code [units]}
     * @return {@code h_t}, a new {@code [units]} array
     */
    public double[] step(double[] input, double[] h) {
        Checks.notNull("h", h);
        return step(input, List.of(h)).get(0);
    }

    @Override
    double[][][] newScratch(int rows) {
        return null;
    }

    @Override
    void stepRows(double[][] z, double[][][] state, int rows, double[][][] scratch, float[] acc) {
        double[][] h = state[0];
        recurrentKernel.addProduct(h, rows, z, acc);
        for (int i = 0; i < rows; i++) {
            activation.applyInPlace(z[i], 0, units);
            System.arraycopy(z[i], 0, h[i], 0, units);
        }
    }

    @Override
    void stepUnits(int phase, double[] z, double[] h, double[] hOut, double[] c, double[][][] scratch, int from,
                   int to, float[] acc) {
        recurrentKernel.addColumns(h, from, to, z, acc);
        activation.applyInPlace(z, from, to);
        System.arraycopy(z, from, hOut, from, to - from);
    }
}
