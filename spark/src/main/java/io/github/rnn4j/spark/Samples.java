package io.github.rnn4j.spark;

import java.util.List;

/**
 * Turns one column value (Spark's external form of an array: a Scala {@code Seq}, a {@code java.util.List} or a
 * Java array) into one model sample: flat row-major data plus its shape, checked against the model's input.
 *
 * <p>Each problem is a {@link BadRowException} whose message names the column, the index of the offending element
 * and what was expected, for example {@code column 'features' step 3 has 5 values, expected 4}. Thread-safe: stateless.
 */
final class Samples {
    private Samples() {
    }

    /** One sample of one input: row-major values and the shape without the batch axis. */
    static final class Sample {
        final double[] data;
        final int[] shape;

        Sample(double[] data, int[] shape) {
            this.data = data;
            this.shape = shape;
        }
    }

    /** Reads {@code value} of {@code column} as a sample of {@code port}. */
    static Sample read(Object value, Port port, String column) throws BadRowException {
        if (value == null) {
            throw new BadRowException("column '" + column + "' is null");
        }
        int n = length(value, column);
        switch (port.kind) {
            case VECTOR: {
                if (n != port.features) {
                    throw new BadRowException("column '" + column + "' has " + n + " values, expected "
                            + port.features + " for input '" + port.name + "' " + port.shape);
                }
                return new Sample(numbers(value, n, column, ""), new int[] {n});
            }
            case TOKEN_IDS: {
                checkSteps(n, port, column);
                double[] ids = numbers(value, n, column, "");
                for (int t = 0; t < n; t++) {
                    if (ids[t] != Math.rint(ids[t]) || Math.abs(ids[t]) > Integer.MAX_VALUE) {
                        throw new BadRowException("column '" + column + "' [" + t + "] is " + ids[t]
                                + ", expected a whole number (a token id)");
                    }
                }
                return new Sample(ids, new int[] {n});
            }
            case SEQUENCE:
                return sequence(value, n, port, column);
            default:
                throw new AssertionError(port.kind);
        }
    }

    private static Sample sequence(Object value, int n, Port port, String column) throws BadRowException {
        int f = port.features;
        if (n > 0 && isArray(element(value, 0))) {
            checkSteps(n, port, column);
            double[] data = new double[Math.multiplyExact(n, f)];
            for (int t = 0; t < n; t++) {
                Object step = element(value, t);
                if (step == null) {
                    throw new BadRowException("column '" + column + "' step " + t + " is null");
                }
                int m = length(step, column);
                if (m != f) {
                    throw new BadRowException("column '" + column + "' step " + t + " has " + m + " values, expected "
                            + f + " for input '" + port.name + "' " + port.shape);
                }
                copyNumbers(step, data, t * f, f, column, " step " + t);
            }
            return new Sample(data, new int[] {n, f});
        }
        if (n % f != 0) {
            throw new BadRowException("column '" + column + "' has " + n + " values, expected a multiple of " + f
                    + " (flat [timeSteps * " + f + "]) for input '" + port.name + "' " + port.shape);
        }
        checkSteps(n / f, port, column);
        return new Sample(numbers(value, n, column, ""), new int[] {n / f, f});
    }

    private static void checkSteps(int steps, Port port, String column) throws BadRowException {
        if (steps == 0) {
            throw new BadRowException("column '" + column + "' is empty, expected at least one time step");
        }
        if (port.timeSteps >= 0 && steps != port.timeSteps) {
            throw new BadRowException("column '" + column + "' has " + steps + " time steps, expected "
                    + port.timeSteps + " for input '" + port.name + "' " + port.shape);
        }
    }

    private static double[] numbers(Object value, int n, String column, String where) throws BadRowException {
        double[] out = new double[n];
        copyNumbers(value, out, 0, n, column, where);
        return out;
    }

    private static void copyNumbers(Object value, double[] out, int offset, int n, String column, String where)
            throws BadRowException {
        if (value instanceof double[]) {
            System.arraycopy((double[]) value, 0, out, offset, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            Object e = element(value, i);
            if (!(e instanceof Number)) {
                throw new BadRowException("column '" + column + "'" + where + " [" + i + "] is "
                        + (e == null ? "null" : e.getClass().getSimpleName()) + ", expected a number");
            }
            out[offset + i] = ((Number) e).doubleValue();
        }
    }

    private static boolean isArray(Object o) {
        return o instanceof scala.collection.Seq || o instanceof List || (o != null && o.getClass().isArray());
    }

    private static int length(Object value, String column) throws BadRowException {
        if (value instanceof scala.collection.Seq) {
            return ((scala.collection.Seq<?>) value).length();
        }
        if (value instanceof List) {
            return ((List<?>) value).size();
        }
        if (value instanceof double[]) {
            return ((double[]) value).length;
        }
        if (value instanceof int[]) {
            return ((int[]) value).length;
        }
        if (value instanceof long[]) {
            return ((long[]) value).length;
        }
        if (value instanceof Object[]) {
            return ((Object[]) value).length;
        }
        throw new BadRowException("column '" + column + "' holds a " + value.getClass().getSimpleName()
                + ", expected an array");
    }

    private static Object element(Object value, int i) {
        if (value instanceof scala.collection.Seq) {
            return ((scala.collection.Seq<?>) value).apply(i);
        }
        if (value instanceof List) {
            return ((List<?>) value).get(i);
        }
        if (value instanceof double[]) {
            return ((double[]) value)[i];
        }
        if (value instanceof int[]) {
            return ((int[]) value)[i];
        }
        if (value instanceof long[]) {
            return ((long[]) value)[i];
        }
        return ((Object[]) value)[i];
    }
}
