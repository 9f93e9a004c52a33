package io.github.rnn4j.bench;

/**
 * Weights and inputs of one workload and cell, in Keras layout, the same bits on every side.
 *
 * <p>Every array is filled in row-major order from a counter-based SplitMix64 stream, so
 * {@code benchdata.py} makes exactly the same values with NumPy: then rnn4j, the naive loop, NumPy,
 * PyTorch and ONNX Runtime all compute the same function, and {@link Checksums} can prove it.
 * Weights are uniform in [-0.1, 0.1) so that tanh and sigmoid stay away from saturation; dense inputs
 * are uniform in [-1, 1).
 *
 * <p>Keras layout: {@code kernel} is {@code [inputSize][gates·units]}, {@code recurrentKernel} is
 * {@code [units][gates·units]}, gates in Keras order (LSTM i, f, c, o; GRU z, r, h). {@code bias} is
 * {@code [gates·units]}, or for GRU ({@code reset_after=True}) {@code [2][3·units]}: input bias, recurrent bias.
 */
public final class BenchData {
    static final long KERNEL_SEED = 1;
    static final long RECURRENT_SEED = 2;
    static final long BIAS_SEED = 3;
    static final long RECURRENT_BIAS_SEED = 4;
    static final long EMBEDDING_SEED = 5;
    static final long INPUT_SEED = 6;
    static final long ID_SEED = 7;
    static final double WEIGHT_SCALE = 0.1;

    public final Workload workload;
    public final Cell cell;
    public final double[][] kernel;
    public final double[][] recurrentKernel;
    /** {@code [gates·units]} for SimpleRNN and LSTM; {@code null} for GRU. */
    public final double[] bias;
    /** {@code [2][3·units]} for GRU; {@code null} otherwise. */
    public final double[][] gruBias;
    /** {@code [batch][timeSteps][inputSize]}: one-hot rows of {@link #ids}, or dense random values. */
    public final double[][][] inputs;
    /** {@code [batch][timeSteps]} token ids for one-hot workloads; {@code null} otherwise. */
    public final int[][] ids;
    /** {@code [inputSize][inputSize]} embedding table for the token-id variant of one-hot workloads; else {@code null}. */
    public final double[][] embedding;

    public BenchData(Workload workload, Cell cell) {
        this.workload = workload;
        this.cell = cell;
        int width = cell.gates * workload.units;
        this.kernel = matrix(KERNEL_SEED, workload.inputSize, width, -WEIGHT_SCALE, WEIGHT_SCALE);
        this.recurrentKernel = matrix(RECURRENT_SEED, workload.units, width, -WEIGHT_SCALE, WEIGHT_SCALE);
        if (cell == Cell.GRU) {
            this.bias = null;
            this.gruBias = new double[][] {
                    matrix(BIAS_SEED, 1, width, -WEIGHT_SCALE, WEIGHT_SCALE)[0],
                    matrix(RECURRENT_BIAS_SEED, 1, width, -WEIGHT_SCALE, WEIGHT_SCALE)[0]};
        } else {
            this.bias = matrix(BIAS_SEED, 1, width, -WEIGHT_SCALE, WEIGHT_SCALE)[0];
            this.gruBias = null;
        }
        int steps = workload.timeSteps;
        int n = workload.inputSize;
        this.inputs = new double[workload.batch][steps][n];
        if (workload.oneHot) {
            this.ids = new int[workload.batch][steps];
            this.embedding = matrix(EMBEDDING_SEED, n, n, -1.0, 1.0);
            for (int b = 0; b < workload.batch; b++) {
                for (int t = 0; t < steps; t++) {
                    int id = (int) Math.floor(unit(ID_SEED, (long) b * steps + t) * n);
                    ids[b][t] = id;
                    inputs[b][t][id] = 1.0;
                }
            }
        } else {
            this.ids = null;
            this.embedding = null;
            for (int b = 0; b < workload.batch; b++) {
                double[][] m = matrix(INPUT_SEED, (long) b * steps * n, steps, n, -1.0, 1.0);
                inputs[b] = m;
            }
        }
    }

    /** The {@code i}-th value of stream {@code seed}, uniform in [0, 1) with 53 random bits (SplitMix64). */
    static double unit(long seed, long i) {
        long z = seed + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }

    static double[][] matrix(long seed, int rows, int cols, double lo, double hi) {
        return matrix(seed, 0, rows, cols, lo, hi);
    }

    /** A {@code [rows][cols]} matrix of stream values {@code start, start+1, …} in row-major order. */
    static double[][] matrix(long seed, long start, int rows, int cols, double lo, double hi) {
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = lo + (hi - lo) * unit(seed, start + (long) r * cols + c);
            }
        }
        return m;
    }

    /** The float32 copy of the inputs, flat {@code [batch·timeSteps·inputSize]}, for ONNX Runtime. */
    public float[] inputsAsFloats() {
        int steps = workload.timeSteps;
        int n = workload.inputSize;
        float[] out = new float[workload.batch * steps * n];
        int i = 0;
        for (double[][] seq : inputs) {
            for (double[] row : seq) {
                for (int k = 0; k < n; k++) {
                    out[i++] = (float) row[k];
                }
            }
        }
        return out;
    }

    /** The token ids as flat {@code [batch·timeSteps]} longs, for ONNX Runtime. */
    public long[] idsAsLongs() {
        int steps = workload.timeSteps;
        long[] out = new long[workload.batch * steps];
        for (int b = 0; b < workload.batch; b++) {
            for (int t = 0; t < steps; t++) {
                out[b * steps + t] = ids[b][t];
            }
        }
        return out;
    }

    /** The embedded inputs {@code embedding[ids[b][t]]}, {@code [batch][timeSteps][inputSize]}. */
    public double[][][] embeddedInputs() {
        double[][][] out = new double[workload.batch][workload.timeSteps][];
        for (int b = 0; b < workload.batch; b++) {
            for (int t = 0; t < workload.timeSteps; t++) {
                out[b][t] = embedding[ids[b][t]].clone();
            }
        }
        return out;
    }
}
