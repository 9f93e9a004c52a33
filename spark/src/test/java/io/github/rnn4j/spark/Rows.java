package io.github.rnn4j.spark;

import org.apache.spark.sql.Row;

import java.util.List;

/** Reads array columns of collected rows back into Java arrays. */
final class Rows {
    private Rows() {
    }

    static double[] vector(Row row, String column) {
        Object value = row.get(row.fieldIndex(column));
        return value == null ? null : vector(value);
    }

    static double[][] matrix(Row row, String column) {
        Object value = row.get(row.fieldIndex(column));
        if (value == null) {
            return null;
        }
        List<Object> steps = list(value);
        double[][] m = new double[steps.size()][];
        for (int t = 0; t < m.length; t++) {
            m[t] = vector(steps.get(t));
        }
        return m;
    }

    static double[] vector(Object value) {
        List<Object> l = list(value);
        double[] v = new double[l.size()];
        for (int j = 0; j < v.length; j++) {
            v[j] = ((Number) l.get(j)).doubleValue();
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        if (value instanceof List) {
            return (List<Object>) value;
        }
        return scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<Object>) value);
    }
}
