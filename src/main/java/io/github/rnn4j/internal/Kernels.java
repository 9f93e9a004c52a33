package io.github.rnn4j.internal;

/**
 * Vector-matrix loops for the recurrent step, on matrices stored as arrays of rows.
 *
 * <p>Matrices are {@code double[rows][cols]} with each row its own array, and every loop indexes all of its
 * arrays with the same {@code j}. Measured on JDK 17 (C2, AVX2/AVX-512): that is the shape its auto-vectorizer
 * turns into SIMD code; the same loop over a flat array at an invariant offset ({@code c[co + j] += a·b[bo + j]})
 * stays scalar and runs 3–6× slower. The product is unrolled four rows of the matrix at a time, so each pass
 * over {@code out} does four multiply-adds per element. Kernels trust their callers (shapes are checked at the
 * public entry points) and accumulate into {@code out}. Thread-safe: stateless.
 */
public final class Kernels {
    private Kernels() {
    }

    /**
     * Adds a vector-matrix product into {@code out}: {@code out[j] += Σ_k x[k]·w[k][j]} for {@code j < n},
     * {@code k < size}.
     *
     * <p>Sums four terms at a time, {@code out[j] += x[k]w[k][j] + x[k+1]w[k+1][j] + x[k+2]w[k+2][j] + x[k+3]w[k+3][j]},
     * so the rounding is the same whichever caller runs it.
     *
     * @param x the input vector; its first {@code size} entries are read
     * @param size the number of rows of {@code w} used
     * @param w the weights, at least {@code [size][n]}
     * @param n the number of output columns
     * @param out the accumulator, at least {@code [n]}; added to, not overwritten
     */
    public static void addVecMat(double[] x, int size, double[][] w, int n, double[] out) {
        addVecMat(x, size, w, 0, n, out);
    }

    /**
     * Adds a vector-matrix product over columns {@code [from, to)} only: {@code out[j] += Σ_k x[k]·w[k][j]}, summed
     * exactly as {@link #addVecMat(double[], int, double[][], int, double[])} sums each column.
     *
     * @param x the input vector; its first {@code size} entries are read
     * @param size the number of rows of {@code w} used
     * @param w the weights, at least {@code [size][to]}
     * @param from the first column added
     * @param to one past the last column added
     * @param out the accumulator, at least {@code [to]}; only {@code [from, to)} changes
     */
    public static void addVecMat(double[] x, int size, double[][] w, int from, int to, double[] out) {
        int k = 0;
        for (; k + 3 < size; k += 4) {
            double x0 = x[k];
            double x1 = x[k + 1];
            double x2 = x[k + 2];
            double x3 = x[k + 3];
            double[] w0 = w[k];
            double[] w1 = w[k + 1];
            double[] w2 = w[k + 2];
            double[] w3 = w[k + 3];
            for (int j = from; j < to; j++) {
                out[j] += x0 * w0[j] + x1 * w1[j] + x2 * w2[j] + x3 * w3[j];
            }
        }
        for (; k < size; k++) {
            double xk = x[k];
            double[] wk = w[k];
            for (int j = from; j < to; j++) {
                out[j] += xk * wk[j];
            }
        }
    }

    /**
     * Adds a vector-matrix product in float32 over columns {@code [from, to)}:
     * {@code acc[j] += Σ_k float(x[k])·w[k][j]}, four terms at a time as the float64 loop.
     *
     * @param x the input vector in float64; its first {@code size} entries are read
     * @param size the number of rows of {@code w} used
     * @param w the float32 weights, at least {@code [size][to]}
     * @param from the first column added
     * @param to one past the last column added
     * @param acc the float32 accumulator, at least {@code [to]}; only {@code [from, to)} changes
     */
    public static void addVecMat(double[] x, int size, float[][] w, int from, int to, float[] acc) {
        int k = 0;
        for (; k + 3 < size; k += 4) {
            float x0 = (float) x[k];
            float x1 = (float) x[k + 1];
            float x2 = (float) x[k + 2];
            float x3 = (float) x[k + 3];
            float[] w0 = w[k];
            float[] w1 = w[k + 1];
            float[] w2 = w[k + 2];
            float[] w3 = w[k + 3];
            for (int j = from; j < to; j++) {
                acc[j] += x0 * w0[j] + x1 * w1[j] + x2 * w2[j] + x3 * w3[j];
            }
        }
        for (; k < size; k++) {
            float xk = (float) x[k];
            float[] wk = w[k];
            for (int j = from; j < to; j++) {
                acc[j] += xk * wk[j];
            }
        }
    }

    /**
     * Adds a vector-matrix product with float32 weights, skipping the zero entries of {@code x}:
     * {@code out[j] += float(x[k])·w[k][j]}, each product exact in float64 (a one-hot row adds {@code w[k]} exactly).
     *
     * @param x the input vector, mostly zeros; its first {@code size} entries are read
     * @param size the number of rows of {@code w} used
     * @param w the float32 weights, at least {@code [size][n]}
     * @param n the number of output columns
     * @param out the float64 accumulator, at least {@code [n]}; added to, not overwritten
     */
    public static void addSparseVecMat(double[] x, int size, float[][] w, int n, double[] out) {
        for (int k = 0; k < size; k++) {
            double xk = (float) x[k];
            if (xk != 0.0) {
                float[] wk = w[k];
                for (int j = 0; j < n; j++) {
                    out[j] += xk * wk[j];
                }
            }
        }
    }

