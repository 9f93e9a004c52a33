package io.github.rnn4j.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The backend on the JDK's incubating Vector API, loaded only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}.
 *
 * <p>The product is register-blocked: four rows of {@code a} times two vectors of columns, accumulated with fused
 * multiply-adds over {@value #K_BLOCK} rows of {@code w} at a time and then added to {@code c}; columns are taken in
 * blocks of {@value #COLUMN_BLOCK} so the block of {@code w} stays in the L2 cache while every row passes over it.
 * Each output element is {@code c + Σ_blocks (fma-chain over the block from 0)}, whether its row runs in a group of
 * four or alone, so a row's result does not depend on the batch. Thread-safe: stateless.
 */
final class VectorBackend extends Backend {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Float32 lanes: twice {@link #L} in the same register width. */
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int FL = F.length();
    /** Columns per cache block; measured best of 128, 256 and 512 for 256×1024 weights on a 2 MB L2. */
    private static final int COLUMN_BLOCK = 256;
    /**
     * Rows of {@code w} per accumulation: sums run over {@value} rows in registers, then go into {@code c}. Few
     * enough rows for the prefetcher to follow when one row of {@code a} streams a large {@code w} (without it,
     * 1×1024×4096 ran at 0.8 GFLOP/s), and the same in every kernel so rounding does not depend on the batch.
     */
    private static final int K_BLOCK = 16;

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void addVecMat(double[] x, int size, double[][] w, int n, double[] out) {
        for (int kb = 0; kb < size; kb += K_BLOCK) {
            row(x, kb, Math.min(size, kb + K_BLOCK), w, 0, n, out);
        }
    }

    @Override
    public void addProduct(double[][] a, int rows, int size, double[][] w, int n, double[][] c) {
        if (rows == 1) {
            addVecMat(a[0], size, w, n, c[0]);
            return;
        }
        for (int jb = 0; jb < n; jb += COLUMN_BLOCK) {
            int je = Math.min(n, jb + COLUMN_BLOCK);
            for (int kb = 0; kb < size; kb += K_BLOCK) {
                int ke = Math.min(size, kb + K_BLOCK);
                int i = 0;
                for (; i + 3 < rows; i += 4) {
                    fourRows(a[i], a[i + 1], a[i + 2], a[i + 3], kb, ke, w, jb, je, c[i], c[i + 1], c[i + 2],
                            c[i + 3]);
                }
                for (; i < rows; i++) {
                    row(a[i], kb, ke, w, jb, je, c[i]);
                }
            }
        }
    }

    /** Column {@code j} gets the same block sums as in {@link #addVecMat(double[], int, double[][], int, double[])}. */
    @Override
    public void addVecMatColumns(double[] x, int size, double[][] w, int from, int to, double[] out) {
        for (int kb = 0; kb < size; kb += K_BLOCK) {
            row(x, kb, Math.min(size, kb + K_BLOCK), w, from, to, out);
        }
    }

    /**
     * Column {@code j} gets the same float32 fma chain as in
     * {@link #addVecMat(double[], int, float[][], int, double[], float[])} (over all {@code size} rows in order, from
     * 0, widened once); only {@code acc[from, to)} is written, so threads owning disjoint columns may share it.
     */
    @Override
    public void addVecMatColumns(double[] x, int size, float[][] w, int from, int to, double[] out, float[] acc) {
        int j = from;
        for (; j + FL <= to; j += FL) {
            FloatVector s = FloatVector.zero(F);
            for (int k = 0; k < size; k++) {
                s = FloatVector.fromArray(F, w[k], j).fma(FloatVector.broadcast(F, (float) x[k]), s);
            }
            add(out, j, s, acc);
        }
        for (; j < to; j++) {
            float s = 0f;
            for (int k = 0; k < size; k++) {
                s = Math.fma((float) x[k], w[k][j], s);
            }
            out[j] += s;
        }
    }

    private static void fourRows(double[] a0, double[] a1, double[] a2, double[] a3, int kFrom, int kTo,
                                 double[][] w, int from, int to, double[] c0, double[] c1, double[] c2, double[] c3) {
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
            for (int k = kFrom; k < kTo; k++) {
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
            tail(a0, kFrom, kTo, w, j, to, c0);
            tail(a1, kFrom, kTo, w, j, to, c1);
            tail(a2, kFrom, kTo, w, j, to, c2);
            tail(a3, kFrom, kTo, w, j, to, c3);
        }
    }

    private static void store(double[] c, int j, DoubleVector s0, DoubleVector s1) {
        DoubleVector.fromArray(S, c, j).add(s0).intoArray(c, j);
        DoubleVector.fromArray(S, c, j + L).add(s1).intoArray(c, j + L);
    }

    /** One row over rows {@code [kFrom, kTo)} of {@code w}, four vectors of columns at a time. */
    private static void row(double[] a, int kFrom, int kTo, double[][] w, int from, int to, double[] c) {
        int j = from;
        for (; j + 4 * L <= to; j += 4 * L) {
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            for (int k = kFrom; k < kTo; k++) {
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
        tail(a, kFrom, kTo, w, j, to, c);
    }

    /** The remaining columns: one vector at a time, then scalar, with the same fma chain. */
    private static void tail(double[] a, int kFrom, int kTo, double[][] w, int from, int to, double[] c) {
        int j = from;
        for (; j + L <= to; j += L) {
            DoubleVector s = DoubleVector.zero(S);
            for (int k = kFrom; k < kTo; k++) {
                s = DoubleVector.fromArray(S, w[k], j).fma(DoubleVector.broadcast(S, a[k]), s);
            }
            DoubleVector.fromArray(S, c, j).add(s).intoArray(c, j);
        }
        for (; j < to; j++) {
            double s = 0.0;
            for (int k = kFrom; k < kTo; k++) {
                s = Math.fma(a[k], w[k][j], s);
            }
            c[j] += s;
        }
    }

    /** {@code n} floats of sums or staging, then the float32 copies of up to four rows of input. */
    @Override
    public int accumulatorLength(int size, int n) {
        return n + 4 * size;
    }

    /**
     * The float32 vector-matrix product: each output element is {@code out + double(s)}, where {@code s} is one
     * float32 fused multiply-add chain over all {@code size} rows of {@code w} in order, from 0 — the same chain as
     * every row of {@link #addProduct(double[][], int, int, float[][], int, double[][], float[])}. The chain runs
     * four rows of {@code w} at a time, each streamed whole, carried between them in {@code acc[0, n)} as float32
     * (exact), so one row of {@code x} streams {@code w} as the plain backend does (1×1024×4096: 14 GFLOP/s,
     * against 9 with 16-row register tiles); widened once per output element.
     */
    @Override
    public void addVecMat(double[] x, int size, float[][] w, int n, double[] out, float[] acc) {
        toFloat(x, size, acc, n);
        java.util.Arrays.fill(acc, 0, n, 0f);
        int k = 0;
        for (; k + 3 < size; k += 4) {
            carryFour(acc, n, k, w, n);
        }
        if (k < size) {
            carry(acc, n, k, size, w, n);
        }
        widen(acc, 0, n, out);
    }

    /**
     * Register-blocked as the float64 product (four rows of {@code a} times two vectors of columns, columns in
     * blocks of {@value #COLUMN_BLOCK}), but each register sums all {@code size} rows of {@code w} before it is
     * widened and added to {@code c}: one float→double conversion per output element and product.
     */
    @Override
    public void addProduct(double[][] a, int rows, int size, float[][] w, int n, double[][] c, float[] acc) {
        if (rows == 1) {
            addVecMat(a[0], size, w, n, c[0], acc);
            return;
        }
        int x0 = n;
        int x1 = n + size;
        int x2 = n + 2 * size;
        int x3 = n + 3 * size;
        for (int jb = 0; jb < n; jb += COLUMN_BLOCK) {
            int je = Math.min(n, jb + COLUMN_BLOCK);
            int i = 0;
            for (; i + 3 < rows; i += 4) {
                toFloat(a[i], size, acc, x0);
                toFloat(a[i + 1], size, acc, x1);
                toFloat(a[i + 2], size, acc, x2);
                toFloat(a[i + 3], size, acc, x3);
                fourRows(acc, x0, x1, x2, x3, size, w, jb, je, c[i], c[i + 1], c[i + 2], c[i + 3]);
            }
            for (; i < rows; i++) {
                toFloat(a[i], size, acc, x0);
                row(acc, x0, size, w, jb, je, c[i]);
            }
        }
    }

    /** {@code acc[to + k] = float(x[k])} for {@code k < size}. */
    private static void toFloat(double[] x, int size, float[] acc, int to) {
        for (int k = 0; k < size; k++) {
            acc[to + k] = (float) x[k];
        }
    }

    /**
     * Four rows (their float32 inputs at {@code acc[x0..]}, …, {@code acc[x3..]}) times two vectors of columns,
     * summing all {@code size} rows of {@code w} in registers.
     */
    private static void fourRows(float[] acc, int x0, int x1, int x2, int x3, int size, float[][] w, int from,
                                 int to, double[] c0, double[] c1, double[] c2, double[] c3) {
        int j = from;
        for (; j + 2 * FL <= to; j += 2 * FL) {
            FloatVector s00 = FloatVector.zero(F);
            FloatVector s01 = s00;
            FloatVector s10 = s00;
            FloatVector s11 = s00;
            FloatVector s20 = s00;
            FloatVector s21 = s00;
            FloatVector s30 = s00;
            FloatVector s31 = s00;
            for (int k = 0; k < size; k++) {
                float[] wk = w[k];
                FloatVector w0 = FloatVector.fromArray(F, wk, j);
                FloatVector w1 = FloatVector.fromArray(F, wk, j + FL);
                FloatVector b = FloatVector.broadcast(F, acc[x0 + k]);
                s00 = w0.fma(b, s00);
                s01 = w1.fma(b, s01);
                b = FloatVector.broadcast(F, acc[x1 + k]);
                s10 = w0.fma(b, s10);
                s11 = w1.fma(b, s11);
                b = FloatVector.broadcast(F, acc[x2 + k]);
                s20 = w0.fma(b, s20);
                s21 = w1.fma(b, s21);
                b = FloatVector.broadcast(F, acc[x3 + k]);
                s30 = w0.fma(b, s30);
                s31 = w1.fma(b, s31);
            }
            add(c0, j, s00, s01, acc);
            add(c1, j, s10, s11, acc);
            add(c2, j, s20, s21, acc);
            add(c3, j, s30, s31, acc);
        }
        if (j < to) {
            tail(acc, x0, size, w, j, to, c0);
            tail(acc, x1, size, w, j, to, c1);
            tail(acc, x2, size, w, j, to, c2);
            tail(acc, x3, size, w, j, to, c3);
        }
    }

    /** One row (float32 input at {@code acc[x..]}), four vectors of columns, all {@code size} rows in registers. */
    private static void row(float[] acc, int x, int size, float[][] w, int from, int to, double[] c) {
        int j = from;
        for (; j + 4 * FL <= to; j += 4 * FL) {
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int k = 0; k < size; k++) {
                float[] wk = w[k];
                FloatVector b = FloatVector.broadcast(F, acc[x + k]);
                s0 = FloatVector.fromArray(F, wk, j).fma(b, s0);
                s1 = FloatVector.fromArray(F, wk, j + FL).fma(b, s1);
                s2 = FloatVector.fromArray(F, wk, j + 2 * FL).fma(b, s2);
                s3 = FloatVector.fromArray(F, wk, j + 3 * FL).fma(b, s3);
            }
            add(c, j, s0, s1, acc);
            add(c, j + 2 * FL, s2, s3, acc);
        }
        tail(acc, x, size, w, j, to, c);
    }

    /** The remaining columns: one vector at a time, then scalar, with the same fma chain. */
    private static void tail(float[] acc, int x, int size, float[][] w, int from, int to, double[] c) {
        int j = from;
        for (; j + FL <= to; j += FL) {
            FloatVector s = FloatVector.zero(F);
            for (int k = 0; k < size; k++) {
                s = FloatVector.fromArray(F, w[k], j).fma(FloatVector.broadcast(F, acc[x + k]), s);
            }
            add(c, j, s, acc);
        }
        for (; j < to; j++) {
            float s = 0f;
            for (int k = 0; k < size; k++) {
                s = Math.fma(acc[x + k], w[k][j], s);
            }
            c[j] += s;
        }
    }

    /**
     * {@code acc[j] = fma(x[k+3], w[k+3][j], … fma(x[k], w[k][j], acc[j]))} for {@code j < n}: four rows of {@code w}
     * streamed whole, their rows and inputs taken once, as the plain backend's loop.
     */
    private static void carryFour(float[] acc, int x, int k, float[][] w, int n) {
        float[] w0 = w[k];
        float[] w1 = w[k + 1];
        float[] w2 = w[k + 2];
        float[] w3 = w[k + 3];
        float x0 = acc[x + k];
        float x1 = acc[x + k + 1];
        float x2 = acc[x + k + 2];
        float x3 = acc[x + k + 3];
        FloatVector b0 = FloatVector.broadcast(F, x0);
        FloatVector b1 = FloatVector.broadcast(F, x1);
        FloatVector b2 = FloatVector.broadcast(F, x2);
        FloatVector b3 = FloatVector.broadcast(F, x3);
        int j = 0;
        for (; j + FL <= n; j += FL) {
            FloatVector s = FloatVector.fromArray(F, acc, j);
            s = FloatVector.fromArray(F, w0, j).fma(b0, s);
            s = FloatVector.fromArray(F, w1, j).fma(b1, s);
            s = FloatVector.fromArray(F, w2, j).fma(b2, s);
            s = FloatVector.fromArray(F, w3, j).fma(b3, s);
            s.intoArray(acc, j);
        }
        for (; j < n; j++) {
            acc[j] = Math.fma(x3, w3[j], Math.fma(x2, w2[j], Math.fma(x1, w1[j], Math.fma(x0, w0[j], acc[j]))));
        }
    }

    /**
     * {@code acc[j] = fma-chain over rows [kFrom, kTo) of w, continued from acc[j]} for {@code j < n}, with the
     * float32 input at {@code acc[x..]}: one block of {@link #addVecMat(double[], int, float[][], int, double[], float[])}.
     */
    private static void carry(float[] acc, int x, int kFrom, int kTo, float[][] w, int n) {
        int j = 0;
        for (; j + 4 * FL <= n; j += 4 * FL) {
            FloatVector s0 = FloatVector.fromArray(F, acc, j);
            FloatVector s1 = FloatVector.fromArray(F, acc, j + FL);
            FloatVector s2 = FloatVector.fromArray(F, acc, j + 2 * FL);
            FloatVector s3 = FloatVector.fromArray(F, acc, j + 3 * FL);
            for (int k = kFrom; k < kTo; k++) {
                float[] wk = w[k];
                FloatVector b = FloatVector.broadcast(F, acc[x + k]);
                s0 = FloatVector.fromArray(F, wk, j).fma(b, s0);
                s1 = FloatVector.fromArray(F, wk, j + FL).fma(b, s1);
                s2 = FloatVector.fromArray(F, wk, j + 2 * FL).fma(b, s2);
                s3 = FloatVector.fromArray(F, wk, j + 3 * FL).fma(b, s3);
            }
            s0.intoArray(acc, j);
            s1.intoArray(acc, j + FL);
            s2.intoArray(acc, j + 2 * FL);
            s3.intoArray(acc, j + 3 * FL);
        }
        for (; j + FL <= n; j += FL) {
            FloatVector s = FloatVector.fromArray(F, acc, j);
            for (int k = kFrom; k < kTo; k++) {
                s = FloatVector.fromArray(F, w[k], j).fma(FloatVector.broadcast(F, acc[x + k]), s);
            }
            s.intoArray(acc, j);
        }
        for (; j < n; j++) {
            float s = acc[j];
            for (int k = kFrom; k < kTo; k++) {
                s = Math.fma(acc[x + k], w[k][j], s);
            }
            acc[j] = s;
        }
    }

    private static void add(double[] c, int j, FloatVector s0, FloatVector s1, float[] acc) {
        s0.intoArray(acc, j);
        s1.intoArray(acc, j + FL);
        widen(acc, j, j + 2 * FL, c);
    }

    private static void add(double[] c, int j, FloatVector s, float[] acc) {
        s.intoArray(acc, j);
        widen(acc, j, j + FL, c);
    }

    /**
     * {@code c[j] += acc[j]} for {@code j} in {@code [from, to)}, widened exactly, lane by lane: JDK 17 compiles
     * none of the Vector API's float→double conversions tried here ({@code convertShape(F2D, …, part)} of a full
     * register ran 3–10× slower; {@code castShape} of a half register, 0.1 against 66 GFLOP/s), and C2 does not vectorize the
     * conversion in a loop. Once per output element and product, it costs little beside the {@code size}
     * multiply-adds of each element.
     */
    private static void widen(float[] acc, int from, int to, double[] c) {
        int j = from;
        for (; j < to; j++) {
            c[j] += acc[j];
        }
    }
    /**
     * {@code tanh}, vectorized with only exactly-rounded operations (add, multiply, fma, divide, bit moves), so a value
     * rounds the same before and after the JIT compiles the loop, and in a vector lane or in the scalar tail:
     * {@code 1 − 2 / (e^{2x} + 1)} for {@code |x| ≥ 0.5}, {@code expm1(2x) / (expm1(2x) + 2)} below. (The Vector API's
     * own {@code TANH} and {@code EXP} are not used: they round differently once compiled to Intel SVML.)
     */
    @Override
    public void tanh(double[] v, int from, int to) {
        int j = from;
        // The exponential and the small-x series are written out in this loop (no helper method): a
        // vector passed to or returned from a method that C2 declines to inline is boxed, which allocated 4 KB per
        // step of a 128-unit layer in some JIT runs (bench/results/allocation.md).
        for (; j + L <= to; j += L) {
            DoubleVector x = DoubleVector.fromArray(S, v, j);
            DoubleVector y = x.add(x);
            DoubleVector c = y.max(-708.0).min(709.0);
            DoubleVector t = c.mul(LOG2E).add(SHIFTER);
            DoubleVector k = t.sub(SHIFTER);
            DoubleVector r = k.neg().fma(DoubleVector.broadcast(S, LN2_HI), c);
            r = k.neg().fma(DoubleVector.broadcast(S, LN2_LO), r);
            DoubleVector p = DoubleVector.broadcast(S, EXP_COEFFS[0]);
            for (int i = 1; i < EXP_COEFFS.length; i++) {
                p = p.fma(r, DoubleVector.broadcast(S, EXP_COEFFS[i]));
            }
            DoubleVector e = p.mul(t.reinterpretAsLongs().sub(SHIFTER_BITS - 1023).lanewise(VectorOperators.LSHL, 52)
                    .reinterpretAsDoubles());
            DoubleVector large = DoubleVector.broadcast(S, 1.0).sub(DoubleVector.broadcast(S, 2.0).div(e.add(1.0)));
            DoubleVector q = DoubleVector.broadcast(S, EXPM1_COEFFS[0]);
            for (int i = 1; i < EXPM1_COEFFS.length; i++) {
                q = q.fma(y, DoubleVector.broadcast(S, EXPM1_COEFFS[i]));
            }
            DoubleVector m = q.mul(y);
            DoubleVector small = m.div(m.add(2.0));
            large.blend(small, x.abs().compare(VectorOperators.LT, 0.5)).intoArray(v, j);
        }
        for (; j < to; j++) {
            double x = v[j];
            v[j] = Math.abs(x) < 0.5 ? tanhSmall(x) : 1.0 - 2.0 / (exp(2.0 * x) + 1.0);
        }
    }

    /** The logistic sigmoid {@code 1 / (1 + e^{-x})}, with the same exponential as {@link #tanh}. */
    @Override
    public void sigmoid(double[] v, int from, int to) {
        int j = from;
        // The exponential written out, as in tanh: no vector crosses a method boundary.
        for (; j + L <= to; j += L) {
            DoubleVector c = DoubleVector.fromArray(S, v, j).neg().max(-708.0).min(709.0);
            DoubleVector t = c.mul(LOG2E).add(SHIFTER);
            DoubleVector k = t.sub(SHIFTER);
            DoubleVector r = k.neg().fma(DoubleVector.broadcast(S, LN2_HI), c);
            r = k.neg().fma(DoubleVector.broadcast(S, LN2_LO), r);
            DoubleVector p = DoubleVector.broadcast(S, EXP_COEFFS[0]);
            for (int i = 1; i < EXP_COEFFS.length; i++) {
                p = p.fma(r, DoubleVector.broadcast(S, EXP_COEFFS[i]));
            }
            DoubleVector e = p.mul(t.reinterpretAsLongs().sub(SHIFTER_BITS - 1023).lanewise(VectorOperators.LSHL, 52)
                    .reinterpretAsDoubles());
            DoubleVector.broadcast(S, 1.0).div(e.add(1.0)).intoArray(v, j);
        }
        for (; j < to; j++) {
            v[j] = 1.0 / (1.0 + exp(-v[j]));
        }
    }

    private static final double LOG2E = 1.4426950408889634;
    /** ln 2 split so that {@code k·LN2_HI} is exact for |k| ≤ 2^11 (fdlibm's constants). */
    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1.5·2^52: adding it rounds to an integer, which then sits in the low mantissa bits. */
    private static final double SHIFTER = 0x1.8p52;
    private static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    /** 1/n! for n = 13 down to 0: the Taylor series of e^r, truncation below 1e-17 for |r| ≤ ln2/2. */
    private static final double[] EXP_COEFFS = new double[14];
    /** 1/(n+1)! for n = 16 down to 0: expm1(y) = y·Σ y^n/(n+1)!, truncation below 2e-16 for |y| ≤ 1. */
    private static final double[] EXPM1_COEFFS = new double[17];

    static {
        double f = 1.0;
        double[] inv = new double[19];
        inv[0] = 1.0;
        for (int n = 1; n < inv.length; n++) {
            f *= n;
            inv[n] = 1.0 / f;
        }
        for (int n = 0; n < EXP_COEFFS.length; n++) {
            EXP_COEFFS[n] = inv[EXP_COEFFS.length - 1 - n];
        }
        for (int n = 0; n < EXPM1_COEFFS.length; n++) {
            EXPM1_COEFFS[n] = inv[EXPM1_COEFFS.length - n];
        }
    }

    /**
     * e^x, operation for operation as the vector loops of {@link #tanh} and {@link #sigmoid} compute it lane by lane:
     * x = k·ln2 + r, e^r by its Taylor polynomial, times 2^k built in the exponent bits.
     */
    private static double exp(double x) {
        double c = Math.min(Math.max(x, -708.0), 709.0);
        double t = c * LOG2E + SHIFTER;
        double k = t - SHIFTER;
        double r = Math.fma(-k, LN2_HI, c);
        r = Math.fma(-k, LN2_LO, r);
        double p = EXP_COEFFS[0];
        for (int i = 1; i < EXP_COEFFS.length; i++) {
            p = Math.fma(p, r, EXP_COEFFS[i]);
        }
        double scale = Double.longBitsToDouble((Double.doubleToRawLongBits(t) - (SHIFTER_BITS - 1023)) << 52);
        return p * scale;
    }

    /** The scalar twin of the small-|x| branch of {@link #tanh}: expm1(2x) by its series, then m / (m + 2). */
    private static double tanhSmall(double x) {
        double y = x + x;
        double p = EXPM1_COEFFS[0];
        for (int i = 1; i < EXPM1_COEFFS.length; i++) {
            p = Math.fma(p, y, EXPM1_COEFFS[i]);
        }
        double m = p * y;
        return m / (m + 2.0);
    }
}
