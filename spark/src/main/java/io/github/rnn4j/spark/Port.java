package io.github.rnn4j.spark;

import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.model.Model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What the scorer needs to know about one model input or output, taken from the model on the driver so that
 * schemas are known before any executor loads the model. Serializable; immutable.
 */
final class Port implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How a column's values become one sample of an input. */
    enum Kind {
        /** {@code [timeSteps][features]}: {@code array<array<double>>}, or {@code array<double>} flat row-major. */
        SEQUENCE,
        /** {@code [features]}: {@code array<double>}. */
        VECTOR,
        /** {@code [timeSteps]} whole numbers read by an {@code Embedding}: {@code array<int>} or {@code array<long>}. */
        TOKEN_IDS
    }

    final String name;
    final Kind kind;
    /** Time steps, or {@link Shape#UNKNOWN} when any length is accepted; -1 for a vector. */
    final int timeSteps;
    /** Features per step (sequences) or per vector; 1 for token ids. */
    final int features;
    /** The model's shape of one sample, for messages. */
    final String shape;

    private Port(String name, Kind kind, int timeSteps, int features, String shape) {
        this.name = name;
        this.kind = kind;
        this.timeSteps = timeSteps;
        this.features = features;
        this.shape = shape;
    }

    static Port input(Model model, String name) {
        Shape s = model.inputShape(name);
        if (model.takesTokenIds(name)) {
            return new Port(name, Kind.TOKEN_IDS, s.dim(0), 1, s.toString());
        }
        if (s.rank() == 2) {
            return new Port(name, Kind.SEQUENCE, s.dim(0), s.dim(1), s.toString());
        }
        if (s.rank() == 1 && s.dim(0) >= 0) {
            return new Port(name, Kind.VECTOR, -1, s.dim(0), s.toString());
        }
        throw new IllegalArgumentException("input '" + name + "' has shape " + s
                + ", expected a sequence [timeSteps][features], a vector [features] or token ids [timeSteps]");
    }

    static Port output(Model model, String name) {
        Shape s = model.outputShape(name);
        if (s.rank() == 2) {
            return new Port(name, Kind.SEQUENCE, s.dim(0), s.dim(1), s.toString());
        }
        if (s.rank() == 1) {
            return new Port(name, Kind.VECTOR, -1, s.dim(0), s.toString());
        }
        throw new IllegalArgumentException("output '" + name + "' has shape " + s
                + ", expected a sequence [timeSteps][units] or a vector [units]");
    }

    /** The shape of one sample as {@code [a][b]}. */
    static String dims(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int d : dims) {
            sb.append('[').append(d < 0 ? "?" : Integer.toString(d)).append(']');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return name + " " + kind + " " + shape + " " + Arrays.toString(new int[] {timeSteps, features});
    }
}
