package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.internal.Kernels;


/**
 * The Keras {@code GRU} cell in both reset modes, gates in Keras order z, r, h.
 *
 * <p>{@code z = σ(x_t·W_z + b_z + h_{t-1}·U_z [+ b'_z])}, {@code r} likewise, then
 * {@code h_t = z·h_{t-1} + (1 − z)·hh} where
 * <ul>
 *   <li>{@code resetAfter = true} (Keras 3 default, PyTorch's formula):
 *       {@code hh = act(x_t·W_h + b_h + r·(h_{t-1}·U_h + b'_h))}, bias {@code [2][3·units]}: row 0 the input
 *       bias b, row 1 the recurrent bias b';</li>
 *   <li>{@code resetAfter = false} (Keras 2 default): {@code hh = act(x_t·W_h + b_h + (r·h_{t-1})·U_h)},
 *       bias {@code [3·units]}.</li>
 * </ul>
 * σ is the recurrent activation (sigmoid by default), act the activation (tanh by default)
 * (keras/src/layers/rnn/gru.py, GRUCell.call). {@code kernel} W is {@code [inputSize][3·units]},
 * {@code recurrentKernel} U is {@code [units][3·units]}; the state is {@code [h]}. Immutable and thread-safe.
 */
public final class GruCell extends BaseCell implements RnnCell {
    private final int biasParameters;
    private final boolean resetAfter;
    /** {@code U[:, 0:2u]}, the z and r columns of the recurrent kernel. */
    private final Weights recurrentGates;
    /** {@code U[:, 2u:3u]}, the candidate columns of the recurrent kernel. */
    private final Weights recurrentCandidate;
    /** b', {@code [3·units]}; zeros when {@code resetAfter} is false. */
    private final double[] recurrentBias;

    /**
     * Creates a {@code reset_after=False} cell with bias {@code [3·units]}, tanh and sigmoid.
     *
     * @param kernel {@code [inputSize][3·units]}, gates z, r, h side by side
     * @param recurrentKernel {@code [units][3·units]}, same gate order
     * @param bias {@code [3·units]}, same gate order
     */
    public GruCell(double[][] kernel, double[][] recurrentKernel, double[] bias) {
        this(kernel, recurrentKernel, bias, Activation.TANH, Activation.SIGMOID);
    }

    /**
     * Creates a {@code reset_after=False} cell with the given activations.
     *
     * @param kernel {@code [inputSize][3·units]}, gates z, r, h side by side
     * @param recurrentKernel {@code [units][3·units]}, same gate order
     * @param bias {@code [3·units]}; {@code null} for no bias (then prefer {@link #withoutBias})
     * @param activation applied to the candidate {@code hh}
     * @param recurrentActivation applied to the gates z and r
     */
    public GruCell(double[][] kernel, double[][] recurrentKernel, double[] bias, Activation activation,
                   Activation recurrentActivation) {
        super("GRU", 3, kernel, recurrentKernel, gruBias(bias, checkedWidth("GRU", 3, recurrentKernel)),
                activation, recurrentActivation);
        this.resetAfter = false;
        this.biasParameters = bias == null ? 0 : width;
        this.recurrentBias = new double[width];
        this.recurrentGates = Weights.owning(Kernels.copyColumns(recurrentKernel, 0, 2 * units), 2 * units);
        this.recurrentCandidate = Weights.owning(Kernels.copyColumns(recurrentKernel, 2 * units, width), units);
    }

    /**
     * Creates a {@code reset_after=True} cell with bias {@code [2][3·units]}, tanh and sigmoid.
     *
     * @param kernel {@code [inputSize][3·units]}, gates z, r, h side by side
     * @param recurrentKernel {@code [units][3·units]}, same gate order
     * @param bias {@code [2][3·units]}: row 0 the input bias, row 1 the recurrent bias
     */
    public GruCell(double[][] kernel, double[][] recurrentKernel, double[][] bias) {
        this(kernel, recurrentKernel, bias, Activation.TANH, Activation.SIGMOID);
    }

