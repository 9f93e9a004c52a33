package io.github.rnn4j.testing;

import java.util.List;

import static org.assertj.core.api.Assertions.fail;

/**
 * The one assertion helper for numbers: on failure it reports the index {@code [t][j]}, both values, the error
 * and the tolerance.
 */
public final class Approx {
    private Approx() {
    }

    /** Asserts two vectors are equally long and close element-wise. */
    public static void assertClose(String what, double[] expected, double[] actual, Tolerance tol) {
        check(what, "", expected, actual, tol);
    }

    /** Asserts two matrices have the same shape and are close element-wise. */
    public static void assertClose(String what, double[][] expected, double[][] actual, Tolerance tol) {
        if (expected == null || actual == null) {
            fail(what + ": expected " + (expected == null ? "null" : "a matrix") + ", got "
                    + (actual == null ? "null" : "a matrix"));
        }
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " rows, got " + actual.length);
        }
        for (int t = 0; t < expected.length; t++) {
            check(what, "[" + t + "]", expected[t], actual[t], tol);
        }
    }

    /** Asserts two lists of vectors (such as states) have the same length and are close element-wise. */
    public static void assertClose(String what, List<double[]> expected, List<double[]> actual, Tolerance tol) {
        assertClose(what, expected.toArray(new double[0][]), actual.toArray(new double[0][]), tol);
    }

    private static void check(String what, String prefix, double[] expected, double[] actual, Tolerance tol) {
        if (expected == null || actual == null) {
            fail(what + prefix + ": expected " + (expected == null ? "null" : "a vector") + ", got "
                    + (actual == null ? "null" : "a vector"));
        }
        if (expected.length != actual.length) {
            fail(what + prefix + ": expected length " + expected.length + ", got " + actual.length);
        }
        for (int j = 0; j < expected.length; j++) {
            if (!tol.accepts(expected[j], actual[j])) {
                fail(String.format("%s%s[%d]: expected %.17g, actual %.17g, error %.3g, tolerance %s", what, prefix,
                        j, expected[j], actual[j], Math.abs(actual[j] - expected[j]), tol));
            }
        }
    }
}
