package io.github.rnn4j.model;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.internal.Names;
import io.github.rnn4j.layers.Bidirectional;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.Layer;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.layers.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * A model: a graph of {@link Layer}s with named inputs and outputs, as a Keras {@code Model} (Sequential or
 * Functional). A chain of layers ({@link #sequential()}) is the simple case.
 *
 * <p>Each layer call takes the outputs of earlier calls (or model inputs) and returns its own outputs; masks,
 * {@code return_state} outputs and {@code initial_state} inputs travel along these edges as in Keras, so an encoder
 * {@code LSTM(return_state=True)} whose {@code [h, c]} feed a decoder's initial state is just a graph. A layer
 * called twice (a shared layer) keeps one set of weights.
 *
 * <p>One sample: {@link #run(Map)} takes tensors without a batch axis — a sequence is {@code [timeSteps][features]},
 * a vector {@code [features]}, token ids a rank-1 tensor of whole numbers — and returns every output by name, in
 * output order. {@link #runBatch(Map)} takes a leading batch axis; padded sequences are handled by the model's own
 * masks, as Keras {@code predict} does, and every sample's result is bit-identical to its own {@link #run}.
 *
 * <p>Immutable and thread-safe: one instance can serve many threads; every call keeps its values to itself.
 */
public final class Model {
    /** A model input: its name and its shape per sample. */
    private static final class Input {
        final String name;
        final Shape shape;

        Input(String name, Shape shape) {
            this.name = name;
            this.shape = shape;
        }
    }

    /** One call of a layer: where its inputs come from (slots) and where its outputs go. */
    static final class Call {
        final String name;
        final int index;
        final Layer layer;
        final int[] inputSlots;
        final int firstOutput;
        final List<Shape> outputShapes;

        Call(String name, int index, Layer layer, int[] inputSlots, int firstOutput, List<Shape> outputShapes) {
            this.name = name;
            this.index = index;
            this.layer = layer;
            this.inputSlots = inputSlots;
            this.firstOutput = firstOutput;
            this.outputShapes = outputShapes;
        }

        String describe() {
            return "layer '" + name + "' (" + layer.getClass().getSimpleName() + ")";
        }
    }

    private final List<Input> inputs;
    private final List<Call> calls;
    private final int slotCount;
    private final int[] outputSlots;
    private final List<String> inputNames;
    private final List<String> outputNames;
    private final Shape[] slotShapes;
    private final Map<String, Layer> layersByName;
    private final Map<String, String> properties;
    private final List<String> notes;
    private final Precision precision;
    /** The float64 model this float32 copy was made from; {@code null} for a float64 model. */
    private final Model float64;
    /** Set by {@link #withThreads}: the helpers' executor ({@code null} for one thread) and threads per step. */
    private final Executor executor;
    private final int threads;

    private Model(Builder b, List<Call> calls, int slotCount, Shape[] slotShapes, int[] outputSlots,
                  List<String> outputNames) {
        this.inputs = List.copyOf(b.inputs);
        this.calls = List.copyOf(calls);
        this.slotCount = slotCount;
        this.slotShapes = slotShapes;
        this.outputSlots = outputSlots;
        List<String> names = new ArrayList<>();
        for (Input in : inputs) {
            names.add(in.name);
        }
        this.inputNames = List.copyOf(names);
        this.outputNames = List.copyOf(outputNames);
        this.layersByName = Collections.unmodifiableMap(new LinkedHashMap<>(b.layers));
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
        this.notes = List.copyOf(b.notes);
        this.precision = Precision.FLOAT64;
        this.float64 = null;
        this.executor = null;
        this.threads = 1;
    }

    /** A float32 copy of {@code source}: the same graph, each layer replaced by its float32 copy once. */
    private Model(Model source) {
        this(source, Layer::float32, Precision.FLOAT32, source, source.executor, source.threads);
    }

    /**
     * A copy of {@code source} with each layer replaced once by {@code convert} of it (a layer called twice stays
     * one layer).
     */
    private Model(Model source, java.util.function.UnaryOperator<Layer> convert, Precision precision, Model float64,
                  Executor executor, int threads) {
        Map<Layer, Layer> converted = new IdentityHashMap<>();
        List<Call> narrow = new ArrayList<>(source.calls.size());
        for (Call c : source.calls) {
            Layer l = converted.computeIfAbsent(c.layer, convert);
            narrow.add(new Call(c.name, c.index, l, c.inputSlots, c.firstOutput, c.outputShapes));
        }
        Map<String, Layer> byName = new LinkedHashMap<>();
        source.layersByName.forEach((name, l) -> byName.put(name, converted.computeIfAbsent(l, convert)));
        this.inputs = source.inputs;
        this.calls = List.copyOf(narrow);
        this.slotCount = source.slotCount;
        this.slotShapes = source.slotShapes;
        this.outputSlots = source.outputSlots;
        this.inputNames = source.inputNames;
        this.outputNames = source.outputNames;
        this.layersByName = Collections.unmodifiableMap(byName);
        this.properties = source.properties;
        this.notes = source.notes;
        this.precision = precision;
        this.float64 = float64;
        this.executor = executor;
        this.threads = threads;
    }

    /**
     * A copy of this model whose recurrent layers split each step of a single sequence by units across
     * {@code threads} threads: the calling thread and {@code threads − 1} helper tasks that each call hands to
     * {@code executor} (see {@link Rnn#withThreads}). Results are bit-identical to one thread. Only layers of at
     * least {@link Rnn#MIN_SPLIT_UNITS} units split, and only single sequences ({@code predict}, {@code run});
     * batches and sessions run as before. The executor stays the caller's: rnn4j starts and keeps no thread, and a
     * call never waits for a helper the executor has not started. {@code threads = 1} gives the one-thread model.
     * The copy is immutable and thread-safe; concurrent calls each run their own helpers.
     *
     * @param executor runs the helper tasks, for example {@code Executors.newFixedThreadPool(threads - 1)} per
     *        concurrent caller
     * @param threads threads per step including the calling thread, at least 1
     * @return the threaded copy, or this model when it already runs that way
     * @throws IllegalArgumentException when {@code executor} is {@code null} or {@code threads} is below 1
     */
    public Model withThreads(Executor executor, int threads) {
        Checks.notNull("executor", executor);
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + ", expected at least 1");
        }
        if (threads == this.threads && (threads == 1 || executor == this.executor)) {
            return this;
        }
        Model wide = float64 == null ? null : float64.withThreads(executor, threads);
        return new Model(this, l -> l.withThreads(executor, threads), precision, wide,
                threads == 1 ? null : executor, threads);
    }

    /**
     * The threads per step of a single sequence.
     *
     * @return the thread count, 1 unless made by {@link #withThreads}
     */
    public int threads() {
        return threads;
    }

    /**
     * This model in the given precision: for {@link Precision#FLOAT32} a copy that stores every layer's weights as
     * float32 and computes the matrix products in float32 (see {@link Layer#float32()}); inputs and outputs stay
     * {@code double[]}, and batch, parallel and session runs of the copy agree bit for bit. For
     * {@link Precision#FLOAT64} the float64 model (the one a float32 copy was made from). Returns itself when it
     * already has that precision. The copy shares nothing mutable with this model; both stay thread-safe.
     *
     * @param precision the precision wanted
     * @return a model of that precision, or this one when it already has it
     */
    public Model withPrecision(Precision precision) {
        Checks.notNull("precision", precision);
        if (precision == this.precision) {
            return this;
        }
        return precision == Precision.FLOAT64 ? float64 : new Model(this);
    }

    /**
     * The precision of the weights and matrix products: {@link Precision#FLOAT64} unless made by {@link
     * #withPrecision}.
     *
     * @return the precision of this model
     */
    public Precision precision() {
        return precision;
    }

    /**
     * The kernel backend every model of this JVM computes with: {@code "vector"} (the JDK's incubating Vector API)
     * when the JVM runs with {@code --add-modules jdk.incubator.vector}, unless {@code -Drnn4j.backend=plain} is
     * set; {@code "plain"} (ordinary Java loops) otherwise. Chosen once per JVM, the first time this method or a
     * model computes, from the {@code rnn4j.backend} system property ({@code auto}, {@code plain} or
     * {@code vector}); the two round differently by a few units in the last place.
     *
     * @return {@code "plain"} or {@code "vector"}
     * @throws ExceptionInInitializerError when {@code -Drnn4j.backend=vector} is set and the JVM lacks the module
     */
    public static String backend() {
        return io.github.rnn4j.internal.Backend.INSTANCE.name();
    }

    /**
     * Starts a graph: declare inputs, add layer calls, name the outputs.
     *
     * @return an empty graph builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a chain of layers, each fed by the one before, as a Keras {@code Sequential} model.
     *
     * @return an empty chain builder
     */
    public static Chain sequential() {
        return new Chain();
    }

    // ------------------------------------------------------------------------------------------ description

    /**
     * The names of the inputs, in Keras order (the {@code InputLayer} names of a Keras model).
     *
     * @return the input names, unmodifiable
     */
    public List<String> inputNames() {
        return inputNames;
    }

    /**
     * The names of the outputs, in Keras order: the names of the layers that produce them.
     *
     * @return the output names, unmodifiable
     */
    public List<String> outputNames() {
        return outputNames;
    }

    /**
     * The shape of one sample of an input, without the batch axis; unknown time steps are {@link Shape#UNKNOWN}.
     *
     * @param name an input name, from {@link #inputNames()}
     * @return the input's shape per sample
     * @throws IllegalArgumentException when there is no input of that name
     */
    public Shape inputShape(String name) {
        return inputs.get(inputIndex(name)).shape;
    }

    /**
     * The shape of one sample of an output, without the batch axis.
     *
     * @param name an output name, from {@link #outputNames()}
     * @return the output's shape per sample
     * @throws IllegalArgumentException when there is no output of that name
     */
    public Shape outputShape(String name) {
        int i = outputNames.indexOf(Checks.notNull("name", name));
        if (i < 0) {
            throw new IllegalArgumentException("name is '" + name + "', expected one of the outputs " + outputNames);
        }
        return slotShapes[outputSlots[i]];
    }

    /**
     * Whether an input takes token ids: it is a rank-1 input read only by {@link Embedding} layers.
     *
     * @param name an input name, from {@link #inputNames()}
     * @return {@code true} when the input is fed with {@code int} ids
     * @throws IllegalArgumentException when there is no input of that name
     */
    public boolean takesTokenIds(String name) {
        int slot = inputIndex(name);
        if (inputs.get(slot).shape.isSequence()) {
            return false;
        }
        boolean read = false;
        for (Call c : calls) {
            for (int s : c.inputSlots) {
                if (s == slot) {
                    if (!(c.layer instanceof Embedding)) {
                        return false;
                    }
                    read = true;
                }
            }
        }
        return read;
    }

    /**
     * The layers by name, each once even when it is called several times, in the order they were added.
     *
     * @return the layers by name, unmodifiable
     */
    public Map<String, Layer> layers() {
        return layersByName;
    }

    /**
     * The layer of a name.
     *
     * @param name a layer name, from {@link #layers()}
     * @return the layer
     * @throws IllegalArgumentException when there is no layer of that name
     */
    public Layer layer(String name) {
        Layer l = layersByName.get(Checks.notNull("name", name));
        if (l == null) {
            throw new IllegalArgumentException("name is '" + name + "', expected one of the layers "
                    + layersByName.keySet());
        }
        return l;
    }

    /**
     * Facts about where the model came from (for example its file format and Keras version), in order.
     *
     * @return the properties, unmodifiable, in the order they were recorded
     */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * The rules applied while building the model (for example which hard sigmoid a Keras version means).
     *
     * @return the notes, unmodifiable, in the order they were recorded
     */
    public List<String> notes() {
        return notes;
    }

    /**
     * The total number of weights, as Keras's {@code count_params}.
     *
     * @return the sum of every layer's {@link Layer#parameterCount()}, each shared layer once
     */
    public long parameterCount() {
        long n = 0;
        for (Layer l : layersByName.values()) {
            n += l.parameterCount();
        }
        return n;
    }

    /**
     * A summary like Keras's {@code model.summary()}: each layer's name, class, output shape and parameters.
     *
     * @return the summary text: one row per layer call, then {@code Total params}
     */
    public String summary() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Layer (type)", "Output Shape", "Param #", "Connected to"});
        for (Input in : inputs) {
            rows.add(new String[] {in.name + " (Input)", shapeText(in.shape), "0", "-"});
        }
        Set<Layer> counted = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Call c : calls) {
            StringBuilder shapes = new StringBuilder();
            for (Shape s : c.outputShapes) {
                shapes.append(shapes.length() == 0 ? "" : ", ").append(shapeText(s));
            }
            StringBuilder from = new StringBuilder();
            for (int s : c.inputSlots) {
                from.append(from.length() == 0 ? "" : ", ").append(slotName(s));
            }
            long params = counted.add(c.layer) ? c.layer.parameterCount() : 0;
            rows.add(new String[] {c.name + " (" + c.layer.getClass().getSimpleName() + ")", shapes.toString(),
                    Long.toString(params), from.toString()});
        }
        int[] width = new int[4];
        for (String[] r : rows) {
            for (int i = 0; i < 4; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Model: ").append(inputNames).append(" -> ").append(outputNames).append('\n');
        String rule = "-".repeat(width[0] + width[1] + width[2] + width[3] + 6) + '\n';
        for (int r = 0; r < rows.size(); r++) {
            if (r <= 1) {
                sb.append(rule);
            }
            String[] row = rows.get(r);
            sb.append(String.format(Locale.ROOT, "%-" + width[0] + "s  %-" + width[1] + "s  %" + width[2] + "s  %s",
                    row[0], row[1], row[2], row[3]).stripTrailing()).append('\n');
        }
        sb.append(rule);
        sb.append("Total params: ").append(parameterCount()).append('\n');
        for (Map.Entry<String, String> p : properties.entrySet()) {
            sb.append(p.getKey()).append(": ").append(p.getValue()).append('\n');
        }
        for (String n : notes) {
            sb.append("rule: ").append(n).append('\n');
        }
        return sb.toString();
    }

    private static String shapeText(Shape s) {
        StringBuilder sb = new StringBuilder("(None");
        for (int d : s.dims()) {
            sb.append(", ").append(d == Shape.UNKNOWN ? "None" : Integer.toString(d));
        }
        return sb.append(')').toString();
    }

    private String slotName(int slot) {
        if (slot < inputs.size()) {
            return inputs.get(slot).name;
        }
        for (Call c : calls) {
            if (slot >= c.firstOutput && slot < c.firstOutput + c.outputShapes.size()) {
                return c.name + "[" + c.index + "][" + (slot - c.firstOutput) + "]";
            }
        }
        return "?";
    }

    @Override
    public String toString() {
        return "Model[inputs=" + inputNames + ", outputs=" + outputNames + ", layers=" + layersByName.size()
                + ", params=" + parameterCount() + (precision == Precision.FLOAT32 ? ", float32" : "") + "]";
    }

    // ------------------------------------------------------------------------------------------ running

    /**
     * Runs the model on one sample.
     *
     * @param inputs one tensor per input name, without a batch axis: {@code [timeSteps][features]} for a sequence,
     *        {@code [features]} for a vector, {@code [timeSteps]} whole numbers for token ids
     * @return every output by name, in output order: {@code [timeSteps][features]} or {@code [features]}
     * @throws IllegalArgumentException when an input is missing, unknown, does not fit its shape or holds NaN or
     *         infinity (named by position {@code [t][j]}; checking costs one pass over the input, a small fraction
     *         of a recurrent layer's work), or a layer refuses a value (the message names the input or the layer)
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        Checks.notNull("inputs", inputs);
        checkNames(inputs.keySet());
        Value[] values = new Value[inputNames.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = toValue(inputNames.get(i), inputs.get(inputNames.get(i)), this.inputs.get(i).shape);
        }
        Value[] out = execute(values);
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (int i = 0; i < out.length; i++) {
            result.put(outputNames.get(i), toTensor(out[i]));
        }
        return Collections.unmodifiableMap(result);
    }

    /**
     * Runs the model on a batch: every tensor has a leading batch axis of the same size; result {@code b} is
     * bit-identical to {@link #run} on sample {@code b}.
     *
     * @param inputs one tensor per input name, each with the batch axis first
     * @return one tensor per output name, each with the batch axis first
     * @throws IllegalArgumentException as {@link #run}, or when batch sizes differ
     */
    public Map<String, Tensor> runBatch(Map<String, Tensor> inputs) {
        return runBatch(inputs, DIRECT);
    }

    /**
     * Runs a batch as {@link #runBatch(Map)}, split into parts (up to one per processor), one task per part on
     * {@code executor}; results are identical, bit for bit, to the single-threaded call.
     *
     * @param inputs one tensor per input name, each with the batch axis first
     * @param executor runs the parts; the call waits for all of them
     * @return one tensor per output name, each with the batch axis first
     */
    public Map<String, Tensor> runBatch(Map<String, Tensor> inputs, Executor executor) {
        Checks.notNull("inputs", inputs);
        Checks.notNull("executor", executor);
        checkNames(inputs.keySet());
        int batch = -1;
        for (int i = 0; i < inputNames.size(); i++) {
            String name = inputNames.get(i);
            Tensor t = Checks.notNull("inputs['" + name + "']", inputs.get(name));
            int expectedRank = this.inputs.get(i).shape.rank() + 1;
            if (t.rank() != expectedRank) {
                throw Checks.shape("inputs['" + name + "']", "[batch]" + this.inputs.get(i).shape,
                        Checks.dims(t.shape()));
            }
            int b = t.shape()[0];
            if (batch >= 0 && b != batch) {
                throw new IllegalArgumentException("inputs['" + name + "'] has batch size " + b + ", expected "
                        + batch + " (the batch size of '" + inputNames.get(0) + "')");
            }
            batch = b;
        }
        Value[][] samples = new Value[batch][inputNames.size()];
        for (int i = 0; i < inputNames.size(); i++) {
            String name = inputNames.get(i);
            Tensor t = inputs.get(name);
            for (int b = 0; b < batch; b++) {
                samples[b][i] = toValue(name + "'][" + b, t.slice(b), this.inputs.get(i).shape);
            }
        }
        Value[][] results = new Value[batch][];
        runAll(samples, results, executor);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int o = 0; o < outputNames.size(); o++) {
            Tensor[] parts = new Tensor[batch];
            for (int b = 0; b < batch; b++) {
                parts[b] = toTensor(results[b][o]);
            }
            out.put(outputNames.get(o), batch == 0 ? Tensor.of(batchShape(o), new double[0]) : Tensor.stack(parts));
        }
        return Collections.unmodifiableMap(out);
    }

    private int[] batchShape(int output) {
        int[] dims = slotShapes[outputSlots[output]].dims();
        int[] shape = new int[dims.length + 1];
        for (int i = 0; i < dims.length; i++) {
            shape[i + 1] = Math.max(dims[i], 0);
        }
        return shape;
    }

    /**
     * Runs samples in parts, one task per part on {@code executor} (one part for a direct call); each part runs
     * layer call by layer call over its samples ({@link #executeBatch}).
     */
    private void runAll(Value[][] samples, Value[][] results, Executor executor) {
        int parts = executor == DIRECT ? 1
                : Math.min(samples.length, Math.max(2, Runtime.getRuntime().availableProcessors()));
        if (parts <= 1) {
            executeBatch(samples, results, 0, samples.length);
            return;
        }
        List<CompletableFuture<Void>> tasks = new ArrayList<>(parts);
        for (int part = 0; part < parts; part++) {
            int from = (int) ((long) samples.length * part / parts);
            int to = (int) ((long) samples.length * (part + 1) / parts);
            tasks.add(CompletableFuture.runAsync(() -> executeBatch(samples, results, from, to), executor));
        }
        try {
            CompletableFuture.allOf(tasks.toArray(new CompletableFuture<?>[0])).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }

    /** The executor of the single-threaded batch calls: runs each task in the caller's thread. */
    private static final Executor DIRECT = Runnable::run;

    /**
     * Runs samples {@code from..to-1} call by call: a recurrent layer fed by one sequence runs all the samples
     * through its step-major batch engine ({@link Rnn#applyBatch}), every other call sample by sample. Each sample's
     * values are bit-identical to {@link #execute} on it alone.
     */
    private void executeBatch(Value[][] samples, Value[][] results, int from, int to) {
        int n = to - from;
        if (n == 1) {
            results[from] = execute(samples[from]);
            return;
        }
        Value[][] slots = new Value[n][slotCount];
        for (int b = 0; b < n; b++) {
            System.arraycopy(samples[from + b], 0, slots[b], 0, samples[from + b].length);
        }
        for (Call c : calls) {
            List<List<Value>> outs = new ArrayList<>(n);
            try {
                if (c.layer instanceof Rnn && c.inputSlots.length == 1) {
                    List<List<Value>> ins = new ArrayList<>(n);
                    for (int b = 0; b < n; b++) {
                        ins.add(List.of(slots[b][c.inputSlots[0]]));
                    }
                    outs = ((Rnn) c.layer).applyBatch(ins);
                } else {
                    for (int b = 0; b < n; b++) {
                        List<Value> in = new ArrayList<>(c.inputSlots.length);
                        for (int s : c.inputSlots) {
                            in.add(slots[b][s]);
                        }
                        outs.add(c.layer.apply(in));
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(c.describe() + ": " + e.getMessage(), e);
            }
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < c.outputShapes.size(); i++) {
                    slots[b][c.firstOutput + i] = outs.get(b).get(i);
                }
            }
        }
        for (int b = 0; b < n; b++) {
            Value[] result = new Value[outputSlots.length];
            for (int i = 0; i < result.length; i++) {
                result[i] = slots[b][outputSlots[i]];
            }
            results[from + b] = result;
        }
    }

    /** Runs every layer call in order on one sample's input values and returns the output values. */
    Value[] execute(Value[] inputValues) {
        Value[] slots = new Value[slotCount];
        System.arraycopy(inputValues, 0, slots, 0, inputValues.length);
        for (Call c : calls) {
            List<Value> in = new ArrayList<>(c.inputSlots.length);
            for (int s : c.inputSlots) {
                in.add(slots[s]);
            }
            List<Value> out;
            try {
                out = c.layer.apply(in);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(c.describe() + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < c.outputShapes.size(); i++) {
                slots[c.firstOutput + i] = out.get(i);
            }
        }
        Value[] result = new Value[outputSlots.length];
        for (int i = 0; i < result.length; i++) {
            result[i] = slots[outputSlots[i]];
        }
        return result;
    }

    /** The calls in order, for sessions. */
    List<Call> calls() {
        return calls;
    }

    /** The model's output slots, for sessions. */
    int[] outputSlots() {
        return outputSlots.clone();
    }

    int slotCount() {
        return slotCount;
    }

    private void checkNames(Set<String> given) {
        for (String name : inputNames) {
            if (!given.contains(name)) {
                throw new IllegalArgumentException("inputs has no tensor for input '" + name + "', expected "
                        + inputNames);
            }
        }
        for (String name : given) {
            if (!inputNames.contains(name)) {
                throw new IllegalArgumentException("inputs has a tensor for '" + name + "', which is not an input;"
                        + " expected " + inputNames);
            }
        }
    }

    private int inputIndex(String name) {
        int i = inputNames.indexOf(Checks.notNull("name", name));
        if (i < 0) {
            throw new IllegalArgumentException("name is '" + name + "', expected one of the inputs " + inputNames);
        }
        return i;
    }

    private static Value toValue(String name, Tensor t, Shape expected) {
        String what = "inputs['" + name + "']";
        Checks.notNull(what, t);
        int[] dims = t.shape();
        if (dims.length != expected.rank() || !expected.accepts(Shape.of(dims))) {
            throw Checks.shape(what, expected.toString(), Checks.dims(dims));
        }
        double[] data = t.dataView();
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                String at = dims.length == 2 ? "[" + i / dims[1] + "][" + i % dims[1] + "]" : "[" + i + "]";
                throw new IllegalArgumentException(what + at + " is " + data[i] + ", expected a finite number");
            }
        }
        if (dims.length == 2) {
            if (dims[0] == 0) {
                throw Checks.shape(what, "at least one time step " + expected, Checks.dims(dims));
            }
            return new Value.Sequence(t.matrix());
        }
        return new Value.Vector(data);
    }

    private static Tensor toTensor(Value v) {
        if (v instanceof Value.Sequence) {
            return Tensor.of(((Value.Sequence) v).steps());
        }
        return Tensor.of(((Value.Vector) v).values());
    }

    // ------------------------------------------------------------------------------------------ shortcuts

    private String singleInput(int rank, String fix) {
        if (inputs.size() != 1) {
            throw new IllegalStateException("the model has " + inputs.size() + " inputs " + inputNames
                    + ": call run(Map) with one tensor per input");
        }
        if (inputs.get(0).shape.rank() != rank) {
            throw new IllegalStateException("the model's input '" + inputNames.get(0) + "' has shape "
                    + inputs.get(0).shape + ": " + fix);
        }
        return inputNames.get(0);
    }

    private void singleOutput(boolean sequence) {
        if (outputNames.size() != 1) {
            throw new IllegalStateException("the model has " + outputNames.size() + " outputs " + outputNames
                    + ": call run(Map), which returns each by name");
        }
        boolean isSequence = slotShapes[outputSlots[0]].isSequence();
        if (sequence && !isSequence) {
            throw new IllegalStateException("the model returns one vector per sample: call predict");
        }
        if (!sequence && isSequence) {
            throw new IllegalStateException("the model returns a sequence: call predictSequence");
        }
    }

    private static final String VECTORS = "pass a sequence [timeSteps][features] (double[][])";
    private static final String IDS = "pass token ids (int[])";

    /**
     * Runs a one-input model on a sequence and returns its single output vector.
     *
     * @param inputs {@code [timeSteps][features]}
     * @return the output, {@code [units]}
     * @throws IllegalStateException when the model has several inputs or outputs, takes token ids, or returns a
     *         sequence (use {@link #predictSequence(double[][])})
     */
    public double[] predict(double[][] inputs) {
        singleOutput(false);
        return ((Value.Vector) execute(sequenceInput(inputs))[0]).values();
    }

    /**
     * Runs a one-input model on a sequence and returns its output sequence {@code [timeSteps][units]}.
     *
     * @param inputs {@code [timeSteps][features]}
     * @return the output sequence, {@code [timeSteps][units]}
     * @throws IllegalStateException when the model returns one vector (use {@link #predict(double[][])})
     */
    public double[][] predictSequence(double[][] inputs) {
        singleOutput(true);
        return ((Value.Sequence) execute(sequenceInput(inputs))[0]).steps();
    }

    /**
     * Runs a model that takes token ids and returns its single output vector.
     *
     * @param ids {@code [timeSteps]}, each in {@code [0, vocabSize)}
     * @return the output, {@code [units]}
     */
    public double[] predict(int[] ids) {
        singleOutput(false);
        return ((Value.Vector) execute(idsInput(ids))[0]).values();
    }

    /**
     * Runs a model that takes token ids and returns its output sequence {@code [timeSteps][units]}.
     *
     * @param ids {@code [timeSteps]}, each in {@code [0, vocabSize)}
     * @return the output sequence, {@code [timeSteps][units]}
     */
    public double[][] predictSequence(int[] ids) {
        singleOutput(true);
        return ((Value.Sequence) execute(idsInput(ids))[0]).steps();
    }

    /**
     * Runs {@link #predict(double[][])} on each sequence of a batch: {@code [batch][timeSteps][features]} gives
     * {@code [batch][units]}, each row bit-identical to its own call.
     *
     * @param inputs {@code [batch][timeSteps][features]}
     * @return the outputs, {@code [batch][units]}
     */
    public double[][] predictBatch(double[][][] inputs) {
        return predictBatch(inputs, DIRECT);
    }

    /**
     * Runs {@link #predictBatch(double[][][])} with the batch split into parts, one task per part on {@code executor}.
     *
     * @param inputs {@code [batch][timeSteps][features]}
     * @param executor runs the parts; the call waits for all of them
     * @return the outputs, {@code [batch][units]}, bit-identical to {@link #predictBatch(double[][][])}
     */
    public double[][] predictBatch(double[][][] inputs, Executor executor) {
        singleOutput(false);
        Value[][] results = batchOf(inputs, executor);
        double[][] out = new double[results.length][];
        for (int b = 0; b < out.length; b++) {
            out[b] = ((Value.Vector) results[b][0]).values();
        }
        return out;
    }

    /**
     * Runs {@link #predictSequence(double[][])} on each sequence of a batch: {@code [batch][timeSteps][units]}.
     *
     * @param inputs {@code [batch][timeSteps][features]}
     * @return the output sequences, {@code [batch][timeSteps][units]}
     */
    public double[][][] predictSequenceBatch(double[][][] inputs) {
        return predictSequenceBatch(inputs, DIRECT);
    }

    /**
     * Runs {@link #predictSequenceBatch(double[][][])} with the batch split into parts, one task per part on {@code
     * executor}.
     *
     * @param inputs {@code [batch][timeSteps][features]}
     * @param executor runs the parts; the call waits for all of them
     * @return the output sequences, {@code [batch][timeSteps][units]}
     */
    public double[][][] predictSequenceBatch(double[][][] inputs, Executor executor) {
        singleOutput(true);
        Value[][] results = batchOf(inputs, executor);
        double[][][] out = new double[results.length][][];
        for (int b = 0; b < out.length; b++) {
            out[b] = ((Value.Sequence) results[b][0]).steps();
        }
        return out;
    }

    /**
     * Runs {@link #predict(int[])} on each row of a batch of token ids (padded rows are masked by the model's
     * own Embedding {@code maskZero}, as Keras {@code predict}): {@code [batch][timeSteps]} gives
     * {@code [batch][units]}.
     *
     * @param ids {@code [batch][timeSteps]}, each id in {@code [0, vocabSize)}
     * @return the outputs, {@code [batch][units]}
     */
    public double[][] predictBatch(int[][] ids) {
        return predictBatch(ids, DIRECT);
    }

    /**
     * Runs {@link #predictBatch(int[][])} with the batch split into parts, one task per part on {@code executor}.
     *
     * @param ids {@code [batch][timeSteps]}, each id in {@code [0, vocabSize)}
     * @param executor runs the parts; the call waits for all of them
     * @return the outputs, {@code [batch][units]}
     */
    public double[][] predictBatch(int[][] ids, Executor executor) {
        singleOutput(false);
        Value[][] results = idsBatchOf(ids, executor);
        double[][] out = new double[results.length][];
        for (int b = 0; b < out.length; b++) {
            out[b] = ((Value.Vector) results[b][0]).values();
        }
        return out;
    }

    /**
     * Runs {@link #predictSequence(int[])} on each row of a batch of token ids: {@code [batch][timeSteps][units]}.
     *
     * @param ids {@code [batch][timeSteps]}, each id in {@code [0, vocabSize)}
     * @return the output sequences, {@code [batch][timeSteps][units]}
     */
    public double[][][] predictSequenceBatch(int[][] ids) {
        singleOutput(true);
        Value[][] results = idsBatchOf(ids, DIRECT);
        double[][][] out = new double[results.length][][];
        for (int b = 0; b < out.length; b++) {
            out[b] = ((Value.Sequence) results[b][0]).steps();
        }
        return out;
    }

    private Value[][] batchOf(double[][][] inputs, Executor executor) {
        Checks.notNull("inputs", inputs);
        Checks.notNull("executor", executor);
        Value[][] samples = new Value[inputs.length][];
        for (int b = 0; b < inputs.length; b++) {
            samples[b] = sequenceInput("inputs[" + b + "]", inputs[b]);
        }
        Value[][] results = new Value[inputs.length][];
        runAll(samples, results, executor);
        return results;
    }

    private Value[][] idsBatchOf(int[][] ids, Executor executor) {
        Checks.notNull("ids", ids);
        Checks.notNull("executor", executor);
        Value[][] samples = new Value[ids.length][];
        for (int b = 0; b < ids.length; b++) {
            samples[b] = idsInput("ids[" + b + "]", ids[b]);
        }
        Value[][] results = new Value[ids.length][];
        runAll(samples, results, executor);
        return results;
    }

    private Value[] sequenceInput(double[][] inputs) {
        return sequenceInput("inputs", inputs);
    }

    private Value[] sequenceInput(String name, double[][] inputs) {
        singleInput(2, IDS);
        Shape expected = this.inputs.get(0).shape;
        Checks.notNull(name, inputs);
        if (inputs.length == 0) {
            throw Checks.shape(name, "at least one time step " + expected, "[0]");
        }
        int cols = Checks.finiteMatrix(name, inputs, -1, expected.features());
        if (!expected.accepts(Shape.sequence(inputs.length, cols))) {
            throw Checks.shape(name, expected.toString(), Checks.dims(inputs.length, cols));
        }
        return new Value[] {new Value.Sequence(inputs)};
    }

    private Value[] idsInput(int[] ids) {
        return idsInput("ids", ids);
    }

    private Value[] idsInput(String name, int[] ids) {
        singleInput(1, VECTORS);
        Checks.notNull(name, ids);
        Shape expected = this.inputs.get(0).shape;
        if (ids.length == 0 || !expected.accepts(Shape.vector(ids.length))) {
            throw Checks.shape(name, ids.length == 0 ? "at least one time step" : expected.toString(),
                    Checks.dims(ids.length));
        }
        double[] values = new double[ids.length];
        for (int t = 0; t < ids.length; t++) {
            values[t] = ids[t];
        }
        return new Value[] {new Value.Vector(values)};
    }

    /**
     * Starts a stream through this model: one time step per call, states kept between calls.
     *
     * @return a new session from zero states, not thread-safe
     * @throws IllegalStateException when a layer needs the whole sequence (Bidirectional, goBackwards, pooling,
     *         convolution) or the model has several inputs or outputs; the message names the layer
     */
    public Session session() {
        return new Session(this);
    }

    // ------------------------------------------------------------------------------------------ building

    /** Where a layer call's input comes from: output {@code output} of call {@code call} of layer {@code layer}. */
    public static final class Port {
        private final String layer;
        private final int call;
        private final int output;

        private Port(String layer, int call, int output) {
            this.layer = layer;
            this.call = call;
            this.output = output;
        }

        /**
         * Output {@code output} of call {@code call} of a layer (Keras's {@code [name, node_index, tensor_index]}).
         *
         * @param layer the layer's name
         * @param call the call index, from 0
         * @param output the output index of that call, from 0
         * @return the port
         */
        public static Port of(String layer, int call, int output) {
            Checks.notNull("layer", layer);
            if (call < 0 || output < 0) {
                throw new IllegalArgumentException("call and output are " + call + " and " + output
                        + ", expected >= 0");
            }
            return new Port(layer, call, output);
        }

        /**
         * The first output of the first call of a layer, or a model input of that name.
         *
         * @param layer the name of a layer or input
         * @return the port {@code (layer, 0, 0)}
         */
        public static Port of(String layer) {
            return of(layer, 0, 0);
        }

        @Override
        public String toString() {
            return layer + "[" + call + "][" + output + "]";
        }
    }

    /**
     * Assembles a {@link Model} graph: inputs, then layer calls in an order where every call's inputs exist, then
     * the outputs. Shapes are checked as calls are added. Not thread-safe; the model it builds is.
     */
    public static final class Builder {
        private final List<Input> inputs = new ArrayList<>();
        private final List<Call> calls = new ArrayList<>();
        private final Map<String, Layer> layers = new LinkedHashMap<>();
        private final Map<String, List<Call>> callsByName = new HashMap<>();
        private final List<Shape> slotShapes = new ArrayList<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();
        private final List<Port> outputs = new ArrayList<>();
        private List<String> outputNames;

        private Builder() {
        }

        /**
         * Declares an input. Inputs must all be declared before the first layer call.
         *
         * @param name the input's name, unique among inputs and layers
         * @param shape one sample's shape; a rank-1 input read by an {@link Embedding} takes token ids
         * @return this builder
         */
        public Builder input(String name, Shape shape) {
            Checks.notNull("name", name);
            Checks.notNull("shape", shape);
            if (!calls.isEmpty()) {
                throw new IllegalStateException("input '" + name + "' comes after a layer call: declare inputs first");
            }
            if (layers.containsKey(name) || inputIndex(name) >= 0) {
                throw new IllegalArgumentException("name '" + name + "' is already used");
            }
            inputs.add(new Input(name, shape));
            slotShapes.add(shape);
            return this;
        }

        private int inputIndex(String name) {
            for (int i = 0; i < inputs.size(); i++) {
                if (inputs.get(i).name.equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        /**
         * Calls a layer on the first outputs of earlier layers or on inputs, named as {@link Port#of(String)}.
         *
         * @param name the name of this layer call's layer
         * @param layer the layer to call
         * @param from the names of the layers or inputs whose first outputs feed the layer
         * @return this builder
         */
        public Builder add(String name, Layer layer, String... from) {
            Checks.notNull("from", from);
            List<Port> ports = new ArrayList<>();
            for (String f : from) {
                ports.add(Port.of(f));
            }
            return add(name, layer, ports);
        }

        /**
         * Calls a layer. Calling the same name again with the same layer instance adds another call of a shared
         * layer (its call index is the number of earlier calls).
         *
         * @param name the name of the layer
         * @param layer the layer to call
         * @param from the inputs, in the order of {@link Layer#apply}; for a recurrent layer, the sequence then
         *        its initial states
         * @return this builder
         * @throws IllegalArgumentException when an input does not exist or its shape does not fit the layer
         */
        public Builder add(String name, Layer layer, List<Port> from) {
            Checks.notNull("name", name);
            Checks.notNull("layer", layer);
            Checks.notNull("from", from);
            if (inputIndex(name) >= 0) {
                throw new IllegalArgumentException("name '" + name + "' is already an input");
            }
            Layer existing = layers.get(name);
            if (existing != null && existing != layer) {
                throw new IllegalArgumentException("name '" + name + "' is already a different layer (" + existing
                        + "); call the same layer instance to share it");
            }
            int[] slots = new int[from.size()];
            List<Shape> shapes = new ArrayList<>();
            for (int i = 0; i < slots.length; i++) {
                slots[i] = slot(Checks.notNull("from entry", from.get(i)), name);
                shapes.add(slotShapes.get(slots[i]));
            }
            List<Shape> out;
            try {
                out = List.copyOf(layer.outputShapes(shapes));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer '" + name + "' (" + layer.getClass().getSimpleName()
                        + "): " + e.getMessage(), e);
            }
            List<Call> mine = callsByName.computeIfAbsent(name, k -> new ArrayList<>());
            Call c = new Call(name, mine.size(), layer, slots, slotShapes.size(), out);
            slotShapes.addAll(out);
            mine.add(c);
            calls.add(c);
            layers.put(name, layer);
            return this;
        }

        private int slot(Port p, String caller) {
            int input = inputIndex(p.layer);
            if (input >= 0) {
                if (p.call != 0 || p.output != 0) {
                    throw new IllegalArgumentException("input of layer '" + caller + "' is " + p
                            + ", but '" + p.layer + "' is a model input: use " + p.layer + "[0][0]");
                }
                return input;
            }
            List<Call> mine = callsByName.get(p.layer);
            if (mine == null) {
                throw new IllegalArgumentException("input of layer '" + caller + "' is " + p + ", but no input or"
                        + " earlier layer is named '" + p.layer + "'");
            }
            if (p.call >= mine.size()) {
                throw new IllegalArgumentException("input of layer '" + caller + "' is " + p + ", but '" + p.layer
                        + "' has been called " + mine.size() + " time(s)");
            }
            Call c = mine.get(p.call);
            if (p.output >= c.outputShapes.size()) {
                throw new IllegalArgumentException("input of layer '" + caller + "' is " + p + ", but '" + p.layer
                        + "' has " + c.outputShapes.size() + " output(s)");
            }
            return c.firstOutput + p.output;
        }

        /**
         * Names the model's outputs, in order; each is named after the layer that produces it.
         *
         * @param ports the outputs of earlier calls
         * @return this builder
         */
        public Builder outputs(Port... ports) {
            Checks.notNull("ports", ports);
            outputs.clear();
            for (Port p : ports) {
                outputs.add(Checks.notNull("ports entry", p));
            }
            return this;
        }

        /**
         * Names the model's outputs by layer name (the first output of each layer's first call).
         *
         * @param layers the names of layers already added
         * @return this builder
         */
        public Builder outputs(String... layers) {
            Checks.notNull("layers", layers);
            Port[] ports = new Port[layers.length];
            for (int i = 0; i < layers.length; i++) {
                ports[i] = Port.of(layers[i]);
            }
            return outputs(ports);
        }

        /**
         * Names the outputs, in the order of {@link #outputs}, instead of after their layers (for example a nested
         * model's output named after the nested model).
         *
         * @param names one name per output, unique
         * @return this builder
         */
        public Builder outputNames(List<String> names) {
            Checks.notNull("names", names);
            this.outputNames = List.copyOf(names);
            return this;
        }

        /**
         * The shapes of the given outputs of earlier calls (or inputs), as the model will check them.
         *
         * @param ports outputs of earlier calls or inputs
         * @return their shapes per sample, in the order of {@code ports}
         * @throws IllegalArgumentException when a port does not exist
         */
        public List<Shape> shapes(List<Port> ports) {
            Checks.notNull("ports", ports);
            List<Shape> out = new ArrayList<>();
            for (Port p : ports) {
                out.add(slotShapes.get(slot(Checks.notNull("ports entry", p), "shapes")));
            }
            return out;
        }

        /**
         * Records a fact about the model, shown by {@link Model#summary()}, for example its file format.
         *
         * @param key what the fact is about, for example {@code "format"}
         * @param value the fact
         * @return this builder
         */
        public Builder property(String key, String value) {
            properties.put(Checks.notNull("key", key), Checks.notNull("value", value));
            return this;
        }

        /**
         * Records a rule applied while building the model, shown by {@link Model#summary()}.
         *
         * @param rule the rule, one line
         * @return this builder
         */
        public Builder note(String rule) {
            String r = Checks.notNull("rule", rule);
            if (!notes.contains(r)) {
                notes.add(r);
            }
            return this;
        }

        /**
         * Builds the graph model from the declared inputs, layer calls and outputs.
         *
         * @return an immutable, thread-safe model
         * @throws IllegalStateException when there is no input or no output
         */
        public Model build() {
            if (inputs.isEmpty()) {
                throw new IllegalStateException("the model has no input: call input(name, shape)");
            }
            if (outputs.isEmpty()) {
                throw new IllegalStateException("the model has no output: call outputs(...)");
            }
            int[] outputSlots = new int[outputs.size()];
            List<String> names = new ArrayList<>();
            Map<String, Integer> used = new HashMap<>();
            for (int i = 0; i < outputSlots.length; i++) {
                Port p = outputs.get(i);
                outputSlots[i] = slot(p, "output " + i);
                int n = used.merge(p.layer, 1, Integer::sum);
                names.add(n == 1 ? p.layer : p.layer + "_" + (n - 1));
            }
            if (outputNames != null) {
                if (outputNames.size() != outputSlots.length) {
                    throw new IllegalStateException("outputNames has " + outputNames.size() + " names, expected "
                            + outputSlots.length + " (one per output)");
                }
                names = new ArrayList<>(outputNames);
                if (new java.util.HashSet<>(names).size() != names.size()) {
                    Map<String, Integer> seen = new HashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        int n = seen.merge(names.get(i), 1, Integer::sum);
                        if (n > 1) {
                            names.set(i, names.get(i) + "_" + (n - 1));
                        }
                    }
                }
            }
            return new Model(this, calls, slotShapes.size(), slotShapes.toArray(new Shape[0]), outputSlots, names);
        }
    }

    /**
     * Assembles a chain of layers, each fed by the output of the one before, as a Keras {@code Sequential} model.
     * Not thread-safe; the model it builds is.
     */
    public static final class Chain {
        private String inputName = "input";
        private Shape inputShape;
        private final List<String> names = new ArrayList<>();
        private final List<Layer> layers = new ArrayList<>();
        private final Map<String, Integer> counters = new HashMap<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();

        private Chain() {
        }

        /**
         * Declares the input. Optional when the first layer tells its input: an {@link Embedding} takes token ids
         * {@code [?]}; {@link Rnn}, {@link Bidirectional} and {@link Dense} take sequences {@code [?][inputSize]}.
         *
         * @param name the input's name
         * @param shape one sample's shape
         * @return this chain
         */
        public Chain input(String name, Shape shape) {
            this.inputName = Checks.notNull("name", name);
            this.inputShape = Checks.notNull("shape", shape);
            return this;
        }

        /**
         * Adds a layer named after its class ({@code dense}, {@code dense_1}, ...).
         *
         * @param layer the next layer, fed by the one before
         * @return this chain
         */
        public Chain add(Layer layer) {
            Checks.notNull("layer", layer);
            String base = Names.snakeCase(layer.getClass().getSimpleName());
            int n = counters.merge(base, 1, Integer::sum);
            return add(n == 1 ? base : base + "_" + (n - 1), layer);
        }

        /**
         * Adds a named layer.
         *
         * @param name the layer's name, unique in the model
         * @param layer the next layer, fed by the one before
         * @return this chain
         */
        public Chain add(String name, Layer layer) {
            Checks.notNull("name", name);
            Checks.notNull("layer", layer);
            if (names.contains(name)) {
                throw new IllegalArgumentException("name '" + name + "' is already used");
            }
            names.add(name);
            layers.add(layer);
            return this;
        }

        /**
         * Records a fact about the model; see {@link Builder#property}.
         *
         * @param key what the fact is about, for example {@code "format"}
         * @param value the fact
         * @return this chain
         */
        public Chain property(String key, String value) {
            properties.put(Checks.notNull("key", key), Checks.notNull("value", value));
            return this;
        }

        /**
         * Records a rule applied while building; see {@link Builder#note}.
         *
         * @param rule the rule, one line
         * @return this chain
         */
        public Chain note(String rule) {
            notes.add(Checks.notNull("rule", rule));
            return this;
        }

        /**
         * Builds the chain into a model with one input and one output.
         *
         * @return an immutable, thread-safe model
         * @throws IllegalStateException when there is no layer, or no input shape and the first layer does not tell it
         * @throws IllegalArgumentException when a layer does not fit the output of the one before, naming it
         */
        public Model build() {
            if (layers.isEmpty()) {
                throw new IllegalStateException("the model has no layers: add at least one");
            }
            Shape shape = inputShape != null ? inputShape : inferInput(layers.get(0));
            Builder b = builder().input(inputName, shape);
            String previous = inputName;
            for (int i = 0; i < layers.size(); i++) {
                b.add(names.get(i), layers.get(i), previous);
                previous = names.get(i);
            }
            properties.forEach(b::property);
            notes.forEach(b::note);
            return b.outputs(previous).build();
        }

        private static Shape inferInput(Layer first) {
            if (first instanceof Embedding) {
                return Shape.vector(Shape.UNKNOWN);
            }
            if (first instanceof Rnn) {
                return Shape.sequence(Shape.UNKNOWN, ((Rnn) first).inputSize());
            }
            if (first instanceof Bidirectional) {
                return Shape.sequence(Shape.UNKNOWN, ((Bidirectional) first).inputSize());
            }
            if (first instanceof Dense) {
                return Shape.sequence(Shape.UNKNOWN, ((Dense) first).inputSize());
            }
            throw new IllegalStateException("the first layer " + first + " does not tell its input shape: call"
                    + " input(name, shape)");
        }
    }
}
