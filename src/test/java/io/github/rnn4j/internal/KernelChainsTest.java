package io.github.rnn4j.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every product kernel of both backends, bit for bit against a naive loop written here that sums each output element
 * in the order the backend documents:
 * <ul>
 *   <li>plain ({@link Kernels}): four terms at a time, {@code s += x[k]w[k][j] + x[k+1]w[k+1][j] + x[k+2]w[k+2][j]
 *       + x[k+3]w[k+3][j]}, then the rows left over one by one; in float64 straight into the output, in float32 from 0
 *       and widened once;</li>
 *   <li>vector ({@code VectorBackend}): a fused multiply-add chain from 0, in float64 over blocks of 16 rows of
 *       {@code w} each added to the output, in float32 over all rows and widened once.</li>
 * </ul>
 * Shapes: 1 to 9 rows (groups of four and 1 to 3 rows left over), sizes around multiples of four and of 16, column
 * counts around one, two and four vectors of both AVX2 and AVX-512 lanes (4, 8, 16 and 32 columns) and around the
 * 256-column cache block. Outputs and scratch are filled with garbage first; columns outside a requested range and
 * scratch outside {@code [from, to)} must keep their bits.
 */
class KernelChainsTest {
    private static final int[] ROWS = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    private static final int[] SIZES = {1, 3, 4, 5, 16, 17, 33};
    private static final int[] COLUMNS = {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 255,
        256, 257, 300};
    /** Rows of {@code w} per float64 block of the vector backend (its documented {@code K_BLOCK}). */
    private static final int VECTOR_K_BLOCK = 16;

    static Iterable<Backend> backends() throws ReflectiveOperationException {
        return BackendTest.backends();
    }

    // ---- the naive references -------------------------------------------------------------------------------------

    /** The float32 sum of {@code x·w[.][j]} as the backend documents it, before widening. */
    private static float float32Sum(String backend, double[] x, int size, float[][] w, int j) {
        float s = 0f;
        if (backend.equals("vector")) {
            for (int k = 0; k < size; k++) {
                s = Math.fma((float) x[k], w[k][j], s);
            }
            return s;
        }
        int k = 0;
        while (k + 4 <= size) {
            float p0 = (float) x[k] * w[k][j];
            float p1 = (float) x[k + 1] * w[k + 1][j];
            float p2 = (float) x[k + 2] * w[k + 2][j];
            float p3 = (float) x[k + 3] * w[k + 3][j];
            s = s + (((p0 + p1) + p2) + p3);
            k += 4;
        }
        while (k < size) {
            s = s + (float) x[k] * w[k][j];
            k++;
        }
        return s;
    }

    /** {@code start + x·w[.][j]} in float64 as the backend documents it. */
    private static double float64Sum(String backend, double start, double[] x, int size, double[][] w, int j) {
        double s = start;
        if (backend.equals("vector")) {
            for (int kb = 0; kb < size; kb += VECTOR_K_BLOCK) {
                double block = 0.0;
                for (int k = kb; k < Math.min(size, kb + VECTOR_K_BLOCK); k++) {
                    block = Math.fma(x[k], w[k][j], block);
                }
                s = s + block;
            }
            return s;
        }
        int k = 0;
        while (k + 4 <= size) {
            double p0 = x[k] * w[k][j];
            double p1 = x[k + 1] * w[k + 1][j];
            double p2 = x[k + 2] * w[k + 2][j];
            double p3 = x[k + 3] * w[k + 3][j];
            s = s + (((p0 + p1) + p2) + p3);
            k += 4;
        }
        while (k < size) {
            s = s + x[k] * w[k][j];
            k++;
        }
        return s;
    }

    // ---- the two precisions -----------------------------------------------------------------------------------------

    /**
     * What the loops below need of one precision: its random weights, its three kernels and its documented sum.
     * The float32 kernels take scratch filled with garbage; the float64 ones take none.
     */
    private abstract static class Products<W> {
        abstract W randomWeights(Random rnd, int size, int n);

        /** Scratch for one call filled with garbage, or {@code null} (drawing nothing from {@code rnd}) for float64. */
        abstract float[] scratch(Random rnd, Backend backend, int size, int n);

        abstract void addProduct(Backend backend, double[][] a, int rows, int size, W w, int n, double[][] c,
                                 float[] acc);

        abstract void addVecMat(Backend backend, double[] x, int size, W w, int n, double[] out, float[] acc);

        abstract void addVecMatColumns(Backend backend, double[] x, int size, W w, int from, int to, double[] out,
                                       float[] acc);

        /** {@code start + x·w[.][j]} as the backend documents it for this precision. */
        abstract double documentedSum(String backend, double start, double[] x, int size, W w, int j);
    }

