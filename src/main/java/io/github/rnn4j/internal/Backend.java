package io.github.rnn4j.internal;

/**
 * The matrix and activation loops of the recurrent step, in one of two implementations chosen once per JVM.
 *
 * <ul>
 *   <li>{@code plain}, the default: ordinary Java loops that JDK 17's C2 vectorizes ({@link Kernels}).</li>
 *   <li>{@code vector}: the JDK's incubating Vector API, register-blocked four rows at a time. Used when the JVM runs
 *       with {@code --add-modules jdk.incubator.vector}, unless {@code -Drnn4j.backend=plain} is set.</li>
 * </ul>
 * Both compute the same formulas; they round differently (the vector one fuses multiply-adds), by a few units in
 * the last place. Within one backend, a row's result never depends on the other rows of a batch, so batches,
 * single sequences and parallel runs agree bit for bit. Thread-safe: stateless.
 */
public abstract class Backend {
    /** The backend of this JVM. */
    public static final Backend INSTANCE = select();

    /** Subclasses live in this package. */
    Backend() {
    }

    private static Backend select() {
        String wanted = System.getProperty("rnn4j.backend", "auto");
        boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (!wanted.equals("plain") && vectorModule) {
            try {
                return (Backend) Class.forName("io.github.rnn4j.internal.VectorBackend")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                if (wanted.equals("vector")) {
                    throw new IllegalStateException("rnn4j.backend=vector but the Vector API backend failed to load", e);
                }
            }
        } else if (wanted.equals("vector")) {
            throw new IllegalStateException(
                    "rnn4j.backend=vector needs the JVM option --add-modules jdk.incubator.vector");
        }
        return new Plain();
    }

    /**
     * {@code "plain"} or {@code "vector"}.
     *
     * @return the backend's name as {@code rnn4j.backend} spells it
     */
    public abstract String name();

    /**
     * Adds a vector-matrix product into {@code out} with this backend's loops: {@code out[j] += Σ_k x[k]·w[k][j]} for {@code j < n},
     * {@code k < size}; rounding as one row of {@link #addProduct}.
     *
     * @param x the input vector; its first {@code size} entries are read
     * @param size the number of rows of {@code w} used
     * @param w the weights, at least {@code [size][n]}
     * @param n the number of output columns
     * @param out the accumulator, at least {@code [n]}; added to, not overwritten
     */
    public abstract void addVecMat(double[] x, int size, double[][] w, int n, double[] out);

    /**
     * Adds a matrix product into {@code c}: {@code c[i][j] += Σ_k a[i][k]·w[k][j]} for {@code i < rows},
     * {@code j < n}, {@code k < size}.
     *
     * @param a the left matrix; rows {@code [0, rows)}, columns {@code [0, size)} are read
     * @param rows the number of rows of {@code a} and {@code c} used
     * @param size the shared dimension: columns of {@code a}, rows of {@code w}
     * @param w the weights, at least {@code [size][n]}
     * @param n the number of output columns
     * @param c the accumulator, at least {@code [rows][n]}; added to, not overwritten
     */
    public abstract void addProduct(double[][] a, int rows, int size, double[][] w, int n, double[][] c);

    /**
     * Adds a matrix product with float32 weights into {@code c}: {@code c[i][j] += Σ_k float(a[i][k])·w[k][j]},
     * each product and partial sum in float32 over the whole row of {@code a}, added to {@code c} in float64 once per
     * element (one widening per output element). A row's result does not depend on the other rows.
     *
     * @param a the left matrix in float64; rows {@code [0, rows)}, columns {@code [0, size)} are read
     * @param rows the number of rows of {@code a} and {@code c} used
     * @param size the shared dimension: columns of {@code a}, rows of {@code w}
     * @param w the float32 weights, at least {@code [size][n]}
     * @param n the number of output columns
     * @param c the float64 accumulator, at least {@code [rows][n]}; added to, not overwritten
     * @param acc scratch of at least {@link #accumulatorLength accumulatorLength(size, n)} floats, contents ignored
     */
    public abstract void addProduct(double[][] a, int rows, int size, float[][] w, int n, double[][] c, float[] acc);

    /**
     * The length of the float32 scratch that {@link #addProduct(double[][], int, int, float[][], int, double[][], float[])}
     * and {@link #addVecMat(double[], int, float[][], int, double[], float[])} need for a {@code [size][n]} matrix.
     *
     * @param size the number of rows of the float32 matrix
     * @param n the number of its columns
     * @return the number of floats the scratch must hold
     */
    public abstract int accumulatorLength(int size, int n);

    /**
     * One row of the float32 product, summed as a row of {@link #addProduct(double[][], int, int, float[][], int,
     * double[][], float[])}.
     *
     * @param x the input vector in float64; its first {@code size} entries are read
     * @param size the number of rows of {@code w} used
     * @param w the float32 weights, at least {@code [size][n]}
     * @param n the number of output columns
     * @param out the float64 accumulator, at least {@code [n]}; added to, not overwritten
     * @param acc scratch of at least {@link #accumulatorLength accumulatorLength(size, n)} floats, contents ignored
     */
    public abstract void addVecMat(double[] x, int size, float[][] w, int n, double[] out, float[] acc);

    /**
     * Adds columns {@code [from, to)} of a vector-matrix product into {@code out}, each column summed exactly as
     * {@link #addVecMat(double[], int, double[][], int, double[])} sums it: threads that split the columns of one
     * product get the bits of the whole product.
     *
     * @param x the input vector; its first {@code size} entries are read
     * @param size the number of rows of {@code w} used
     * @param w the weights, at least {@code [size][to]}
     * @param from the first output column added
     * @param to one past the last output column added
     * @param out the accumulator, at least {@code [to]}; columns {@code [from, to)} are added to, the rest untouched
     */
    public abstract void addVecMatColumns(double[] x, int size, double[][] w, int from, int to, double[] out);

