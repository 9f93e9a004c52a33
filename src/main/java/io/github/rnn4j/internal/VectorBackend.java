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

    /** Column {@code j} gets the same block sums as in {@link #addVecMat(double[], int, float[][], int, double[], float[])}. */
    @Override
    public void addVecMatColumns(double[] x, int size, float[][] w, int from, int to, double[] out, float[] acc) {
        for (int kb = 0; kb < size; kb += K_BLOCK) {
            row(x, kb, Math.min(size, kb + K_BLOCK), w, from, to, out, acc);
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

    /**
     * The float32 product, blocked as the float64 one: each output element is
     * {@code c + Σ_blocks double(float fma-chain over {@value #K_BLOCK} rows of w from 0)}, whichever kernel runs it.
     */
    @Override
    public void addVecMat(double[] x, int size, float[][] w, int n, double[] out, float[] acc) {
        for (int kb = 0; kb < size; kb += K_BLOCK) {
            row(x, kb, Math.min(size, kb + K_BLOCK), w, 0, n, out, acc);
        }
    }

    @Override
    public void addProduct(double[][] a, int rows, int size, float[][] w, int n, double[][] c, float[] acc) {
        if (rows == 1) {
            addVecMat(a[0], size, w, n, c[0], acc);
            return;
        }
        for (int jb = 0; jb < n; jb += COLUMN_BLOCK) {
            int je = Math.min(n, jb + COLUMN_BLOCK);
            for (int kb = 0; kb < size; kb += K_BLOCK) {
                int ke = Math.min(size, kb + K_BLOCK);
                int i = 0;
                for (; i + 3 < rows; i += 4) {
                    fourRows(a[i], a[i + 1], a[i + 2], a[i + 3], kb, ke, w, jb, je, c[i], c[i + 1], c[i + 2],
                            c[i + 3], acc);
                }
                for (; i < rows; i++) {
                    row(a[i], kb, ke, w, jb, je, c[i], acc);
                }
            }
        }
    }

    private static void fourRows(double[] a0, double[] a1, double[] a2, double[] a3, int kFrom, int kTo,
                                 float[][] w, int from, int to, double[] c0, double[] c1, double[] c2, double[] c3,
                                 float[] acc) {
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
            for (int k = kFrom; k < kTo; k++) {
                float[] wk = w[k];
                FloatVector w0 = FloatVector.fromArray(F, wk, j);
                FloatVector w1 = FloatVector.fromArray(F, wk, j + FL);
                FloatVector x0 = FloatVector.broadcast(F, (float) a0[k]);
                s00 = w0.fma(x0, s00);
                s01 = w1.fma(x0, s01);
                FloatVector x1 = FloatVector.broadcast(F, (float) a1[k]);
                s10 = w0.fma(x1, s10);
                s11 = w1.fma(x1, s11);
                FloatVector x2 = FloatVector.broadcast(F, (float) a2[k]);
                s20 = w0.fma(x2, s20);
                s21 = w1.fma(x2, s21);
                FloatVector x3 = FloatVector.broadcast(F, (float) a3[k]);
                s30 = w0.fma(x3, s30);
                s31 = w1.fma(x3, s31);
            }
            store(c0, j, s00, s01, acc);
            store(c1, j, s10, s11, acc);
            store(c2, j, s20, s21, acc);
            store(c3, j, s30, s31, acc);
        }
        if (j < to) {
            tail(a0, kFrom, kTo, w, j, to, c0, acc);
            tail(a1, kFrom, kTo, w, j, to, c1, acc);
            tail(a2, kFrom, kTo, w, j, to, c2, acc);
            tail(a3, kFrom, kTo, w, j, to, c3, acc);
        }
    }

    /** Adds two float vectors of sums, {@code 2·FL} columns from {@code j}, to {@code c} in float64. */
    private static void store(double[] c, int j, FloatVector s0, FloatVector s1, float[] acc) {
        add(c, j, s0, acc);
        add(c, j + FL, s1, acc);
    }

    /**
     * {@code c[j..j+FL) += s}, widened exactly to float64 through {@code acc[j..j+FL)}: a lane-by-lane loop, because
     * JDK 17 does not compile the Vector API's expanding {@code F2D} conversion to machine code (measured 3–10×
     * slower than float64 with it).
     */
    private static void add(double[] c, int j, FloatVector s, float[] acc) {
        s.intoArray(acc, j);
        for (int l = j; l < j + FL; l++) {
            c[l] += acc[l];
        }
    }

    private static void row(double[] a, int kFrom, int kTo, float[][] w, int from, int to, double[] c,
                            float[] acc) {
        int j = from;
        for (; j + 4 * FL <= to; j += 4 * FL) {
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int k = kFrom; k < kTo; k++) {
                float[] wk = w[k];
                FloatVector x = FloatVector.broadcast(F, (float) a[k]);
                s0 = FloatVector.fromArray(F, wk, j).fma(x, s0);
                s1 = FloatVector.fromArray(F, wk, j + FL).fma(x, s1);
                s2 = FloatVector.fromArray(F, wk, j + 2 * FL).fma(x, s2);
                s3 = FloatVector.fromArray(F, wk, j + 3 * FL).fma(x, s3);
            }
            store(c, j, s0, s1, acc);
            store(c, j + 2 * FL, s2, s3, acc);
        }
        tail(a, kFrom, kTo, w, j, to, c, acc);
    }

    private static void tail(double[] a, int kFrom, int kTo, float[][] w, int from, int to, double[] c,
                             float[] acc) {
        int j = from;
        for (; j + FL <= to; j += FL) {
            FloatVector s = FloatVector.zero(F);
            for (int k = kFrom; k < kTo; k++) {
                s = FloatVector.fromArray(F, w[k], j).fma(FloatVector.broadcast(F, (float) a[k]), s);
            }
            add(c, j, s, acc);
        }
        for (; j < to; j++) {
            float s = 0f;
            for (int k = kFrom; k < kTo; k++) {
                s = Math.fma((float) a[k], w[k][j], s);
            }
            c[j] += s;
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
        for (; j + L <= to; j += L) {
            DoubleVector x = DoubleVector.fromArray(S, v, j);
            DoubleVector e = exp(x.add(x));
            DoubleVector large = DoubleVector.broadcast(S, 1.0).sub(DoubleVector.broadcast(S, 2.0).div(e.add(1.0)));
            DoubleVector m = expm1Small(x.add(x));
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
        for (; j + L <= to; j += L) {
            DoubleVector e = exp(DoubleVector.fromArray(S, v, j).neg());
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

    /** e^x lane by lane: x = k·ln2 + r, e^r by its Taylor polynomial, times 2^k built in the exponent bits. */
    private static DoubleVector exp(DoubleVector x) {
        DoubleVector c = x.max(-708.0).min(709.0);
        DoubleVector t = c.mul(LOG2E).add(SHIFTER);
        DoubleVector k = t.sub(SHIFTER);
        DoubleVector r = k.neg().fma(DoubleVector.broadcast(S, LN2_HI), c);
        r = k.neg().fma(DoubleVector.broadcast(S, LN2_LO), r);
        DoubleVector p = DoubleVector.broadcast(S, EXP_COEFFS[0]);
        for (int i = 1; i < EXP_COEFFS.length; i++) {
            p = p.fma(r, DoubleVector.broadcast(S, EXP_COEFFS[i]));
        }
        DoubleVector scale = t.reinterpretAsLongs().sub(SHIFTER_BITS - 1023).lanewise(VectorOperators.LSHL, 52)
                .reinterpretAsDoubles();
        return p.mul(scale);
    }

    /** The scalar twin of {@link #exp(DoubleVector)}, operation for operation. */
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

    /** expm1(y) for |y| < 1 by its series, relative error near 1e-16. */
    private static DoubleVector expm1Small(DoubleVector y) {
        DoubleVector p = DoubleVector.broadcast(S, EXPM1_COEFFS[0]);
        for (int i = 1; i < EXPM1_COEFFS.length; i++) {
            p = p.fma(y, DoubleVector.broadcast(S, EXPM1_COEFFS[i]));
        }
        return p.mul(y);
    }

    /** The scalar twin of the small-|x| branch of {@link #tanh}. */
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
