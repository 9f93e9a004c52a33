package io.github.rnn4j.spark;

import static org.assertj.core.api.Assertions.fail;

/** Bit-for-bit comparison of predictions, reporting where and by how much two results differ. */
final class Bits {
    private Bits() {
    }

    static void assertSame(String what, double[] expected, double[] actual) {
        if (actual == null) {
            fail(what + ": prediction is null, expected " + java.util.Arrays.toString(expected));
        }
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " values, expected " + expected.length);
        }
        for (int j = 0; j < expected.length; j++) {
            if (Double.doubleToRawLongBits(expected[j]) != Double.doubleToRawLongBits(actual[j])) {
                fail(what + " [" + j + "]: " + actual[j] + ", expected " + expected[j] + " bit for bit (error "
                        + Math.abs(actual[j] - expected[j]) + ", tolerance 0)");
            }
        }
    }

    static void assertSame(String what, double[][] expected, double[][] actual) {
        if (actual == null) {
            fail(what + ": prediction is null");
        }
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " steps, expected " + expected.length);
        }
        for (int t = 0; t < expected.length; t++) {
            assertSame(what + " [" + t + "]", expected[t], actual[t]);
        }
    }
}
