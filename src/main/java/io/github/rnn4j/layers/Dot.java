package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;

import java.util.List;

/**
 * The dot product of two inputs along one axis each, as Keras's {@code Dot(axes, normalize)}
 * (keras/src/layers/merging/dot.py, {@code batch_dot}). Immutable and thread-safe.
 *
 * <p>Axes count Keras's batch axis as 0: for a sequence {@code [timeSteps][features]} axis 1 is time and 2 the
 * features, for a vector axis 1 is its features; -1 is the last axis. The result keeps the first input's other axis,
 * then the second's: {@code [T1][F] · [T2][F]} with {@code axes (2, 2)} gives {@code [T1][T2]} ({@code x·yᵀ}),
 * {@code [T][F1] · [T][F2]} with {@code (1, 1)} gives {@code [F1][F2]} ({@code xᵀ·y}), a vector and a sequence give a
 * vector, and two vectors give the vector {@code [1]}. A rank-2 result is a sequence without a mask (Keras's
 * {@code Dot.compute_mask} returns None). With {@code normalize}, each input is first scaled along its axis by
 * {@code min(1/√Σx², 1e7)} (keras/src/ops/nn.py {@code normalize}, epsilon 1e-7), so the result is a cosine.
 */
public final class Dot implements Layer {
    private static final double INVERSE_EPSILON = 1.0 / 1e-7;

    private final int[] axes;
    private final boolean normalize;

    /**
     * Creates Keras's {@code Dot(axes, normalize)} layer: the dot product of two inputs along one axis of each.
     *
     * @param axes two axes, one per input, each 1, 2 or negative (from the end); Keras's single-integer form is
     *     {@code new int[] {a, a}}
     * @param normalize whether to L2-normalise both inputs along their axes first
     */
    public Dot(int[] axes, boolean normalize) {
        Checks.notNull("axes", axes);
        if (axes.length != 2) {
            throw new IllegalArgumentException("axes has shape " + Checks.dims(axes.length) + ", expected [2]");
        }
        for (int i = 0; i < 2; i++) {
            if (axes[i] == 0 || axes[i] > 2 || axes[i] < -2) {
                throw new IllegalArgumentException("axes[" + i + "] is " + axes[i]
                        + ", expected 1, 2, -1 or -2 (axis 0 is the batch)");
            }
        }
        this.axes = axes.clone();
        this.normalize = normalize;
    }

    /**
     * The two axes as given.
     *
     * @return a copy of the axes passed to the constructor
     */
    public int[] axes() {
        return axes.clone();
    }

    /**
     * Whether the inputs are L2-normalised first.
     *
     * @return {@code true} for cosine similarity
     */
    public boolean normalize() {
        return normalize;
    }

    /** Axis {@code i} for an input of per-sample rank {@code rank}, counting the batch axis: 1 or 2. */
    private int axis(int i, int rank) {
        int a = axes[i] < 0 ? axes[i] + rank + 1 : axes[i];
        return a;
    }

    @Override
    public List<Value> apply(List<Value> inputs) {
        Inputs.values(this, inputs, 2, 2);
        Shape out = outputShapes(List.of(inputs.get(0).shape(), inputs.get(1).shape())).get(0);
        double[][] x = matrix(inputs.get(0));
        double[][] y = matrix(inputs.get(1));
        // As matrices [rows][cols]: a vector is one row. Bring the summed axis of x last and of y first.
        int ax = axis(0, inputs.get(0).shape().rank());
        int ay = axis(1, inputs.get(1).shape().rank());
        boolean xVector = inputs.get(0) instanceof Value.Vector;
        boolean yVector = inputs.get(1) instanceof Value.Vector;
        double[][] a = xVector || ax == 2 ? x : transpose(x);
        double[][] b = yVector || ay == 2 ? transpose(y) : y;
        if (normalize) {
            a = normalizeRows(a);
            b = transpose(normalizeRows(transpose(b)));
        }
        int k = b.length;
        int rows = a.length;
        int cols = k == 0 ? 0 : b[0].length;
        double[][] c = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int kk = 0; kk < k; kk++) {
                double aik = a[i][kk];
                double[] bk = b[kk];
                for (int j = 0; j < cols; j++) {
                    c[i][j] += aik * bk[j];
                }
            }
        }
        if (!out.isSequence()) {
            if (xVector) {
                return List.of(new Value.Vector(c[0]));
            }
            double[] v = new double[rows];
            for (int i = 0; i < rows; i++) {
                v[i] = c[i][0];
            }
            return List.of(new Value.Vector(v));
        }
        return List.of(new Value.Sequence(c));
    }

    private static double[][] matrix(Value v) {
        return v instanceof Value.Vector ? new double[][] {((Value.Vector) v).values()} : ((Value.Sequence) v).steps();
    }

    private static double[][] transpose(double[][] m) {
        int cols = m.length == 0 ? 0 : m[0].length;
        double[][] t = new double[cols][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < cols; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }

    /** {@code x·min(rsqrt(Σ x²), 1/epsilon)} for each row. */
    private static double[][] normalizeRows(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            double sum = 0.0;
            for (double v : m[i]) {
                sum += v * v;
            }
            double inv = Math.min(1.0 / Math.sqrt(sum), INVERSE_EPSILON);
            out[i] = new double[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                out[i][j] = m[i][j] * inv;
            }
        }
        return out;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Inputs.count(this, inputs, 2, 2);
        Shape x = inputs.get(0);
        Shape y = inputs.get(1);
        int ax = axis(0, x.rank());
        int ay = axis(1, y.rank());
        if (ax < 1 || ax > x.rank()) {
            throw Checks.shape(Inputs.name(this) + " input 0", "a sequence [timeSteps][features] for axes[0] = "
                    + axes[0], x.toString());
        }
        if (ay < 1 || ay > y.rank()) {
            throw Checks.shape(Inputs.name(this) + " input 1", "a sequence [timeSteps][features] for axes[1] = "
                    + axes[1], y.toString());
        }
        int dx = x.dim(ax - 1);
        int dy = y.dim(ay - 1);
        if (dx != Shape.UNKNOWN && dy != Shape.UNKNOWN && dx != dy) {
            throw new IllegalArgumentException(Inputs.name(this) + " input 1 has shape " + y + ", expected size " + dx
                    + " on axis " + ay + " to match input 0 " + x + " on axis " + ax);
        }
        int restX = x.rank() == 2 ? x.dim(2 - ax) : -2;
        int restY = y.rank() == 2 ? y.dim(2 - ay) : -2;
        if (restX == -2 && restY == -2) {
            return List.of(Shape.vector(1));
        }
        if (restX == -2) {
            return List.of(Shape.vector(restY));
        }
        if (restY == -2) {
            return List.of(Shape.vector(restX));
        }
        return List.of(Shape.sequence(restX, restY));
    }

    /** Returns this {@code Dot} unchanged: it has no weights to store as float32. */
    @Override
    public Dot float32() {
        return this;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    /** {@link Streaming#WHOLE_SEQUENCE}: a product over a sequence's axis needs all of it. */
    @Override
    public Streaming streaming() {
        return Streaming.WHOLE_SEQUENCE;
    }

    @Override
    public String toString() {
        return "Dot[axes=(" + axes[0] + ", " + axes[1] + ")" + (normalize ? ", normalize" : "") + "]";
    }
}
