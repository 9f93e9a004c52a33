package io.github.rnn4j.model;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Bidirectional;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.GruCell;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.MergeMode;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.testing.NaiveRnn;
import io.github.rnn4j.text.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One Model shared by many threads, started together on a latch: every output (sequences, last outputs, returned
 * states), every streamed step and every generated text equals the single-threaded result bit for bit.
 */
class ModelConcurrencyTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 40;

    @Test
    @Timeout(60)
    void aSharedModelGivesTheSameBitsFromManyThreadsAtOnce() throws Exception {
        Random r = new Random(77);
        Embedding embedding = new Embedding(NaiveRnn.random(r, 6, 4, 1.0), true);
        LstmCell lstm = new LstmCell(NaiveRnn.random(r, 4, 12, 0.5), NaiveRnn.random(r, 3, 12, 0.5),
                NaiveRnn.random(r, 1, 12, 0.5)[0]);
        GruCell gru = new GruCell(NaiveRnn.random(r, 3, 6, 0.5), NaiveRnn.random(r, 2, 6, 0.5),
                NaiveRnn.random(r, 2, 6, 0.5));
        GruCell back = new GruCell(NaiveRnn.random(r, 2, 9, 0.5), NaiveRnn.random(r, 3, 9, 0.5),
                NaiveRnn.random(r, 2, 9, 0.5));
        GruCell fwd = new GruCell(NaiveRnn.random(r, 2, 9, 0.5), NaiveRnn.random(r, 3, 9, 0.5),
                NaiveRnn.random(r, 2, 9, 0.5));
        Model graph = Model.builder()
                .input("ids", io.github.rnn4j.layers.Shape.vector(io.github.rnn4j.layers.Shape.UNKNOWN))
                .add("embedding", embedding, "ids")
                .add("lstm", Rnn.of(lstm).returnSequences(true).returnState(true), "embedding")
                .add("gru", Rnn.of(gru).returnSequences(true), "lstm")
                .add("bi", Bidirectional.of(fwd, back, MergeMode.CONCAT).returnState(true), "gru")
                // Every output and every state: the LSTM's sequence, h and c, the GRU's sequence, the Bidirectional
                // merge and both of its directions' final h.
                .outputs(Model.Port.of("bi", 0, 0), Model.Port.of("lstm", 0, 0), Model.Port.of("lstm", 0, 1),
                        Model.Port.of("lstm", 0, 2), Model.Port.of("bi", 0, 1), Model.Port.of("bi", 0, 2),
                        Model.Port.of("gru", 0, 0))
                .build();
        Model lm = Model.sequential().add(embedding).add(Rnn.of(lstm).returnSequences(true))
                .add(new Dense(NaiveRnn.random(r, 3, 6, 2.0), null, Activation.SOFTMAX)).build();
        Vocabulary vocab = Vocabulary.of("<pad>", "a", "b", "c", "d", "e");
        Generator generator = new Generator(lm, vocab);
        int[][] inputs = {{1, 2, 3, 0}, {5, 5, 1, 2}, {3, 0, 0, 0}, {4, 1, 2, 3}};

        List<Map<String, Tensor>> expectedRuns = new ArrayList<>();
        List<double[][]> expectedStreams = new ArrayList<>();
        List<List<String>> expectedTexts = new ArrayList<>();
        for (int[] ids : inputs) {
            expectedRuns.add(graph.run(Map.of("ids", ids(ids))));
            expectedStreams.add(stream(lm, ids));
            expectedTexts.add(generator.sample(List.of(vocab.token(ids[0])), 6, null, 0.8, new Random(ids[0])));
        }
        assertThat(expectedRuns.get(0)).hasSize(7);

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int th = 0; th < THREADS; th++) {
                int offset = th;
                Callable<Integer> task = () -> {
                    start.await();
                    int checked = 0;
                    for (int round = 0; round < ROUNDS; round++) {
                        int k = (offset + round) % inputs.length;
                        Map<String, Tensor> out = graph.run(Map.of("ids", ids(inputs[k])));
                        for (String name : graph.outputNames()) {
                            assertThat(out.get(name).shape()).isEqualTo(expectedRuns.get(k).get(name).shape());
                            assertThat(out.get(name).data()).as(name).isEqualTo(expectedRuns.get(k).get(name).data());
                        }
                        assertThat(stream(lm, inputs[k])).isEqualTo(expectedStreams.get(k));
                        assertThat(generator.sample(List.of(vocab.token(inputs[k][0])), 6, null, 0.8,
                                new Random(inputs[k][0]))).isEqualTo(expectedTexts.get(k));
                        checked++;
                    }
                    return checked;
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get();
            }
            assertThat(total).isEqualTo(THREADS * ROUNDS);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Tensor ids(int[] ids) {
        double[] d = new double[ids.length];
        for (int i = 0; i < ids.length; i++) {
            d[i] = ids[i];
        }
        return Tensor.of(d);
    }

    private static double[][] stream(Model model, int[] ids) {
        Session s = model.session();
        double[][] out = new double[ids.length][];
        for (int t = 0; t < ids.length; t++) {
            out[t] = s.step(ids[t]);
        }
        return out;
    }
}
