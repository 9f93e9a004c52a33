package io.github.rnn4j.model;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.SimpleRnnCell;
import io.github.rnn4j.testing.Concurrently;
import io.github.rnn4j.testing.Hello;
import io.github.rnn4j.text.Vocabulary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The Generator's sampling modes, beam search and streaming, against naive references written here. */
class GeneratorModesTest {
    /** The fixed next-token distribution of {@link #fixed}. */
    private static final double[] P = {0.35, 0.25, 0.15, 0.12, 0.08, 0.05};
    private static final Vocabulary CHARS = Vocabulary.ofCharacters("abcdef");
    private static final Vocabulary WORDS = Vocabulary.fromLines("the\ncat\nsat\non\nmat\n<eos>\n");
    /** Chi-square critical values at α = 0.001 for 1..5 degrees of freedom. */
    private static final double[] CHI2_999 = {10.828, 13.816, 16.266, 18.467, 20.515};
    private static final int DRAWS = 20_000;

    /** A model whose output is {@code P} (softmax) or {@code logits} (linear) at every step, whatever it is fed. */
    static Model fixed(double[] bias, Activation output) {
        int v = bias.length;
        return Model.sequential()
                .add(Rnn.of(new SimpleRnnCell(new double[v][1], new double[1][1], new double[1])).returnSequences(true))
                .add(new Dense(new double[1][v], bias, output)).build();
    }

    static Model fixedProbabilities() {
        return fixed(Arrays.stream(P).map(Math::log).toArray(), Activation.SOFTMAX);
    }

