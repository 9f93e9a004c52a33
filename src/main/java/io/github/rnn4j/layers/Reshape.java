package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;

import java.util.List;

/**
 * Reshapes one sample's values, read row by row, into a target shape of rank 1 (a vector) or 2 (a sequence), as
 * Keras's {@code Reshape(target_shape)} (keras/src/layers/reshaping/reshape.py). One target dimension may be -1: it
 * is inferred from the input's size. Reshape does not support masking in Keras, so the mask is dropped. Immutable and
 * thread-safe.
 */
public final class Reshape implements Layer {
    private final int[] targetShape;

    /**
     * Creates Keras's {@code Reshape(target_shape)} layer.
     *
     * @param targetShape the shape without the batch axis: {@code [features]} or {@code [timeSteps, features]}, each
     *     dimension at least 1 or one of them -1
     */
    public Reshape(int... targetShape) {
        Checks.notNull("targetShape", targetShape);
        if (targetShape.length < 1 || targetShape.length > 2) {
            throw new IllegalArgumentException("targetShape has " + targetShape.length + " dimensions "
                    + Checks.dims(targetShape) + ", expected 1 or 2");
        }
        int unknown = 0;
        for (int i = 0; i < targetShape.length; i++) {
            if (targetShape[i] == -1) {
                unknown++;
            } else if (targetShape[i] < 1) {
                throw new IllegalArgumentException("targetShape[" + i + "] is " + targetShape[i]
                        + ", expected >= 1 or -1");
            }
        }
        if (unknown > 1) {
            throw new IllegalArgumentException("targetShape " + Checks.dims(targetShape)
                    + " has more than one -1, expected at most one");
        }
        this.targetShape = targetShape.clone();
    }

    /**
     * The target shape as given, a new array.
     *
     * @return the target shape, without the batch axis; -1 stands for an inferred dimension
     */
    public int[] targetShape() {
        return targetShape.clone();
    }

    @Override
    public List<Value> apply(List<Value> inputs) {
        Inputs.values(this, inputs, 1, 1);
        Value v = inputs.get(0);
        Shape out = outputShapes(List.of(v.shape())).get(0);
        double[] flat = v instanceof Value.Vector ? ((Value.Vector) v).values()
                : ((Value.Vector) new Flatten().apply(List.of(v)).get(0)).values();
        if (!out.isSequence()) {
            return List.of(new Value.Vector(flat.clone()));
        }
        int rows = out.dim(0);
        int cols = out.dim(1);
        double[][] y = new double[rows][cols];
        for (int t = 0; t < rows; t++) {
            System.arraycopy(flat, t * cols, y[t], 0, cols);
        }
        return List.of(new Value.Sequence(y));
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Inputs.count(this, inputs, 1, 1);
        Shape in = inputs.get(0);
        long size = in.size();
        int known = 1;
        int free = -1;
        for (int i = 0; i < targetShape.length; i++) {
            if (targetShape[i] == -1) {
                free = i;
            } else {
                known *= targetShape[i];
            }
        }
        int[] dims = targetShape.clone();
        if (size == Shape.UNKNOWN) {
            if (free < 0) {
                throw Checks.shape(Inputs.name(this) + " input 0", "a fixed size to reshape into "
                        + Checks.dims(targetShape), in.toString());
            }
            return List.of(Shape.of(dims));
        }
        if (free >= 0) {
            if (size % known != 0) {
                throw Checks.shape(Inputs.name(this) + " input 0", "a size divisible by " + known + " to reshape into "
                        + Checks.dims(targetShape), in.toString());
            }
            dims[free] = (int) (size / known);
        } else if (size != known) {
            throw Checks.shape(Inputs.name(this) + " input 0", known + " values to reshape into "
                    + Checks.dims(targetShape), in.toString());
        }
        return List.of(Shape.of(dims));
    }

    /** Returns this {@code Reshape} unchanged: it has no weights to store as float32. */
    @Override
    public Reshape float32() {
        return this;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    /** {@link Streaming#WHOLE_SEQUENCE}: values move between steps. */
    @Override
    public Streaming streaming() {
        return Streaming.WHOLE_SEQUENCE;
    }

    @Override
    public String toString() {
        return "Reshape[targetShape=" + Checks.dims(targetShape).replace("?", "-1") + "]";
    }
}
