package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.internal.Kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * A recurrent layer: runs an {@link RnnCell} over the time steps of a sequence, as Keras's {@code RNN} layer.
 *
 * <p>{@code h_t = cell(x_t, h_{t-1})} for {@code t = 1..timeSteps}, from zero states or given initial states;
 * {@code inputs} is {@code [timeSteps][inputSize]}. Options follow Keras (keras/src/layers/rnn/rnn.py and
 * keras/src/backend/tensorflow/rnn.py):
 * <ul>
 *   <li>{@code goBackwards}: the input and the mask are read in reverse time; the returned sequence stays in
 *       processing order (it is not flipped back) and {@code last()} is the output for time step 0.</li>
 *   <li>masking: at a masked step nothing is computed, all states carry over, and the output repeats the
 *       previous output (zeros before the first computed step), or is zeros with {@code zeroOutputForMask}.</li>
 * </ul>
 * Settings are chosen with immutable withers. Immutable and thread-safe: one instance can serve many threads.
 */
public final class Rnn implements Layer {
    /** Time steps whose input projections a single sequence computes in one product; see {@link #runBatch}. */
    static final int AHEAD = 32;

    private final RnnCell cell;
    private final BaseCell core;
    private final boolean returnSequences;
    private final boolean returnState;
    private final boolean goBackwards;
    private final boolean zeroOutputForMask;
    /** Runs the helpers of a unit split; {@code null} when {@link #threads} is 1. */
    private final Executor executor;
    private final int threads;
    /** The smallest layer, in units, whose steps are split: {@link #MIN_SPLIT_UNITS} unless a test sets it. */
    private final int minSplitUnits;

    /**
     * The fewest units for which {@link #withThreads(Executor, int)} splits a step: below it, the barrier each step
     * needs (a few microseconds) is no longer small against half a step's work. At 256 units and inputSize 256 an
     * LSTM step is about 1 MFLOP (about 100 µs on one core), a SimpleRNN step a quarter of that. The crossover could
     * not be measured on a quiet machine yet (docs/performance.md, W4 section, has the benchmark to rerun:
     * {@code Rnn4jBenchmark.split1Thread/split2Threads}); {@link #withThreads(Executor, int, int)} sets another
     * threshold.
     */
    public static final int MIN_SPLIT_UNITS = 256;

    private Rnn(RnnCell cell, boolean returnSequences, boolean returnState, boolean goBackwards,
                boolean zeroOutputForMask) {
        this(cell, returnSequences, returnState, goBackwards, zeroOutputForMask, null, 1, MIN_SPLIT_UNITS);
    }

    private Rnn(RnnCell cell, boolean returnSequences, boolean returnState, boolean goBackwards,
                boolean zeroOutputForMask, Executor executor, int threads, int minSplitUnits) {
        this.cell = cell;
        this.core = (BaseCell) cell;
        this.returnSequences = returnSequences;
        this.returnState = returnState;
        this.goBackwards = goBackwards;
        this.zeroOutputForMask = zeroOutputForMask;
        this.executor = executor;
        this.threads = threads;
        this.minSplitUnits = minSplitUnits;
    }

    /**
     * Wraps a cell with the Keras defaults: last output only, no states, forward in time, no zero output for masks.
     *
     * @param cell the cell run at each step
     * @return a layer returning only the last output
     */
    public static Rnn of(RnnCell cell) {
        Checks.notNull("cell", cell);
        return new Rnn(cell, false, false, false, false);
    }

    /**
     * Returns a copy that also returns the output of every step (Keras {@code return_sequences}).
     *
     * @param on {@code true} to return every step
     * @return a new layer; this one is unchanged
     */
    public Rnn returnSequences(boolean on) {
        return new Rnn(cell, on, returnState, goBackwards, zeroOutputForMask, executor, threads, minSplitUnits);
    }

    /**
     * Returns a copy that also returns the final states (Keras {@code return_state}).
     *
     * @param on {@code true} to return the states
     * @return a new layer; this one is unchanged
     */
    public Rnn returnState(boolean on) {
        return new Rnn(cell, returnSequences, on, goBackwards, zeroOutputForMask, executor, threads, minSplitUnits);
    }

