package io.github.rnn4j.internal;

import io.github.rnn4j.testing.NaiveRnn;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.github.rnn4j.testing.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

/** The backend the build asked for is the one running, and its kernels agree with the textbook loops. */
class BackendTest {
    private final Backend backend = Backend.INSTANCE;

    /**
     * The plain backend always, and the vector backend whenever this JVM has the Vector API module: both are checked
     * in every run, whichever one {@link Backend#INSTANCE} is (so mutation testing, which runs one JVM setup, covers
     * both).
     */
    static List<Backend> backends() throws ReflectiveOperationException {
        List<Backend> all = new ArrayList<>();
        all.add(new Backend.Plain());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            all.add((Backend) Class.forName("io.github.rnn4j.internal.VectorBackend").getDeclaredConstructor()
                    .newInstance());
        }
        return all;
    }

    @Test
    void theExpectedBackendIsActive() {
        String expected = System.getProperty("rnn4j.expectBackend", "plain");
        assertThat(backend.name()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void productMatchesTheTextbookLoopOverOddShapesIntoGarbageFilledOutputs(Backend backend) {
        Random rnd = new Random(3);
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {4, 8, 16}, {5, 13, 33}, {9, 64, 300}, {2, 3, 517}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int size = shape[1];
            int n = shape[2];
            double[][] a = NaiveRnn.random(rnd, rows, size, 1.0);
            double[][] w = NaiveRnn.random(rnd, size, n, 1.0);
            double[][] garbage = NaiveRnn.random(rnd, rows, n, 100.0);
            double[][] c = new double[rows][];
            double[][] expected = new double[rows][n];
            for (int i = 0; i < rows; i++) {
                c[i] = garbage[i].clone();
                for (int j = 0; j < n; j++) {
                    double s = garbage[i][j];
                    double dot = 0;
                    for (int k = 0; k < size; k++) {
                        dot += a[i][k] * w[k][j];
                    }
                    expected[i][j] = s + dot;
                }
            }
            backend.addProduct(a, rows, size, w, n, c);
            assertClose("product " + rows + "x" + size + "x" + n, expected, c, Tolerance.SAME_MATH);
            double[] row = garbage[0].clone();
            backend.addVecMat(a[0], size, w, n, row);
            assertThat(row).as("a row alone rounds as the same row in a product").isEqualTo(c[0]);
        }
    }

    /**
     * The float32 product: within the float32 summation bound ({@code size·2^-24·Σ|a·w|}) of the float64 dot product
     * of the float32-rounded values, every row bit-identical whether it runs in a group of four, as a leftover row or
     * alone, with garbage in the outputs and in the scratch; on the vector backend, bit-identical to the textbook
     * float32 fma chain over the whole row, widened once.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void float32ProductSumsEachRowInFloat32AndRoundsTheSameInEveryGrouping(Backend backend) {
        Random rnd = new Random(5);
        int[][] shapes = {{1, 1, 1}, {2, 17, 7}, {4, 16, 16}, {5, 33, 40}, {7, 64, 300}, {9, 70, 517}, {1, 300, 70}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int size = shape[1];
            int n = shape[2];
            String name = rows + "x" + size + "x" + n;
            double[][] a = NaiveRnn.random(rnd, rows, size, 1.0);
            float[][] w = Kernels.toFloat(NaiveRnn.random(rnd, size, n, 1.0));
            double[][] garbage = NaiveRnn.random(rnd, rows, n, 100.0);
            double[][] c = new double[rows][];
            for (int i = 0; i < rows; i++) {
                c[i] = garbage[i].clone();
            }
            float[] acc = garbageScratch(rnd, backend.accumulatorLength(size, n));
            backend.addProduct(a, rows, size, w, n, c, acc);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < n; j++) {
                    double dot = 0;
                    double magnitude = 0;
                    float chain = 0f;
                    for (int k = 0; k < size; k++) {
                        double p = (double) (float) a[i][k] * w[k][j];
                        dot += p;
                        magnitude += Math.abs(p);
                        chain = Math.fma((float) a[i][k], w[k][j], chain);
                    }
                    double bound = size * 0x1p-24 * magnitude * 1.01 + Math.ulp(garbage[i][j]);
                    double err = Math.abs(c[i][j] - garbage[i][j] - dot);
                    if (!(err <= bound)) {
                        throw new AssertionError(name + " [" + i + "][" + j + "]: " + c[i][j] + " against "
                                + (garbage[i][j] + dot) + ", error " + err + " above the float32 bound " + bound);
                    }
                    if (backend.name().equals("vector")) {
                        assertThat(c[i][j]).as(name + " [" + i + "][" + j + "] is the float32 fma chain, widened once")
                                .isEqualTo(garbage[i][j] + chain);
                    }
                }
                double[] alone = garbage[i].clone();
                backend.addVecMat(a[i], size, w, n, alone, garbageScratch(rnd, backend.accumulatorLength(size, n)));
                assertThat(alone).as(name + " row " + i + " alone rounds as in the product").isEqualTo(c[i]);
            }
        }
    }

    private static float[] garbageScratch(Random rnd, int length) {
        float[] acc = new float[length];
        for (int j = 0; j < length; j++) {
            acc[j] = (float) (rnd.nextGaussian() * 1e6);
        }
        return acc;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void activationsStayWithin7em16RelativeOfMathOverAWideSweep(Backend backend) {
        int n = 200_003;
        double[] x = new double[n];
        for (int j = 0; j < n; j++) {
            x[j] = (j - n / 2) * 4e-4;
        }
        x[0] = 1e-300;
        x[1] = -3e-12;
        x[2] = 800;
        x[3] = -800;
        x[4] = Double.NaN;
        double[] t = x.clone();
        double[] s = x.clone();
        backend.tanh(t, 0, n);
        backend.sigmoid(s, 0, n);
        for (int j = 0; j < n; j++) {
            assertRelative("tanh", x[j], Math.tanh(x[j]), t[j]);
            assertRelative("sigmoid", x[j], 1.0 / (1.0 + Math.exp(-x[j])), s[j]);
        }
        double[] again = x.clone();
        backend.tanh(again, 3, n - 5);
        assertThat(again[100]).as("a value rounds the same whatever its position").isEqualTo(t[100]);
    }

    private static void assertRelative(String what, double x, double want, double got) {
        if (Double.isNaN(want)) {
            assertThat(got).as(what + "(" + x + ")").isNaN();
            return;
        }
        double err = want == 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
        if (err > 7e-16) {
            throw new AssertionError(what + "(" + x + "): " + got + " against " + want + ", relative error " + err);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void activationsMatchTheirDefinitions(Backend backend) {
        double[] x = new double[37];
        for (int j = 0; j < x.length; j++) {
            x[j] = (j - 18) * 0.9;
        }
        double[] t = x.clone();
        double[] s = x.clone();
        backend.tanh(t, 0, t.length);
        backend.sigmoid(s, 0, s.length);
        double[] wantT = new double[x.length];
        double[] wantS = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            wantT[j] = Math.tanh(x[j]);
            wantS[j] = 1.0 / (1.0 + Math.exp(-x[j]));
        }
        assertClose("tanh", wantT, t, Tolerance.SAME_MATH);
        assertClose("sigmoid", wantS, s, Tolerance.SAME_MATH);
    }
}
