package io.github.rnn4j.io;

import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import io.github.rnn4j.testing.Concurrently;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The loaders are stateless: many threads reading the same files at once get the single-threaded results. */
class ConcurrentLoadingTest {
    @Test
    void loadersAreThreadSafe() throws Exception {
        Path npz = Resources.fixture("numpy/deflated.npz");
        Path st = Resources.fixture("safetensors/mixed.safetensors");
        Path keras = Resources.fixture("keras_synthetic/k3_lstm_backwards.h5");
        double[][] x = {{0.5, -1.0}, {2.0, 0.25}, {-0.75, 1.5}};
        Map<String, Tensor> npzOnce = NumPy.readNpz(npz);
        Map<String, Tensor> stOnce = Safetensors.read(st);
        double[] kerasOnce = KerasModels.load(keras).predict(x);
        assertThat(npzOnce).isNotEmpty();
        assertThat(stOnce).isNotEmpty();
        // 8 threads released together, each reading all three formats in a different order, 8 rounds each.
        List<List<String>> runs = Concurrently.run(8, thread -> () -> {
            List<String> mismatches = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                int kind = (thread + round) % 3;
                if (kind == 0) {
                    Map<String, Tensor> m = NumPy.readNpz(npz);
                    if (!m.keySet().equals(npzOnce.keySet())) {
                        mismatches.add("npz keys " + m.keySet());
                    }
                    for (String k : npzOnce.keySet()) {
                        if (!Arrays.equals(m.get(k).data(), npzOnce.get(k).data())
                                || !Arrays.equals(m.get(k).shape(), npzOnce.get(k).shape())) {
                            mismatches.add("npz " + k);
                        }
                    }
                } else if (kind == 1) {
                    Map<String, Tensor> m = Safetensors.read(st);
                    if (!m.keySet().equals(stOnce.keySet())) {
                        mismatches.add("safetensors keys " + m.keySet());
                    }
                    for (String k : stOnce.keySet()) {
                        if (!Arrays.equals(m.get(k).data(), stOnce.get(k).data())) {
                            mismatches.add("safetensors " + k);
                        }
                    }
                } else if (!Arrays.equals(KerasModels.load(keras).predict(x), kerasOnce)) {
                    mismatches.add("keras predict");
                }
            }
            return mismatches;
        });
        assertThat(runs).hasSize(8);
        for (List<String> mismatches : runs) {
            assertThat(mismatches).as("reads that differ from the single-threaded result").isEmpty();
        }
    }
}
