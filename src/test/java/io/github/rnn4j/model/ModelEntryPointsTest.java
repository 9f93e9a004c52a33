package io.github.rnn4j.model;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.testing.NaiveRnn;
import io.github.rnn4j.testing.RandomCell;
import io.github.rnn4j.text.Vocabulary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every shortcut of {@link Model} (batch, sequence and token-id forms, with and without an executor) equals the
 * general {@code run} sample by sample, bit for bit, and refuses what it cannot do; found missing by mutation testing.
 */
class ModelEntryPointsTest {
    private static final Random RND = new Random(31);
    private static final RandomCell CELL = RandomCell.draw(RND, NaiveRnn.Kind.LSTM, 4, 3);
    private static final Embedding EMBEDDING = new Embedding(NaiveRnn.random(RND, 6, 4, 1.0));
    private static final Dense HEAD = new Dense(NaiveRnn.random(RND, 3, 6, 1.0), null, Activation.SOFTMAX);

    private static Model tokens(boolean sequences) {
        return Model.sequential().add(EMBEDDING).add(Rnn.of(CELL.cell()).returnSequences(sequences)).add(HEAD)
                .property("built by", "test").note("a rule").build();
    }

    private static Model vectors(boolean sequences) {
        return Model.sequential().add(Rnn.of(CELL.cell()).returnSequences(sequences)).add(HEAD).build();
    }

    @Test
    void tokenIdShortcutsRefuseTheWrongKindOfOutputNamingTheRightCall() {
        Model vector = tokens(false);
        Model sequence = tokens(true);
        int[] ids = {1, 2, 3};
        int[][] batch = {{1, 2}, {3, 4, 5}};
        String callPredictSequence = "the model returns a sequence: call predictSequence";
        String callPredict = "the model returns one vector per sample: call predict";
        assertThatThrownBy(() -> sequence.predict(ids)).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage(callPredictSequence);
        assertThatThrownBy(() -> sequence.predictBatch(batch, Runnable::run))
                .isExactlyInstanceOf(IllegalStateException.class).hasMessage(callPredictSequence);
        assertThatThrownBy(() -> vector.predictSequence(ids)).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage(callPredict);
        assertThatThrownBy(() -> vector.predictSequenceBatch(batch)).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage(callPredict);
    }