    /**
     * Adds columns {@code [from, to)} of a float32 vector-matrix product into {@code out}, each column summed exactly
     * as {@link #addVecMat(double[], int, float[][], int, double[], float[])} sums it; uses only
     * {@code acc[from, to)}.
     *
     * @param x the input vector in float64; its first {@code size} entries are read
     * @param size the number of rows of {@code w} used
     * @param w the float32 weights, at least {@code [size][to]}
     * @param from the first output column added
     * @param to one past the last output column added
     * @param out the float64 accumulator, at least {@code [to]}; columns {@code [from, to)} are added to
     * @param acc float32 scratch; only {@code acc[from, to)} is used, contents ignored
     */
    public abstract void addVecMatColumns(double[] x, int size, float[][] w, int from, int to, double[] out,
                                          float[] acc);

    /**
     * Replaces {@code v[from, to)} by {@code tanh} of each value.
     *
     * @param v the values, changed in place
     * @param from the first index replaced
     * @param to one past the last index replaced
     */
    public abstract void tanh(double[] v, int from, int to);

    /**
     * Replaces {@code v[from, to)} by the logistic sigmoid {@code 1 / (1 + e^{-x})} of each value.
     *
     * @param v the values, changed in place
     * @param from the first index replaced
     * @param to one past the last index replaced
     */
    public abstract void sigmoid(double[] v, int from, int to);

    /**
     * {@code tanh(x)}: {@code 1 − 2 / (e^{2x} + 1)} for {@code |x| ≥ 0.5}, where {@code exp} is a JDK 17 intrinsic
     * and {@link Math#tanh} is not (8 against 21 ns), and {@code expm1(2x) / (expm1(2x) + 2)} below, which keeps the
     * relative error small near 0. Within 6.5e-16 of {@code Math.tanh}, relative, measured over the doubles.
     *
     * @param x any double
     * @return {@code tanh(x)}, in [-1, 1]
     */
    public static double tanh(double x) {
        if (Math.abs(x) >= 0.5) {
            return 1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0);
        }
        double e = Math.expm1(2.0 * x);
        return e / (e + 2.0);
    }

    /**
     * The logistic sigmoid {@code 1 / (1 + e^{-x})}.
     *
     * @param x any double
     * @return the sigmoid of {@code x}, in [0, 1]
     */
    public static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** The default backend: plain Java loops. */
    static final class Plain extends Backend {
        private static final int COLUMN_BLOCK = 256;

        @Override
        public String name() {
            return "plain";
        }

        @Override
        public void addVecMat(double[] x, int size, double[][] w, int n, double[] out) {
            Kernels.addVecMat(x, size, w, n, out);
        }

        /**
         * Row by row; for several rows in blocks of {@value #COLUMN_BLOCK} columns, so that a block of {@code w}
         * stays in the L2 cache while every row passes over it (one row streams whole rows of {@code w}, which the
         * prefetcher prefers: 6.1 against 4.7 GFLOP/s measured for 1×1024×4096). Blocking does not change how any
         * element is summed.
         */
        @Override
        public void addProduct(double[][] a, int rows, int size, double[][] w, int n, double[][] c) {
            if (rows == 1) {
                Kernels.addVecMat(a[0], size, w, n, c[0]);
                return;
            }
            for (int from = 0; from < n; from += COLUMN_BLOCK) {
                int to = Math.min(n, from + COLUMN_BLOCK);
                for (int i = 0; i < rows; i++) {
                    Kernels.addVecMat(a[i], size, w, from, to, c[i]);
                }
            }
        }

        @Override
        public int accumulatorLength(int size, int n) {
            return n;
        }

        /** Each row summed in float32 into {@code acc}, then added to {@code c}; blocked as the float64 product. */
        @Override
        public void addProduct(double[][] a, int rows, int size, float[][] w, int n, double[][] c, float[] acc) {
            if (rows == 1) {
                addVecMat(a[0], size, w, n, c[0], acc);
                return;
            }
            for (int from = 0; from < n; from += COLUMN_BLOCK) {
                int to = Math.min(n, from + COLUMN_BLOCK);
                for (int i = 0; i < rows; i++) {
                    addColumns(a[i], size, w, from, to, c[i], acc);
                }
            }
        }

        @Override
        public void addVecMat(double[] x, int size, float[][] w, int n, double[] out, float[] acc) {
            addColumns(x, size, w, 0, n, out, acc);
        }

        @Override
        public void addVecMatColumns(double[] x, int size, double[][] w, int from, int to, double[] out) {
            Kernels.addVecMat(x, size, w, from, to, out);
        }

        @Override
        public void addVecMatColumns(double[] x, int size, float[][] w, int from, int to, double[] out,
                                     float[] acc) {
            addColumns(x, size, w, from, to, out, acc);
        }

        private static void addColumns(double[] x, int size, float[][] w, int from, int to, double[] out,
                                       float[] acc) {
            java.util.Arrays.fill(acc, from, to, 0f);
            Kernels.addVecMat(x, size, w, from, to, acc);
            for (int j = from; j < to; j++) {
                out[j] += acc[j];
            }
        }

        @Override
        public void tanh(double[] v, int from, int to) {
            for (int j = from; j < to; j++) {
                v[j] = tanh(v[j]);
            }
        }

        @Override
        public void sigmoid(double[] v, int from, int to) {
            for (int j = from; j < to; j++) {
                v[j] = sigmoid(v[j]);
            }
        }
    }
}
