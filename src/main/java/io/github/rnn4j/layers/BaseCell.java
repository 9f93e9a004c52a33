package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.internal.Kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * What the three Keras cells share: flat weights and the input projection {@code x_t·W + b}.
 *
 * <p>{@code kernel} is {@code [inputSize][gates·units]} and {@code recurrentKernel} is
 * {@code [units][gates·units]}, both stored flat and row-major. Subclasses implement one recurrent step on
 * pre-projected input, updating states in place. Immutable and thread-safe: all scratch belongs to the caller.
 */
abstract class BaseCell {
    final int inputSize;
    final int units;
    /** Columns of the kernels: {@code gates·units}. */
    final int width;
    final double[] kernel;
    final double[] recurrentKernel;
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
        this.kernel = Checks.flatten(kernel);
        this.recurrentKernel = Checks.flatten(recurrentKernel);
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

    /** The scratch length one {@link #step} needs. */
    abstract int scratchSize();

    /**
     * Advances the states by one step, in place.
     *
     * @param xp the projected input {@code x_t·W + b} at {@code xp[off, off + width)}
     * @param state {@code [states()][units]}, read as {@code t-1} and overwritten with {@code t}
     * @param scratch at least {@link #scratchSize()} doubles, contents ignored
     */
    abstract void step(double[] xp, int off, double[][] state, double[] scratch);

    /** Writes {@code x·W + b} for one input row into {@code xp[off, off + width)}. */
    final void project(double[] x, double[] xp, int off) {
        System.arraycopy(inputBias, 0, xp, off, width);
        Kernels.addVecMat(x, 0, inputSize, kernel, width, 0, width, xp, off);
    }

    /** Implements {@link RnnCell#step} on top of the in-place step. */
    final List<double[]> checkedStep(double[] input, List<double[]> states) {
        Checks.vectorLength("input", input, inputSize);
        double[][] state = copyStates("states", states, states(), units);
        double[] xp = new double[width];
        project(input, xp, 0);
        step(xp, 0, state, new double[scratchSize()]);
        List<double[]> out = new ArrayList<>(state.length);
        for (double[] s : state) {
            out.add(s);
        }
        return List.copyOf(out);
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
