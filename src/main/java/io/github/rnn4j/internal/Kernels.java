package io.github.rnn4j.internal;

/**
 * Matrix loops on flat row-major {@code double[]} arrays.
 *
 * <p>Kernels trust their callers: shapes are checked at the public entry points. Every kernel
 * accumulates ({@code +=}) into its output, so callers start from the bias or from zeros.
 * Loops run in i-k-j order so the innermost loop walks contiguous memory and the JIT can vectorize it.
 * Thread-safe: stateless.
 */
public final class Kernels {
    private Kernels() {
    }

    /**
     * Adds a vector-matrix product into {@code out}, over a range of columns.
     *
     * <p>{@code out[outOff + j - colFrom] += Σ_k x[xOff + k] · w[k·ldw + j]} for {@code j} in
     * {@code [colFrom, colTo)}, {@code k} in {@code [0, n)}. Zero entries of {@code x} are skipped,
     * which makes a one-hot row a row lookup.
     */
    public static void addVecMat(double[] x, int xOff, int n, double[] w, int ldw, int colFrom, int colTo,
                                 double[] out, int outOff) {
        int len = colTo - colFrom;
        for (int k = 0; k < n; k++) {
            double xk = x[xOff + k];
            if (xk == 0.0) {
                continue;
            }
            int base = k * ldw + colFrom;
            for (int j = 0; j < len; j++) {
                out[outOff + j] += xk * w[base + j];
            }
        }
    }

    /**
     * Adds a matrix product into {@code c}: {@code c[i][j] += Σ_k a[i][k] · b[k][j]}.
     *
     * <p>{@code a} is {@code [rows][inner]} starting at {@code aOff}, {@code b} is {@code [inner][cols]},
     * {@code c} is {@code [rows][cols]} starting at {@code cOff}, all row-major and dense.
     */
    public static void addMatMul(double[] a, int aOff, int rows, int inner, double[] b, int cols,
                                 double[] c, int cOff) {
        for (int i = 0; i < rows; i++) {
            addVecMat(a, aOff + i * inner, inner, b, cols, 0, cols, c, cOff + i * cols);
        }
    }
}
