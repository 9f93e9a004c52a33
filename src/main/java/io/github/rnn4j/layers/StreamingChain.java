package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;

import java.util.List;

/**
 * A chain of layers run one time step at a time into buffers allocated once: the allocation-free core of a streaming
 * session ({@code io.github.rnn4j.model.Session}).
 *
 * <p>Covers chains made of an optional first {@link Embedding} (token ids) and then {@link Masking}, {@link Dense},
 * {@link Identity} and forward {@link Rnn} layers, each fed by the first output of the one before. Step {@code t}
 * gives, bit for bit, row {@code t} of the whole-sequence run (or its last output for a layer that returns one
 * vector): a masked step (token id 0 with {@code maskZero}, or a {@code Masking} match) keeps every recurrent state
 * and repeats that layer's previous output, or outputs zeros with {@code zeroOutputForMask}
 * (keras/src/layers/rnn/rnn.py). Not thread-safe: one instance per stream; the layers are shared and immutable.
 */
public final class StreamingChain {
    private final Layer[] layers;
    /** Each layer's output buffer ({@code null} for {@link Identity}, which passes its input on). */
    private final double[][] outputs;
    private final RecurrentState[] recurrent;
    private final float[][] accumulators;
    private final boolean ids;
    private final int inputSize;

    /** The states and scratch of one forward recurrent layer for one stream. */
    private static final class RecurrentState {
        final BaseCell cell;
        final boolean zeroOutputForMask;
        /** {@code [stateCount][1][units]}: one row of the batch engine. */
        final double[][][] state;
        final double[] previous;
        final double[][] x = new double[1][];
        final double[][] z;
        final double[][] denseX = new double[1][];
        final double[][] denseZ = new double[1][];
        final double[][][] scratch;
        final float[] acc;

        RecurrentState(Rnn rnn) {
            this.cell = (BaseCell) rnn.cell();
            this.zeroOutputForMask = rnn.isZeroOutputForMask();
            this.state = new double[cell.stateCount()][1][cell.units];
            this.previous = new double[cell.units];
            this.z = new double[1][cell.width];
            this.scratch = cell.newScratch(1);
            this.acc = cell.newAccumulator();
        }

        void reset() {
            for (double[][] s : state) {
                java.util.Arrays.fill(s[0], 0.0);
            }
            java.util.Arrays.fill(previous, 0.0);
        }

        /** One step into {@code out}, as one row of {@link Rnn#runBatch}. */
        void step(double[] input, boolean masked, double[] out) {
            if (masked) {
                if (zeroOutputForMask) {
                    java.util.Arrays.fill(out, 0.0);
                } else {
                    System.arraycopy(previous, 0, out, 0, previous.length);
                }
                return;
            }
            x[0] = input;
            cell.projectRows(x, 1, z, denseX, denseZ, acc);
            cell.stepRows(z, state, 1, scratch, acc);
            x[0] = null;
            System.arraycopy(state[0][0], 0, previous, 0, previous.length);
            System.arraycopy(previous, 0, out, 0, previous.length);
        }
    }

    private StreamingChain(List<Layer> chain, boolean ids, int inputSize) {
        int n = chain.size();
        this.layers = chain.toArray(new Layer[0]);
        this.outputs = new double[n][];
        this.recurrent = new RecurrentState[n];
        this.accumulators = new float[n][];
        this.ids = ids;
        this.inputSize = inputSize;
        for (int i = 0; i < n; i++) {
            Layer l = layers[i];
            if (l instanceof Embedding) {
                outputs[i] = new double[((Embedding) l).embeddingDim()];
            } else if (l instanceof Dense) {
                outputs[i] = new double[((Dense) l).units()];
                accumulators[i] = ((Dense) l).newAccumulator();
            } else if (l instanceof Rnn) {
                recurrent[i] = new RecurrentState((Rnn) l);
                outputs[i] = new double[((Rnn) l).outputSize()];
            } else if (l instanceof Masking) {
                outputs[i] = new double[i == 0 ? inputSize : width(i - 1)];
            }
        }
    }

    private int width(int i) {
        return outputs[i] != null ? outputs[i].length : i == 0 ? inputSize : width(i - 1);
    }

    /**
     * A stream over {@code chain}, or {@code null} when a layer is not one this class covers (the caller then runs
     * the layers' own {@code apply} step by step).
     *
     * @param chain the layers in order, each fed by the first output of the one before; checked to fit already
     * @param inputSize the features of each input step; ignored when the first layer is an {@link Embedding}
     * @return the stream, or {@code null}
     */
    public static StreamingChain of(List<Layer> chain, int inputSize) {
        Checks.notNull("chain", chain);
        if (chain.isEmpty()) {
            return null;
        }
        for (int i = 0; i < chain.size(); i++) {
            Layer l = chain.get(i);
            boolean covered = l instanceof Dense || l instanceof Masking || l instanceof Identity
                    || (l instanceof Embedding && i == 0) || (l instanceof Rnn && !((Rnn) l).isGoBackwards());
            if (!covered) {
                return null;
            }
        }
        boolean ids = chain.get(0) instanceof Embedding;
        return new StreamingChain(chain, ids, inputSize);
    }

    /**
     * Whether the chain takes token ids (it starts with an {@link Embedding}).
     *
     * @return {@code true} when steps are fed as token ids
     */
    public boolean takesTokenIds() {
        return ids;
    }

    /**
     * The length of each step's output.
     *
     * @return the last layer's output size
     */
    public int outputSize() {
        return width(layers.length - 1);
    }

    /** Forgets the stream: zero states and previous outputs. */
    public void reset() {
        for (RecurrentState r : recurrent) {
            if (r != null) {
                r.reset();
            }
        }
    }

    /**
     * Feeds one checked input step ({@code [inputSize]}) and writes this step's output into {@code out}
     * ({@code [outputSize()]}), allocating nothing.
     *
     * @param input {@code [inputSize]}, already checked
     * @param out where the output is written, {@code [outputSize()]}
     */
    public void stepInto(double[] input, double[] out) {
        run(input, false, out);
    }

    /**
     * Feeds one token id, in {@code [0, vocabSize)}, and writes this step's output into {@code out}.
     *
     * @param id the token id
     * @param out where the output is written, {@code [outputSize()]}
     */
    public void stepInto(int id, double[] out) {
        Embedding e = (Embedding) layers[0];
        e.rowInto(id, outputs[0]);
        run(outputs[0], e.maskZero() && id == 0, out);
    }

    /** Runs layers {@code 1..} (or {@code 0..} for vector input) on {@code current}. */
    private void run(double[] current, boolean masked, double[] out) {
        int last = layers.length - 1;
        for (int i = ids ? 1 : 0; i < layers.length; i++) {
            Layer l = layers[i];
            double[] target = i == last ? out : outputs[i];
            if (l instanceof Identity) {
                if (i == last) {
                    System.arraycopy(current, 0, out, 0, out.length);
                }
                continue;
            }
            if (l instanceof Masking) {
                masked = ((Masking) l).isMasked(current);
                if (masked) {
                    java.util.Arrays.fill(target, 0.0);
                } else {
                    System.arraycopy(current, 0, target, 0, target.length);
                }
            } else if (l instanceof Dense) {
                ((Dense) l).forwardRowInto(current, target, accumulators[i]);
            } else {
                recurrent[i].step(current, masked, target);
                if (!((Rnn) l).returnsSequences()) {
                    masked = false;
                }
            }
            current = target;
        }
        if (layers.length == 1 && ids) {
            System.arraycopy(current, 0, out, 0, out.length);
        }
    }
}
