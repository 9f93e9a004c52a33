package io.github.rnn4j.testing;

import io.github.rnn4j.model.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Nested JSON lists of numbers, as the fixture files store inputs and expected outputs, turned into tensors. */
public final class NestedLists {
    private NestedLists() {
    }

    /** A nested list of numbers as a tensor, its shape read from the nesting (the first element at each level). */
    public static Tensor tensor(Object nested) {
        List<Integer> shape = new ArrayList<>();
        Object o = nested;
        while (o instanceof List<?> l) {
            shape.add(l.size());
            o = l.isEmpty() ? null : l.get(0);
        }
        List<Double> flat = new ArrayList<>();
        flatten(nested, flat);
        double[] data = new double[flat.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = flat.get(i);
        }
        return Tensor.of(shape.stream().mapToInt(Integer::intValue).toArray(), data);
    }

    private static void flatten(Object o, List<Double> out) {
        if (o instanceof List<?> l) {
            for (Object e : l) {
                flatten(e, out);
            }
        } else {
            out.add(((Number) o).doubleValue());
        }
    }
}
