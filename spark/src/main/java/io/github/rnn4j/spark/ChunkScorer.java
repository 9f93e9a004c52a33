package io.github.rnn4j.spark;

import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a chunk of rows with {@link Model#runBatch}: rows whose samples have the same shapes (ragged rows differ
 * in time steps) form one batch each, so every row keeps its own length and its result is bit-identical to
 * {@link Model#run} on that row alone.
 *
 * <p>When the model refuses a batch (say one row holds a token id outside the vocabulary), the rows of that batch
 * are run one by one so that only the refused rows fail. Not thread-safe: one per task.
 */
final class ChunkScorer {
    private final Model model;
    private final Port[] inputs;
    private final Port[] outputs;

    ChunkScorer(Model model, Port[] inputs, Port[] outputs) {
        this.model = model;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /**
     * Scores rows.
     *
     * @param samples {@code samples[r][i]} is input {@code i} of row {@code r}, or {@code samples[r] == null} for a
     *        row already known to be bad
     * @param errors receives the reason for each row that the model refuses
     * @return {@code results[r][o]}: output {@code o} of row {@code r} as {@code double[]} or {@code double[][]};
     *         {@code results[r] == null} for a bad row
     */
    Object[][] score(Samples.Sample[][] samples, String[] errors) {
        Object[][] results = new Object[samples.length][];
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int r = 0; r < samples.length; r++) {
            if (samples[r] != null) {
                groups.computeIfAbsent(signature(samples[r]), k -> new ArrayList<>()).add(r);
            }
        }
        for (List<Integer> rows : groups.values()) {
            try {
                runBatch(samples, rows, results);
            } catch (IllegalArgumentException batchRefused) {
                for (int r : rows) {
                    try {
                        results[r] = runOne(samples[r]);
                    } catch (IllegalArgumentException e) {
                        errors[r] = e.getMessage();
                    }
                }
            }
        }
        return results;
    }

    /** Scores one row with {@link Model#run}. */
    Object[] runOne(Samples.Sample[] sample) {
        Map<String, Tensor> in = new HashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            in.put(inputs[i].name, Tensor.of(sample[i].shape, sample[i].data));
        }
        Map<String, Tensor> out = model.run(in);
        Object[] result = new Object[outputs.length];
        for (int o = 0; o < outputs.length; o++) {
            Tensor t = out.get(outputs[o].name);
            result[o] = unflatten(t.data(), 0, t.shape(), 0);
        }
        return result;
    }

    private void runBatch(Samples.Sample[][] samples, List<Integer> rows, Object[][] results) {
        int batch = rows.size();
        Map<String, Tensor> in = new HashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            int[] shape = samples[rows.get(0)][i].shape;
            int size = samples[rows.get(0)][i].data.length;
            double[] flat = new double[Math.multiplyExact(batch, size)];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(samples[rows.get(b)][i].data, 0, flat, b * size, size);
            }
            int[] batchShape = new int[shape.length + 1];
            batchShape[0] = batch;
            System.arraycopy(shape, 0, batchShape, 1, shape.length);
            in.put(inputs[i].name, Tensor.of(batchShape, flat));
        }
        Map<String, Tensor> out = model.runBatch(in);
        for (int b = 0; b < batch; b++) {
            results[rows.get(b)] = new Object[outputs.length];
        }
        for (int o = 0; o < outputs.length; o++) {
            Tensor t = out.get(outputs[o].name);
            double[] data = t.data();
            int[] shape = t.shape();
            int size = batch == 0 ? 0 : data.length / batch;
            for (int b = 0; b < batch; b++) {
                results[rows.get(b)][o] = unflatten(data, b * size, shape, 1);
            }
        }
    }

    /** One sample of {@code shape[from..]} starting at {@code offset}: {@code double[]} or {@code double[][]}. */
    private static Object unflatten(double[] data, int offset, int[] shape, int from) {
        int rank = shape.length - from;
        if (rank == 1) {
            return Arrays.copyOfRange(data, offset, offset + shape[from]);
        }
        int rows = shape[from];
        int cols = shape[from + 1];
        double[][] m = new double[rows][];
        for (int t = 0; t < rows; t++) {
            m[t] = Arrays.copyOfRange(data, offset + t * cols, offset + (t + 1) * cols);
        }
        return m;
    }

    private static String signature(Samples.Sample[] sample) {
        StringBuilder sb = new StringBuilder();
        for (Samples.Sample s : sample) {
            sb.append(Port.dims(s.shape)).append(';');
        }
        return sb.toString();
    }
}
