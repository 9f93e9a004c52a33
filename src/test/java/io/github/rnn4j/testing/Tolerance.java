package io.github.rnn4j.testing;

/**
 * The tolerance policy of all numeric tests: {@code |actual − expected| ≤ absolute + relative·|expected|}.
 *
 * @param absolute the absolute part
 * @param relative the part proportional to the expected value
 */
public record Tolerance(double absolute, double relative) {
    /** Against float64 references (PyTorch float64, hand-computed float64 traces). */
    public static final Tolerance FLOAT64 = new Tolerance(1e-12, 0.0);
    /** Against float32 references (TensorFlow.js) fed float32-exact weights and inputs. */
    public static final Tolerance FLOAT32 = new Tolerance(1e-6, 0.0);
    /** The hello trace in the issue is printed with 8 decimals. */
    public static final Tolerance HELLO_TRACE = new Tolerance(1e-8, 0.0);
    /** Keras's own layer tests: the {@code assertAllClose} default (atol = rtol = 1e-6). */
    public static final Tolerance KERAS_TESTS = new Tolerance(1e-6, 1e-6);
    /** Keras's LSTM tests, which set atol = rtol = 1e-5 explicitly (keras/src/layers/rnn/lstm_test.py). */
    public static final Tolerance KERAS_LSTM_TESTS = new Tolerance(1e-5, 1e-5);
    /**
     * Against Keras's own {@code model.predict} of a real file (float32 arithmetic through a whole recurrent model):
     * the {@code tolerance_advice} of {@code ../shared/fixtures/keras/README.md}.
     */
    public static final Tolerance KERAS_FLOAT32_PREDICT = new Tolerance(1e-5, 0.0);
    /** Fast paths against the naive reference in this test tree: same float64 math, different summation order. */
    /**
     * A float32 model ({@code Model.withPrecision(FLOAT32)}) against a float64 or float32 reference: the issue's
     * 1e-5 absolute, the bound of Keras's own float32 drift, for values of order 1; plus 1e-6 relative, because no
     * float32 computation keeps 1e-5 absolute for outputs in the thousands (float32 spacing at 2e4 is 2e-3).
     */
    public static final Tolerance FLOAT32_MODE = new Tolerance(1e-5, 1e-6);
    public static final Tolerance SAME_MATH = new Tolerance(1e-12, 1e-12);

    /** Whether {@code actual} is within tolerance of {@code expected}; NaN only matches NaN. */
    public boolean accepts(double expected, double actual) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual);
        }
        if (expected == actual) {
            return true;
        }
        return Math.abs(actual - expected) <= absolute + relative * Math.abs(expected);
    }
}
