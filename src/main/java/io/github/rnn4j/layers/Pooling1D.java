package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;

import java.util.List;

/**
 * Pools windows of time steps, as Keras's {@code MaxPooling1D} and {@code AveragePooling1D} with channels_last
 * (keras/src/layers/pooling/base_pooling.py): {@code y[o][j] = max or mean of x[o·strides − pad + i][j]} for
 * {@code i < poolSize}, over the steps inside the sequence only. {@code inputs} is {@code [timeSteps][features]}, the
 * output {@code [outputs][features]} with the number of outputs of {@link Padding} (VALID or SAME). With SAME, an
 * average divides by the number of real steps in the window, not by {@code poolSize} (TensorFlow's
 * {@code avg_pool}). Pooling layers do not support masking in Keras: the mask is not read and is dropped.
 * Immutable and thread-safe.
 */
public final class Pooling1D implements Layer {
    /** The pooling operation. */
    public enum Kind {
        /** The maximum of each window. */
        MAX,
        /** The mean of each window's real steps. */
        AVERAGE
    }

    private final Kind kind;
    private final int poolSize;
    private final int strides;
    private final Padding padding;

    /**
     * Creates Keras's {@code AveragePooling1D} or {@code MaxPooling1D} layer.
     *
     * @param kind average or maximum over each window
     * @param poolSize the window, at least 1 (Keras default 2)
     * @param strides the step between windows, at least 1; Keras's default {@code None} means {@code poolSize}
     * @param padding VALID (Keras default) or SAME
     */
    public Pooling1D(Kind kind, int poolSize, int strides, Padding padding) {
        this.kind = Checks.notNull("kind", kind);
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize is " + poolSize + ", expected >= 1");
        }
        if (strides < 1) {
            throw new IllegalArgumentException("strides is " + strides + ", expected >= 1");
        }
        Checks.notNull("padding", padding);
        if (padding == Padding.CAUSAL) {
            throw new IllegalArgumentException("padding is CAUSAL, expected VALID or SAME (CAUSAL is for Conv1D)");
        }
        this.poolSize = poolSize;
        this.strides = strides;
        this.padding = padding;
    }

    /**
     * Keras's default strides: the pool size.
     *
     * @param kind average or maximum over each window
     * @param poolSize the window, at least 1, also the step between windows
     * @param padding VALID (Keras default) or SAME
     */
    public Pooling1D(Kind kind, int poolSize, Padding padding) {
        this(kind, poolSize, poolSize, padding);
    }

    @Override
    public List<Value> apply(List<Value> inputs) {
        Inputs.values(this, inputs, 1, 1);
        Value.Sequence s = Inputs.sequence(this, inputs, 0);
        int outputs = outputShapes(List.of(s.shape())).get(0).timeSteps();
        double[][] x = s.steps();
        int f = s.features();
        int before = padding.before(x.length, poolSize, strides);
        double[][] y = new double[outputs][f];
        for (int o = 0; o < outputs; o++) {
            int from = Math.max(o * strides - before, 0);
            int to = Math.min(o * strides - before + poolSize, x.length);
            double[] yo = y[o];
            System.arraycopy(x[from], 0, yo, 0, f);
            for (int t = from + 1; t < to; t++) {
                for (int j = 0; j < f; j++) {
                    yo[j] = kind == Kind.MAX ? Math.max(yo[j], x[t][j]) : yo[j] + x[t][j];
                }
            }
            if (kind == Kind.AVERAGE) {
                for (int j = 0; j < f; j++) {
                    yo[j] /= (to - from);
                }
            }
        }
        return List.of(new Value.Sequence(y));
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Inputs.count(this, inputs, 1, 1);
        Shape in = Inputs.sequenceShape(this, inputs, 0, -1);
        int outputs = padding.outputs(in.timeSteps(), poolSize, strides);
        if (outputs < Shape.UNKNOWN || outputs == 0) {
            throw Checks.shape(Inputs.name(this) + " input 0", "[timeSteps][features] with timeSteps >= "
                    + (padding == Padding.VALID ? poolSize : 1) + " for " + padding + " padding", in.toString());
        }
        return List.of(Shape.sequence(outputs, in.features()));
    }

    /** Returns this {@code Pooling1D} unchanged: it has no weights to store as float32. */
    @Override
    public Pooling1D float32() {
        return this;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    /** {@link Streaming#WHOLE_SEQUENCE}: each output step reads a window of {@code poolSize} input steps. */
    @Override
    public Streaming streaming() {
        return Streaming.WHOLE_SEQUENCE;
    }

    @Override
    public String toString() {
        return "Pooling1D[" + kind + ", poolSize=" + poolSize + ", strides=" + strides + ", padding=" + padding + "]";
    }
}
