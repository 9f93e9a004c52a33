package io.github.rnn4j.model;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Bidirectional;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.MergeMode;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.testing.Fixture;
import io.github.rnn4j.testing.Hello;
import io.github.rnn4j.testing.NaiveRnn;
import io.github.rnn4j.testing.Tolerance;
import io.github.rnn4j.text.Vocabulary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.github.rnn4j.testing.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionAndGeneratorTest {
    private static SequentialModel hello(Activation output) {
        return SequentialModel.fromKeras(
                List.of(LayerConfig.simpleRnn(3).returnSequences(true), LayerConfig.dense(5, output)),
                List.of(Tensor.of(Hello.KERNEL), Tensor.of(Hello.RECURRENT_KERNEL), Tensor.of(Hello.BIAS),
                        Tensor.of(Hello.DENSE_KERNEL), Tensor.of(Hello.DENSE_BIAS)));
    }

    @Test
    void aSessionStreamsTheHelloTrace() {
        Session session = hello(Activation.LINEAR).session();
        List<String> tokens = Hello.VOCABULARY.tokenize(Hello.INPUT);
        for (int t = 0; t < Hello.LOGITS.length; t++) {
            double[] y = session.step(Hello.VOCABULARY.oneHot(tokens.get(t)));
            assertClose("y_" + (t + 1), Hello.LOGITS[t], y, Tolerance.HELLO_TRACE);
        }
        assertThat(session.steps()).isEqualTo(4);
        session.reset();
        assertClose("y_1 after reset", Hello.LOGITS[0], session.step(Hello.VOCABULARY.oneHot("h")),
                Tolerance.HELLO_TRACE);
    }

    @Test
    void greedyGenerationFromHProducesEllo() {
        Generator generator = new Generator(hello(Activation.SOFTMAX), Hello.VOCABULARY);
        assertThat(generator.greedy(List.of("h"), 20, "<EOS>")).isEqualTo(Hello.EXPECTED_PREDICTION);
        assertThat(generator.greedy(List.of("h"), 2, "<EOS>")).containsExactly("e", "l");
    }

    @Test
    void samplingFollowsTheModelsProbabilities() {
        SequentialModel model = hello(Activation.SOFTMAX);
        double[] p = model.predictSequence(new double[][] {Hello.VOCABULARY.oneHot("e")})[0];
        Generator generator = new Generator(model, Hello.VOCABULARY);
        Random random = new Random(2026);
        int draws = 20_000;
        int[] counts = new int[5];
        for (int i = 0; i < draws; i++) {
            counts[Hello.VOCABULARY.indexOf(generator.sample(List.of("e"), 1, null, 1.0, random).get(0))]++;
        }
        for (int k = 0; k < 5; k++) {
            double sd = Math.sqrt(p[k] * (1 - p[k]) / draws);
            assertThat(Math.abs(counts[k] / (double) draws - p[k])).as("token %d", k).isLessThanOrEqualTo(5 * sd + 1e-9);
        }
        assertThat(generator.sample(List.of("h"), 10, "<EOS>", 1e-3, new Random(1)))
                .as("a tiny temperature is greedy").isEqualTo(Hello.EXPECTED_PREDICTION);
        assertThat(generator.sample(List.of("h"), 8, null, 1.5, new Random(7)))
                .isEqualTo(generator.sample(List.of("h"), 8, null, 1.5, new Random(7)));
    }

    /** The TF.js Embedding(maskZero)→LSTM→GRU→Dense stacks, fed one token id at a time. */
    @Test
    @SuppressWarnings("unchecked")
    void aSessionMatchesTensorFlowJsStepByStepIncludingMaskedPadding() {
        Fixture tfjs = Fixture.load("tfjs/tfjs_float32.json");
        int checked = 0;
        for (Fixture.Case c : tfjs.cases) {
            if (!c.layer.equals("Sequential") || !c.name.endsWith("_seq") && !c.name.endsWith("_inner_zero")) {
                continue;
            }
            List<LayerConfig> configs = new ArrayList<>();
            for (Object o : (List<Object>) c.config.get("layers")) {
                Map<String, Object> l = (Map<String, Object>) o;
                String kind = (String) l.get("class");
                int units = l.containsKey("units") ? ((Number) l.get("units")).intValue() : 0;
                switch (kind) {
                    case "Embedding":
                        configs.add(LayerConfig.embedding(true));
                        break;
                    case "LSTM":
                        configs.add(LayerConfig.lstm(units).returnSequences(true));
                        break;
                    case "GRU":
                        configs.add(LayerConfig.gru(units).resetAfter(false).returnSequences(true));
                        break;
                    default:
                        configs.add(LayerConfig.dense(units, Activation.SOFTMAX));
                }
            }
            List<Tensor> weights = new ArrayList<>();
            for (Object w : c.weights) {
                weights.add(((List<?>) w).get(0) instanceof List ? Tensor.of(Fixture.matrix(w)) : Tensor.of(Fixture.vector(w)));
            }
            Session session = SequentialModel.fromKeras(configs, weights).session();
            double[][] expected = Fixture.matrix(c.expected().get("output"));
            int[] ids = c.tokenIds();
            for (int t = 0; t < ids.length; t++) {
                assertClose(c.name + " step " + t, expected[t], session.step(ids[t]), Tolerance.FLOAT32);
            }
            checked++;
        }
        assertThat(checked).isEqualTo(2);
    }

    @Test
    void aSessionIsBitIdenticalToPredictSequenceWithMaskingAndWithAFusedEmbedding() {
        Random rnd = new Random(12);
        Dense first = new Dense(NaiveRnn.random(rnd, 3, 4, 1), NaiveRnn.random(rnd, 1, 4, 1)[0], Activation.RELU);
        LstmCell lstm = new LstmCell(NaiveRnn.random(rnd, 4, 12, 0.7), NaiveRnn.random(rnd, 3, 12, 0.7),
                NaiveRnn.random(rnd, 1, 12, 0.5)[0]);
        io.github.rnn4j.layers.GruCell gru = new io.github.rnn4j.layers.GruCell(NaiveRnn.random(rnd, 3, 6, 0.7),
                NaiveRnn.random(rnd, 2, 6, 0.7), NaiveRnn.random(rnd, 2, 6, 0.5));
        Dense last = new Dense(NaiveRnn.random(rnd, 2, 5, 1), null, Activation.SOFTMAX);
        SequentialModel masking = SequentialModel.builder().masking(-1.0).add(first)
                .add(Rnn.of(lstm).returnSequences(true)).add(Rnn.of(gru).returnSequences(true)).add(last).build();
        double[][] x = NaiveRnn.random(rnd, 7, 3, 1.0);
        x[0] = new double[] {-1, -1, -1};
        x[4] = new double[] {-1, -1, -1};
        double[][] whole = masking.predictSequence(x);
        Session session = masking.session();
        for (int t = 0; t < x.length; t++) {
            assertThat(session.step(x[t])).as("step %d", t).isEqualTo(whole[t]);
        }
        io.github.rnn4j.layers.Embedding embedding = new io.github.rnn4j.layers.Embedding(
                NaiveRnn.random(rnd, 6, 4, 1.0), true);
        SequentialModel ids = SequentialModel.builder().embedding(embedding).add(Rnn.of(lstm).returnSequences(true))
                .add(Rnn.of(gru).returnSequences(true)).add(last).build();
        int[] tokens = {0, 3, 5, 0, 0, 1, 2};
        double[][] wholeIds = ids.predictSequence(tokens);
        Session idSession = ids.session();
        for (int t = 0; t < tokens.length; t++) {
            assertThat(idSession.step(tokens[t])).as("token step %d", t).isEqualTo(wholeIds[t]);
        }
        assertThatThrownBy(() -> idSession.step(6)).hasMessage("id is 6, expected an id in [0, 6)");
    }

    @Test
    void sessionsAndGeneratorsRejectWhatTheyCannotRun() {
        Random rnd = new Random(4);
        LstmCell lstm = new LstmCell(NaiveRnn.random(rnd, 5, 8, 0.5), NaiveRnn.random(rnd, 2, 8, 0.5), null);
        SequentialModel bi = SequentialModel.builder().add(Bidirectional.of(lstm, lstm, MergeMode.SUM)).build();
        assertThatThrownBy(bi::session).isInstanceOf(IllegalStateException.class).hasMessageContaining("Bidirectional");
        SequentialModel back = SequentialModel.builder().add(Rnn.of(lstm).goBackwards(true)).build();
        assertThatThrownBy(back::session).isInstanceOf(IllegalStateException.class).hasMessageContaining("goBackwards");
        SequentialModel forward = SequentialModel.builder().add(Rnn.of(lstm))
                .add(new Dense(NaiveRnn.random(rnd, 2, 5, 1), null, Activation.SOFTMAX)).build();
        assertThatThrownBy(() -> forward.session().step(3)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("step(double[])");
        assertThatThrownBy(() -> forward.session().step(new double[4])).hasMessage("input has shape [4], expected [5]");
        assertThatThrownBy(() -> new Generator(forward, Vocabulary.of("a", "b")))
                .hasMessage("model takes 5 tokens, expected vocabulary size 2");
        Generator g = new Generator(forward, Vocabulary.of("a", "b", "c", "d", "e"));
        assertThatThrownBy(() -> g.greedy(List.of(), 3, null)).hasMessageContaining("prompt is empty");
        assertThatThrownBy(() -> g.greedy(List.of("a"), 3, "z")).hasMessageContaining("'z'");
        assertThatThrownBy(() -> g.sample(List.of("a"), 3, null, 0.0, new Random())).hasMessageContaining("temperature is 0.0");
    }
}