    /**
     * The naive reference: {@code p^(1/T)} renormalised; top-k keeps the k largest (by sorting); top-p then keeps, of
     * those renormalised, the largest while the mass before them is below p; the rest renormalised.
     */
    static double[] expected(double[] p, double temperature, int topK, double topP) {
        int v = p.length;
        double[] q = Arrays.stream(p).map(x -> Math.pow(x, 1 / temperature)).toArray();
        Integer[] order = new Integer[v];
        for (int i = 0; i < v; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> -q[i]));
        int k = topK == 0 ? v : topK;
        double topKMass = 0;
        for (int r = 0; r < k; r++) {
            topKMass += q[order[r]];
        }
        double[] out = new double[v];
        double before = 0;
        for (int r = 0; r < k; r++) {
            if (r > 0 && before >= topP) {
                break;
            }
            out[order[r]] = q[order[r]];
            before += q[order[r]] / topKMass;
        }
        double kept = Arrays.stream(out).sum();
        for (int i = 0; i < v; i++) {
            out[i] /= kept;
        }
        return out;
    }

    /** Draws one token {@code DRAWS} times and checks the frequencies with a chi-square bound at α = 0.001. */
    static void assertDistribution(Generator g, List<String> prompt, Generator.Sampling sampling, double[] expected,
                                   long seed) {
        Random random = new Random(seed);
        int[] counts = new int[expected.length];
        for (int n = 0; n < DRAWS; n++) {
            counts[g.vocabulary().indexOf(g.generate(prompt, 1, null, sampling, random).get(0))]++;
        }
        double chi2 = 0;
        int kept = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == 0) {
                assertThat(counts[i]).as("%s: token %d is cut and never drawn", sampling, i).isZero();
                continue;
            }
            double e = DRAWS * expected[i];
            chi2 += (counts[i] - e) * (counts[i] - e) / e;
            kept++;
        }
        if (kept > 1) {
            assertThat(chi2).as("%s: chi-square over %d tokens, counts %s", sampling, kept, Arrays.toString(counts))
                    .isLessThan(CHI2_999[kept - 2]);
        } else {
            assertThat(Arrays.stream(counts).max().getAsInt()).isEqualTo(DRAWS);
        }
    }

    @Test
    void temperatureTopKAndTopPDrawFromTheRenormalisedDistribution() {
        Generator g = new Generator(fixedProbabilities(), CHARS);
        List<String> prompt = List.of("a");
        assertDistribution(g, prompt, Generator.Sampling.temperature(1.0), P, 1);
        assertDistribution(g, prompt, Generator.Sampling.temperature(1.0).topK(3), expected(P, 1, 3, 1), 2);
        assertDistribution(g, prompt, Generator.Sampling.temperature(1.0).topP(0.5), expected(P, 1, 0, 0.5), 3);
        assertDistribution(g, prompt, Generator.Sampling.temperature(1.0).topP(0.7), expected(P, 1, 0, 0.7), 4);
        assertDistribution(g, prompt, Generator.Sampling.temperature(0.7).topK(4).topP(0.8),
                expected(P, 0.7, 4, 0.8), 5);
        assertDistribution(g, prompt, Generator.Sampling.temperature(2.0).topK(5), expected(P, 2, 5, 1), 6);
        assertDistribution(g, prompt, Generator.Sampling.temperature(1.0).topP(1e-9), expected(P, 1, 0, 1e-9), 7);
        assertDistribution(g, prompt, Generator.Sampling.temperature(1.0).topK(1), expected(P, 1, 1, 1), 8);
        // The references cut what the issue says they cut.
        assertThat(expected(P, 1, 3, 1)).containsExactly(new double[] {0.35 / 0.75, 0.25 / 0.75, 0.15 / 0.75, 0, 0, 0},
                within(1e-12));
        assertThat(expected(P, 1, 0, 0.5)).containsExactly(new double[] {0.35 / 0.6, 0.25 / 0.6, 0, 0, 0, 0},
                within(1e-12));
    }

    @Test
    void aTopKCutFailsTheChiSquareOfTheUncutDistribution() {
        Generator g = new Generator(fixedProbabilities(), CHARS);
        assertThatThrownBy(() -> assertDistribution(g, List.of("a"), Generator.Sampling.temperature(1.0).topK(3), P,
                2)).isInstanceOf(AssertionError.class);
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeScores() {
        Generator probs = new Generator(fixedProbabilities(), CHARS);
        // log 0.35 · 2 = log 0.1225 < log 0.25: the prompt's 'a' loses to 'b'.
        assertThat(probs.generate(List.of("a"), 1, null, Generator.Sampling.greedy().repetitionPenalty(2), null))
                .containsExactly("b");
        assertThat(probs.generate(List.of("c"), 1, null, Generator.Sampling.greedy().repetitionPenalty(2), null))
                .containsExactly("a");
        double[] penalised = P.clone();
        penalised[0] = 0.35 * 0.35;
        double sum = Arrays.stream(penalised).sum();
        assertDistribution(probs, List.of("a"), Generator.Sampling.temperature(1.0).repetitionPenalty(2),
                Arrays.stream(penalised).map(x -> x / sum).toArray(), 9);

        Generator logits = new Generator(fixed(new double[] {2.0, 1.0, 0.5, -0.5, -1.0, 0.0}, Activation.LINEAR),
                CHARS);
        assertThat(logits.generate(List.of("a"), 1, null, Generator.Sampling.greedy().repetitionPenalty(1.5), null))
                .as("2 / 1.5 > 1").containsExactly("a");
        assertThat(logits.generate(List.of("a"), 1, null, Generator.Sampling.greedy().repetitionPenalty(3), null))
                .as("2 / 3 < 1").containsExactly("b");
        // Generated tokens count too, and under CTRL's rule a penalised positive logit (2 / 1e6) still beats every
        // negative one (d = -0.5), so after a, b, c greedy decoding returns to a.
        assertThat(logits.generate(List.of("f"), 5, null, Generator.Sampling.greedy().repetitionPenalty(1e6), null))
                .containsExactly("a", "b", "c", "a", "a");
    }

    @Test
    void wordLevelTextIsJoinedWithSpacesAndCharacterLevelWithout() {
        Generator words = new Generator(fixedProbabilities(), WORDS);
        assertThat(words.complete("the", 10, "<eos>", Generator.Sampling.greedy().repetitionPenalty(100), null))
                .isEqualTo("cat sat on mat");
        Model hello = SessionAndGeneratorTest.hello(Activation.SOFTMAX);
        Generator chars = new Generator(hello, Hello.VOCABULARY);
        assertThat(chars.complete("h", 20, "<EOS>", Generator.Sampling.greedy(), null)).isEqualTo("ello");
    }

    @Test
    void streamingYieldsTheSameTokensOneAtATime() {
        Generator g = new Generator(fixedProbabilities(), CHARS);
        Generator.Sampling s = Generator.Sampling.temperature(1.2).topK(4).topP(0.9);
        List<String> listed = g.generate(List.of("a", "b"), 30, "f", s, new Random(11));
        List<String> called = new ArrayList<>();
        int n = g.generate(List.of("a", "b"), 30, "f", s, new Random(11), called::add);
        assertThat(called).isEqualTo(listed);
        assertThat(n).isEqualTo(listed.size());
        Iterator<String> it = g.stream(List.of("a", "b"), 30, "f", s, new Random(11));
        List<String> streamed = new ArrayList<>();
        it.forEachRemaining(streamed::add);
        assertThat(streamed).isEqualTo(listed);
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        assertThat(g.generate(List.of("a", "b"), 30, "f", s, new Random(12))).as("another seed")
                .isNotEqualTo(listed);

        Generator hello = new Generator(SessionAndGeneratorTest.hello(Activation.SOFTMAX), Hello.VOCABULARY);
        Iterator<String> greedy = hello.stream(List.of("h"), 20, "<EOS>", Generator.Sampling.greedy(), null);
        assertThat(greedy.next()).isEqualTo("e");
        assertThat(greedy.next()).isEqualTo("l");
        List<String> rest = new ArrayList<>();
        greedy.forEachRemaining(rest::add);
        assertThat(rest).containsExactly("l", "o", "<EOS>");
    }

    /** Every sequence of up to {@code maxTokens} tokens, ended by the stop token or the limit, scored naively. */
    static List<Generator.Beam> bruteForce(Model model, Vocabulary v, String prompt, int maxTokens, String stop,
                                           double lengthPenalty) {
        List<Generator.Beam> all = new ArrayList<>();
        List<List<String>> frontier = new ArrayList<>();
        frontier.add(List.of());
        for (int len = 1; len <= maxTokens; len++) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> f : frontier) {
                for (String t : v.tokens()) {
                    List<String> seq = new ArrayList<>(f);
                    seq.add(t);
                    if (t.equals(stop) || len == maxTokens) {
                        List<String> input = new ArrayList<>();
                        input.add(prompt);
                        input.addAll(seq);
                        double[][] p = model.predictSequence(v.oneHot(input));
                        double logp = 0;
                        for (int k = 0; k < seq.size(); k++) {
                            logp += Math.log(p[k][v.indexOf(seq.get(k))]);
                        }
                        all.add(new Generator.Beam(seq, logp, logp / Math.pow(len, lengthPenalty)));
                    } else {
                        next.add(seq);
                    }
                }
            }
            frontier = next;
        }
        all.sort(Comparator.comparingDouble(b -> -b.score()));
        return all;
    }

    @Test
    void anExhaustiveBeamSearchFindsTheBruteForceBestAtEveryLengthPenalty() {
        Model model = SessionAndGeneratorTest.hello(Activation.SOFTMAX);
        Generator g = new Generator(model, Hello.VOCABULARY);
        for (double alpha : new double[] {0.0, 0.5, 1.0, 2.0}) {
            List<Generator.Beam> beams = g.beamSearch(List.of("l"), 3, "<EOS>", 25, alpha);
            List<Generator.Beam> reference = bruteForce(model, Hello.VOCABULARY, "l", 3, "<EOS>", alpha);
            assertThat(beams).hasSize(25);
            for (int r = 0; r < 5; r++) {
                assertThat(beams.get(r).tokens()).as("alpha %s rank %d", alpha, r)
                        .isEqualTo(reference.get(r).tokens());
                assertThat(beams.get(r).score()).isCloseTo(reference.get(r).score(), within(1e-12));
                assertThat(beams.get(r).logProbability()).isCloseTo(reference.get(r).logProbability(),
                        within(1e-12));
            }
        }
        List<Generator.Beam> plain = g.beamSearch(List.of("l"), 3, "<EOS>", 25, 0.0);
        List<Generator.Beam> mean = g.beamSearch(List.of("l"), 3, "<EOS>", 25, 1.0);
        assertThat(plain.get(0).tokens().size()).as("no normalisation favours short beams")
                .isLessThanOrEqualTo(mean.get(0).tokens().size());
    }

    @Test
    void beamWidthOneIsGreedyAndWiderBeamsAreAtLeastAsLikely() {
        Generator g = new Generator(SessionAndGeneratorTest.hello(Activation.SOFTMAX), Hello.VOCABULARY);
        List<Generator.Beam> one = g.beamSearch(List.of("h"), 20, "<EOS>", 1, 0.0);
        assertThat(one).hasSize(1);
        assertThat(one.get(0).tokens()).isEqualTo(g.greedy(List.of("h"), 20, "<EOS>"));
        double best = one.get(0).logProbability();
        for (int width : new int[] {2, 3, 5}) {
            List<Generator.Beam> beams = g.beamSearch(List.of("h"), 6, "<EOS>", width, 0.0);
            assertThat(beams).hasSizeLessThanOrEqualTo(width);
            assertThat(beams.get(0).logProbability()).isGreaterThanOrEqualTo(best - 1e-12);
            assertThat(g.beamSearch(List.of("h"), 6, "<EOS>", width, 0.0)).isEqualTo(beams);
        }
        assertThat(g.beamSearch(List.of("h"), 0, "<EOS>", 3, 1.0)).isEmpty();
    }

    @Test
    void badArgumentsAreRefusedByName() {
        Generator g = new Generator(fixedProbabilities(), CHARS);
        Generator.Sampling t = Generator.Sampling.temperature(1.0);
        assertThatThrownBy(() -> t.topP(0.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topP is 0.0, expected a number in (0, 1]");
        assertThatThrownBy(() -> t.topP(1.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topP is 1.5");
        assertThatThrownBy(() -> t.topP(Double.NaN)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topP is NaN");
        assertThatThrownBy(() -> t.topK(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topK is 0, expected at least 1");
        assertThatThrownBy(() -> Generator.Sampling.temperature(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature is 0.0");
        assertThatThrownBy(() -> t.repetitionPenalty(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repetitionPenalty is 0.0");
        assertThatThrownBy(() -> Generator.Sampling.greedy().topK(3)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Sampling.temperature");
        assertThatThrownBy(() -> g.beamSearch(List.of("a"), 3, null, 0, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beamWidth is 0, expected at least 1");
        assertThatThrownBy(() -> g.beamSearch(List.of("a"), 3, null, 2, -1.0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lengthPenalty");
        assertThatThrownBy(() -> g.generate(List.of("a"), 3, null, t, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("random must not be null");
        assertThatThrownBy(() -> g.stream(List.of(), 3, null, t, new Random(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prompt is empty");
        assertThatThrownBy(() -> g.generate(List.of("a"), 3, "z", t, new Random(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'z'");
        assertThat(t.topK(2).topP(0.5).repetitionPenalty(1.3).toString())
                .isEqualTo("temperature=1.0, topK=2, topP=0.5, repetitionPenalty=1.3");
    }

    @Test
    void oneGeneratorServesManyThreadsIdentically() throws Exception {
        Generator g = new Generator(SessionAndGeneratorTest.hello(Activation.SOFTMAX), Hello.VOCABULARY);
        Generator.Sampling s = Generator.Sampling.temperature(1.3).topK(4).topP(0.95).repetitionPenalty(1.1);
        List<String> sampled = g.generate(List.of("h"), 12, null, s, new Random(5));
        List<Generator.Beam> beams = g.beamSearch(List.of("h"), 6, "<EOS>", 3, 1.0);
        assertThat(sampled).isNotEmpty();
        assertThat(beams).hasSize(3);
        List<Integer> rounds = Concurrently.run(8, thread -> () -> {
            for (int round = 0; round < 4; round++) {
                assertThat(g.generate(List.of("h"), 12, null, s, new Random(5))).isEqualTo(sampled);
                assertThat(g.beamSearch(List.of("h"), 6, "<EOS>", 3, 1.0)).isEqualTo(beams);
            }
            return 4;
        });
        assertThat(rounds).hasSize(8).containsOnly(4);
    }
}
