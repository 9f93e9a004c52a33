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
    final Weights kernel;
    /** The bias added to the input projection, {@code [width]}; rounded to float32 in a float32 cell. */
    final double[] inputBias;
    final Activation activation;
    final Activation recurrentActivation;

    BaseCell(String cellName, int gates, double[][] kernel, double[][] recurrentKernel, double[] inputBias,
             Activation activation, Activation recurrentActivation) {
        this(checkedWidth(cellName, gates, recurrentKernel), recurrentKernel.length, kernel, true, inputBias,
                activation, recurrentActivation);
    }

    /**
     * A cell of {@code width} columns and {@code units} states whose recurrent kernel the subclass has checked;
     * {@code kernel} is checked here and copied only when {@code copy} (see {@link OwningFactories}).
     */
    BaseCell(int width, int units, double[][] kernel, boolean copy, double[] inputBias, Activation activation,
             Activation recurrentActivation) {
        this.width = width;
        this.units = units;
        Checks.finiteMatrix("kernel", kernel, -1, width);
        this.inputSize = kernel.length;
        this.kernel = Weights.owning(copy ? Kernels.copyRows(kernel) : kernel, width);
        this.inputBias = inputBias;
        this.activation = elementwise("activation", activation);
        this.recurrentActivation = recurrentActivation == null ? null
                : elementwise("recurrentActivation", recurrentActivation);
    }

    /**
     * A copy of {@code other} that takes one-hot input over an embedding's vocabulary: its kernel is
     * {@code table·W}, so each row of it is the projection of one embedding vector.
     */
    BaseCell(BaseCell other, Embedding embedding) {
        Checks.notNull("embedding", embedding);
        double[][] table = embedding.table();
        if (table[0].length != other.inputSize) {
            throw new IllegalArgumentException("embedding has embeddingDim " + table[0].length + ", expected "
                    + other.inputSize + " (the cell's inputSize)");
        }
        this.width = other.width;
        this.units = other.units;
        this.inputSize = table.length;
        double[][] fused = new double[table.length][width];
        for (int id = 0; id < table.length; id++) {
            double[] row = fused[id];
            for (int k = 0; k < other.inputSize; k++) {
                double x = table[id][k];
                for (int j = 0; j < width; j++) {
                    row[j] += x * other.kernel.get(k, j);
                }
            }
        }
        Weights w = Weights.owning(fused, width);
        this.kernel = other.kernel.isFloat32() ? w.float32() : w;
        this.inputBias = other.inputBias;
        this.activation = other.activation;
        this.recurrentActivation = other.recurrentActivation;
    }

    /** A float32 copy of {@code other}: the kernel as float32 rows, the bias rounded to float32. */
    BaseCell(BaseCell other) {
        this.width = other.width;
        this.units = other.units;
        this.inputSize = other.inputSize;
        this.kernel = other.kernel.float32();
        this.inputBias = Kernels.roundToFloat(other.inputBias);
        this.activation = other.activation;
        this.recurrentActivation = other.recurrentActivation;
    }

    /**
     * A copy of this cell that stores its weights as float32 and computes its products in float32 (results stay
     * float64); itself when it already is.
     */
    abstract BaseCell float32();

    /** Whether the weights are float32. */
    final boolean isFloat32() {
        return kernel.isFloat32();
    }

    /** Float32 scratch for {@link #projectRows} and {@link #stepRows}, {@code null} for a float64 cell. */
    final float[] newAccumulator() {
        return kernel.newAccumulator(Math.max(inputSize, units));
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

    /** A checked bias, zeros when {@code null}; copied only when {@code copy}. */
    static double[] bias(String name, double[] bias, int length, boolean copy) {
        if (bias == null) {
            return new double[length];
        }
        Checks.finiteVector(name, bias, length);
        return copy ? bias.clone() : bias;
    }

    /** The number of bias weights this cell was given: 0 without bias (Keras {@code use_bias=False}). */
    abstract int biasParameters();

    /** The number of weights: {@code inputSize·width + units·width + biasParameters()}, as Keras counts them. */
    final long parameterCount() {
        return (long) inputSize * width + (long) units * width + biasParameters();
    }

    /**
     * The length of each input vector {@code x_t}; see {@link RnnCell#inputSize()}.
     *
     * @return the kernel's row count
     */
    public final int inputSize() {
        return inputSize;
    }

    /**
     * The number of units; see {@link RnnCell#units()}.
     *
     * @return the recurrent kernel's row count
     */
    public final int units() {
        return units;
    }

    /**
     * The number of state vectors; see {@link RnnCell#stateCount()}.
     *
     * @return 1 or 2
     */
    public abstract int stateCount();

    /**
     * Computes one time step without changing its arguments; see {@link RnnCell#step}. One row through the same
     * code as a whole sequence.
     *
     * @param input {@code [inputSize]}
     * @param states the current states, each {@code [units]}
     * @return the new states, new arrays; {@code h_t} first
     */
    public final List<double[]> step(double[] input, List<double[]> states) {
        Checks.finiteVector("input", input, inputSize);
        double[][] state = copyStates("states", states, stateCount(), units);
        double[][][] rows = new double[state.length][1][];
        for (int s = 0; s < state.length; s++) {
            rows[s][0] = state[s];
        }
        double[][] z = new double[1][width];
        float[] acc = newAccumulator();
        projectRows(new double[][] {input}, 1, z, new double[1][], new double[1][], acc);
        stepRows(z, rows, 1, newScratch(1), acc);
        return List.of(state);
    }

    /**
     * New scratch buffers for {@link #stepRows} over up to {@code rows} rows: {@code [buffer][row][length]},
     * reused across the steps of one call.
     */
    abstract double[][][] newScratch(int rows);

    /**
     * Advances the states of rows {@code 0..rows-1} by one step, in place; each row is one sequence.
     *
     * @param z on entry the projected inputs {@code x_t·W + b}, {@code [rows][width]}; overwritten
     * @param state {@code [stateCount()][rows][units]}, read as {@code t-1} and overwritten with {@code t}
     * @param scratch buffers from {@link #newScratch(int)}, contents ignored
     * @param acc from {@link #newAccumulator()}, contents ignored
     */
    abstract void stepRows(double[][] z, double[][][] state, int rows, double[][][] scratch, float[] acc);

    /**
     * Writes {@code x·W + b} for rows {@code 0..rows-1} into {@code z}. Rows that are at most a quarter non-zero
     * (one-hot, token-like) take the sparse loop, a row lookup for one-hot input; the others one matrix product.
     * The choice depends on the row alone, so a row's result does not depend on the batch.
     *
     * @param denseX scratch of at least {@code rows} references
     * @param denseZ scratch of at least {@code rows} references
     * @param acc from {@link #newAccumulator()}
     */
    final void projectRows(double[][] x, int rows, double[][] z, double[][] denseX, double[][] denseZ,
                           float[] acc) {
        int dense = 0;
        for (int i = 0; i < rows; i++) {
            double[] xi = x[i];
            double[] zi = z[i];
            System.arraycopy(inputBias, 0, zi, 0, width);
            if (Kernels.isSparse(xi, inputSize)) {
                kernel.addSparse(xi, zi);
            } else {
                denseX[dense] = xi;
                denseZ[dense++] = zi;
            }
        }
        if (dense > 0) {
            kernel.addProduct(denseX, dense, denseZ, acc);
        }
    }

    /** Writes {@code e_id·W + b = W[id] + b} into {@code z}: the projection of a one-hot row, as a lookup. */
    final void projectId(int id, double[] z) {
        System.arraycopy(inputBias, 0, z, 0, width);
        kernel.addRow(id, z);
    }

    // ---------------------------------------------------------------- one step split by units (see UnitTeam)

    /**
     * The phases of one step split by units: 1, or 2 when the second half of the step needs the first half's result
     * for every unit (GRU with {@code resetAfter = false}: {@code (r·h)·U_h}). Threads meet between phases.
     */
    int splitPhases() {
        return 1;
    }

    /**
     * Writes the input projection {@code x·W + b} (or {@code W[id] + b} when {@code x} is {@code null}) for units
     * {@code [from, to)} of every gate into {@code z}, each element summed exactly as {@link #projectRows} or
     * {@link #projectId} sums it.
     *
     * @param sparse {@code Kernels.isSparse(x, inputSize)}, decided once for all threads
     */
    final void projectUnits(double[] x, boolean sparse, int id, double[] z, int from, int to, float[] acc) {
        for (int g = 0; g < width; g += units) {
            int a = g + from;
            int b = g + to;
            System.arraycopy(inputBias, a, z, a, b - a);
            if (x == null) {
                kernel.addRowColumns(id, a, b, z);
            } else if (sparse) {
                kernel.addSparseColumns(x, a, b, z);
            } else {
                kernel.addColumns(x, a, b, z, acc);
            }
        }
    }

    /**
     * Runs phase {@code phase} of one step for units {@code [from, to)} only, with the arithmetic of
     * {@link #stepRows} for one row, element for element: the threads that split a step's units between them get
     * the bits of the whole step. Reads all of {@code h}, writes only its own units of {@code z}, {@code hOut},
     * {@code c} and the scratch.
     *
     * @param z the projected input, {@code [width]}; overwritten in the units' columns
     * @param h {@code h_{t-1}}, {@code [units]}, not written
     * @param hOut receives {@code h_t} for the units
     * @param c the LSTM cell state, updated in place for the units; {@code null} for other cells
     * @param scratch {@link #newScratch(int) newScratch(1)}, shared by the threads
     */
    abstract void stepUnits(int phase, double[] z, double[] h, double[] hOut, double[] c, double[][][] scratch,
                            int from, int to, float[] acc);

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
