package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.internal.Kernels;

import java.util.List;

/**
 * What the three Keras cells share: the weights and the input projection {@code x_t·W + b}.
 *
 * <p>{@code kernel} is {@code [inputSize][gates·units]} and {@code recurrentKernel} {@code [units][gates·units]},
 * kept as arrays of rows (see {@link Kernels} for why). Subclasses implement one recurrent step on the projected
 * input, updating the states in place. Immutable and thread-safe: all scratch belongs to the caller.
 */
abstract class BaseCell {
    final int inputSize;
    final int units;
    /** Columns of the kernels: {@code gates·units}. */
    final int width;
    final double[][] kernel;
    /** The bias added to the input projection, {@code [width]}. */
    final double[] inputBias;
    final Activation activation;
    final Activation recurrentActivation;

    BaseCell(String cellName, int gates, double[][] kernel, double[][] recurrentKernel, double[] inputBias,
             Activation activation, Activation recurrentActivation) {
        this.width = checkedWidth(cellName, gates, recurrentKernel);
        this.units = recurrentKernel.length;
        Checks.finiteMatrix("kernel", kernel, -1, width);
        this.inputSize = kernel.length;
        this.kernel = Kernels.copyRows(kernel);
        this.inputBias = inputBias;
        this.activation = elementwise("activation", activation);
        this.recurrentActivation = recurrentActivation == null ? null
                : elementwise("recurrentActivation", recurrentActivation);
    }

    /**
     * Checks that {@code recurrentKernel} is {@code [units][gates·units]} with finite values and returns
     * {@code gates·units}; subclasses call it to size their bias before the constructor runs.
     */
    static int checkedWidth(String cellName, int gates, double[][] recurrentKernel) {
        int cols = Checks.finiteMatrix("recurrentKernel", recurrentKernel, -1, -1);
        if (cols % gates != 0 || cols / gates != recurrentKernel.length) {
            String gateText = gates == 1 ? "units" : gates + "*units";
            throw Checks.shape("recurrentKernel", "[units][" + gateText + "] for " + cellName,
                    Checks.dims(recurrentKernel.length, cols));
        }
        return cols;
    }

    private static Activation elementwise(String name, Activation a) {
        Checks.notNull(name, a);
        if (!a.isElementwise()) {
            throw new IllegalArgumentException(name + " must be element-wise, got " + a);
        }
        return a;
    }

    /** Checks and copies a bias vector of {@code length}; {@code null} means no bias (zeros). */
    static double[] biasCopy(String name, double[] bias, int length) {
        if (bias == null) {
            return new double[length];
        }
        Checks.finiteVector(name, bias, length);
        return bias.clone();
    }

    /** The number of state vectors. */
    abstract int states();

    /** New scratch buffers for {@link #step}, to be reused across the steps of one call. */
    abstract double[][] newScratch();

    /**
     * Advances the states by one step, in place.
     *
     * @param z on entry the projected input {@code x_t·W + b}, {@code [width]}; overwritten
     * @param state {@code [states()][units]}, read as {@code t-1} and overwritten with {@code t}
     * @param scratch buffers from {@link #newScratch()}, contents ignored
     */
    abstract void step(double[] z, double[][] state, double[][] scratch);

    /** Writes {@code x·W + b} for one input row into {@code z[0, width)}. */
    final void project(double[] x, double[] z) {
        System.arraycopy(inputBias, 0, z, 0, width);
        Kernels.addInputProduct(x, inputSize, kernel, width, z);
    }

    /** Implements {@link RnnCell#step} on top of the in-place step. */
    final List<double[]> checkedStep(double[] input, List<double[]> states) {
        Checks.vectorLength("input", input, inputSize);
        double[][] state = copyStates("states", states, states(), units);
        double[] z = new double[width];
        project(input, z);
        step(z, state, newScratch());
        return List.of(state);
    }

    /** Checks a list of {@code count} state vectors of {@code [units]} and copies it into a new array. */
    static double[][] copyStates(String name, List<double[]> states, int count, int units) {
        Checks.listSize(name, states, count);
        double[][] copy = new double[count][];
        for (int i = 0; i < count; i++) {
            double[] s = states.get(i);
            Checks.finiteVector(name + "[" + i + "]", s, units);
            copy[i] = s.clone();
        }
        return copy;
    }
}
