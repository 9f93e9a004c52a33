package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins inputs along one axis, as Keras's {@code Concatenate(axis)} (keras/src/layers/merging/concatenate.py).
 *
 * <p>Sequences {@code [timeSteps][features_i]} join along the features with {@code axis} -1 or 2, giving
 * {@code [timeSteps][Σ features_i]}; sequences {@code [timeSteps_i][features]} join along time with {@code axis} 1
 * or -2, giving {@code [Σ timeSteps_i][features]}; vectors join with {@code axis} -1 or 1. Immutable and thread-safe.
 *
 * <p>Mask, as Keras's {@code compute_mask}: no mask when no input has one; otherwise each input's mask (all true for
 * an input without one) is broadcast over its features, the masks are concatenated along the axis and reduced with
 * {@code any} over the features. Along the features that is the OR of the masks (all true as soon as one input has
 * no mask); along time it is the masks one after the other.
 */
public final class Concatenate implements Layer {
    private final int axis;

    /**
     * Creates Keras's {@code Concatenate(axis)} layer, joining its inputs along {@code axis}.
     *
     * @param axis -1, 2 (features) or 1, -2 (time) for sequences; -1 or 1 for vectors; Keras's default is -1
     */
    public Concatenate(int axis) {
        if (axis != -1 && axis != 1 && axis != 2 && axis != -2) {
            throw new IllegalArgumentException("axis is " + axis + ", expected -1, 1, 2 or -2 (axis 0 is the batch)");
        }
        this.axis = axis;
    }

    /**
     * The axis as given.
     *
     * @return the axis passed to the constructor, possibly negative
     */
    public int axis() {
        return axis;
    }

    private boolean alongTime(Shape first) {
        return first.isSequence() && (axis == 1 || axis == -2);
    }

    @Override
    public List<Value> apply(List<Value> inputs) {
        int n = Inputs.values(this, inputs, 1, Integer.MAX_VALUE);
        List<Shape> shapes = new ArrayList<>(n);
        for (Value v : inputs) {
            shapes.add(v.shape());
        }
        Shape out = outputShapes(shapes).get(0);
        if (!out.isSequence()) {
            double[] y = new double[out.features()];
            int at = 0;
            for (Value v : inputs) {
                double[] x = ((Value.Vector) v).values();
                System.arraycopy(x, 0, y, at, x.length);
                at += x.length;
            }
            return List.of(new Value.Vector(y));
        }
        boolean anyMask = false;
        for (Value v : inputs) {
            anyMask |= ((Value.Sequence) v).mask() != null;
        }
        if (alongTime(shapes.get(0))) {
            double[][] y = new double[out.timeSteps()][];
            boolean[] mask = anyMask ? new boolean[y.length] : null;
            int at = 0;
            for (Value v : inputs) {
                Value.Sequence s = (Value.Sequence) v;
                for (int t = 0; t < s.timeSteps(); t++, at++) {
                    y[at] = s.steps()[t].clone();
                    if (mask != null) {
                        mask[at] = s.mask() == null || s.mask()[t];
                    }
                }
            }
            return List.of(new Value.Sequence(y, mask));
        }
        int timeSteps = out.timeSteps();
        double[][] y = new double[timeSteps][out.features()];
        boolean[] mask = anyMask ? new boolean[timeSteps] : null;
        int at = 0;
        for (Value v : inputs) {
            Value.Sequence s = (Value.Sequence) v;
            int f = s.features();
            for (int t = 0; t < timeSteps; t++) {
                System.arraycopy(s.steps()[t], 0, y[t], at, f);
                if (mask != null && f > 0) {
                    mask[t] |= s.mask() == null || s.mask()[t];
                }
            }
            at += f;
        }
        return List.of(new Value.Sequence(y, mask));
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        int n = Inputs.count(this, inputs, 1, Integer.MAX_VALUE);
        Shape first = inputs.get(0);
        if (!first.isSequence() && axis != -1 && axis != 1) {
            throw Checks.shape(Inputs.name(this) + " input 0", "a sequence [timeSteps][features] for axis " + axis,
                    first.toString());
        }
        boolean time = alongTime(first);
        int joined = 0;
        int other = first.isSequence() ? (time ? first.features() : first.dim(0)) : 0;
        for (int i = 0; i < n; i++) {
            Shape s = inputs.get(i);
            if (s.rank() != first.rank()) {
                throw Checks.shape(Inputs.name(this) + " input " + i, first.isSequence()
                        ? "a sequence [timeSteps][features] like input 0 " + first : "a vector like input 0 " + first,
                        s.toString());
            }
            int along = time ? s.dim(0) : s.features();
            joined = joined == Shape.UNKNOWN || along == Shape.UNKNOWN ? Shape.UNKNOWN : joined + along;
            if (s.isSequence()) {
                int o = time ? s.features() : s.dim(0);
                if (o != Shape.UNKNOWN && other != Shape.UNKNOWN && o != other) {
                    String expected = time ? "[timeSteps][" + other + "] (the features of input 0)"
                            : "[" + other + "][features] (the time steps of input 0)";
                    throw Checks.shape(Inputs.name(this) + " input " + i, expected, s.toString());
                }
                if (other == Shape.UNKNOWN) {
                    other = o;
                }
            }
        }
        if (!first.isSequence()) {
            return List.of(Shape.vector(joined));
        }
        return List.of(time ? Shape.sequence(joined, other) : Shape.sequence(other, joined));
    }

    /** Returns this {@code Concatenate} unchanged: it has no weights to store as float32. */
    @Override
    public Concatenate float32() {
        return this;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    /** {@link Streaming#PER_STEP} along the features; {@link Streaming#WHOLE_SEQUENCE} along time. */
    @Override
    public Streaming streaming() {
        return axis == 1 || axis == -2 ? Streaming.WHOLE_SEQUENCE : Streaming.PER_STEP;
    }

    @Override
    public String toString() {
        return "Concatenate[axis=" + axis + "]";
    }
}
