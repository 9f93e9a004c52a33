package io.github.rnn4j.internal;

import java.util.List;

/**
 * Argument checks for public entry points, so that every shape message reads the same way.
 *
 * <p>Messages name the parameter, the expected and the actual shape, and the row for ragged arrays,
 * for example {@code kernel row 3 has 4 columns, expected 5}. Messages are built only when throwing.
 * Thread-safe: stateless.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * Returns an exception saying that {@code name} has shape {@code actual} where {@code expected} was required.
     *
     * @param name the parameter name, first in the message
     * @param expected the required shape, as {@link #dims(int...)} formats it
     * @param actual the shape found
     * @return the exception, not thrown, for the caller to throw
     */
    public static IllegalArgumentException shape(String name, String expected, String actual) {
        return new IllegalArgumentException(name + " has shape " + actual + ", expected " + expected);
    }

    /**
     * Formats a shape such as {@code [3][4]}; a negative dimension prints as {@code ?}.
     *
     * @param dims the dimensions, outermost first
     * @return the dimensions in brackets, such as {@code [3][4]}
     */
    public static String dims(int... dims) {
        StringBuilder sb = new StringBuilder();
        for (int d : dims) {
            sb.append('[').append(d < 0 ? "?" : Integer.toString(d)).append(']');
        }
        return sb.toString();
    }

    /**
     * Formats a shape of {@code long} dimensions the same way as {@link #dims(int...)}.
     *
     * @param dims the dimensions, outermost first
     * @return the dimensions in brackets, such as {@code [3][4]}
     */
    public static String dims(long... dims) {
        StringBuilder sb = new StringBuilder();
        for (long d : dims) {
            sb.append('[').append(d < 0 ? "?" : Long.toString(d)).append(']');
        }
        return sb.toString();
    }

    /**
     * Rejects a null argument with a message naming it.
     *
     * @param <T> the argument's type
     * @param name the parameter name for the message
     * @param value the argument
     * @return {@code value}, not null
     * @throws IllegalArgumentException when {@code value} is null
     */
    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /**
     * Checks that {@code v} has {@code length} entries (any length when negative) and returns its length.
     * Does not look at the values.
     *
     * @param name the parameter name for the message
     * @param v the vector
     * @param length the required length, or negative for any
     * @return the length of {@code v}
     * @throws IllegalArgumentException when {@code v} is null or of another length
     */
    public static int vectorLength(String name, double[] v, int length) {
        notNull(name, v);
        if (length >= 0 && v.length != length) {
            throw shape(name, dims(length), dims(v.length));
        }
        return v.length;
    }

    /**
     * Checks length as {@link #vectorLength} and that every value is finite.
     *
     * @param name the parameter name for the message
     * @param v the vector
     * @param length the required length, or negative for any
     * @throws IllegalArgumentException when the length is wrong or a value is NaN or infinite
     */
    public static void finiteVector(String name, double[] v, int length) {
        vectorLength(name, v, length);
        finiteValues(name, v);
    }

    /**
     * Refuses a NaN or infinite value, naming its position: {@code x[3] is NaN, expected a finite number}. Does not
     * look at the length. One pass over {@code v}; see {@link #finiteValues(String, double[][])} for its cost.
     *
     * @param name the parameter name for the message
     * @param v the values; must not be null
     * @throws IllegalArgumentException at the first NaN or infinite value
     */
    public static void finiteValues(String name, double[] v) {
        for (int j = 0; j < v.length; j++) {
            if (!Double.isFinite(v[j])) {
                throw notFinite(name, "[" + j + "]", v[j]);
            }
        }
    }

    /**
     * Refuses a NaN or infinite value in the rows of {@code m}, naming its position {@code [t][j]}:
     * {@code inputs[2][1] is NaN, expected a finite number}. Does not look at the shape ({@code null} rows are
     * skipped: shape checks report them). This is the check every layer entry point makes on its inputs: one pass
     * over the values. Measured with a timing loop on JDK 17 (64 steps, shared 2-core machine): 4.5 µs against
     * 1.9 ms for an LSTM layer at inputSize 32, units 64 (0.2%), 1% at inputSize 8, units 8; for a Dense layer,
     * 0.6% at 32 → 64 and 10% at 8 → 8, where the layer does only 8 multiply-adds per value.
     *
     * @param name the parameter name for the message
     * @param m the rows; must not be null
     * @throws IllegalArgumentException at the first NaN or infinite value
     */
    public static void finiteValues(String name, double[][] m) {
        for (int i = 0; i < m.length; i++) {
            double[] row = m[i];
            if (row == null) {
                continue;
            }
            for (int j = 0; j < row.length; j++) {
                if (!Double.isFinite(row[j])) {
                    throw notFinite(name, "[" + i + "][" + j + "]", row[j]);
                }
            }
        }
    }

    private static IllegalArgumentException notFinite(String name, String at, double value) {
        return new IllegalArgumentException(name + at + " is " + value + ", expected a finite number");
    }

    /**
     * Checks that {@code m} is a non-ragged {@code [rows][cols]} matrix (a negative bound accepts any size,
     * but at least one row and one column) and returns its column count.
     *
     * @param name the parameter name for the message
     * @param m the matrix
     * @param rows the required row count, or negative for any (at least one)
     * @param cols the required column count, or negative for any (at least one)
     * @return the column count of {@code m}
     * @throws IllegalArgumentException when {@code m} or a row is null, ragged, or of the wrong size, naming the row
     */
    public static int matrixShape(String name, double[][] m, int rows, int cols) {
        notNull(name, m);
        if (rows >= 0 ? m.length != rows : m.length == 0) {
            int firstCols = m.length > 0 && m[0] != null ? m[0].length : cols;
            throw shape(name, dims(rows, cols), dims(m.length, firstCols));
        }
        if (m[0] == null) {
            throw new IllegalArgumentException(name + " row 0 is null");
        }
        int c = cols >= 0 ? cols : m[0].length;
        if (c == 0) {
            throw shape(name, dims(rows, cols), dims(m.length, 0));
        }
        for (int i = 0; i < m.length; i++) {
            if (m[i] == null) {
                throw new IllegalArgumentException(name + " row " + i + " is null");
            }
            if (m[i].length != c) {
                if (i == 0) {
                    throw shape(name, dims(rows, cols), dims(m.length, m[0].length));
                }
                throw new IllegalArgumentException(
                        name + " row " + i + " has " + m[i].length + " columns, expected " + c);
            }
        }
        return c;
    }

    /**
     * Checks shape as {@link #matrixShape} and that every value is finite.
     *
     * @param name the parameter name for the message
     * @param m the matrix
     * @param rows the required row count, or negative for any (at least one)
     * @param cols the required column count, or negative for any (at least one)
     * @return the column count of {@code m}
     */
    public static int finiteMatrix(String name, double[][] m, int rows, int cols) {
        int c = matrixShape(name, m, rows, cols);
        finiteValues(name, m);
        return c;
    }

    /**
     * Checks that a list has {@code size} entries.
     *
     * @param name the parameter name for the message
     * @param list the list, not null
     * @param size the required number of entries
     * @throws IllegalArgumentException when the list has another size
     */
    public static void listSize(String name, List<?> list, int size) {
        notNull(name, list);
        if (list.size() != size) {
            throw new IllegalArgumentException(
                    name + " has " + list.size() + " entries, expected " + size);
        }
    }
}
