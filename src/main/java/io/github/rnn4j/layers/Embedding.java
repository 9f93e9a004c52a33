package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.internal.Kernels;

import java.util.List;

/**
 * A lookup table from token ids to vectors, as Keras's {@code Embedding}: {@code e_t = table[ids[t]]}.
 *
 * <p>{@code table} is {@code [vocabSize][embeddingDim]}; {@code ids} is {@code [timeSteps]} and the result
 * {@code [timeSteps][embeddingDim]}. With {@code maskZero} (Keras {@code mask_zero}), id 0 is padding and
 * {@link #mask(int[])} marks it as a masked step. The table is copied on the way in. Immutable and thread-safe.
 */
public final class Embedding implements Layer {
    private final double[][] table;
    /** The table as float32 rows in a float32 layer, else {@code null}. */
    private final Weights narrow;
    private final boolean maskZero;

    /**
     * Creates a table without masking; {@code table} is {@code [vocabSize][embeddingDim]}.
     *
     * @param table the embedding table, copied; ids index its rows
     */
    public Embedding(double[][] table) {
        this(table, false);
    }

    /**
     * Creates a table.
     *
     * @param table {@code [vocabSize][embeddingDim]}
     * @param maskZero whether id 0 means padding, to be masked in later recurrent layers (Keras {@code mask_zero})
     */
    public Embedding(double[][] table, boolean maskZero) {
        this(table, maskZero, true);
    }

    /** Checks as the public constructor; copies the table only when {@code copy} (see {@link OwningFactories}). */
    private Embedding(double[][] table, boolean maskZero, boolean copy) {
        Checks.finiteMatrix("table", table, -1, -1);
        this.table = copy ? Kernels.copyRows(table) : table;
        this.maskZero = maskZero;
        this.narrow = null;
    }

    /** A table that keeps {@code table} without copying it: the caller gives it up. */
    static Embedding owning(double[][] table, boolean maskZero) {
        return new Embedding(table, maskZero, false);
    }

    private Embedding(Embedding other) {
        this.narrow = Weights.owning(other.table, other.table[0].length).float32();
        this.table = null;
        this.maskZero = other.maskZero;
    }

    /** A copy that stores its table as float32: each looked-up row is the float32 row, widened exactly. */
    @Override
    public Embedding float32() {
        return narrow != null ? this : new Embedding(this);
    }

    /** The table itself, for fusing into a cell in this package; never handed to callers. */
    double[][] table() {
        if (narrow == null) {
            return table;
        }
        double[][] t = new double[narrow.rows][];
        for (int id = 0; id < t.length; id++) {
            t[id] = narrow.row(id);
        }
        return t;
    }

    /** Writes row {@code id} into {@code out}, allocating nothing; {@code id} is checked by the caller. */
    void rowInto(int id, double[] out) {
        if (narrow == null) {
            System.arraycopy(table[id], 0, out, 0, out.length);
        } else {
            java.util.Arrays.fill(out, 0.0);
            narrow.addRow(id, out);
        }
    }

    /**
     * The number of rows of the table: valid ids are {@code 0..vocabSize-1}.
     *
     * @return the table's row count
     */
    public int vocabSize() {
        return narrow == null ? table.length : narrow.rows;
    }

    /**
     * The length of each embedding vector.
     *
     * @return the table's column count
     */
    public int embeddingDim() {
        return narrow == null ? table[0].length : narrow.cols;
    }

    /**
     * Whether id 0 is padding.
     *
     * @return {@code true} when id 0 gives a masked step
     */
    public boolean maskZero() {
        return maskZero;
    }

    /**
     * Looks up every id: {@code out[t] = table[ids[t]]}, a new {@code [timeSteps][embeddingDim]} array.
     *
     * @param ids the token ids, {@code [timeSteps]}
     * @return a new {@code [timeSteps][embeddingDim]} array
     * @throws IllegalArgumentException when an id is outside {@code [0, vocabSize)}
     */
    public double[][] forward(int[] ids) {
        checkIds("ids", ids);
        double[][] out = new double[ids.length][];
        for (int t = 0; t < ids.length; t++) {
            out[t] = narrow == null ? table[ids[t]].clone() : narrow.row(ids[t]);
        }
        return out;
    }

    /**
     * The mask Keras derives from the ids: {@code mask[t] = ids[t] != 0} when {@code maskZero}, else {@code null}
     * (no mask).
     *
     * @param ids the token ids, {@code [timeSteps]}
     * @return {@code [timeSteps]}, or {@code null} without {@code maskZero}
     */
    public boolean[] mask(int[] ids) {
        checkIds("ids", ids);
        if (!maskZero) {
            return null;
        }
        boolean[] mask = new boolean[ids.length];
        for (int t = 0; t < ids.length; t++) {
            mask[t] = ids[t] != 0;
        }
        return mask;
    }

    private void checkIds(String name, int[] ids) {
        Checks.notNull(name, ids);
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] < 0 || ids[t] >= vocabSize()) {
                throw new IllegalArgumentException(name + "[" + t + "] is " + ids[t] + ", expected an id in [0, "
                        + vocabSize() + ")");
            }
        }
    }

    /**
     * Runs the layer on one sample: a vector of token ids {@code [timeSteps]}, whole numbers in
     * {@code [0, vocabSize)}, gives the sequence {@code [timeSteps][embeddingDim]} with the mask {@code ids != 0}
     * when {@code maskZero} (keras/src/layers/core/embedding.py, {@code compute_mask}).
     *
     * @throws IllegalArgumentException when an id is not a whole number in range, naming its position
     */
    @Override
    public List<Value> apply(List<Value> inputs) {
        Inputs.values(this, inputs, 1, 1);
        double[] values = Inputs.vector(this, inputs, 0).values();
        int[] ids = new int[values.length];
        for (int t = 0; t < values.length; t++) {
            double v = values[t];
            if (!(v >= 0 && v < vocabSize()) || v != Math.rint(v)) {
                throw new IllegalArgumentException("Embedding input [" + t + "] is " + v
                        + ", expected a token id: a whole number in [0, " + vocabSize() + ")");
            }
            ids[t] = (int) v;
        }
        return List.of(new Value.Sequence(forward(ids), mask(ids)));
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        Inputs.count(this, inputs, 1, 1);
        Shape in = inputs.get(0);
        if (in.isSequence()) {
            throw Checks.shape("Embedding input 0", "token ids [timeSteps]", in.toString());
        }
        return List.of(Shape.sequence(in.features(), embeddingDim()));
    }

    @Override
    public long parameterCount() {
        return (long) vocabSize() * embeddingDim();
    }

    /** {@link Streaming#PER_STEP}: each id is looked up alone. */
    @Override
    public Streaming streaming() {
        return Streaming.PER_STEP;
    }

    @Override
    public String toString() {
        return "Embedding[vocabSize=" + vocabSize() + ", embeddingDim=" + embeddingDim()
                + (maskZero ? ", maskZero" : "") + "]";
    }
}