    /** float32 weights: the float32 sum, widened once and then added to the output. */
    private static final Products<float[][]> FLOAT32 = new Products<>() {
        @Override
        float[][] randomWeights(Random rnd, int size, int n) {
            return randomFloats(rnd, size, n);
        }

        @Override
        float[] scratch(Random rnd, Backend backend, int size, int n) {
            return garbageScratch(rnd, backend.accumulatorLength(size, n));
        }

        @Override
        void addProduct(Backend backend, double[][] a, int rows, int size, float[][] w, int n, double[][] c,
                        float[] acc) {
            backend.addProduct(a, rows, size, w, n, c, acc);
        }

        @Override
        void addVecMat(Backend backend, double[] x, int size, float[][] w, int n, double[] out, float[] acc) {
            backend.addVecMat(x, size, w, n, out, acc);
        }

        @Override
        void addVecMatColumns(Backend backend, double[] x, int size, float[][] w, int from, int to, double[] out,
                              float[] acc) {
            backend.addVecMatColumns(x, size, w, from, to, out, acc);
        }

        @Override
        double documentedSum(String backend, double start, double[] x, int size, float[][] w, int j) {
            return start + float32Sum(backend, x, size, w, j);
        }
    };

    /** float64 weights: the sum accumulated onto the output as the backend documents it. */
    private static final Products<double[][]> FLOAT64 = new Products<>() {
        @Override
        double[][] randomWeights(Random rnd, int size, int n) {
            return random(rnd, size, n, 1.0);
        }

        @Override
        float[] scratch(Random rnd, Backend backend, int size, int n) {
            return null;
        }

        @Override
        void addProduct(Backend backend, double[][] a, int rows, int size, double[][] w, int n, double[][] c,
                        float[] acc) {
            backend.addProduct(a, rows, size, w, n, c);
        }

        @Override
        void addVecMat(Backend backend, double[] x, int size, double[][] w, int n, double[] out, float[] acc) {
            backend.addVecMat(x, size, w, n, out);
        }

        @Override
        void addVecMatColumns(Backend backend, double[] x, int size, double[][] w, int from, int to, double[] out,
                              float[] acc) {
            backend.addVecMatColumns(x, size, w, from, to, out);
        }

        @Override
        double documentedSum(String backend, double start, double[] x, int size, double[][] w, int j) {
            return float64Sum(backend, start, x, size, w, j);
        }
    };

    // ---- float32 ---------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void float32ProductsAreTheDocumentedFloat32SumWidenedOnce(Backend backend) {
        assertProductsAreTheDocumentedSum(backend, FLOAT32, new Random(17));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void float32ColumnRangesAddOnlyTheirColumnsAndUseOnlyTheirScratch(Backend backend) {
        int scratchChecked = assertColumnRangesAddOnlyTheirColumns(backend, FLOAT32, new Random(19));
        assertThat(scratchChecked).as("ranges whose scratch was checked").isEqualTo(SIZES.length * rangeCount());
    }

    // ---- float64 ---------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void float64ProductsAreTheDocumentedSumAddedToTheOutput(Backend backend) {
        assertProductsAreTheDocumentedSum(backend, FLOAT64, new Random(23));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void float64ColumnRangesAddOnlyTheirColumns(Backend backend) {
        assertThat(assertColumnRangesAddOnlyTheirColumns(backend, FLOAT64, new Random(29))).isZero();
    }

    // ---- the loops both precisions share ---------------------------------------------------------------------------

