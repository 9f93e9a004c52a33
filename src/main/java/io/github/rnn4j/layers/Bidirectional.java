package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;

import java.util.ArrayList;
import java.util.List;

/**
 * A bidirectional wrapper: one recurrent layer reads the sequence forwards, another backwards, and their
 * outputs are merged, as Keras's {@code Bidirectional} (keras/src/layers/rnn/bidirectional.py).
 *
 * <p>{@code y_t = merge(forward(x)_t, backward(x)_t)}; {@code inputs} is {@code [timeSteps][inputSize]}.
 * Keras rules: the backward layer reads the reversed input and mask; with {@code returnSequences} its outputs
 * are flipped back to time order before merging, and both directions output zeros at masked steps; the
 * initial state is {@code [forward states…, backward states…]} and so is {@link RnnOutput#states()};
 * {@link RnnOutput#last()} merges the forward layer's last output with the backward layer's last output
 * (time step 0), which is what Keras returns without {@code returnSequences}. Immutable and thread-safe.
 */
public final class Bidirectional implements Layer {
    private final Rnn forwardLayer;
    private final Rnn backwardLayer;
    private final MergeMode mergeMode;
    private final boolean returnSequences;
    private final boolean returnState;

    private Bidirectional(Rnn forwardLayer, Rnn backwardLayer, MergeMode mergeMode, boolean returnSequences,
                          boolean returnState) {
        this.forwardLayer = forwardLayer;
        this.backwardLayer = backwardLayer;
        this.mergeMode = mergeMode;
        this.returnSequences = returnSequences;
        this.returnState = returnState;
    }

    /**
     * Creates a bidirectional layer from two cells with the Keras defaults (no sequences, no states).
     *
     * @param forward the cell that reads forwards in time
     * @param backward the cell that reads backwards; same {@code inputSize} and {@code units} as {@code forward}
     * @param mode how the two directions' outputs are merged
     * @return a layer that returns only the merged last output
     */
    public static Bidirectional of(RnnCell forward, RnnCell backward, MergeMode mode) {
        Checks.notNull("forward", forward);
        Checks.notNull("backward", backward);
        Checks.notNull("mode", mode);
        if (forward.inputSize() != backward.inputSize()) {
            throw new IllegalArgumentException("backward cell has inputSize " + backward.inputSize()
                    + ", expected " + forward.inputSize() + " (the forward cell's inputSize)");
        }
        if (forward.units() != backward.units()) {
            throw new IllegalArgumentException("backward cell has " + backward.units() + " units, expected "
                    + forward.units() + " (the forward cell's units)");
        }
        return new Bidirectional(Rnn.of(forward), Rnn.of(backward).goBackwards(true), mode, false, false)
                .configure(false, false);
    }

    private Bidirectional configure(boolean sequences, boolean state) {
        return new Bidirectional(forwardLayer.returnSequences(sequences).returnState(state)
                .zeroOutputForMask(sequences),
                backwardLayer.returnSequences(sequences).returnState(state).zeroOutputForMask(sequences),
                mergeMode, sequences, state);
    }

    /**
     * Returns a copy that returns the merged output of every step (Keras {@code return_sequences}).
     *
     * @param on {@code true} to return every step
     * @return a new layer; this one is unchanged
     */
    public Bidirectional returnSequences(boolean on) {
        return configure(on, returnState);
    }

    /**
     * Returns a copy that also returns the final states of both directions (Keras {@code return_state}).
     *
     * @param on {@code true} to return the states
     * @return a new layer; this one is unchanged
     */
    public Bidirectional returnState(boolean on) {
        return configure(returnSequences, on);
    }

    /**
     * How the two directions are merged.
     *
     * @return the merge mode given at construction
     */
    public MergeMode mergeMode() {
        return mergeMode;
    }

    /**
     * The cell reading forwards.
     *
     * @return the forward cell
     */
    public RnnCell forwardCell() {
        return forwardLayer.cell();
    }

    /**
     * The cell reading backwards.
     *
     * @return the backward cell
     */
    public RnnCell backwardCell() {
        return backwardLayer.cell();
    }

    /**
     * Whether the merged output of every step is returned in {@link RnnOutput#sequence()}.
     *
     * @return {@code true} after {@code returnSequences(true)}
     */
    public boolean returnsSequences() {
        return returnSequences;
    }

    /**
     * Whether the final states of both directions are returned in {@link RnnOutput#states()}.
     *
     * @return {@code true} after {@code returnState(true)}
     */
    public boolean returnsState() {
        return returnState;
    }

