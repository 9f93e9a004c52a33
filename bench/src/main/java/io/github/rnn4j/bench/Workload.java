package io.github.rnn4j.bench;

/**
 * The benchmark workloads: sizes of one recurrent layer and of its input.
 *
 * <p>The same four workloads, with the same names and sizes, are in {@code benchdata.py}, which the
 * Python side (NumPy, PyTorch, the ONNX export) reads; change both together.
 */
public enum Workload {
    /** The hello example: one-hot input of 5, 3 units, 5 steps. */
    HELLO(5, 3, 5, 1, true),
    /** A character model: one-hot input of 64 (or token ids with a 64×64 embedding), 128 units, 100 steps. */
    CHAR(64, 128, 100, 1, true),
    /** A batch of 64 sequences of dense random input of 64, 256 units, 100 steps. */
    BATCH(64, 256, 100, 64, false),
    /** A wide layer: dense random input of 256, 1024 units, 50 steps. */
    WIDE(256, 1024, 50, 1, false);

    /** The length of each input vector (the vocabulary size for one-hot input). */
    public final int inputSize;
    public final int units;
    public final int timeSteps;
    public final int batch;
    /** Whether the input is one-hot rows made from token ids, rather than dense random values. */
    public final boolean oneHot;

    Workload(int inputSize, int units, int timeSteps, int batch, boolean oneHot) {
        this.inputSize = inputSize;
        this.units = units;
        this.timeSteps = timeSteps;
        this.batch = batch;
        this.oneHot = oneHot;
    }

    /** Floating-point operations of one sequence: {@code timeSteps · 2 · gates · (inputSize·units + units²)}. */
    public double flopsPerSequence(Cell cell) {
        return (double) timeSteps * 2.0 * cell.gates * ((double) inputSize * units + (double) units * units);
    }
}
