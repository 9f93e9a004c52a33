package io.github.rnn4j.testing;

/**
 * An obviously-correct reference of the Keras recurrent equations on {@code double[][]}, written for clarity,
 * not speed; fast paths are checked against it. Weights use Keras layouts (gate blocks along columns).
 */
public final class NaiveRnn {
    private NaiveRnn() {
    }

    /** Which cell a reference run uses. */
    public enum Kind { SIMPLE, LSTM, GRU_RESET_BEFORE, GRU_RESET_AFTER }

    /** Result of a reference run: outputs in processing order, and the final states. */
    public record Result(double[][] sequence, double[] last, double[][] states) {
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** {@code x·W[:, from, to)} computed column by column. */
    static double[] dot(double[] x, double[][] w, int from, int to) {
        double[] out = new double[to - from];
        for (int j = from; j < to; j++) {
            double s = 0;
            for (int k = 0; k < x.length; k++) {
                s += x[k] * w[k][j];
            }
            out[j - from] = s;
        }
        return out;
    }

    /**
     * Runs a tanh/sigmoid cell over a sequence with Keras masking and go_backwards rules.
     *
     * @param bias {@code [1][k·units]} or, for GRU_RESET_AFTER, {@code [2][3·units]}
     * @param init initial states or null
     */
    public static Result run(Kind kind, double[][] kernel, double[][] recurrent, double[][] bias, double[][] inputs,
                             boolean[] mask, double[][] init, boolean goBackwards, boolean zeroOutputForMask) {
        int u = recurrent.length;
        int n = kind == Kind.LSTM ? 2 : 1;
        double[][] states = new double[n][u];
        if (init != null) {
            for (int i = 0; i < n; i++) {
                states[i] = init[i].clone();
            }
        }
        int steps = inputs.length;
        double[][] seq = new double[steps][];
        double[] prev = new double[u];
        boolean lastMasked = false;
        for (int p = 0; p < steps; p++) {
            int t = goBackwards ? steps - 1 - p : p;
            lastMasked = mask != null && !mask[t];
            if (!lastMasked) {
                states = step(kind, kernel, recurrent, bias, inputs[t], states);
                prev = states[0].clone();
            }
            seq[p] = lastMasked && zeroOutputForMask ? new double[u] : prev.clone();
        }
        return new Result(seq, lastMasked && zeroOutputForMask ? new double[u] : prev, states);
    }

    static double[][] step(Kind kind, double[][] w, double[][] uk, double[][] b, double[] x, double[][] s) {
        int u = uk.length;
        double[] h = s[0];
        double[] out = new double[u];
        switch (kind) {
            case SIMPLE: {
                double[] a = dot(x, w, 0, u);
                double[] r = dot(h, uk, 0, u);
                for (int j = 0; j < u; j++) {
                    out[j] = Math.tanh(a[j] + r[j] + b[0][j]);
                }
                return new double[][] {out};
            }
            case LSTM: {
                double[] c = new double[u];
                for (int j = 0; j < u; j++) {
                    double[] z = new double[4];
                    for (int g = 0; g < 4; g++) {
                        z[g] = dot(x, w, g * u + j, g * u + j + 1)[0] + dot(h, uk, g * u + j, g * u + j + 1)[0]
                                + b[0][g * u + j];
                    }
                    c[j] = sigmoid(z[1]) * s[1][j] + sigmoid(z[0]) * Math.tanh(z[2]);
                    out[j] = sigmoid(z[3]) * Math.tanh(c[j]);
                }
                return new double[][] {out, c};
            }
            default: {
                boolean after = kind == Kind.GRU_RESET_AFTER;
                double[] xz = dot(x, w, 0, u);
                double[] xr = dot(x, w, u, 2 * u);
                double[] xh = dot(x, w, 2 * u, 3 * u);
                double[] hz = dot(h, uk, 0, u);
                double[] hr = dot(h, uk, u, 2 * u);
                double[] z = new double[u];
                double[] r = new double[u];
                for (int j = 0; j < u; j++) {
                    double rb = after ? b[1][j] : 0;
                    double rbr = after ? b[1][u + j] : 0;
                    z[j] = sigmoid(xz[j] + b[0][j] + hz[j] + rb);
                    r[j] = sigmoid(xr[j] + b[0][u + j] + hr[j] + rbr);
                }
                double[] rh = new double[u];
                for (int j = 0; j < u; j++) {
                    rh[j] = r[j] * h[j];
                }
                double[] hhRec = after ? dot(h, uk, 2 * u, 3 * u) : dot(rh, uk, 2 * u, 3 * u);
                for (int j = 0; j < u; j++) {
                    double pre = after ? xh[j] + b[0][2 * u + j] + r[j] * (hhRec[j] + b[1][2 * u + j])
                            : xh[j] + b[0][2 * u + j] + hhRec[j];
                    out[j] = z[j] * h[j] + (1 - z[j]) * Math.tanh(pre);
                }
                return new double[][] {out};
            }
        }
    }

    /** A {@code [rows][cols]} matrix of uniform values in {@code [-scale, scale)} from a seeded generator. */
    public static double[][] random(java.util.Random rnd, int rows, int cols, double scale) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = (rnd.nextDouble() * 2 - 1) * scale;
            }
        }
        return m;
    }
}