    /**
     * {@code addProduct} on every shape against the documented sum, element by element, and {@code addVecMat} of each
     * row against that row of {@code addProduct}; outputs start as garbage and inputs carry poison past {@code size}.
     */
    private static <W> void assertProductsAreTheDocumentedSum(Backend backend, Products<W> products, Random rnd) {
        int checked = 0;
        for (int size : SIZES) {
            for (int n : COLUMNS) {
                W w = products.randomWeights(rnd, size, n);
                for (int rows : ROWS) {
                    String shape = backend.name() + " " + rows + "x" + size + "x" + n;
                    double[][] a = random(rnd, rows, size + 2, 1.0);
                    poisonPastSize(a, size);
                    double[][] garbage = random(rnd, rows, n, 100.0);
                    double[][] c = deepCopy(garbage);
                    products.addProduct(backend, a, rows, size, w, n, c, products.scratch(rnd, backend, size, n));
                    for (int i = 0; i < rows; i++) {
                        for (int j = 0; j < n; j++) {
                            double want = products.documentedSum(backend.name(), garbage[i][j], a[i], size, w, j);
                            assertSameBits(shape + " addProduct", i, j, want, c[i][j]);
                            checked++;
                        }
                        double[] alone = garbage[i].clone();
                        products.addVecMat(backend, a[i], size, w, n, alone, products.scratch(rnd, backend, size, n));
                        for (int j = 0; j < n; j++) {
                            assertSameBits(shape + " addVecMat of row " + i, i, j, c[i][j], alone[j]);
                        }
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(expectedElements());
    }

    /**
     * {@code addVecMatColumns} on every column range of every shape: the documented sum inside the range, the garbage
     * untouched outside it, and (when the precision takes scratch) the scratch outside the range keeping its bits.
     *
     * @return how many ranges had their scratch checked: all of them for float32, none for float64
     */
    private static <W> int assertColumnRangesAddOnlyTheirColumns(Backend backend, Products<W> products, Random rnd) {
        int ranges = 0;
        int scratchChecked = 0;
        for (int size : SIZES) {
            for (int n : COLUMNS) {
                W w = products.randomWeights(rnd, size, n);
                double[] x = random(rnd, 1, size + 2, 1.0)[0];
                x[size] = Double.NaN;
                x[size + 1] = 1e300;
                for (int[] range : ranges(n)) {
                    int from = range[0];
                    int to = range[1];
                    String what = backend.name() + " " + size + "x" + n + " columns [" + from + ", " + to + ")";
                    double[] garbage = random(rnd, 1, n, 100.0)[0];
                    double[] out = garbage.clone();
                    float[] acc = products.scratch(rnd, backend, size, n);
                    float[] accBefore = acc == null ? null : acc.clone();
                    products.addVecMatColumns(backend, x, size, w, from, to, out, acc);
                    for (int j = 0; j < n; j++) {
                        double want = j >= from && j < to ? products.documentedSum(backend.name(), garbage[j], x, size,
                                w, j) : garbage[j];
                        assertSameBits(what, 0, j, want, out[j]);
                    }
                    if (acc != null) {
                        assertScratchKeptOutside(what, from, to, accBefore, acc);
                        scratchChecked++;
                    }
                    ranges++;
                }
            }
        }
        assertThat(ranges).isEqualTo(SIZES.length * rangeCount());
        return scratchChecked;
    }

    private static void assertScratchKeptOutside(String what, int from, int to, float[] accBefore, float[] acc) {
        for (int j = 0; j < acc.length; j++) {
            boolean outside = j < from || j >= to;
            if (outside && Float.floatToRawIntBits(acc[j]) != Float.floatToRawIntBits(accBefore[j])) {
                throw new AssertionError(what + ": scratch[" + j + "] is outside the range and must not be"
                        + " written; it was " + accBefore[j] + ", now " + acc[j]);
            }
        }
    }

    // ---- the sparse loops ------------------------------------------------------------------------------------------

    /**
     * The sparse loops add {@code x[k]·w[k]} (in float64; for float32 weights with {@code x[k]} rounded to float32
     * first) for the non-zero {@code x[k]} only, in order of {@code k}: a skipped row adds nothing, so an output of
     * {@code -0.0} keeps its sign, and an input that is non-zero in float64 but 0 in float32 is skipped as well.
     */
    @Test
    void sparseLoopsAddTheNonZeroRowsInOrderAndSkipTheRest() {
        Random rnd = new Random(31);
        int size = 9;
        int n = 21;
        double[][] w = random(rnd, size + 1, n, 1.0);
        for (double[] row : w) {
            for (int j = 0; j < n; j++) {
                row[j] = Math.abs(row[j]) + 0.25;
            }
        }
        float[][] w32 = Kernels.toFloat(w);
        double[][] inputs = {
            {0, 0, 0, 0, 0, 0, 0, 0, 0, 7},
            {0, 0, 1, 0, 0, 0, 0, 0, 0, 7},
            {0.3, 0, 0, 0, -1.5, 0, 0, 0, 2.25, 7},
            {0, 1e-50, 0, 0, 0, 0, 0.75, 0, 0, 7},
            {0, 0, 0, -0.0, 0, 0, 0, 0, 0, 7},
        };
        int checked = 0;
        for (int t = 0; t < inputs.length; t++) {
            double[] x = inputs[t];
            double[] garbage = random(rnd, 1, n, 100.0)[0];
            garbage[0] = -0.0;
            garbage[n - 1] = -0.0;
            double[] want64 = garbage.clone();
            double[] want32 = garbage.clone();
            for (int k = 0; k < size; k++) {
                double x32 = (float) x[k];
                for (int j = 0; j < n; j++) {
                    if (x[k] != 0.0) {
                        want64[j] = want64[j] + x[k] * w[k][j];
                    }
                    if (x32 != 0.0) {
                        want32[j] = want32[j] + x32 * w32[k][j];
                    }
                }
            }
            double[] out = garbage.clone();
            Kernels.addSparseVecMat(x, size, w, n, out);
            assertSameBits(t, "float64 sparse", want64, out);
            out = garbage.clone();
            Kernels.addSparseVecMat(x, size, w32, n, out);
            assertSameBits(t, "float32 sparse", want32, out);
            for (int[] range : ranges(n)) {
                String what = " columns [" + range[0] + ", " + range[1] + ")";
                out = garbage.clone();
                Kernels.addSparseVecMat(x, size, w, range[0], range[1], out);
                assertSameBits(t, "float64 sparse" + what, inRange(want64, garbage, range), out);
                out = garbage.clone();
                Kernels.addSparseVecMat(x, size, w32, range[0], range[1], out);
                assertSameBits(t, "float32 sparse" + what, inRange(want32, garbage, range), out);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(inputs.length * ranges(n).length);
        double[] minusZero = {-0.0, -0.0};
        Kernels.addSparseVecMat(new double[] {0, 0}, 2, new double[][] {{1, 1}, {1, 1}}, 2, minusZero);
        assertSameBits(-1, "nothing is added for zero inputs, not even +0.0", new double[] {-0.0, -0.0}, minusZero);
    }

    @Test
    void aRowIsSparseWhenAtMostAQuarterOfItsLeadingEntriesAreNonZero() {
        assertThat(Kernels.isSparse(new double[] {1, 0, 0, 0, 0, 0, 0, 0}, 8)).isTrue();
        assertThat(Kernels.isSparse(new double[] {1, 0, 0, 0, 0, 0, 0, 2}, 8)).as("2 of 8").isTrue();
        assertThat(Kernels.isSparse(new double[] {1, 0, 3, 0, 0, 0, 0, 2}, 8)).as("3 of 8").isFalse();
        assertThat(Kernels.isSparse(new double[] {1, 0, 0, 0, 5, 6, 7}, 4)).as("only the first 4 count").isTrue();
        assertThat(Kernels.isSparse(new double[] {0, 0, 0, 0}, 4)).isTrue();
        assertThat(Kernels.isSparse(new double[] {-0.0, 0, 0, 0}, 4)).as("-0.0 is zero").isTrue();
        assertThat(Kernels.isSparse(new double[] {9, 9, 9}, 0)).as("no entries").isTrue();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** Ranges of columns: empty, single columns at both ends, whole, and cuts at one and two vectors. */
    private static int[][] ranges(int n) {
        return new int[][] {{0, n}, {0, 0}, {n, n}, {0, 1}, {n - 1, n}, {n / 3, n - n / 3}, {Math.min(n, 8), n},
            {Math.min(n, 16), n}, {0, Math.min(n, 33)}, {Math.min(n, 1), Math.min(n, 49)}};
    }

    private static int rangeCount() {
        int count = 0;
        for (int n : COLUMNS) {
            count += ranges(n).length;
        }
        return count;
    }

    private static int expectedElements() {
        int count = 0;
        for (int size : SIZES) {
            for (int n : COLUMNS) {
                for (int rows : ROWS) {
                    count += rows * n;
                }
            }
        }
        return count;
    }

    private static double[] inRange(double[] want, double[] garbage, int[] range) {
        double[] r = garbage.clone();
        System.arraycopy(want, range[0], r, range[0], range[1] - range[0]);
        return r;
    }

    /** Entries past {@code size} that would spoil every sum if a kernel read them. */
    private static void poisonPastSize(double[][] a, int size) {
        for (double[] row : a) {
            row[size] = Double.NaN;
            row[size + 1] = 1e300;
        }
    }

    private static double[][] random(Random rnd, int rows, int cols, double scale) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = rnd.nextGaussian() * scale;
            }
        }
        return m;
    }

    private static float[][] randomFloats(Random rnd, int rows, int cols) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) rnd.nextGaussian();
            }
        }
        return m;
    }

    private static float[] garbageScratch(Random rnd, int length) {
        float[] acc = new float[length];
        for (int j = 0; j < length; j++) {
            acc[j] = (float) (rnd.nextGaussian() * 1e6);
        }
        return acc;
    }

    private static double[][] deepCopy(double[][] m) {
        double[][] copy = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            copy[i] = m[i].clone();
        }
        return copy;
    }

    private static void assertSameBits(String what, int i, int j, double want, double got) {
        if (Double.doubleToRawLongBits(want) != Double.doubleToRawLongBits(got)) {
            throw new AssertionError(what + " [" + i + "][" + j + "]: got " + got + " (" + Double.toHexString(got)
                    + "), expected " + want + " (" + Double.toHexString(want) + "), difference " + (got - want)
                    + ", tolerance: none (same bits)");
        }
    }

    private static void assertSameBits(int input, String what, double[] want, double[] got) {
        assertThat(got).hasSameSizeAs(want);
        for (int j = 0; j < want.length; j++) {
            assertSameBits(what + " of input " + input, 0, j, want[j], got[j]);
        }
    }
}
