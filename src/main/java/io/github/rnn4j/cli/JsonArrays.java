package io.github.rnn4j.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads one JSON value that is a number or a nested, non-ragged array of numbers ({@code [[1, 2], [3, 4]]}), and
 * writes such arrays: the sample format of JSON-lines input and output.
 */
final class JsonArrays {
    /** A parsed array: its dimensions and its numbers in row-major order. */
    static final class Parsed {
        final int[] dims;
        final double[] values;

        Parsed(int[] dims, double[] values) {
            this.dims = dims;
            this.values = values;
        }
    }

    private final String text;
    private final String where;
    private int pos;

    private JsonArrays(String text, String where) {
        this.text = text;
        this.where = where;
    }

    static Parsed parse(String text, String where) {
        JsonArrays p = new JsonArrays(text, where);
        p.skip();
        Object tree = p.value();
        p.skip();
        if (p.pos != text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "' after the value");
        }
        List<Integer> shape = new ArrayList<>();
        for (Object o = tree; o instanceof List; ) {
            List<?> list = (List<?>) o;
            shape.add(list.size());
            o = list.isEmpty() ? null : list.get(0);
        }
        int[] dims = shape.stream().mapToInt(Integer::intValue).toArray();
        long count = 1;
        for (int d : dims) {
            count *= d;
        }
        double[] values = new double[(int) count];
        p.flatten(tree, dims, 0, values, new int[1]);
        return new Parsed(dims, values);
    }

    private void flatten(Object o, int[] dims, int depth, double[] out, int[] next) {
        if (depth == dims.length) {
            if (!(o instanceof Double)) {
                throw new UsageException(where + ": ragged array: an element at depth " + depth
                        + " is an array, expected a number as the first element");
            }
            out[next[0]++] = (Double) o;
            return;
        }
        if (!(o instanceof List) || ((List<?>) o).size() != dims[depth]) {
            throw new UsageException(where + ": ragged array: an element at depth " + depth + " is "
                    + (o instanceof List ? "an array of " + ((List<?>) o).size() : "a number")
                    + ", expected an array of " + dims[depth] + " as the first one");
        }
        for (Object e : (List<?>) o) {
            flatten(e, dims, depth + 1, out, next);
        }
    }

    private Object value() {
        if (pos < text.length() && text.charAt(pos) == '[') {
            pos++;
            skip();
            List<Object> list = new ArrayList<>();
            if (pos < text.length() && text.charAt(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value());
                skip();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    skip();
                } else if (pos < text.length() && text.charAt(pos) == ']') {
                    pos++;
                    return list;
                } else {
                    throw error("expected ',' or ']'");
                }
            }
        }
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String number = text.substring(start, pos);
        try {
            return Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw error(number.isEmpty() ? "expected a number or '['" : "'" + number + "' is not a number");
        }
    }

    private void skip() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private UsageException error(String what) {
        return new UsageException(where + ", column " + (pos + 1) + ": " + what);
    }

    /** Appends {@code values[offset..]} shaped {@code dims[from..]} as a nested JSON array. */
    static void write(StringBuilder sb, double[] values, int offset, int[] dims, int from, boolean float32) {
        if (from == dims.length) {
            sb.append(number(values[offset], float32));
            return;
        }
        int stride = 1;
        for (int i = from + 1; i < dims.length; i++) {
            stride *= dims[i];
        }
        sb.append('[');
        for (int i = 0; i < dims[from]; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            write(sb, values, offset + i * stride, dims, from + 1, float32);
        }
        sb.append(']');
    }

    /** The shortest text that reads back as the same double (or float); JSON has no NaN, so it is written null. */
    static String number(double v, boolean float32) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return float32 ? Float.toString((float) v) : Double.toString(v);
    }
}
