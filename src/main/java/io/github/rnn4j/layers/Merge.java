package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;

import java.util.ArrayList;
import java.util.List;

/**
 * An element-wise merge of inputs of one shape, as Keras 3's {@code Add}, {@code Subtract}, {@code Multiply},
 * {@code Average}, {@code Maximum} and {@code Minimum} (keras/src/layers/merging/). Inputs are all vectors
 * {@code [features]} or all sequences {@code [timeSteps][features]} of the same shape; Keras's broadcasting between
 * different ranks is not offered. Immutable and thread-safe.
 *
 * <p>Masks, as keras/src/layers/merging/base_merge.py {@code compute_mask} (Keras 3; Keras 2 used AND): the output
 * mask is the OR of the input masks, and no mask when any input has none. Values follow each Keras class:
 * <ul>
 *   <li>{@code ADD}, {@code SUBTRACT}, {@code AVERAGE}: masks do not change values; {@code AVERAGE} divides the sum
 *       by the number of inputs.</li>
 *   <li>{@code MULTIPLY} (multiply.py): a masked step of an input counts as 1; when every input has a mask, steps
 *       masked in all inputs are 0.</li>
 *   <li>{@code MAXIMUM}, {@code MINIMUM} (base_merge.py {@code _apply_merge_op_and_or_mask}): input by input, a masked
 *       step of the new input takes the running result's value and a masked step of the running result takes the
 *       new input's; the running mask becomes the OR, or none once an input has no mask.</li>
 * </ul>
 */
public final class Merge implements Layer {
    /** The element-wise operation. */
    public enum Kind {
        /** Keras {@code Add}: {@code x_0 + x_1 + …}, summed in input order. */
        ADD,
        /** Keras {@code Subtract}: {@code x_0 − x_1}, exactly two inputs. */
        SUBTRACT,
        /** Keras {@code Multiply}: {@code x_0·x_1·…}. */
        MULTIPLY,
        /** Keras {@code Average}: {@code (x_0 + x_1 + …) / n}. */
        AVERAGE,
        /** Keras {@code Maximum}: element-wise maximum. */
        MAXIMUM,
        /** Keras {@code Minimum}: element-wise minimum. */
        MINIMUM
    }

    private final Kind kind;

    /**
     * Creates the merge.
     *
     * @param kind the element-wise operation
     */
    public Merge(Kind kind) {
        this.kind = Checks.notNull("kind", kind);
    }

    /**
     * The element-wise operation applied across the inputs.
     *
     * @return the kind given at construction
     */
    public Kind kind() {
        return kind;
    }

    @Override
    public List<Value> apply(List<Value> inputs) {
        int n = kind == Kind.SUBTRACT ? Inputs.values(this, inputs, 2, 2)
                : Inputs.values(this, inputs, 1, Integer.MAX_VALUE);
        List<Shape> shapes = new ArrayList<>(n);
        for (Value v : inputs) {
            shapes.add(v.shape());
        }
        outputShapes(shapes);
        if (inputs.get(0) instanceof Value.Vector) {
            double[] out = ((Value.Vector) inputs.get(0)).values().clone();
            for (int i = 1; i < n; i++) {
                combine(out, ((Value.Vector) inputs.get(i)).values());
            }
            if (kind == Kind.AVERAGE) {
                divide(out, n);
            }
            return List.of(new Value.Vector(out));
        }
        Value.Sequence first = (Value.Sequence) inputs.get(0);
        int timeSteps = first.timeSteps();
        boolean allMasked = true;
        for (Value v : inputs) {
            allMasked &= ((Value.Sequence) v).mask() != null;
        }
        double[][] out = new double[timeSteps][];
        for (int t = 0; t < timeSteps; t++) {
            out[t] = step(inputs, t, allMasked);
        }
        boolean[] mask = null;
        if (allMasked) {
            mask = new boolean[timeSteps];
            for (Value v : inputs) {
                boolean[] m = ((Value.Sequence) v).mask();
                for (int t = 0; t < timeSteps; t++) {
                    mask[t] |= m[t];
                }
            }
        }
        return List.of(new Value.Sequence(out, mask));
    }