    /**
     * The length of each input vector, read by both directions.
     *
     * @return the cells' {@code inputSize}
     */
    public int inputSize() {
        return forwardLayer.inputSize();
    }

    /**
     * The length of each merged output vector: {@code 2·units} for CONCAT and NONE, {@code units} otherwise.
     *
     * @return the merged output size
     */
    public int outputSize() {
        return mergeMode == MergeMode.NONE ? 2 * forwardLayer.outputSize()
                : mergeMode.outputSize(forwardLayer.outputSize());
    }

    /**
     * Runs both directions from zero states without a mask; {@code inputs} is {@code [timeSteps][inputSize]}.
     *
     * @param inputs {@code [timeSteps][inputSize]}, at least one step
     * @return the merged output, with states when {@code returnState} is on
     */
    public RnnOutput forward(double[][] inputs) {
        return forward(inputs, null, null);
    }

    /**
     * Runs both directions from zero states; {@code mask} is {@code [timeSteps]} or {@code null}.
     *
     * @param inputs {@code [timeSteps][inputSize]}, at least one step
     * @param mask {@code [timeSteps]}, {@code true} where the step is used; {@code null} for no mask
     * @return the merged output, with states when {@code returnState} is on
     */
    public RnnOutput forward(double[][] inputs, boolean[] mask) {
        return forward(inputs, mask, null);
    }

    /**
     * Runs both directions over one sequence and merges their outputs.
     *
     * @param inputs {@code [timeSteps][inputSize]}, at least one step
     * @param mask {@code [timeSteps]}, {@code true} where the step is used; {@code null} for no mask
     * @param initialState forward states then backward states, each {@code [units]}; {@code null} for zeros
     * @return the merged output, with the final states of both directions when {@code returnState} is on
     */
    public RnnOutput forward(double[][] inputs, boolean[] mask, List<double[]> initialState) {
        int timeSteps = Rnn.checkInputs("inputs", inputs, forwardLayer.inputSize());
        Rnn.checkMask("mask", mask, timeSteps);
        BaseCell f = (BaseCell) forwardLayer.cell();
        BaseCell b = (BaseCell) backwardLayer.cell();
        double[][] forwardState;
        double[][] backwardState;
        if (initialState == null) {
            forwardState = new double[f.stateCount()][f.units];
            backwardState = new double[b.stateCount()][b.units];
        } else {
            int nf = f.stateCount();
            int nb = b.stateCount();
            Checks.listSize("initialState", initialState, nf + nb);
            forwardState = BaseCell.copyStates("initialState", initialState.subList(0, nf), nf, f.units);
            backwardState = BaseCell.copyStates("initialState", initialState.subList(nf, nf + nb), nb, b.units);
        }
        return merge(forwardLayer.run(inputs, mask, forwardState), backwardLayer.run(inputs, mask, backwardState));
    }

    /**
     * Runs both directions over a batch of sequences, which may differ in length, from zero states.
     *
     * @param inputs {@code [batch][timeSteps_b][inputSize]}
     * @param masks {@code [batch][timeSteps_b]} or {@code null}; a {@code null} row means no mask for that sequence
     * @return one output per sequence, in batch order
     */
    public List<RnnOutput> forward(double[][][] inputs, boolean[][] masks) {
        List<RnnOutput> forwards = forwardLayer.forward(inputs, masks);
        List<RnnOutput> backwards = backwardLayer.forward(inputs, masks);
        List<RnnOutput> out = new ArrayList<>(forwards.size());
        for (int i = 0; i < forwards.size(); i++) {
            out.add(merge(forwards.get(i), backwards.get(i)));
        }
        return out;
    }

    private RnnOutput merge(RnnOutput fw, RnnOutput bw) {
        double[][] backwardSequence = null;
        if (returnSequences) {
            double[][] s = bw.sequence();
            backwardSequence = new double[s.length][];
            for (int t = 0; t < s.length; t++) {
                backwardSequence[t] = s[s.length - 1 - t];
            }
        }
        List<double[]> states = null;
        if (returnState) {
            states = new ArrayList<>(fw.states());
            states.addAll(bw.states());
            states = List.copyOf(states);
        }
        RnnOutput fwOnly = new RnnOutput(returnSequences ? fw.sequence() : null, fw.last(), null, null);
        RnnOutput bwOnly = new RnnOutput(backwardSequence, bw.last(), null, null);
        List<RnnOutput> directions = List.of(fwOnly, bwOnly);
        if (mergeMode == MergeMode.NONE) {
            return new RnnOutput(null, null, states, directions);
        }
        double[][] sequence = null;
        if (returnSequences) {
            double[][] a = fw.sequence();
            sequence = new double[a.length][];
            for (int t = 0; t < a.length; t++) {
                sequence[t] = mergeMode.merge(a[t], backwardSequence[t]);
            }
        }
        return new RnnOutput(sequence, mergeMode.merge(fw.last(), bw.last()), states, directions);
    }