    /**
     * Creates a {@code reset_after=True} cell with the given activations.
     *
     * @param kernel {@code [inputSize][3·units]}, gates z, r, h side by side
     * @param recurrentKernel {@code [units][3·units]}, same gate order
     * @param bias {@code [2][3·units]}: row 0 the input bias, row 1 the recurrent bias
     * @param activation applied to the candidate {@code hh}
     * @param recurrentActivation applied to the gates z and r
     */
    public GruCell(double[][] kernel, double[][] recurrentKernel, double[][] bias, Activation activation,
                   Activation recurrentActivation) {
        this(kernel, recurrentKernel, bias, activation, recurrentActivation, true);
    }

    private GruCell(double[][] kernel, double[][] recurrentKernel, double[][] bias, Activation activation,
                    Activation recurrentActivation, boolean hasBias) {
        this(kernel, recurrentKernel, bias, activation, recurrentActivation, hasBias, true);
    }

    /** A {@code reset_after=True} cell; copies the arrays only when {@code copy} (see {@link OwningFactories}). */
    private GruCell(double[][] kernel, double[][] recurrentKernel, double[][] bias, Activation activation,
                    Activation recurrentActivation, boolean hasBias, boolean copy) {
        super(checkedWidth("GRU", 3, recurrentKernel), recurrentKernel.length, kernel, copy,
                gruBiasRow(bias, 0, 3 * recurrentKernel.length, copy), activation, recurrentActivation);
        this.resetAfter = true;
        this.biasParameters = hasBias ? 2 * width : 0;
        this.recurrentBias = copy ? bias[1].clone() : bias[1];
        this.recurrentGates = Weights.owning(copy ? Kernels.copyRows(recurrentKernel) : recurrentKernel, width);
        this.recurrentCandidate = null;
    }

    /** A {@code reset_after=False} cell keeping the two column blocks of its recurrent kernel; no copy. */
    private GruCell(double[][] kernel, double[][] recurrentGates, double[][] recurrentCandidate, double[] bias,
                    Activation activation, Activation recurrentActivation) {
        super(checkedBlocks(recurrentGates, recurrentCandidate), recurrentCandidate.length, kernel, false,
                gruBias(bias, 3 * recurrentCandidate.length, false), activation, recurrentActivation);
        this.resetAfter = false;
        this.biasParameters = bias == null ? 0 : width;
        this.recurrentBias = new double[width];
        this.recurrentGates = Weights.owning(recurrentGates, 2 * units);
        this.recurrentCandidate = Weights.owning(recurrentCandidate, units);
    }

    /**
     * A {@code reset_after=True} cell that keeps its arrays without copying them: the caller gives them up.
     *
     * @param bias {@code [2][3·units]}, or {@code null} for none
     */
    static GruCell owningResetAfter(double[][] kernel, double[][] recurrentKernel, double[][] bias,
                                    Activation activation, Activation recurrentActivation) {
        boolean hasBias = bias != null;
        double[][] b = hasBias ? bias : new double[2][checkedWidth("GRU", 3, recurrentKernel)];
        return new GruCell(kernel, recurrentKernel, b, activation, recurrentActivation, hasBias, false);
    }

    /**
     * A {@code reset_after=False} cell that keeps its arrays without copying them: the caller gives them up.
     *
     * @param recurrentGates {@code U[:, 0:2u]}, {@code [units][2·units]}
     * @param recurrentCandidate {@code U[:, 2u:3u]}, {@code [units][units]}
     * @param bias {@code [3·units]}, or {@code null} for none
     */
    static GruCell owningResetBefore(double[][] kernel, double[][] recurrentGates, double[][] recurrentCandidate,
                                     double[] bias, Activation activation, Activation recurrentActivation) {
        return new GruCell(kernel, recurrentGates, recurrentCandidate, bias, activation, recurrentActivation);
    }

    /** Checks the two column blocks of a {@code reset_after=False} recurrent kernel; returns the width 3·units. */
    private static int checkedBlocks(double[][] recurrentGates, double[][] recurrentCandidate) {
        int units = Checks.finiteMatrix("recurrentCandidate", recurrentCandidate, -1, -1);
        if (recurrentCandidate.length != units) {
            throw Checks.shape("recurrentCandidate", "[units][units] for GRU",
                    Checks.dims(recurrentCandidate.length, units));
        }
        Checks.finiteMatrix("recurrentGates", recurrentGates, units, 2 * units);
        return 3 * units;
    }

