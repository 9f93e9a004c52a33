package io.github.rnn4j.io;

import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int kind = i % 3;
                Callable<Boolean> task = () -> {
                    if (kind == 0) {
                        Map<String, Tensor> m = NumPy.readNpz(npz);
                        return m.keySet().equals(npzOnce.keySet()) && Arrays.equals(
                                m.get("kernel").data(), npzOnce.get("kernel").data());
                    }
                    if (kind == 1) {
                        Map<String, Tensor> m = Safetensors.read(st);
                        return Arrays.equals(m.get("rnn.kernel").data(), stOnce.get("rnn.kernel").data());
                    }
                    Model model = KerasModels.load(keras);
                    return Arrays.equals(model.predict(x), kerasOnce);
                };
                results.add(pool.submit(task));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
