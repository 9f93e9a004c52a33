package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;

import java.util.List;

/**
 * Pools a sequence {@code [timeSteps][features]} over time into one vector {@code [features]} (or, with
 * {@code keepdims}, the sequence {@code [1][features]}), as Keras's {@code GlobalAveragePooling1D} and
 * {@code GlobalMaxPooling1D} with channels_last. Immutable and thread-safe.
 *
 * <p>Masks, as Keras 3 does them:
 * <ul>
 *   <li>{@code AVERAGE} (keras/src/layers/pooling/global_average_pooling1d.py) reads the mask:
 *       {@code y_j = Σ_t mask_t·x[t][j] / Σ_t mask_t}, so a fully masked sequence gives 0/0 = NaN, as in Keras.
 *       Its {@code compute_mask} returns None.</li>
 *   <li>{@code MAX} (global_max_pooling1d.py) does not support masking: it takes the maximum over every step,
 *       masked ones included, and drops the mask.</li>
 * </ul>
 */
public final class GlobalPooling1D implements Layer {
    /** The pooling operation. */
    public enum Kind {
        /** The mean over time (mask-aware). */
        AVERAGE,
        /** The maximum over time (ignores the mask). */
        MAX
    }

    private final Kind kind;
    private final boolean keepdims;

    /**
     * Creates Keras's {@code GlobalAveragePooling1D} or {@code GlobalMaxPooling1D} layer.
     *
     * @param kind average or maximum over time
     * @param keepdims whether to return {@code [1][features]} rather than {@code [features]} (Keras default false)
     */
    public GlobalPooling1D(Kind kind, boolean keepdims) {
        this.kind = Checks.notNull("kind", kind);
        this.keepdims = keepdims;
    }

    /**
     * Whether the layer averages over time or takes the maximum.
     *
     * @return the kind given at construction
     */
    public Kind kind() {
        return kind;
    }

    @Override
    public List<Value> apply(List<Value> inputs) {
        Inputs.values(this, inputs, 1, 1);
        Value.Sequence s = Inputs.sequence(this, inputs, 0);
        double[][] x = s.steps();
        int f = s.features();
        if (kind == Kind.MAX && x.length == 0) {
            throw Checks.shape(Inputs.name(this) + " input 0", "[timeSteps][features] with timeSteps >= 1",
                    s.shape().toString());
        }
        double[] y = new double[f];
        if (kind == Kind.MAX) {
            System.arraycopy(x[0], 0, y, 0, f);
            for (int t = 1; t < x.length; t++) {
                for (int j = 0; j < f; j++) {
                    y[j] = Math.max(y[j], x[t][j]);
                }
            }
        } else {
            boolean[] mask = s.mask();
            double count = 0.0;
            for (int t = 0; t < x.length; t++) {
                if (mask == null || mask[t]) {
                    count += 1.0;
                    for (int j = 0; j < f; j++) {
                        y[j] += x[t][j];
                    }
                }
            }
            for (int j = 0; j < f; j++) {
                y[j] /= count;
            }
        }
        return List.of(keepdims ? new Value.Sequence(new double[][] {y}) : new Value.Vector(y));
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Inputs.count(this, inputs, 1, 1);
        Shape in = Inputs.sequenceShape(this, inputs, 0, -1);
        return List.of(keepdims ? Shape.sequence(1, in.features()) : Shape.vector(in.features()));
    }

    /** Returns this {@code GlobalPooling1D} unchanged: it has no weights to store as float32. */
    @Override
    public GlobalPooling1D float32() {
        return this;
    }

    @Override
    public long parameterCount() {
        return 0;
    }

    /** {@link Streaming#WHOLE_SEQUENCE}: it reads every step. */
    @Override
    public Streaming streaming() {
        return Streaming.WHOLE_SEQUENCE;
    }

    @Override
    public String toString() {
        return "GlobalPooling1D[" + kind + (keepdims ? ", keepdims" : "") + "]";
    }
}
