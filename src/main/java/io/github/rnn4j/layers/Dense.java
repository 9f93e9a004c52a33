package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Backend;
import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.internal.Kernels;

/**
 * A fully connected layer, as Keras's {@code Dense}: {@code y = activation(x·W + b)}.
 *
 * <p>{@code kernel} W is {@code [inputSize][units]}, {@code bias} b is {@code [units]}; on a sequence
 * {@code [timeSteps][inputSize]} it applies to each row, as Keras Dense on a 3-D input. Weights are copied on
 * the way in. Immutable and thread-safe.
 */
public final class Dense {
    private final int inputSize;
    private final int units;
    private final double[][] kernel;
    private final double[] bias;
    private final Activation activation;

    /**
     * Creates a layer computing {@code y = activation(x·W + b)}.
     *
     * @param kernel {@code [inputSize][units]}
     * @param bias {@code [units]}, or {@code null} for no bias (Keras {@code use_bias=False})
     * @param activation applied to each output row
     */
    public Dense(double[][] kernel, double[] bias, Activation activation) {
        this.units = Checks.finiteMatrix("kernel", kernel, -1, -1);
        this.inputSize = kernel.length;
        this.kernel = Kernels.copyRows(kernel);
        if (bias == null) {
            this.bias = new double[units];
        } else {
            Checks.finiteVector("bias", bias, units);
            this.bias = bias.clone();
        }
        this.activation = Checks.notNull("activation", activation);
    }

    /** The length of each input row: the kernel's row count. */
    public int inputSize() {
        return inputSize;
    }

    /** The number of outputs per row: the kernel's column count. */
    public int units() {
        return units;
    }

    /** The activation applied to each output row. */
    public Activation activation() {
        return activation;
    }

    /** Applies the layer to one vector: {@code y = activation(x·W + b)}; {@code x} is {@code [inputSize]}, {@code y} is {@code [units]}. */
    public double[] forward(double[] x) {
        Checks.vectorLength("x", x, inputSize);
        double[] y = new double[units];
        forwardRow(x, y);
        return y;
    }

    /**
     * Writes {@code activation(x·W + b)} into a caller's buffer, for loops that reuse it; whatever {@code y} held
     * before is overwritten.
     *
     * @param x {@code [inputSize]}
     * @param y {@code [units]}, overwritten
     * @return {@code y}
     */
    public double[] forwardInto(double[] x, double[] y) {
        Checks.vectorLength("x", x, inputSize);
        Checks.vectorLength("y", y, units);
        forwardRow(x, y);
        return y;
    }

    /** Applies the layer to every row: {@code rows} is {@code [n][inputSize]}, the result {@code [n][units]}. */
    public double[][] forward(double[][] rows) {
        Checks.matrixShape("rows", rows, -1, inputSize);
        double[][] out = new double[rows.length][units];
        for (int i = 0; i < rows.length; i++) {
            forwardRow(rows[i], out[i]);
        }
        return out;
    }

    private void forwardRow(double[] x, double[] y) {
        System.arraycopy(bias, 0, y, 0, units);
        if (Kernels.isSparse(x, inputSize)) {
            Kernels.addSparseVecMat(x, inputSize, kernel, units, y);
        } else {
            Backend.INSTANCE.addVecMat(x, inputSize, kernel, units, y);
        }
        activation.applyInPlace(y, 0, units);
    }
}
