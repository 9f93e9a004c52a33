package io.github.rnn4j.bench;

/**
 * The textbook recurrent layer on {@code double[][]}: the baseline that shows what rnn4j's kernels buy.
 *
 * <p>Written as the equations read, one gate at a time: {@code W} matrices are {@code [units][inputSize]}
 * per gate, each pre-activation is a dot product of a weight row with {@code x_t} or {@code h_{t-1}},
 * and every step allocates its new state vectors. No input projection ahead of the time loop, no flat
 * arrays, no skipping of one-hot zeros.
 * <ul>
 *   <li>SimpleRNN: {@code h = tanh(W·x + U·h + b)}</li>
 *   <li>LSTM: {@code i, f, o = σ(W·x + U·h + b)}, {@code g = tanh(…)}, {@code c = f∘c + i∘g}, {@code h = o∘tanh(c)}</li>
 *   <li>GRU (reset_after): {@code z, r = σ(W·x + b + U·h + b')}, {@code n = tanh(W_n·x + b_n + r∘(U_n·h + b'_n))},
 *       {@code h = z∘h + (1 − z)∘n}</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class NaiveRnn {
    private final Cell cell;
    private final int units;
    /** {@code w[gate][j][k]}: input weights, gates in Keras order. */
    private final double[][][] w;
    /** {@code u[gate][j][k]}: recurrent weights. */
    private final double[][][] u;
    /** {@code b[gate][j]}: input bias. */
    private final double[][] b;
    /** {@code rb[gate][j]}: GRU recurrent bias; zeros for the other cells. */
    private final double[][] rb;

    public NaiveRnn(BenchData d) {
        this.cell = d.cell;
        this.units = d.workload.units;
        int gates = cell.gates;
        this.w = perGate(d.kernel, gates, units);
        this.u = perGate(d.recurrentKernel, gates, units);
        double[] inputBias = cell == Cell.GRU ? d.gruBias[0] : d.bias;
        double[] recurrentBias = cell == Cell.GRU ? d.gruBias[1] : new double[gates * units];
        this.b = new double[gates][units];
        this.rb = new double[gates][units];
        for (int g = 0; g < gates; g++) {
            for (int j = 0; j < units; j++) {
                b[g][j] = inputBias[g * units + j];
                rb[g][j] = recurrentBias[g * units + j];
            }
        }
    }

    /** Splits a Keras {@code [rows][gates·units]} kernel into {@code gates} matrices of {@code [units][rows]}. */
    private static double[][][] perGate(double[][] kernel, int gates, int units) {
        double[][][] out = new double[gates][units][kernel.length];
        for (int k = 0; k < kernel.length; k++) {
            for (int g = 0; g < gates; g++) {
                for (int j = 0; j < units; j++) {
                    out[g][j][k] = kernel[k][g * units + j];
                }
            }
        }
        return out;
    }

    /** Runs one sequence {@code [timeSteps][inputSize]} from zero states and returns the last {@code h}. */
    public double[] forward(double[][] inputs) {
        double[] h = new double[units];
        double[] c = new double[units];
        for (double[] x : inputs) {
            switch (cell) {
                case SIMPLE_RNN:
                    h = simpleStep(x, h);
                    break;
                case LSTM: {
                    double[][] hc = lstmStep(x, h, c);
                    h = hc[0];
                    c = hc[1];
                    break;
                }
                default:
                    h = gruStep(x, h);
            }
        }
        return h;
    }

    /** Runs one sequence of token ids through an embedding table, then the layer. */
    public double[] forward(double[][] embedding, int[] ids) {
        double[][] inputs = new double[ids.length][];
        for (int t = 0; t < ids.length; t++) {
            inputs[t] = embedding[ids[t]];
        }
        return forward(inputs);
    }

    private double[] simpleStep(double[] x, double[] h) {
        double[] next = new double[units];
        for (int j = 0; j < units; j++) {
            next[j] = Math.tanh(dot(w[0][j], x) + dot(u[0][j], h) + b[0][j]);
        }
        return next;
    }

    private double[][] lstmStep(double[] x, double[] h, double[] c) {
        double[] hNext = new double[units];
        double[] cNext = new double[units];
        for (int j = 0; j < units; j++) {
            double i = sigmoid(dot(w[0][j], x) + dot(u[0][j], h) + b[0][j]);
            double f = sigmoid(dot(w[1][j], x) + dot(u[1][j], h) + b[1][j]);
            double g = Math.tanh(dot(w[2][j], x) + dot(u[2][j], h) + b[2][j]);
            double o = sigmoid(dot(w[3][j], x) + dot(u[3][j], h) + b[3][j]);
            cNext[j] = f * c[j] + i * g;
            hNext[j] = o * Math.tanh(cNext[j]);
        }
        return new double[][] {hNext, cNext};
    }

    private double[] gruStep(double[] x, double[] h) {
        double[] next = new double[units];
        for (int j = 0; j < units; j++) {
            double z = sigmoid(dot(w[0][j], x) + b[0][j] + dot(u[0][j], h) + rb[0][j]);
            double r = sigmoid(dot(w[1][j], x) + b[1][j] + dot(u[1][j], h) + rb[1][j]);
            double n = Math.tanh(dot(w[2][j], x) + b[2][j] + r * (dot(u[2][j], h) + rb[2][j]));
            next[j] = z * h[j] + (1.0 - z) * n;
        }
        return next;
    }

    private static double dot(double[] a, double[] x) {
        double s = 0.0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * x[k];
        }
        return s;
    }

    private static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }
}