    /**
     * Runs the layer on one sample: {@code inputs} is the sequence then, optionally, the forward and backward
     * initial states; returns the merged output (two outputs, forward then backward, for {@link MergeMode#NONE})
     * then, with {@code returnState}, the forward and backward final states, as Keras's {@code Bidirectional}
     * (keras/src/layers/rnn/bidirectional.py). A returned sequence keeps the input's mask.
     */
    @Override
    public List<Value> apply(List<Value> inputs) {
        int states = stateCount();
        int n = Inputs.values(this, inputs, 1, 1 + 2 * states);
        Value.Sequence x = Inputs.sequence(this, inputs, 0);
        List<double[]> initial = null;
        if (n > 1) {
            if (n != 1 + 2 * states) {
                throw new IllegalArgumentException("Bidirectional takes its sequence and " + 2 * states
                        + " initial states (forward then backward), got " + (n - 1));
            }
            initial = new ArrayList<>(n - 1);
            for (int i = 1; i < n; i++) {
                initial.add(Inputs.vector(this, inputs, i).values());
            }
        }
        RnnOutput out = forward(x.steps(), x.mask(), initial);
        List<Value> result = new ArrayList<>();
        if (mergeMode == MergeMode.NONE) {
            for (RnnOutput direction : out.directions()) {
                result.add(returnSequences ? new Value.Sequence(direction.sequence(), x.mask())
                        : new Value.Vector(direction.last()));
            }
        } else {
            result.add(returnSequences ? new Value.Sequence(out.sequence(), x.mask()) : new Value.Vector(out.last()));
        }
        if (returnState) {
            for (double[] state : out.states()) {
                result.add(new Value.Vector(state));
            }
        }
        return result;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        int states = stateCount();
        int n = Inputs.count(this, inputs, 1, 1 + 2 * states);
        Shape x = Inputs.sequenceShape(this, inputs, 0, inputSize());
        if (n > 1 && n != 1 + 2 * states) {
            throw new IllegalArgumentException("Bidirectional takes its sequence and " + 2 * states
                    + " initial states (forward then backward), got " + (n - 1));
        }
        int units = forwardLayer.outputSize();
        for (int i = 1; i < n; i++) {
            Inputs.shape(this, i, inputs.get(i), Shape.vector(units));
        }
        List<Shape> out = new ArrayList<>();
        int outputs = mergeMode == MergeMode.NONE ? 2 : 1;
        int width = mergeMode == MergeMode.NONE ? units : outputSize();
        for (int i = 0; i < outputs; i++) {
            out.add(returnSequences ? Shape.sequence(x.timeSteps(), width) : Shape.vector(width));
        }
        if (returnState) {
            for (int i = 0; i < 2 * states; i++) {
                out.add(Shape.vector(units));
            }
        }
        return out;
    }

    private int stateCount() {
        return forwardLayer.cell().stateCount();
    }

    /** A copy whose two cells store their weights as float32 and compute their products in float32. */
    @Override
    public Bidirectional float32() {
        return forwardLayer.isFloat32() ? this : new Bidirectional(forwardLayer.float32(), backwardLayer.float32(),
                mergeMode, returnSequences, returnState);
    }

    /** A copy whose two directions each split their steps by units, as {@link Rnn#withThreads}. */
    @Override
    public Bidirectional withThreads(java.util.concurrent.Executor executor, int threads) {
        return new Bidirectional(forwardLayer.withThreads(executor, threads),
                backwardLayer.withThreads(executor, threads), mergeMode, returnSequences, returnState);
    }

    @Override
    public long parameterCount() {
        return forwardLayer.parameterCount() + backwardLayer.parameterCount();
    }

    /** Always {@link Streaming#WHOLE_SEQUENCE}: the backward direction reads the sequence from its end. */
    @Override
    public Streaming streaming() {
        return Streaming.WHOLE_SEQUENCE;
    }

    @Override
    public String toString() {
        return "Bidirectional[" + forwardLayer.cell().getClass().getSimpleName() + ", units="
                + forwardLayer.outputSize() + ", inputSize=" + inputSize() + ", mergeMode=" + mergeMode
                + ", returnSequences=" + returnSequences + ", returnState=" + returnState + "]";
    }
}
