package io.github.rnn4j.model;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.Layer;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.RnnCell;
import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.layers.StreamingChain;
import io.github.rnn4j.layers.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * A stream through a {@link Model}: feed one time step, get that step's output, with the recurrent states kept
 * between calls.
 *
 * <p>After {@code t} steps, {@link #step} returns what the model computes for those {@code t} inputs, bit for bit:
 * row {@code t-1} of {@code predictSequence}, or {@code predict} of the prefix for a model that returns one vector.
 * Masked steps (token id 0 with {@code maskZero}, or a {@code Masking} value) keep all states and repeat the previous
 * output, as in the whole-sequence run. Works for one-input, one-output models whose layers work step by step
 * ({@link Layer.Streaming#PER_STEP}) or are recurrent layers reading forwards; a {@code Bidirectional},
 * {@code goBackwards}, pooling or convolution layer needs the whole sequence. Not thread-safe: one session per
 * stream; the model behind it is shared and immutable.
 */
public final class Session {
    private final Model model;
    private final List<Model.Call> calls;
    private final boolean ids;
    private final int inputSize;
    /** States per call (only recurrent calls have them), in Keras order. */
    private final List<double[]>[] states;
    /** The last output of each recurrent call, repeated at masked steps. */
    private final double[][] previous;
    private int steps;
    /** The allocation-free runner when the model is a chain of layers it covers, else {@code null}. */
    private final StreamingChain chain;
    /** The width of each step's output. */
    private final int outputSize;

    @SuppressWarnings("unchecked")
    Session(Model model) {
        this.model = model;
        this.calls = model.calls();
        if (model.inputNames().size() != 1 || model.outputNames().size() != 1) {
            throw new IllegalStateException("a session streams a model with one input and one output; this one has"
                    + " inputs " + model.inputNames() + " and outputs " + model.outputNames() + ": use run(Map)");
        }
        Shape in = model.inputShape(model.inputNames().get(0));
        this.ids = !in.isSequence();
        if (ids && !model.takesTokenIds(model.inputNames().get(0))) {
            throw new IllegalStateException("the model's input has shape " + in + " and is not token ids: a session"
                    + " streams sequences");
        }
        this.inputSize = in.features();
        for (Model.Call c : calls) {
            Layer.Streaming s = c.layer.streaming();
            if (s == Layer.Streaming.WHOLE_SEQUENCE) {
                throw new IllegalStateException(c.describe() + " needs the whole sequence: use predict or"
                        + " predictSequence instead of a session");
            }
            if (s == Layer.Streaming.RECURRENT && c.inputSlots.length > 1) {
                throw new IllegalStateException(c.describe() + " takes initial states from other layers: use run"
                        + " instead of a session");
            }
        }
        this.states = new List[calls.size()];
        this.previous = new double[calls.size()][];
        this.chain = chainOf(model, calls, inputSize);
        this.outputSize = model.outputShape(model.outputNames().get(0)).features();
        resetLayers();
    }

    /** The layers as a {@link StreamingChain} when each call is fed by the first output of the one before. */
    private static StreamingChain chainOf(Model model, List<Model.Call> calls, int inputSize) {
        int slot = 0;
        List<Layer> layers = new ArrayList<>();
        for (Model.Call c : calls) {
            if (c.inputSlots.length != 1 || c.inputSlots[0] != slot) {
                return null;
            }
            layers.add(c.layer);
            slot = c.firstOutput;
        }
        if (model.outputSlots()[0] != slot) {
            return null;
        }
        return StreamingChain.of(layers, inputSize);
    }

    /** Forgets the stream: back to zero states, as a new session. Allocates nothing for a chain of covered layers. */
    public void reset() {
        steps = 0;
        if (chain != null) {
            chain.reset();
        } else {
            resetLayers();
        }
    }

    /** Zero states for the layer-by-layer path (also the fallback that reports a bad token id). */
    private void resetLayers() {
        for (int i = 0; i < calls.size(); i++) {
            Layer layer = calls.get(i).layer;
            if (layer.streaming() == Layer.Streaming.RECURRENT) {
                RnnCell cell = ((Rnn) layer).cell();
                states[i] = cell.zeroStates();
                previous[i] = new double[cell.units()];
            }
        }
    }

    /**
     * The number of steps fed since the session started or was reset.
     *
     * @return the step count, at least 0
     */
    public int steps() {
        return steps;
    }

    /**
     * Feeds one input vector and returns the model's output for the stream so far.
     *
     * @param input {@code [features]}
     * @return the output for this step, a new array
     * @throws IllegalStateException when the model takes token ids: use {@link #step(int)}
     */
    public double[] step(double[] input) {
        if (ids) {
            throw new IllegalStateException("the model takes token ids: feed them with step(int)");
        }
        Checks.finiteVector("input", input, inputSize);
        if (chain != null) {
            double[] out = new double[outputSize];
            chain.stepInto(input, out);
            steps++;
            return out;
        }
        return advance(new Value.Sequence(new double[][] {input.clone()}));
    }

    /**
     * Feeds one input vector and writes the model's output for the stream so far into {@code out}: the same numbers
     * as {@link #step(double[])}. For a chain of Embedding, Masking, Dense and forward recurrent layers a step
     * allocates nothing, whatever the number of steps; other models run each layer's {@code apply}.
     *
     * @param input {@code [features]}
     * @param out {@code [outputSize]}, overwritten
     * @return {@code out}
     * @throws IllegalStateException when the model takes token ids: use {@link #stepInto(int, double[])}
     */
    public double[] stepInto(double[] input, double[] out) {
        if (ids) {
            throw new IllegalStateException("the model takes token ids: feed them with stepInto(int, double[])");
        }
        Checks.finiteVector("input", input, inputSize);
        Checks.vectorLength("out", out, outputSize);
        if (chain != null) {
            chain.stepInto(input, out);
            steps++;
            return out;
        }
        double[] result = advance(new Value.Sequence(new double[][] {input.clone()}));
        System.arraycopy(result, 0, out, 0, outputSize);
        return out;
    }

    /**
     * Feeds one token id and writes the model's output for the stream so far into {@code out}; see
     * {@link #stepInto(double[], double[])}.
     *
     * @param id a token id; 0 is a masked step when the Embedding has {@code maskZero}
     * @param out where the output is written, {@code [outputSize]}
     * @return {@code out}
     * @throws IllegalStateException when the model takes vectors: use {@link #stepInto(double[], double[])}
     */
    public double[] stepInto(int id, double[] out) {
        if (!ids) {
            throw new IllegalStateException("the model takes vectors: feed them with stepInto(double[], double[])");
        }
        Checks.vectorLength("out", out, outputSize);
        if (chain != null && id >= 0 && id < vocabSize()) {
            chain.stepInto(id, out);
            steps++;
            return out;
        }
        double[] result = advance(new Value.Vector(new double[] {id}));
        System.arraycopy(result, 0, out, 0, outputSize);
        return out;
    }

    private int vocabSize() {
        return ((Embedding) calls.get(0).layer).vocabSize();
    }

    /**
     * Feeds one token id and returns the model's output for the stream so far.
     *
     * @param id a token id; 0 is a masked step when the Embedding has {@code maskZero}
     * @return the output for this step, a new array
     * @throws IllegalStateException when the model takes vectors: use {@link #step(double[])}
     */
    public double[] step(int id) {
        if (!ids) {
            throw new IllegalStateException("the model takes vectors: feed them with step(double[])");
        }
        if (chain != null && id >= 0 && id < vocabSize()) {
            double[] out = new double[outputSize];
            chain.stepInto(id, out);
            steps++;
            return out;
        }
        return advance(new Value.Vector(new double[] {id}));
    }

    private double[] advance(Value input) {
        Value[] slots = new Value[model.slotCount()];
        slots[0] = input;
        List<double[]>[] newStates = states.clone();
        double[][] newPrevious = previous.clone();
        for (int i = 0; i < calls.size(); i++) {
            Model.Call c = calls.get(i);
            List<Value> in = new ArrayList<>(c.inputSlots.length);
            for (int s : c.inputSlots) {
                in.add(slots[s]);
            }
            List<Value> out;
            try {
                out = c.layer.streaming() == Layer.Streaming.RECURRENT
                        ? recurrentStep(i, (Rnn) c.layer, in.get(0), newStates, newPrevious) : c.layer.apply(in);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(c.describe() + ": " + e.getMessage(), e);
            }
            for (int k = 0; k < c.outputShapes.size(); k++) {
                slots[c.firstOutput + k] = out.get(k);
            }
        }
        // The step is complete: only now does the session's state change.
        System.arraycopy(newStates, 0, states, 0, states.length);
        System.arraycopy(newPrevious, 0, previous, 0, previous.length);
        steps++;
        Value result = slots[model.outputSlots()[0]];
        if (result instanceof Value.Sequence) {
            return ((Value.Sequence) result).steps()[0].clone();
        }
        return ((Value.Vector) result).values().clone();
    }

    /** One step of a forward recurrent layer, as {@code Rnn.forward} computes it (keras/src/layers/rnn/rnn.py). */
    private List<Value> recurrentStep(int i, Rnn rnn, Value input, List<double[]>[] newStates,
                                      double[][] newPrevious) {
        Value.Sequence x = (Value.Sequence) input;
        boolean masked = x.mask() != null && !x.mask()[0];
        double[] output;
        if (masked) {
            output = rnn.isZeroOutputForMask() ? new double[rnn.outputSize()] : newPrevious[i].clone();
        } else {
            newStates[i] = rnn.cell().step(x.steps()[0], newStates[i]);
            newPrevious[i] = newStates[i].get(0);
            output = newPrevious[i].clone();
        }
        List<Value> out = new ArrayList<>();
        out.add(rnn.returnsSequences() ? new Value.Sequence(new double[][] {output}, x.mask())
                : new Value.Vector(output));
        if (rnn.returnsState()) {
            for (double[] s : newStates[i]) {
                out.add(new Value.Vector(s.clone()));
            }
        }
        return out;
    }
}
