package io.github.rnn4j.internal;

import io.github.rnn4j.testing.NaiveRnn;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.github.rnn4j.testing.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

/** The backend the build asked for is the one running, and its kernels agree with the textbook loops. */
class BackendTest {
    private final Backend backend = Backend.INSTANCE;

    @Test
    void theExpectedBackendIsActive() {
        String expected = System.getProperty("rnn4j.expectBackend", "plain");
        assertThat(backend.name()).isEqualTo(expected);
    }

    @Test
    void productMatchesTheTextbookLoopOverOddShapesIntoGarbageFilledOutputs() {
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

    @Test
    void activationsMatchTheirDefinitions() {
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