    /**
     * Rounds a matrix to float32, row by row.
     *
     * @param m a matrix whose rows may differ in length
     * @return a new float32 matrix of the same shape
     */
    public static float[][] toFloat(double[][] m) {
        float[][] f = new float[m.length][];
        for (int i = 0; i < m.length; i++) {
            f[i] = new float[m[i].length];
            for (int j = 0; j < f[i].length; j++) {
                f[i][j] = (float) m[i][j];
            }
        }
        return f;
    }

    /**
     * Rounds each value of a vector to the nearest float32, keeping it a {@code double[]} (biases, scales).
     *
     * @param v the values
     * @return a new array of the rounded values
     */
    public static double[] roundToFloat(double[] v) {
        double[] r = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            r[j] = (float) v[j];
        }
        return r;
    }

    /**
     * Adds a vector-matrix product, skipping the zero entries of {@code x}: for a one-hot {@code x} this is one row
     * lookup. Same result as {@link #addVecMat} up to rounding.
     *
     * @param x the input vector, mostly zeros; its first {@code size} entries are read
     * @param size the number of rows of {@code w} used
     * @param w the weights, at least {@code [size][n]}
     * @param n the number of output columns
     * @param out the accumulator, at least {@code [n]}; added to, not overwritten
     */
    public static void addSparseVecMat(double[] x, int size, double[][] w, int n, double[] out) {
        for (int k = 0; k < size; k++) {
            double xk = x[k];
            if (xk != 0.0) {
                double[] wk = w[k];
                for (int j = 0; j < n; j++) {
                    out[j] += xk * wk[j];
                }
            }
        }
    }

    /**
     * Whether at most a quarter of {@code x[0, size)} is non-zero: one-hot and token-like rows.
     *
     * @param x the vector
     * @param size how many leading entries to look at
     * @return {@code true} when the sparse loop is the cheaper one
     */
    public static boolean isSparse(double[] x, int size) {
        int nonZero = 0;
        for (int k = 0; k < size; k++) {
            if (x[k] != 0.0) {
                nonZero++;
            }
        }
        return 4 * nonZero <= size;
    }

    /**
     * Copies a checked matrix row by row into new row arrays.
     *
     * @param m a matrix already checked not ragged
     * @return a deep copy
     */
    public static double[][] copyRows(double[][] m) {
        double[][] copy = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            copy[i] = m[i].clone();
        }
        return copy;
    }

    /**
     * Copies columns {@code [from, to)} of a checked matrix into new row arrays.
     *
     * @param m a matrix already checked not ragged
     * @param from the first column copied
     * @param to one past the last column copied
     * @return a new {@code [rows][to − from]} matrix
     */
    public static double[][] copyColumns(double[][] m, int from, int to) {
        double[][] copy = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            copy[i] = java.util.Arrays.copyOfRange(m[i], from, to);
        }
        return copy;
    }

    /**
     * Adds a vector-matrix product over columns {@code [from, to)}, skipping the zero entries of {@code x}: each
     * column summed exactly as {@link #addSparseVecMat(double[], int, double[][], int, double[])} sums it.
     *
     * @param x the input vector; its first {@code size} entries are read
     * @param size the number of rows of {@code w} used
     * @param w the weights, at least {@code [size][to]}
     * @param from the first output column added
     * @param to one past the last output column added
     * @param out the accumulator; columns {@code [from, to)} are added to
     */
    public static void addSparseVecMat(double[] x, int size, double[][] w, int from, int to, double[] out) {
        for (int k = 0; k < size; k++) {
            double xk = x[k];
            if (xk != 0.0) {
                double[] wk = w[k];
                for (int j = from; j < to; j++) {
                    out[j] += xk * wk[j];
                }
            }
        }
    }

    /**
     * The float32-weight sparse product over columns {@code [from, to)}: each column summed exactly as
     * {@link #addSparseVecMat(double[], int, float[][], int, double[])} sums it.
     *
     * @param x the input vector; its first {@code size} entries are read
     * @param size the number of rows of {@code w} used
     * @param w the float32 weights, at least {@code [size][to]}
     * @param from the first output column added
     * @param to one past the last output column added
     * @param out the accumulator; columns {@code [from, to)} are added to
     */
    public static void addSparseVecMat(double[] x, int size, float[][] w, int from, int to, double[] out) {
        for (int k = 0; k < size; k++) {
            double xk = (float) x[k];
            if (xk != 0.0) {
                float[] wk = w[k];
                for (int j = from; j < to; j++) {
                    out[j] += xk * wk[j];
                }
            }
        }
    }
}
