package io.github.rnn4j.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The backend on the JDK's incubating Vector API, loaded only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}.
 *
 * <p>The product is register-blocked: four rows of {@code a} times two vectors of columns, accumulated over the
 * whole {@code k} range with fused multiply-adds and added to {@code c} once; columns are taken in blocks of
 * {@value #COLUMN_BLOCK} so the block of {@code w} stays in the L2 cache while every row passes over it. Each output
 * element is {@code c + fma-chain over k from 0}, whether its row runs in a group of four or alone, so a row's
 * result does not depend on the batch. Thread-safe: stateless.
 */
final class VectorBackend extends Backend {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Columns per cache block; measured best of 128, 256 and 512 for 256×1024 weights on a 2 MB L2. */
    private static final int COLUMN_BLOCK = 256;

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void addVecMat(double[] x, int size, double[][] w, int n, double[] out) {
        for (int jb = 0; jb < n; jb += COLUMN_BLOCK) {
            row(x, size, w, jb, Math.min(n, jb + COLUMN_BLOCK), out);
        }
    }

    @Override
    public void addProduct(double[][] a, int rows, int size, double[][] w, int n, double[][] c) {
        for (int jb = 0; jb < n; jb += COLUMN_BLOCK) {
            int je = Math.min(n, jb + COLUMN_BLOCK);
            int i = 0;
            for (; i + 3 < rows; i += 4) {
                fourRows(a[i], a[i + 1], a[i + 2], a[i + 3], size, w, jb, je, c[i], c[i + 1], c[i + 2], c[i + 3]);
            }
            for (; i < rows; i++) {
                row(a[i], size, w, jb, je, c[i]);
            }
        }
    }

    private static void fourRows(double[] a0, double[] a1, double[] a2, double[] a3, int size, double[][] w,
                                 int from, int to, double[] c0, double[] c1, double[] c2, double[] c3) {
        int j = from;
        for (; j + 2 * L <= to; j += 2 * L) {
            DoubleVector s00 = DoubleVector.zero(S);
            DoubleVector s01 = s00;
            DoubleVector s10 = s00;
            DoubleVector s11 = s00;
            DoubleVector s20 = s00;
            DoubleVector s21 = s00;
            DoubleVector s30 = s00;
            DoubleVector s31 = s00;
            for (int k = 0; k < size; k++) {
                double[] wk = w[k];
                DoubleVector w0 = DoubleVector.fromArray(S, wk, j);
                DoubleVector w1 = DoubleVector.fromArray(S, wk, j + L);
                DoubleVector x0 = DoubleVector.broadcast(S, a0[k]);
                s00 = w0.fma(x0, s00);
                s01 = w1.fma(x0, s01);
                DoubleVector x1 = DoubleVector.broadcast(S, a1[k]);
                s10 = w0.fma(x1, s10);
                s11 = w1.fma(x1, s11);
                DoubleVector x2 = DoubleVector.broadcast(S, a2[k]);
                s20 = w0.fma(x2, s20);
                s21 = w1.fma(x2, s21);
                DoubleVector x3 = DoubleVector.broadcast(S, a3[k]);
                s30 = w0.fma(x3, s30);
                s31 = w1.fma(x3, s31);
            }
            store(c0, j, s00, s01);
            store(c1, j, s10, s11);
            store(c2, j, s20, s21);
            store(c3, j, s30, s31);
        }
        if (j < to) {
            tail(a0, size, w, j, to, c0);
            tail(a1, size, w, j, to, c1);
            tail(a2, size, w, j, to, c2);
            tail(a3, size, w, j, to, c3);
        }
    }

    private static void store(double[] c, int j, DoubleVector s0, DoubleVector s1) {
        DoubleVector.fromArray(S, c, j).add(s0).intoArray(c, j);
        DoubleVector.fromArray(S, c, j + L).add(s1).intoArray(c, j + L);
    }

    /** One row, four vectors of columns at a time. */
    private static void row(double[] a, int size, double[][] w, int from, int to, double[] c) {
        int j = from;
        for (; j + 4 * L <= to; j += 4 * L) {
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            for (int k = 0; k < size; k++) {
                double[] wk = w[k];
                DoubleVector x = DoubleVector.broadcast(S, a[k]);
                s0 = DoubleVector.fromArray(S, wk, j).fma(x, s0);
                s1 = DoubleVector.fromArray(S, wk, j + L).fma(x, s1);
                s2 = DoubleVector.fromArray(S, wk, j + 2 * L).fma(x, s2);
                s3 = DoubleVector.fromArray(S, wk, j + 3 * L).fma(x, s3);
            }
            store(c, j, s0, s1);
            store(c, j + 2 * L, s2, s3);
        }
        tail(a, size, w, j, to, c);
    }

    /** The remaining columns: one vector at a time, then scalar, with the same fma chain. */
    private static void tail(double[] a, int size, double[][] w, int from, int to, double[] c) {
        int j = from;
        for (; j + L <= to; j += L) {
            DoubleVector s = DoubleVector.zero(S);
            for (int k = 0; k < size; k++) {
                s = DoubleVector.fromArray(S, w[k], j).fma(DoubleVector.broadcast(S, a[k]), s);
            }
            DoubleVector.fromArray(S, c, j).add(s).intoArray(c, j);
        }
        for (; j < to; j++) {
            double s = 0.0;
            for (int k = 0; k < size; k++) {
                s = Math.fma(a[k], w[k][j], s);
            }
            c[j] += s;
        }
    }

    /**
     * Scalar, as the plain backend: the Vector API's {@code TANH} and {@code EXP} round differently before and after
     * the JIT compiles them (Java fallback against Intel SVML), which would make results depend on warm-up.
     */
    @Override
    public void tanh(double[] v, int from, int to) {
        for (int j = from; j < to; j++) {
            v[j] = Backend.tanh(v[j]);
        }
    }

    /** Scalar, as the plain backend, for the same reason as {@link #tanh}. */
    @Override
    public void sigmoid(double[] v, int from, int to) {
        for (int j = from; j < to; j++) {
            v[j] = Backend.sigmoid(v[j]);
        }
    }
}
