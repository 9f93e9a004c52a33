package io.github.rnn4j.model;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Bidirectional;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.MergeMode;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.SimpleRnnCell;
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
    static Model hello(Activation output) {
        return Model.sequential()
                .add(Rnn.of(new SimpleRnnCell(Hello.KERNEL, Hello.RECURRENT_KERNEL, Hello.BIAS)).returnSequences(true))
                .add(new Dense(Hello.DENSE_KERNEL, Hello.DENSE_BIAS, output)).build();
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
        Model model = hello(Activation.SOFTMAX);
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
            Model.Chain chain = Model.sequential();
            int w = 0;
            for (Object o : (List<Object>) c.config.get("layers")) {
                Map<String, Object> l = (Map<String, Object>) o;
                String kind = (String) l.get("class");
                switch (kind) {
                    case "Embedding":
                        chain.add(new Embedding(Fixture.matrix(c.weights.get(w++)), true));
                        break;
                    case "LSTM":
                    case "GRU": {
                        Map<String, Object> cfg = new java.util.HashMap<>(l);
                        cfg.put("resetAfter", false);
                        cfg.putIfAbsent("recurrentActivation", "sigmoid");
                        chain.add(Rnn.of(Fixture.cell(kind, cfg, c.weights.subList(w, w + 3))).returnSequences(true));
                        w += 3;
                        break;
                    }
                    default: {
                        double[][] kernel = Fixture.matrix(c.weights.get(w++));
                        chain.add(new Dense(kernel, Fixture.vector(c.weights.get(w++)), Activation.SOFTMAX));
                    }
                }
            }
            assertThat(w).isEqualTo(c.weights.size());
            Session session = chain.build().session();
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
        Model masking = Model.sequential().input("x", io.github.rnn4j.layers.Shape.sequence(-1, 3))
                .add(new io.github.rnn4j.layers.Masking(-1.0)).add(first)
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
        Model ids = Model.sequential().add(embedding).add(Rnn.of(lstm).returnSequences(true))
                .add(Rnn.of(gru).returnSequences(true)).add(last).build();
        int[] tokens = {0, 3, 5, 0, 0, 1, 2};
        double[][] wholeIds = ids.predictSequence(tokens);
        Session idSession = ids.session();
        for (int t = 0; t < tokens.length; t++) {
            assertThat(idSession.step(tokens[t])).as("token step %d", t).isEqualTo(wholeIds[t]);
        }
        assertThatThrownBy(() -> idSession.step(6)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 'embedding' (Embedding): Embedding input [0] is 6.0, expected a token id: a whole"
                        + " number in [0, 6)");
        assertThat(idSession.steps()).as("a refused step changes nothing").isEqualTo(tokens.length);
    }

    @Test
    void sessionsAndGeneratorsRejectWhatTheyCannotRun() {
        Random rnd = new Random(4);
        LstmCell lstm = new LstmCell(NaiveRnn.random(rnd, 5, 8, 0.5), NaiveRnn.random(rnd, 2, 8, 0.5), null);
        Model bi = Model.sequential().add(Bidirectional.of(lstm, lstm, MergeMode.SUM)).build();
        assertThatThrownBy(bi::session).isInstanceOf(IllegalStateException.class).hasMessageContaining("Bidirectional");
        Model back = Model.sequential().add(Rnn.of(lstm).goBackwards(true)).build();
        assertThatThrownBy(back::session).isInstanceOf(IllegalStateException.class).hasMessageContaining("needs the whole sequence");
        Model forward = Model.sequential().add(Rnn.of(lstm))
                .add(new Dense(NaiveRnn.random(rnd, 2, 5, 1), null, Activation.SOFTMAX)).build();
        assertThatThrownBy(() -> forward.session().step(3)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("step(double[])");
        assertThatThrownBy(() -> forward.session().step(new double[4])).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("input has shape [4], expected [5]");
        assertThatThrownBy(() -> new Generator(forward, Vocabulary.of("a", "b"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model takes 5 tokens, expected vocabulary size 2");
        Generator g = new Generator(forward, Vocabulary.of("a", "b", "c", "d", "e"));
        assertThatThrownBy(() -> g.greedy(List.of(), 3, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prompt is empty");
        assertThatThrownBy(() -> g.greedy(List.of("a"), 3, "z")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'z'");
        assertThatThrownBy(() -> g.sample(List.of("a"), 3, null, 0.0, new Random())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature is 0.0");
    }
}