    /** The output row of step {@code t}. */
    private double[] step(List<Value> inputs, int t, boolean allMasked) {
        Value.Sequence first = (Value.Sequence) inputs.get(0);
        switch (kind) {
            case MULTIPLY: {
                double[] out = null;
                boolean anyUsed = false;
                for (Value v : inputs) {
                    Value.Sequence s = (Value.Sequence) v;
                    boolean used = s.mask() == null || s.mask()[t];
                    anyUsed |= used;
                    double[] x = s.steps()[t];
                    if (out == null) {
                        out = used ? x.clone() : ones(x.length);
                    } else if (used) {
                        combine(out, x);
                    }
                }
                if (allMasked && !anyUsed) {
                    return new double[out.length];
                }
                return out;
            }
            case MAXIMUM:
            case MINIMUM: {
                double[] out = first.steps()[t].clone();
                Boolean outUsed = first.mask() == null ? null : first.mask()[t];
                for (int i = 1; i < inputs.size(); i++) {
                    Value.Sequence s = (Value.Sequence) inputs.get(i);
                    double[] x = s.steps()[t];
                    Boolean used = s.mask() == null ? null : s.mask()[t];
                    double[] xs = used != null && !used ? out.clone() : x;
                    if (outUsed != null && !outUsed) {
                        out = xs.clone();
                    }
                    outUsed = used != null && outUsed != null ? (Boolean) (used || outUsed) : null;
                    combine(out, xs);
                }
                return out;
            }
            default: {
                double[] out = first.steps()[t].clone();
                for (int i = 1; i < inputs.size(); i++) {
                    combine(out, ((Value.Sequence) inputs.get(i)).steps()[t]);
                }
                if (kind == Kind.AVERAGE) {
                    divide(out, inputs.size());
                }
                return out;
            }
        }
    }

    private static double[] ones(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1.0);
        return v;
    }

    private static void divide(double[] v, int n) {
        for (int j = 0; j < v.length; j++) {
            v[j] /= n;
        }
    }

    /** {@code out = out op x}, element by element. */
    private void combine(double[] out, double[] x) {
        for (int j = 0; j < out.length; j++) {
            switch (kind) {
                case ADD:
                case AVERAGE:
                    out[j] += x[j];
                    break;
                case SUBTRACT:
                    out[j] -= x[j];
                    break;
                case MULTIPLY:
                    out[j] *= x[j];
                    break;
                case MAXIMUM:
                    out[j] = Math.max(out[j], x[j]);
                    break;
                default:
                    out[j] = Math.min(out[j], x[j]);
            }
        }
    }

    private int count(List<?> inputs) {
        return kind == Kind.SUBTRACT ? Inputs.count(this, inputs, 2, 2)
                : Inputs.count(this, inputs, 1, Integer.MAX_VALUE);
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        int n = count(inputs);
        Shape first = inputs.get(0);
        int timeSteps = first.rank() == 2 ? first.dim(0) : 0;
        for (int i = 1; i < n; i++) {
            Shape s = inputs.get(i);
            if (!first.accepts(s)) {
                throw Checks.shape(Inputs.name(this) + " input " + i, first + " (the shape of input 0)", s.toString());
            }
            if (s.rank() == 2 && timeSteps == Shape.UNKNOWN) {
                timeSteps = s.dim(0);
            }
        }
        return List.of(first.rank() == 2 ? Shape.sequence(timeSteps, first.features()) : first);
    }

    /** Returns this {@code Merge} unchanged: it has no weights to store as float32. */
    @Override
    public Merge float32() {
        return this;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    /** {@link Streaming#PER_STEP}: each step is merged alone. */
    @Override
    public Streaming streaming() {
        return Streaming.PER_STEP;
    }

    @Override
    public String toString() {
        return "Merge[" + kind + "]";
    }
}