    /**
     * Creates a GRU cell without bias (Keras {@code use_bias=False}); {@code resetAfter} still selects the formula.
     *
     * @param kernel {@code [inputSize][3·units]}, gates z, r, h side by side
     * @param recurrentKernel {@code [units][3·units]}, same gate order
     * @param resetAfter {@code true} for Keras's {@code reset_after=True}, {@code false} for the original formula
     * @param activation applied to the candidate {@code hh}
     * @param recurrentActivation applied to the gates z and r
     * @return a cell whose gates have no bias term
     */
    public static GruCell withoutBias(double[][] kernel, double[][] recurrentKernel, boolean resetAfter,
                                      Activation activation, Activation recurrentActivation) {
        if (resetAfter) {
            int width = checkedWidth("GRU", 3, recurrentKernel);
            return new GruCell(kernel, recurrentKernel, new double[2][width], activation, recurrentActivation, false);
        }
        return new GruCell(kernel, recurrentKernel, (double[]) null, activation, recurrentActivation);
    }

    private static double[] gruBias(double[] bias, int width) {
        return gruBias(bias, width, true);
    }

    private static double[] gruBias(double[] bias, int width, boolean copy) {
        if (bias != null && bias.length != width) {
            throw Checks.shape("bias", Checks.dims(width) + " for reset_after=False (use a [2]["
                    + width + "] bias for reset_after=True)", Checks.dims(bias.length));
        }
        return bias("bias", bias, width, copy);
    }

    private static double[] gruBiasRow(double[][] bias, int row, int width, boolean copy) {
        Checks.notNull("bias", bias);
        if (bias.length != 2) {
            int cols = bias.length > 0 && bias[0] != null ? bias[0].length : 0;
            throw Checks.shape("bias", "[2][" + width + "] for reset_after=True (use a [" + width
                    + "] bias for reset_after=False)", Checks.dims(bias.length, cols));
        }
        Checks.finiteMatrix("bias", bias, 2, width);
        return copy ? bias[row].clone() : bias[row];
    }

    private GruCell(GruCell other, Embedding embedding) {
        super(other, embedding);
        this.resetAfter = other.resetAfter;
        this.biasParameters = other.biasParameters;
        this.recurrentBias = other.recurrentBias;
        this.recurrentGates = other.recurrentGates;
        this.recurrentCandidate = other.recurrentCandidate;
    }

    private GruCell(GruCell other) {
        super(other);
        this.resetAfter = other.resetAfter;
        this.biasParameters = other.biasParameters;
        this.recurrentBias = Kernels.roundToFloat(other.recurrentBias);
        this.recurrentGates = other.recurrentGates.float32();
        this.recurrentCandidate = other.recurrentCandidate == null ? null : other.recurrentCandidate.float32();
    }

    @Override
    GruCell float32() {
        return isFloat32() ? this : new GruCell(this);
    }

    @Override
    int biasParameters() {
        return biasParameters;
    }

    @Override
    public GruCell withEmbedding(Embedding embedding) {
        return new GruCell(this, embedding);
    }

    @Override
    public int stateCount() {
        return 1;
    }

    /**
     * Whether the reset gate is applied after the recurrent product (Keras {@code reset_after}).
     *
     * @return {@code true} for the {@code reset_after=True} formula
     */
    public boolean resetAfter() {
        return resetAfter;
    }

    /**
     * The activation of the candidate {@code hh} (tanh by default).
     *
     * @return the candidate's activation
     */
    public Activation activation() {
        return activation;
    }

    /**
     * The activation of the gates z and r (sigmoid by default).
     *
     * @return the gates' activation
     */
    public Activation recurrentActivation() {
        return recurrentActivation;
    }

    @Override
    double[][][] newScratch(int rows) {
        return resetAfter ? new double[][][] {new double[rows][width]}
                : new double[][][] {new double[rows][units], new double[rows][units]};
    }