    /**
     * Returns a copy that reads the sequence backwards (Keras {@code go_backwards}).
     *
     * @param on {@code true} to read from the last step to the first
     * @return a new layer; this one is unchanged
     */
    public Rnn goBackwards(boolean on) {
        return new Rnn(cell, returnSequences, returnState, on, zeroOutputForMask, executor, threads, minSplitUnits);
    }

    /**
     * Returns a copy whose masked steps output zeros instead of the previous output (Keras {@code
     * zero_output_for_mask}).
     *
     * @param on {@code true} to output zeros at masked steps
     * @return a new layer; this one is unchanged
     */
    public Rnn zeroOutputForMask(boolean on) {
        return new Rnn(cell, returnSequences, returnState, goBackwards, on, executor, threads, minSplitUnits);
    }

    /**
     * Returns a copy that splits each time step of a single sequence across {@code threads} threads: the calling
     * thread and {@code threads − 1} helper tasks that every call hands to {@code executor} (once per call, not per
     * step). Each thread computes the input projection, the recurrent product's columns and the gate arithmetic of
     * its share of the units; the threads meet at a spin-then-park barrier after each step. Results are
     * bit-identical to one thread: every output element is summed in the same order.
     *
     * <p>Used only where it pays: single sequences (a batch already runs one matrix product per step; split a batch
     * with {@link #forward(double[][][], boolean[][], Executor, int)}) of a layer with at least
     * {@link #MIN_SPLIT_UNITS} units. The executor and its threads stay the caller's: rnn4j starts no thread and
     * keeps none. The calling thread never waits for a helper the executor has not started: it computes those units
     * itself (helpers that start late join at the next step; those that never start are cancelled when the call
     * ends), so a busy, saturated, direct or shut-down executor costs speed, never a hang or a wrong result. Give
     * the executor at least {@code threads − 1} threads per concurrent caller for the full speed-up, for example
     * {@code Executors.newFixedThreadPool(threads - 1)} for one caller at a time. Immutable and thread-safe: one
     * layer can serve many threads, each call running its own helpers.
     *
     * @param executor runs the helper tasks; not shut down or kept beyond a call by rnn4j
     * @param threads threads per step including the calling thread, at least 1; 1 means no split
     */
    @Override
    public Rnn withThreads(Executor executor, int threads) {
        Checks.notNull("executor", executor);
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + ", expected at least 1");
        }
        return withThreads(executor, threads, MIN_SPLIT_UNITS);
    }

    /**
     * {@link #withThreads(Executor, int)} with another threshold: steps split only when the layer has at least
     * {@code minUnits} units. For benchmarks and for machines whose crossover differs from the measured
     * {@link #MIN_SPLIT_UNITS}; results are bit-identical either way.
     *
     * @param executor runs the helper tasks, one per extra thread and call
     * @param threads the number of threads a single sequence's steps are split across, at least 1
     * @param minUnits the fewest units that split, at least 1
     * @return the threaded copy of this layer
     * @throws IllegalArgumentException when {@code executor} is {@code null}, or {@code threads} or {@code minUnits}
     *         is below 1
     */
    public Rnn withThreads(Executor executor, int threads, int minUnits) {
        Checks.notNull("executor", executor);
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + ", expected at least 1");
        }
        if (minUnits < 1) {
            throw new IllegalArgumentException("minUnits is " + minUnits + ", expected at least 1");
        }
        return new Rnn(cell, returnSequences, returnState, goBackwards, zeroOutputForMask,
                threads == 1 ? null : executor, threads, minUnits);
    }

    /**
     * The threads per step of a single sequence set by {@link #withThreads}.
     *
     * @return the thread count, 1 unless set
     */
    public int threads() {
        return threads;
    }

    /**
     * The wrapped cell.
     *
     * @return the cell given at construction
     */
    public RnnCell cell() {
        return cell;
    }

    /**
     * Whether this layer returns the output of every step in {@link RnnOutput#sequence()}.
     *
     * @return {@code true} after {@code returnSequences(true)}
     */
    public boolean returnsSequences() {
        return returnSequences;
    }

    /**
     * Whether this layer returns its final states in {@link RnnOutput#states()}.
     *
     * @return {@code true} after {@code returnState(true)}
     */
    public boolean returnsState() {
        return returnState;
    }

    /**
     * Whether the sequence is read backwards.
     *
     * @return {@code true} after {@code goBackwards(true)}
     */
    public boolean isGoBackwards() {
        return goBackwards;
    }

    /**
     * Whether masked steps output zeros.
     *
     * @return {@code true} after {@code zeroOutputForMask(true)}
     */
    public boolean isZeroOutputForMask() {
        return zeroOutputForMask;
    }

    /**
     * The length of each input vector: the cell's {@code inputSize}.
     *
     * @return the cell's {@code inputSize}
     */
    public int inputSize() {
        return cell.inputSize();
    }

    /**
     * The length of each output vector ({@code units}).
     *
     * @return the cell's {@code units}
     */
    public int outputSize() {
        return cell.units();
    }

    /**
     * Runs the layer from zero states without a mask; {@code inputs} is {@code [timeSteps][inputSize]}.
     *
     * @param inputs {@code [timeSteps][inputSize]}, at least one step
     * @return the last output, with the sequence and states as configured
     */
    public RnnOutput forward(double[][] inputs) {
        return forward(inputs, null, null);
    }

    /**
     * Runs the layer from zero states with a mask.
     *
     * @param inputs {@code [timeSteps][inputSize]}, at least one step
     * @param mask {@code [timeSteps]}, {@code true} where the step is used; {@code null} for no mask
     * @return the last output, with the sequence and states as configured
     */
    public RnnOutput forward(double[][] inputs, boolean[] mask) {
        return forward(inputs, mask, null);
    }

    /**
     * Runs the layer over one sequence.
     *
     * @param inputs {@code [timeSteps][inputSize]}, at least one step
     * @param mask {@code [timeSteps]}, {@code true} where the step is used; {@code null} for no mask
     * @param initialState the states to start from in Keras order ({@code [h]} or {@code [h, c]}, each
     *        {@code [units]}); {@code null} for zeros
     * @return the last output, with the sequence and states as configured
     * @throws IllegalArgumentException when a shape does not match, naming the parameter and both shapes, or when an
     *         input or initial state holds NaN or infinity, naming its position {@code inputs[t][j]} (checking is
     *         one pass over the input: 0.2% of the layer's time for an LSTM at inputSize 32, units 64, 1% at 8 and 8)
     */
    public RnnOutput forward(double[][] inputs, boolean[] mask, List<double[]> initialState) {
        int timeSteps = checkInputs("inputs", inputs, core.inputSize);
        checkMask("mask", mask, timeSteps);
        double[][] state = initialState == null ? new double[core.stateCount()][core.units]
                : BaseCell.copyStates("initialState", initialState, core.stateCount(), core.units);
        return run(inputs, mask, state);
    }

    /**
     * Runs the layer on token ids, each standing for the one-hot row {@code e_id} of {@code inputSize}: the input
     * projection is a row lookup, {@code x_t·W = W[id_t]}. Same result as {@code forward(oneHotRows, mask)}.
     *
     * @param ids {@code [timeSteps]}, each in {@code [0, inputSize)}
     * @param mask {@code [timeSteps]} or {@code null}
     * @return the last output, with the sequence and states as configured
     */
    public RnnOutput forward(int[] ids, boolean[] mask) {
        Checks.notNull("ids", ids);
        if (ids.length == 0) {
            throw Checks.shape("ids", "[timeSteps] with timeSteps >= 1", "[0]");
        }
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] < 0 || ids[t] >= core.inputSize) {
                throw new IllegalArgumentException("ids[" + t + "] is " + ids[t] + ", expected an id in [0, "
                        + core.inputSize + ") (a one-hot index of inputSize)");
            }
        }
        checkMask("mask", mask, ids.length);
        return runBatch(null, new int[][] {ids}, mask == null ? null : new boolean[][] {mask},
                null, 0, 1)[0];
    }

    /**
     * Runs the layer over a batch of sequences, which may differ in length, from zero states.
     *
     * @param inputs {@code [batch][timeSteps_b][inputSize]}
     * @return one output per sequence, in batch order
     */
    public List<RnnOutput> forward(double[][][] inputs) {
        return forward(inputs, null);
    }

    /**
     * Runs the layer over a batch of sequences with masks, from zero states; each result equals {@code forward}
     * on that sequence alone.
     *
     * @param inputs {@code [batch][timeSteps_b][inputSize]}
     * @param masks {@code [batch][timeSteps_b]}, or {@code null} for no masks; a {@code null} row means no mask
     *        for that sequence
     * @return one output per sequence, in order
     */
    public List<RnnOutput> forward(double[][][] inputs, boolean[][] masks) {
        checkBatch(inputs, masks);
        if (inputs.length == 0) {
            return List.of();
        }
        return List.of(runBatch(inputs, null, masks, null, 0, inputs.length));
    }

    /**
     * Runs a batch as {@link #forward(double[][][], boolean[][])}, splitting the sequences across the tasks of
     * {@code executor}. Results are identical, bit for bit, to the single-threaded call: every sequence is computed
     * the same way whichever thread runs it.
     *
     * @param inputs {@code [batch][timeSteps_b][inputSize]}
     * @param masks {@code [batch][timeSteps_b]}, or {@code null} for no masks
     * @param executor runs the parts, for example a {@code ForkJoinPool} or a fixed thread pool
     * @param parts how many tasks to split the batch into, at least 1 (usually the number of threads)
     * @return one output per sequence, in order
     */
    public List<RnnOutput> forward(double[][][] inputs, boolean[][] masks, Executor executor, int parts) {
        Checks.notNull("executor", executor);
        if (parts < 1) {
            throw new IllegalArgumentException("parts is " + parts + ", expected at least 1");
        }
        checkBatch(inputs, masks);
        RnnOutput[] out = new RnnOutput[inputs.length];
        int n = Math.min(parts, inputs.length);
        List<CompletableFuture<Void>> tasks = new ArrayList<>(n);
        for (int part = 0; part < n; part++) {
            int from = (int) ((long) inputs.length * part / n);
            int to = (int) ((long) inputs.length * (part + 1) / n);
            tasks.add(CompletableFuture.runAsync(() -> {
                RnnOutput[] results = runBatch(inputs, null, masks, null, from, to);
                System.arraycopy(results, 0, out, from, to - from);
            }, executor));
        }
        try {
            CompletableFuture.allOf(tasks.toArray(new CompletableFuture[0])).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw e;
        }
        return List.of(out);
    }

    /** Checks a batch: every sequence {@code [timeSteps_b][inputSize]}, masks (if any) one per sequence and step. */
    private void checkBatch(double[][][] inputs, boolean[][] masks) {
        Checks.notNull("inputs", inputs);
        if (masks != null && masks.length != inputs.length) {
            throw Checks.shape("masks", Checks.dims(inputs.length, -1), Checks.dims(masks.length, -1));
        }
        for (int b = 0; b < inputs.length; b++) {
            int timeSteps = checkInputs("inputs[" + b + "]", inputs[b], core.inputSize);
            if (masks != null) {
                checkMask("masks[" + b + "]", masks[b], timeSteps);
            }
        }
    }

    /**
     * Checks a sequence {@code [timeSteps][inputSize]} with at least one step and finite values, naming the
     * position of a NaN or infinity ({@code inputs[t][j]}): one pass over the input, 0.2% of the time of an LSTM
     * layer at inputSize 32, units 64 (measured; see {@link Checks#finiteValues(String, double[][])}).
     */
    static int checkInputs(String name, double[][] inputs, int inputSize) {
        Checks.notNull(name, inputs);
        if (inputs.length == 0) {
            throw Checks.shape(name, "[timeSteps][" + inputSize + "] with timeSteps >= 1", "[0][" + inputSize + "]");
        }
        Checks.finiteMatrix(name, inputs, -1, inputSize);
        return inputs.length;
    }

    static void checkMask(String name, boolean[] mask, int timeSteps) {
        if (mask != null && mask.length != timeSteps) {
            throw Checks.shape(name, Checks.dims(timeSteps) + " (one entry per time step)", Checks.dims(mask.length));
        }
    }

    /** Runs one checked sequence; {@code state} is owned by this call and ends as the final states. */
    RnnOutput run(double[][] inputs, boolean[] mask, double[][] state) {
        return runBatch(new double[][][] {inputs}, null, mask == null ? null : new boolean[][] {mask},
                new double[][][] {state}, 0, 1)[0];
    }

    /**
     * Runs checked sequences {@code from..to-1} of a batch, all time steps of all sequences at once: step {@code p}
     * is one matrix product over the sequences that are still running. Sequences are ordered longest first, so the
     * running ones are always a prefix. Allocates per call, not per step, apart from the returned rows.
     *
     * <p>A single sequence of vectors (batch 1) projects its inputs {@value #AHEAD} steps at a time instead, as one
     * matrix product {@code X[steps][inputSize]·W}, before those steps run: the kernels reuse each row of {@code W}
     * across the steps instead of streaming all of {@code W} once per step. Rows are summed as alone, so the results
     * are those of the step-by-step projection, bit for bit. A sequence whose first row is one-hot-like
     * ({@link Kernels#isSparse}) keeps the per-step path: its rows are lookups, with nothing to reuse.
     *
     * @param inputs input vectors per sequence, or {@code null} when {@code ids} are given
     * @param ids token ids per sequence, standing for one-hot rows of {@code inputSize}; or {@code null}
     * @param init initial states per sequence ({@code [batch][states][units]}, owned by this call), or {@code null}
     *        for zeros; a {@code null} entry also means zeros
     * @return the outputs of sequences {@code from..to-1}, that of sequence {@code b} at index {@code b - from}
     */
    RnnOutput[] runBatch(double[][][] inputs, int[][] ids, boolean[][] masks, double[][][] init, int from, int to) {
        int n = to - from;
        int units = core.units;
        int stateCount = core.stateCount();
        int[] lengths = new int[n];
        for (int b = from; b < to; b++) {
            lengths[b - from] = ids != null ? ids[b].length : inputs[b].length;
        }
        int[] order = longestFirst(lengths, from, to);
        int[] length = new int[n];
        double[][][] state = new double[stateCount][n][];
        boolean anyMask = false;
        for (int i = 0; i < n; i++) {
            int b = order[i];
            length[i] = lengths[b - from];
            double[][] start = init == null ? null : init[b];
            for (int s = 0; s < stateCount; s++) {
                state[s][i] = start == null ? new double[units] : start[s];
            }
            anyMask |= masks != null && masks[b] != null;
        }
        // One sequence of vectors: the projections of up to AHEAD steps at once, one blocked product before their
        // steps run (each row is summed as it would be alone, so results do not change).
        // One-hot rows are row lookups either way, so a sequence that starts with one keeps the per-step path.
        // A wide single sequence split by units across threads projects step by step, each thread its own units.
        boolean split = n == 1 && threads > 1 && core.units >= minSplitUnits;
        boolean ahead = !split && n == 1 && ids == null && length[0] > 1
                && !Kernels.isSparse(inputs[order[0]][0], core.inputSize);
        int block = ahead ? Math.min(AHEAD, length[0]) : n;
        double[][] z = new double[block][core.width];
        double[][] x = new double[block][];
        double[][] denseX = new double[block][];
        double[][] denseZ = new double[block][];
        double[][] zStep = ahead ? new double[1][] : z;
        double[][][] scratch = core.newScratch(n);
        float[] acc = core.newAccumulator();
        // The output of each sequence's latest step; without masks it is h itself.
        double[][] previous = anyMask ? new double[n][units] : state[0];
        double[][][] saved = anyMask ? new double[stateCount][n][units] : null;
        boolean[] masked = new boolean[n];
        double[][][] sequences = returnSequences ? new double[n][][] : null;
        if (sequences != null) {
            for (int i = 0; i < n; i++) {
                sequences[i] = new double[length[i]][];
            }
        }
        int running = n;
        UnitTeam team = split ? UnitTeam.start(core, executor, threads) : null;
        try {
            for (int p = 0; p < length[0]; p++) {
                while (length[running - 1] <= p) {
                    running--;
                }
                for (int i = 0; i < running; i++) {
                    int b = order[i];
                    int t = goBackwards ? length[i] - 1 - p : p;
                    if (ids == null) {
                        x[i] = inputs[b][t];
                    }
                    masked[i] = masks != null && masks[b] != null && !masks[b][t];
                    if (masked[i]) {
                        for (int s = 0; s < stateCount; s++) {
                            System.arraycopy(state[s][i], 0, saved[s][i], 0, units);
                        }
                    }
                }
                if (team != null) {
                    team.step(x[0], ids == null ? 0 : ids[order[0]][goBackwards ? length[0] - 1 - p : p], z[0], state,
                            acc);
                } else if (ahead) {
                    int q = p % block;
                    if (q == 0) {
                        int steps = Math.min(block, length[0] - p);
                        double[][] sequence = inputs[order[0]];
                        for (int r = 0; r < steps; r++) {
                            x[r] = sequence[goBackwards ? length[0] - 1 - (p + r) : p + r];
                        }
                        core.projectRows(x, steps, z, denseX, denseZ, acc);
                    }
                    zStep[0] = z[q];
                    core.stepRows(zStep, state, running, scratch, acc);
                } else if (ids == null) {
                    core.projectRows(x, running, z, denseX, denseZ, acc);
                    core.stepRows(z, state, running, scratch, acc);
                } else {
                    for (int i = 0; i < running; i++) {
                        core.projectId(ids[order[i]][goBackwards ? length[i] - 1 - p : p], z[i]);
                    }
                    core.stepRows(z, state, running, scratch, acc);
                }
                for (int i = 0; i < running; i++) {
                    if (masked[i]) {
                        for (int s = 0; s < stateCount; s++) {
                            System.arraycopy(saved[s][i], 0, state[s][i], 0, units);
                        }
                    } else if (anyMask) {
                        System.arraycopy(state[0][i], 0, previous[i], 0, units);
                    }
                    if (sequences != null) {
                        sequences[i][p] = masked[i] && zeroOutputForMask ? new double[units] : previous[i].clone();
                    }
                }
            }
        } finally {
            if (team != null) {
                team.finish();
            }
        }
        RnnOutput[] out = new RnnOutput[n];
        for (int i = 0; i < n; i++) {
            double[] last = masked[i] && zeroOutputForMask ? new double[units] : previous[i].clone();
            List<double[]> states = null;
            if (returnState) {
                double[][] own = new double[stateCount][];
                for (int s = 0; s < stateCount; s++) {
                    own[s] = state[s][i];
                }
                states = List.of(own);
            }
            out[order[i] - from] = new RnnOutput(sequences == null ? null : sequences[i], last, states, null);
        }
        return out;
    }

    /** Indices {@code from..to-1} ordered by decreasing length ({@code lengths[b - from]}), ties in index order. */
    private static int[] longestFirst(int[] lengths, int from, int to) {
        int n = to - from;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            int b = from + i;
            int j = i;
            while (j > 0 && lengths[order[j - 1] - from] < lengths[i]) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = b;
        }
        return order;
    }

    /**
     * Runs the layer on one sample: {@code inputs} is the sequence then, optionally, the initial states in Keras
     * order; returns the sequence (with the input's mask) or the last output, then the final states when
     * {@code returnState} is on, as a Keras {@code RNN} call (keras/src/layers/rnn/rnn.py, {@code compute_mask}).
     */
    @Override
    public List<Value> apply(List<Value> inputs) {
        int n = Inputs.values(this, inputs, 1, 1 + core.stateCount());
        Value.Sequence x = Inputs.sequence(this, inputs, 0);
        List<double[]> initial = null;
        if (n > 1) {
            if (n != 1 + core.stateCount()) {
                throw new IllegalArgumentException("Rnn takes its sequence and " + core.stateCount()
                        + " initial states, got " + (n - 1) + " initial states");
            }
            initial = new ArrayList<>(n - 1);
            for (int i = 1; i < n; i++) {
                initial.add(Inputs.vector(this, inputs, i).values());
            }
        }
        RnnOutput out = forward(x.steps(), x.mask(), initial);
        List<Value> result = new ArrayList<>(returnState ? 1 + core.stateCount() : 1);
        result.add(returnSequences ? new Value.Sequence(out.sequence(), x.mask()) : new Value.Vector(out.last()));
        if (returnState) {
            for (double[] state : out.states()) {
                result.add(new Value.Vector(state));
            }
        }
        return result;
    }

    /**
     * Runs {@link #apply} on every sample of a batch at once, through the step-major batch engine: each step is
     * one matrix product over the samples still running. Each result equals {@code apply} on that sample alone, bit
     * for bit. Samples take their sequence only (no initial states).
     *
     * @param samples per sample, the inputs of {@link #apply}: one sequence
     * @return per sample, the outputs of {@link #apply}
     * @throws IllegalArgumentException as {@link #apply}, for the first sample that does not fit
     */
    public List<List<Value>> applyBatch(List<List<Value>> samples) {
        Checks.notNull("samples", samples);
        int n = samples.size();
        double[][][] steps = new double[n][][];
        boolean[][] masks = new boolean[n][];
        for (int b = 0; b < n; b++) {
            List<Value> inputs = samples.get(b);
            Inputs.count(this, inputs, 1, 1);
            Value.Sequence x = Inputs.sequence(this, inputs, 0);
            int timeSteps = checkInputs("inputs", x.steps(), core.inputSize);
            checkMask("mask", x.mask(), timeSteps);
            steps[b] = x.steps();
            masks[b] = x.mask();
        }
        RnnOutput[] outs = n == 0 ? new RnnOutput[0] : runBatch(steps, null, masks, null, 0, n);
        List<List<Value>> results = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            RnnOutput out = outs[b];
            List<Value> result = new ArrayList<>(returnState ? 1 + core.stateCount() : 1);
            result.add(returnSequences ? new Value.Sequence(out.sequence(), masks[b]) : new Value.Vector(out.last()));
            if (returnState) {
                for (double[] state : out.states()) {
                    result.add(new Value.Vector(state));
                }
            }
            results.add(result);
        }
        return results;
    }

    @Override
    public List<Shape> outputShapes(List<Shape> inputs) {
        int n = Inputs.count(this, inputs, 1, 1 + core.stateCount());
        Shape x = Inputs.sequenceShape(this, inputs, 0, core.inputSize);
        if (n > 1 && n != 1 + core.stateCount()) {
            throw new IllegalArgumentException("Rnn takes its sequence and " + core.stateCount()
                    + " initial states, got " + (n - 1) + " initial states");
        }
        for (int i = 1; i < n; i++) {
            Inputs.shape(this, i, inputs.get(i), Shape.vector(core.units));
        }
        List<Shape> out = new ArrayList<>();
        out.add(returnSequences ? Shape.sequence(x.timeSteps(), core.units) : Shape.vector(core.units));
        if (returnState) {
            for (int i = 0; i < core.stateCount(); i++) {
                out.add(Shape.vector(core.units));
            }
        }
        return out;
    }

    /** A copy whose cell stores its weights as float32 and computes its products in float32. */
    @Override
    public Rnn float32() {
        return core.isFloat32() ? this
                : new Rnn((RnnCell) core.float32(), returnSequences, returnState, goBackwards, zeroOutputForMask,
                        executor, threads, minSplitUnits);
    }

    /** Whether the cell's weights are float32. */
    boolean isFloat32() {
        return core.isFloat32();
    }

    @Override
    public long parameterCount() {
        return core.parameterCount();
    }

    /** {@link Streaming#RECURRENT} when reading forwards; a {@code goBackwards} layer needs the whole sequence. */
    @Override
    public Streaming streaming() {
        return goBackwards ? Streaming.WHOLE_SEQUENCE : Streaming.RECURRENT;
    }

    @Override
    public String toString() {
        return "Rnn[" + cell.getClass().getSimpleName() + ", units=" + cell.units() + ", inputSize="
                + cell.inputSize() + ", returnSequences=" + returnSequences + ", returnState=" + returnState
                + ", goBackwards=" + goBackwards + ", zeroOutputForMask=" + zeroOutputForMask + "]";
    }
}