    @Test
    void tokenIdBatchesEqualEachSampleAloneWithAndWithoutAnExecutor() {
        int[][] ids = {{1, 2, 3}, {5}, {0, 4, 4, 1, 2}};
        Model last = tokens(false);
        Model seq = tokens(true);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            double[][] batch = last.predictBatch(ids);
            double[][] pooled = last.predictBatch(ids, pool);
            double[][][] seqBatch = seq.predictSequenceBatch(ids);
            assertThat(batch).hasNumberOfRows(3);
            assertThat(seqBatch.length).isEqualTo(3);
            for (int b = 0; b < ids.length; b++) {
                assertThat(batch[b]).as("predictBatch[%d]", b).isEqualTo(last.predict(ids[b]));
                assertThat(pooled[b]).as("predictBatch(executor)[%d]", b).isEqualTo(last.predict(ids[b]));
                assertThat(seqBatch[b]).as("predictSequenceBatch[%d]", b).isDeepEqualTo(seq.predictSequence(ids[b]));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(last.takesTokenIds("input")).isTrue();
        assertThat(vectors(false).takesTokenIds("input")).isFalse();
        assertThatThrownBy(() -> last.takesTokenIds("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nope'");
    }

    @Test
    void vectorBatchesEqualEachSampleAloneWithAndWithoutAnExecutor() {
        double[][][] x = {CELL.sequence(RND, 4, 1.0), CELL.sequence(RND, 1, 1.0), CELL.sequence(RND, 6, 1.0)};
        Model last = vectors(false);
        Model seq = vectors(true);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            double[][] batch = last.predictBatch(x, pool);
            double[][][] seqBatch = seq.predictSequenceBatch(x);
            double[][][] seqPooled = seq.predictSequenceBatch(x, pool);
            for (int b = 0; b < x.length; b++) {
                assertThat(batch[b]).isEqualTo(last.predict(x[b]));
                assertThat(seqBatch[b]).isDeepEqualTo(seq.predictSequence(x[b]));
                assertThat(seqPooled[b]).isDeepEqualTo(seq.predictSequence(x[b]));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shortcutsRefuseModelsWithSeveralOutputsOrInputs() {
        Model twoOutputs = Model.builder().input("x", Shape.sequence(Shape.UNKNOWN, 4))
                .add("rnn", Rnn.of(CELL.cell()).returnSequences(true), "x")
                .add("a", HEAD, "rnn").add("b", new Dense(new double[3][2], null, Activation.LINEAR), "rnn")
                .outputs("a", "b").build();
        double[][] x = CELL.sequence(RND, 3, 1.0);
        assertThatThrownBy(() -> twoOutputs.predict(x)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[a, b]");
        assertThatThrownBy(() -> twoOutputs.predictSequence(x)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> twoOutputs.predictBatch(new double[][][] {x}))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> twoOutputs.predictSequenceBatch(new double[][][] {x}))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> twoOutputs.session()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one input and one output");
        Map<String, Tensor> run = twoOutputs.run(Map.of("x", Tensor.of(x)));
        assertThat(run.keySet()).containsExactly("a", "b");
    }

    @Test
    void runBatchChecksItsNamesAndBatchSizes() {
        Model m = vectors(true);
        double[][][] x = {CELL.sequence(RND, 3, 1.0), CELL.sequence(RND, 3, 1.0)};
        Tensor batch = Tensor.stack(Tensor.of(x[0]), Tensor.of(x[1]));
        Map<String, Tensor> out = m.runBatch(Map.of("input", batch));
        assertThat(out.get(m.outputNames().get(0)).shape()).containsExactly(2, 3, 6);
        assertThat(out.get(m.outputNames().get(0)).slice(1).matrix()).isDeepEqualTo(m.predictSequence(x[1]));
        assertThatThrownBy(() -> m.runBatch(Map.of("input", batch, "other", batch)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'other', which is not an input");
        assertThatThrownBy(() -> m.runBatch(Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no tensor for input 'input'");
        assertThatThrownBy(() -> batch.slice(2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(batch.slice(0).matrix()).isDeepEqualTo(x[0]);
        assertThat(Tensor.of(new int[] {0, 3}, new double[0]).shape()).containsExactly(0, 3);
    }

    @Test
    void propertiesNotesAndSummaryDescribeTheModel() {
        Model m = tokens(true);
        assertThat(m.properties()).containsExactly(Map.entry("built by", "test"));
        assertThat(m.notes()).containsExactly("a rule");
        String summary = m.summary();
        List<String> lines = summary.lines().toList();
        assertThat(lines.get(0)).isEqualTo("Model: [input] -> [dense]");
        assertThat(lines).contains("built by: test", "rule: a rule",
                "Total params: " + (6 * 4 + CELL.cell().inputSize() * 12 + 3 * 12 + 12 + 3 * 6));
        // Columns line up: every row starts its shape column at the same place.
        int column = lines.get(2).indexOf("Output Shape");
        assertThat(column).isPositive();
        assertThat(lines.stream().filter(l -> l.contains("(None")).map(l -> l.indexOf("(None")))
                .hasSize(4).containsOnly(column);
        assertThat(lines.stream().filter(l -> l.contains("rnn (Rnn)")).findFirst().orElseThrow())
                .endsWith("embedding[0][0]");
        assertThat(lines.stream().filter(l -> l.startsWith("---")).count()).isEqualTo(3);
        assertThat(Model.Port.of("rnn", 0, 1).toString()).isEqualTo("rnn[0][1]");
    }

    @Test
    void sessionsRefuseRecurrentLayersFedInitialStatesByOtherLayers() {
        Model seq2seq = Model.builder().input("x", Shape.sequence(Shape.UNKNOWN, 4))
                .add("encoder", Rnn.of(CELL.cell()).returnState(true), "x")
                .add("decoder", Rnn.of(CELL.cell()).returnSequences(true), List.of(Model.Port.of("x"),
                        Model.Port.of("encoder", 0, 1), Model.Port.of("encoder", 0, 2)))
                .outputs("decoder").build();
        assertThatThrownBy(seq2seq::session).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void samplingDrawsByCumulativeWeightAsWrittenHere() {
        Vocabulary vocab = Vocabulary.of("a", "b", "c", "d", "e", "f");
        Generator generator = new Generator(tokens(true), vocab);
        for (long seed = 0; seed < 20; seed++) {
            List<String> sampled = generator.sample(List.of("b"), 5, null, 0.7, new Random(seed));
            // The reference: feed the prompt, then draw from p^(1/T) by a cumulative sum, as numpy's choice does.
            Session session = tokens(true).session();
            double[] p = session.step(1);
            Random rnd = new Random(seed);
            for (String token : sampled) {
                double[] w = new double[p.length];
                double total = 0;
                for (int i = 0; i < p.length; i++) {
                    w[i] = Math.pow(Math.max(p[i], 0), 1 / 0.7);
                    total += w[i];
                }
                double r = rnd.nextDouble() * total;
                int pick = w.length - 1;
                for (int i = 0; i < w.length; i++) {
                    r -= w[i];
                    if (r < 0) {
                        pick = i;
                        break;
                    }
                }
                assertThat(token).as("seed %d", seed).isEqualTo(vocab.token(pick));
                p = session.step(pick);
            }
            assertThat(sampled).hasSize(5);
        }
    }

    @Test
    void theBuilderRefusesEveryWrongPortAtItsBoundaryAndKeepsTheLastOutputs() {
        Model.Builder b = Model.builder().input("x", Shape.sequence(Shape.UNKNOWN, 4))
                .add("enc", Rnn.of(CELL.cell()).returnState(true), "x");
        assertThatThrownBy(() -> b.input("x", Shape.vector(2))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Model.builder().input("x", Shape.vector(1)).input("x", Shape.vector(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("name 'x' is already used");
        assertThatThrownBy(() -> b.add("x", HEAD, "enc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name 'x' is already an input");
        assertThatThrownBy(() -> b.add("d", HEAD, List.of(Model.Port.of("x", 0, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a model input");
        assertThatThrownBy(() -> b.add("d", HEAD, List.of(Model.Port.of("enc", 1, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has been called 1 time(s)");
        assertThatThrownBy(() -> b.add("d", HEAD, List.of(Model.Port.of("enc", 0, 3))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 3 output(s)");
        Model m = b.add("d", new Dense(new double[3][2], null, Activation.LINEAR), List.of(Model.Port.of("enc", 0, 2)))
                .property("k", "v").note("n").outputs("enc").outputs("d").build();
        assertThat(m.outputNames()).containsExactly("d");
        assertThat(m.properties()).containsExactly(Map.entry("k", "v"));
        assertThat(m.notes()).containsExactly("n");
        assertThat(m.predict(CELL.sequence(RND, 2, 1.0))).containsExactly(0.0, 0.0);
    }

    @Test
    void aVectorInputReadByDenseIsNotTokenIdsAndZeroTokensGenerateNothing() {
        Model dense = Model.builder().input("v", Shape.vector(3)).add("d", HEAD, "v").outputs("d").build();
        assertThat(dense.takesTokenIds("v")).isFalse();
        Generator generator = new Generator(tokens(true), Vocabulary.of("a", "b", "c", "d", "e", "f"));
        assertThat(generator.greedy(List.of("b"), 0, null)).isEmpty();
        assertThatThrownBy(() -> generator.greedy(List.of("b"), -1, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxTokens is -1");
    }
}
