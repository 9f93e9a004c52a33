package io.github.rnn4j.io;

import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A loaded weight is copied at most once on its way into a layer (issue 12): measured as the bytes the loading
 * thread allocates ({@code com.sun.management.ThreadMXBean}), against the bytes of the weights themselves. Before
 * the owning factories ({@code internal.Handover}), {@code PyTorch.linear} allocated four copies of the weight
 * (tensor data, rows, transpose, constructor copy) and a reader's {@code Tensor} one more.
 */
class WeightCopiesTest {
    private static final int IN = 300;
    private static final int OUT = 400;
    /** One copy of the weight, in bytes. */
    private static final long WEIGHT_BYTES = 8L * IN * OUT;

    @TempDir
    Path dir;

    @Test
    void aLinearLayerIsBuiltWithOneCopyOfItsWeight() throws Exception {
        Map<String, Tensor> stateDict = Map.of("fc.weight", random(OUT, IN), "fc.bias", random(1, OUT).slice(0));
        PyTorch.linear(stateDict, "fc", IN, OUT); // warm-up: class loading and JIT allocate too
        long bytes = allocatedBy(() -> PyTorch.linear(stateDict, "fc", IN, OUT));
        assertThat(bytes).as("bytes allocated to build nn.Linear(%d, %d) from a %d-byte weight", IN, OUT,
                WEIGHT_BYTES).isBetween(WEIGHT_BYTES, WEIGHT_BYTES + WEIGHT_BYTES / 4);
    }

    @Test
    void anLstmIsBuiltWithOneCopyOfEachWeight() throws Exception {
        int hidden = 100;
        int in = 150;
        Map<String, Tensor> stateDict = Map.of("lstm.weight_ih_l0", random(4 * hidden, in),
                "lstm.weight_hh_l0", random(4 * hidden, hidden), "lstm.bias_ih_l0", random(1, 4 * hidden).slice(0),
                "lstm.bias_hh_l0", random(1, 4 * hidden).slice(0));
        long weights = 8L * 4 * hidden * (in + hidden + 2);
        PyTorchRecurrent module = PyTorch.lstm(in, hidden);
        module.layers(stateDict, "lstm", PyTorchRecurrent.Output.SEQUENCE);
        long bytes = allocatedBy(() -> module.layers(stateDict, "lstm", PyTorchRecurrent.Output.SEQUENCE));
        // The two biases are summed into one: one copy of the weights is at most `weights` bytes.
        assertThat(bytes).as("bytes allocated to build nn.LSTM(%d, %d) from %d bytes of weights", in, hidden,
                weights).isBetween(weights - 8L * 4 * hidden, weights + weights / 4);
    }

    @Test
    void aReaderHandsItsArrayToTheTensorWithoutACopy() throws Exception {
        Path file = dir.resolve("w.npy");
        NumPy.writeNpy(file, random(OUT, IN), NumPy.Dtype.FLOAT64);
        NumPy.readNpy(file);
        long bytes = allocatedBy(() -> NumPy.readNpy(file));
        // The file's bytes and the decoded doubles; a copy into the Tensor would be one more WEIGHT_BYTES.
        assertThat(bytes).as("bytes allocated to read a %d-byte .npy", WEIGHT_BYTES)
                .isBetween(WEIGHT_BYTES, 2 * WEIGHT_BYTES + WEIGHT_BYTES / 4);
    }

    private static Tensor random(int rows, int cols) {
        Random r = new Random(rows * 31L + cols);
        double[] data = new double[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextGaussian();
        }
        return Tensor.of(new int[] {rows, cols}, data);
    }

    /** The bytes this thread allocates while running {@code action}. */
    private static long allocatedBy(Callable<?> action) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        Object result = action.call();
        long after = threads.getThreadAllocatedBytes(id);
        assertThat(result).isNotNull();
        return after - before;
    }
}