    @Override
    void stepRows(double[][] zs, double[][][] state, int rows, double[][][] scratch, float[] acc) {
        double[][] hs = state[0];
        int u = units;
        if (resetAfter) {
            // s = h·U + b'; z_zr += s_zr; candidate = x_h + r·s_h
            double[][] ss = scratch[0];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(recurrentBias, 0, ss[i], 0, width);
            }
            recurrentGates.addProduct(hs, rows, ss, acc);
            for (int i = 0; i < rows; i++) {
                double[] z = zs[i];
                double[] s = ss[i];
                for (int j = 0; j < 2 * u; j++) {
                    z[j] += s[j];
                }
                recurrentActivation.applyInPlace(z, 0, 2 * u);
                for (int j = 0; j < u; j++) {
                    z[2 * u + j] += z[u + j] * s[2 * u + j];
                }
            }
        } else {
            // z_zr += h·U_zr; rh = r·h; z_h += rh·U_h
            recurrentGates.addProduct(hs, rows, zs, acc);
            double[][] rhs = scratch[0];
            double[][] candidates = scratch[1];
            for (int i = 0; i < rows; i++) {
                double[] z = zs[i];
                double[] h = hs[i];
                double[] rh = rhs[i];
                recurrentActivation.applyInPlace(z, 0, 2 * u);
                for (int j = 0; j < u; j++) {
                    rh[j] = z[u + j] * h[j];
                }
                java.util.Arrays.fill(candidates[i], 0.0);
            }
            recurrentCandidate.addProduct(rhs, rows, candidates, acc);
            for (int i = 0; i < rows; i++) {
                double[] z = zs[i];
                double[] candidate = candidates[i];
                for (int j = 0; j < u; j++) {
                    z[2 * u + j] += candidate[j];
                }
            }
        }
        for (int i = 0; i < rows; i++) {
            double[] z = zs[i];
            double[] h = hs[i];
            activation.applyInPlace(z, 2 * u, 3 * u);
            for (int j = 0; j < u; j++) {
                double g = z[j];
                h[j] = g * h[j] + (1.0 - g) * z[2 * u + j];
            }
        }
    }

    /** Two phases for {@code resetAfter = false}: the candidate's product reads {@code r·h} of every unit. */
    @Override
    int splitPhases() {
        return resetAfter ? 1 : 2;
    }

    @Override
    void stepUnits(int phase, double[] z, double[] h, double[] hOut, double[] c, double[][][] scratch, int from,
                   int to, float[] acc) {
        int u = units;
        if (resetAfter) {
            double[] s = scratch[0][0];
            for (int g = 0; g < width; g += u) {
                System.arraycopy(recurrentBias, g + from, s, g + from, to - from);
                recurrentGates.addColumns(h, g + from, g + to, s, acc);
            }
            for (int j = from; j < to; j++) {
                z[j] += s[j];
            }
            for (int j = u + from; j < u + to; j++) {
                z[j] += s[j];
            }
            recurrentActivation.applyInPlace(z, from, to);
            recurrentActivation.applyInPlace(z, u + from, u + to);
            for (int j = from; j < to; j++) {
                z[2 * u + j] += z[u + j] * s[2 * u + j];
            }
        } else if (phase == 0) {
            double[] rh = scratch[0][0];
            recurrentGates.addColumns(h, from, to, z, acc);
            recurrentGates.addColumns(h, u + from, u + to, z, acc);
            recurrentActivation.applyInPlace(z, from, to);
            recurrentActivation.applyInPlace(z, u + from, u + to);
            for (int j = from; j < to; j++) {
                rh[j] = z[u + j] * h[j];
            }
            return;
        } else {
            double[] rh = scratch[0][0];
            double[] candidate = scratch[1][0];
            java.util.Arrays.fill(candidate, from, to, 0.0);
            recurrentCandidate.addColumns(rh, from, to, candidate, acc);
            for (int j = from; j < to; j++) {
                z[2 * u + j] += candidate[j];
            }
        }
        activation.applyInPlace(z, 2 * u + from, 2 * u + to);
        for (int j = from; j < to; j++) {
            double g = z[j];
            hOut[j] = g * h[j] + (1.0 - g) * z[2 * u + j];
        }
    }
}
