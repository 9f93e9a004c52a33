package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Kernels;


/**
 * The Keras {@code LSTM} cell: long short-term memory with gates in Keras order i, f, c, o.
 *
 * <p>{@code [i|f|g|o] = x_t·W + h_{t-1}·U + b}; {@code c_t = σ(f)·c_{t-1} + σ(i)·act(g)};
 * {@code h_t = σ(o)·act(c_t)}, where σ is the recurrent activation (sigmoid by default) and act the
 * activation (tanh by default) (keras/src/layers/rnn/lstm.py, LSTMCell._compute_carry_and_output_fused).
 * {@code kernel} W is {@code [inputSize][4·units]}, {@code recurrentKernel} U is {@code [units][4·units]},
 * {@code bias} b is {@code [4·units]}; states are {@code [h, c]}. Keras's {@code unit_forget_bias} only
 * changes initialisation, so trained weights already contain it. Immutable and thread-safe.
 */
public final class LstmCell extends BaseCell implements RnnCell {
    private final boolean hasBias;
    private final Weights recurrentKernel;

    /**
     * Creates a cell with tanh activation and sigmoid recurrent activation; shapes as in the class comment.
     *
     * @param kernel {@code [inputSize][4·units]}, gates i, f, c, o side by side
     * @param recurrentKernel {@code [units][4·units]}, same gate order
     * @param bias {@code [4·units]}, same gate order
     */
    public LstmCell(double[][] kernel, double[][] recurrentKernel, double[] bias) {
        this(kernel, recurrentKernel, bias, Activation.TANH, Activation.SIGMOID);
    }

    /**
     * Creates a cell with the given activations.
     *
     * @param kernel {@code [inputSize][4·units]}, gates i, f, c, o side by side
     * @param recurrentKernel {@code [units][4·units]}, same gate order
     * @param bias {@code [4·units]}; {@code null} for a cell without bias (Keras {@code use_bias=False})
     * @param activation applied to the candidate {@code g} and to {@code c_t}
     * @param recurrentActivation applied to the gates i, f, o
     */
    public LstmCell(double[][] kernel, double[][] recurrentKernel, double[] bias, Activation activation,
                    Activation recurrentActivation) {
        this(kernel, recurrentKernel, bias, activation, recurrentActivation, true);
    }

    /** Checks as the public constructor; copies the arrays only when {@code copy} (see {@link OwningFactories}). */
    private LstmCell(double[][] kernel, double[][] recurrentKernel, double[] bias, Activation activation,
                     Activation recurrentActivation, boolean copy) {
        super(checkedWidth("LSTM", 4, recurrentKernel), recurrentKernel.length, kernel, copy,
                bias("bias", bias, 4 * recurrentKernel.length, copy), activation, recurrentActivation);
        this.recurrentKernel = Weights.owning(copy ? Kernels.copyRows(recurrentKernel) : recurrentKernel, width);
        this.hasBias = bias != null;
    }

    /** A cell that keeps its arrays without copying them: the caller gives them up. */
    static LstmCell owning(double[][] kernel, double[][] recurrentKernel, double[] bias, Activation activation,
                           Activation recurrentActivation) {
        return new LstmCell(kernel, recurrentKernel, bias, activation, recurrentActivation, false);
    }

    private LstmCell(LstmCell other) {
        super(other);
        this.recurrentKernel = other.recurrentKernel.float32();
        this.hasBias = other.hasBias;
    }

    @Override
    LstmCell float32() {
        return isFloat32() ? this : new LstmCell(this);
    }

    /**
     * Creates an LSTM cell without bias (Keras {@code use_bias=False}); otherwise as the five-argument constructor.
     *
     * @param kernel {@code [inputSize][4·units]}, gates i, f, c, o side by side
     * @param recurrentKernel {@code [units][4·units]}, same gate order
     * @param activation applied to the candidate {@code g} and to {@code c_t}
     * @param recurrentActivation applied to the gates i, f, o
     * @return a cell whose gates have no bias term
     */
    public static LstmCell withoutBias(double[][] kernel, double[][] recurrentKernel, Activation activation,
                                       Activation recurrentActivation) {
        return new LstmCell(kernel, recurrentKernel, null, activation, recurrentActivation);
    }

    private LstmCell(LstmCell other, Embedding embedding) {
        super(other, embedding);
        this.recurrentKernel = other.recurrentKernel;
        this.hasBias = other.hasBias;
    }

    @Override
    int biasParameters() {
        return hasBias ? width : 0;
    }

    @Override
    public LstmCell withEmbedding(Embedding embedding) {
        return new LstmCell(this, embedding);
    }

    @Override
    public int stateCount() {
        return 2;
    }

    /**
     * The activation of the candidate and of the cell state output (tanh by default).
     *
     * @return the candidate's activation
     */
    public Activation activation() {
        return activation;
    }

    /**
     * The activation of the gates i, f and o (sigmoid by default).
     *
     * @return the gates' activation
     */
    public Activation recurrentActivation() {
        return recurrentActivation;
    }

    @Override
    double[][][] newScratch(int rows) {
        return null;
    }

    @Override
    void stepRows(double[][] zs, double[][][] state, int rows, double[][][] scratch, float[] acc) {
        int u = units;
        recurrentKernel.addProduct(state[0], rows, zs, acc);
        for (int i = 0; i < rows; i++) {
            double[] z = zs[i];
            double[] h = state[0][i];
            double[] c = state[1][i];
            recurrentActivation.applyInPlace(z, 0, 2 * u);
            activation.applyInPlace(z, 2 * u, 3 * u);
            recurrentActivation.applyInPlace(z, 3 * u, 4 * u);
            for (int j = 0; j < u; j++) {
                c[j] = z[u + j] * c[j] + z[j] * z[2 * u + j];
            }
            System.arraycopy(c, 0, h, 0, u);
            activation.applyInPlace(h, 0, u);
            for (int j = 0; j < u; j++) {
                h[j] *= z[3 * u + j];
            }
        }
    }

    @Override
    void stepUnits(int phase, double[] z, double[] h, double[] hOut, double[] c, double[][][] scratch, int from,
                   int to, float[] acc) {
        int u = units;
        for (int g = 0; g < width; g += u) {
            recurrentKernel.addColumns(h, g + from, g + to, z, acc);
        }
        recurrentActivation.applyInPlace(z, from, to);
        recurrentActivation.applyInPlace(z, u + from, u + to);
        activation.applyInPlace(z, 2 * u + from, 2 * u + to);
        recurrentActivation.applyInPlace(z, 3 * u + from, 3 * u + to);
        for (int j = from; j < to; j++) {
            c[j] = z[u + j] * c[j] + z[j] * z[2 * u + j];
        }
        System.arraycopy(c, from, hOut, from, to - from);
        activation.applyInPlace(hOut, from, to);
        for (int j = from; j < to; j++) {
            hOut[j] *= z[3 * u + j];
        }
    }
}
