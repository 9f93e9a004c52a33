package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Backend;
import io.github.rnn4j.internal.Kernels;

/**
 * A weight matrix {@code [rows][cols]} held as float64 rows, or as float32 rows for a float32 layer, with the
 * products layers need. Float32 products round the input to float32 and sum in float32 (see
 * {@link Backend#addProduct(double[][], int, int, float[][], int, double[][], float[])}); results stay float64.
 * Immutable and thread-safe: the arrays are never handed out.
 */
final class Weights {
    final int rows;
    final int cols;
    private final double[][] wide;
    private final float[][] narrow;

    private Weights(double[][] wide, float[][] narrow, int rows, int cols) {
        this.wide = wide;
        this.narrow = narrow;
        this.rows = rows;
        this.cols = cols;
    }

    /** Float64 weights from rows this object now owns (already checked and copied). */
    static Weights owning(double[][] rows, int cols) {
        return new Weights(rows, null, rows.length, cols);
    }

    /** This matrix rounded to float32; itself when it already is. */
    Weights float32() {
        return narrow != null ? this : new Weights(null, Kernels.toFloat(wide), rows, cols);
    }

    boolean isFloat32() {
        return narrow != null;
    }

    /** Float32 scratch for {@link #addProduct}: {@code null} for float64 weights, which need none. */
    float[] newAccumulator() {
        return newAccumulator(rows);
    }

    /**
     * Float32 scratch for the products of this matrix and of others with at most {@code maxRows} rows and
     * {@link #cols} columns; {@code null} for float64 weights.
     */
    float[] newAccumulator(int maxRows) {
        return narrow == null ? null : new float[Backend.INSTANCE.accumulatorLength(maxRows, cols)];
    }

    /** {@code c[i][j] += Σ_k a[i][k]·W[k][j]} for {@code i < aRows}, with the backend's product of this precision. */
    void addProduct(double[][] a, int aRows, double[][] c, float[] acc) {
        if (narrow == null) {
            Backend.INSTANCE.addProduct(a, aRows, rows, wide, cols, c);
        } else {
            Backend.INSTANCE.addProduct(a, aRows, rows, narrow, cols, c, acc);
        }
    }

    /** {@code out[j] += Σ_k x[k]·W[k][j]}: one row of {@link #addProduct}, summed the same way, allocating nothing. */
    void addVecMat(double[] x, double[] out, float[] acc) {
        if (narrow == null) {
            Backend.INSTANCE.addVecMat(x, rows, wide, cols, out);
        } else {
            Backend.INSTANCE.addVecMat(x, rows, narrow, cols, out, acc);
        }
    }

    /**
     * {@code out[j] += Σ_k x[k]·W[k][j]} for columns {@code j} in {@code [from, to)} only, each summed exactly as
     * {@link #addProduct} sums a row of one; uses only {@code acc[from, to)}.
     */
    void addColumns(double[] x, int from, int to, double[] out, float[] acc) {
        if (narrow == null) {
            Backend.INSTANCE.addVecMatColumns(x, rows, wide, from, to, out);
        } else {
            Backend.INSTANCE.addVecMatColumns(x, rows, narrow, from, to, out, acc);
        }
    }

    /** {@link #addSparse} over columns {@code [from, to)} only, each summed exactly as there. */
    void addSparseColumns(double[] x, int from, int to, double[] out) {
        if (narrow == null) {
            Kernels.addSparseVecMat(x, rows, wide, from, to, out);
        } else {
            Kernels.addSparseVecMat(x, rows, narrow, from, to, out);
        }
    }

    /** {@code out[j] += W[k][j]} for columns {@code [from, to)}. */
    void addRowColumns(int k, int from, int to, double[] out) {
        if (narrow == null) {
            double[] row = wide[k];
            for (int j = from; j < to; j++) {
                out[j] += row[j];
            }
        } else {
            float[] row = narrow[k];
            for (int j = from; j < to; j++) {
                out[j] += row[j];
            }
        }
    }

    /** {@code out[j] += Σ_k x[k]·W[k][j]} skipping zeros of {@code x}: a row lookup for one-hot input. */
    void addSparse(double[] x, double[] out) {
        if (narrow == null) {
            Kernels.addSparseVecMat(x, rows, wide, cols, out);
        } else {
            Kernels.addSparseVecMat(x, rows, narrow, cols, out);
        }
    }

    /** {@code out[j] += W[k][j]}. */
    void addRow(int k, double[] out) {
        if (narrow == null) {
            double[] row = wide[k];
            for (int j = 0; j < cols; j++) {
                out[j] += row[j];
            }
        } else {
            float[] row = narrow[k];
            for (int j = 0; j < cols; j++) {
                out[j] += row[j];
            }
        }
    }

    /** A new float64 copy of row {@code k}. */
    double[] row(int k) {
        if (narrow == null) {
            return wide[k].clone();
        }
        double[] r = new double[cols];
        for (int j = 0; j < cols; j++) {
            r[j] = narrow[k][j];
        }
        return r;
    }

    /** {@code W[k][j]}. */
    double get(int k, int j) {
        return narrow == null ? wide[k][j] : narrow[k][j];
    }
}
