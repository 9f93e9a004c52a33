package io.github.rnn4j.model;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.testing.Tolerance;
import io.github.rnn4j.text.Vocabulary;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.github.rnn4j.testing.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sampling arithmetic of {@link Generator} at its edges, with a {@code Random} whose draw is fixed: the cumulative
 * rule of NumPy's {@code Generator.choice} ({@code cdf.searchsorted(u, side='right')}: a draw equal to a cumulative
 * sum goes to the next token), zero weights never drawn, the cuts of top-k and top-p at exact ties, and sampling over
 * logits (a linear head) against a reference written here.
 */
class SamplerTest {
    /** A {@code Random} whose every {@code nextDouble()} is {@code u}. */
    private static Random fixed(double u) {
        return new Random(0) {
            @Override
            public double nextDouble() {
                return u;
            }
        };
    }

    @Test
    void aDrawOnACumulativeSumGoesToTheNextTokenAndZeroWeightsAreNeverDrawn() {
        double[] q = {0.25, 0.25, 0.5};
        assertThat(Generator.Sampler.draw(q, fixed(0.0))).isEqualTo(0);
        assertThat(Generator.Sampler.draw(q, fixed(0.25))).as("u = cdf[0]").isEqualTo(1);
        assertThat(Generator.Sampler.draw(q, fixed(0.5))).as("u = cdf[1]").isEqualTo(2);
        assertThat(Generator.Sampler.draw(q, fixed(0.49))).isEqualTo(1);
        assertThat(Generator.Sampler.draw(q, fixed(Math.nextDown(1.0)))).isEqualTo(2);
        assertThat(Generator.Sampler.draw(new double[] {0.0, 0.5, 0.5}, fixed(0.0))).as("a leading zero weight")
                .isEqualTo(1);
        assertThat(Generator.Sampler.draw(new double[] {0.5, 0.0, 0.5}, fixed(0.5))).as("a zero weight on the cut")
                .isEqualTo(2);
        // Not normalised: weights 1 and 3 split [0, 4).
        assertThat(Generator.Sampler.draw(new double[] {1.0, 3.0}, fixed(0.24))).isEqualTo(0);
        assertThat(Generator.Sampler.draw(new double[] {1.0, 3.0}, fixed(0.25))).isEqualTo(1);
    }

    /**
     * With these weights (found by search in Python, whose floats are the same IEEE doubles), the draw
     * {@code u = 1 − 2^-53} times the total, less each weight in turn, ends at exactly 0.0 and so never goes below 0:
     * rounding leaves the draw past the last cut, and it must fall to the last token with weight, not to the first
     * token or to the zero-weight token after it.
     */
    @Test
    void aDrawThatRoundingPushesPastTheLastCutTakesTheLastTokenWithWeight() {
        double[] q = {0.03245913119424004, 0.9435702537977213, 0.070453473055617, 0.0};
        double total = 0.0;
        for (double v : q) {
            total += v;
        }
        double r = Math.nextDown(1.0) * total;
        for (double v : q) {
            r -= v;
        }
        assertThat(r).as("the premise: the draw is not below 0 after every weight").isEqualTo(0.0);
        assertThat(Generator.Sampler.draw(q, fixed(Math.nextDown(1.0)))).isEqualTo(2);
    }

    @Test
    void softmaxAtATemperatureMatchesTheDefinitionOrIsRefused() {
        double[] s = {1.5, -0.25, 0.0, 2.0, -3.0};
        for (double t : new double[] {0.5, 1.0, 3.0}) {
            double[] want = new double[s.length];
            double sum = 0;
            for (int i = 0; i < s.length; i++) {
                want[i] = Math.exp(s[i] / t);
                sum += want[i];
            }
            for (int i = 0; i < s.length; i++) {
                want[i] /= sum;
            }
            assertClose("softmax(s / " + t + ")", want, Generator.Sampler.softmax(s, t), Tolerance.SAME_MATH);
        }
        double[] cold = Generator.Sampler.softmax(s, 1e-4);
        assertThat(cold).as("a cold temperature leaves only the best").containsExactly(0, 0, 0, 1, 0);
        double ninf = Double.NEGATIVE_INFINITY;
        assertThat(Generator.Sampler.softmax(new double[] {ninf, 0.5, ninf}, 1.0)).containsExactly(0, 1, 0);
        assertThat(Generator.Sampler.softmax(new double[] {ninf, ninf}, 1.0)).as("nothing possible").isNull();
        assertThat(Generator.Sampler.softmax(new double[] {Double.NaN, 1.0}, 1.0)).isNull();
        assertThat(Generator.Sampler.softmax(new double[] {1.0, Double.POSITIVE_INFINITY}, 1.0)).isNull();
    }

    @Test
    void topKKeepsTiesWithTheKthAndTopPStopsWhereTheMassFirstReachesP() {
        double[] q = {0.1, 0.3, 0.2, 0.3, 0.1};
        double[] k2 = q.clone();
        Generator.Sampler.keepTopK(k2, 2);
        assertThat(k2).containsExactly(0, 0.3, 0, 0.3, 0);
        double[] k3 = q.clone();
        Generator.Sampler.keepTopK(k3, 3);
        assertThat(k3).containsExactly(0, 0.3, 0.2, 0.3, 0);
        double[] k4 = q.clone();
        Generator.Sampler.keepTopK(k4, 4);
        assertThat(k4).as("tied with the 4th").containsExactly(q);
        for (int k : new int[] {0, 5, 9}) {
            double[] all = q.clone();
            Generator.Sampler.keepTopK(all, k);
            assertThat(all).as("k = %d keeps all", k).containsExactly(q);
        }

        double[] exact = {0.5, 0.25, 0.25};
        double[] half = exact.clone();
        Generator.Sampler.keepTopP(half, 0.5);
        assertThat(half).as("0.5 reaches 0.5").containsExactly(0.5, 0, 0);
        double[] more = exact.clone();
        Generator.Sampler.keepTopP(more, Math.nextUp(0.5));
        assertThat(more).containsExactly(0.5, 0.25, 0);
        double[] ties = {0.25, 0.5, 0.25};
        Generator.Sampler.keepTopP(ties, 0.75);
        assertThat(ties).as("ties are taken lowest index first").containsExactly(0.25, 0.5, 0);
        double[] unnormalised = {2.0, 1.0, 1.0};
        Generator.Sampler.keepTopP(unnormalised, 0.5);
        assertThat(unnormalised).as("mass measured against the total").containsExactly(2.0, 0, 0);
        double[] tiny = {0.2, 0.3, 0.5};
        Generator.Sampler.keepTopP(tiny, 1e-9);
        assertThat(tiny).as("at least one kept").containsExactly(0, 0, 0.5);
        double[] one = {0.2, 0.3, 0.5};
        Generator.Sampler.keepTopP(one, 1.0);
        assertThat(one).containsExactly(0.2, 0.3, 0.5);
    }

    /**
     * A linear head gives logits: each step draws from {@code softmax(s / T)} by the cumulative rule, which the
     * reference here recomputes from the model's own outputs with the same seed.
     */
    @Test
    void samplingOverLogitsDrawsFromTheirSoftmax() {
        double[] logits = {2.0, 1.0, 0.5, -0.5, -1.0, 0.0};
        Model model = GeneratorModesTest.fixed(logits, Activation.LINEAR);
        Vocabulary vocab = Vocabulary.ofCharacters("abcdef");
        Generator g = new Generator(model, vocab);
        double t = 0.8;
        int[] counts = new int[logits.length];
        for (long seed = 0; seed < 40; seed++) {
            List<String> sampled = g.sample(List.of("a"), 6, null, t, new Random(seed));
            assertThat(sampled).hasSize(6);
            Random rnd = new Random(seed);
            for (String token : sampled) {
                double[] w = Arrays.stream(logits).map(s -> Math.exp(s / t)).toArray();
                double total = Arrays.stream(w).sum();
                double u = rnd.nextDouble();
                double cdf = 0;
                int pick = w.length - 1;
                for (int i = 0; i < w.length; i++) {
                    cdf += w[i] / total;
                    if (u < cdf) {
                        pick = i;
                        break;
                    }
                }
                assertThat(token).as("seed %d", seed).isEqualTo(vocab.token(pick));
                counts[pick]++;
            }
        }
        assertThat(Arrays.stream(counts).filter(c -> c > 0).count()).as("draws spread over several tokens")
                .isGreaterThanOrEqualTo(4);
        assertThat(g.greedy(List.of("a"), 3, null)).containsExactly("a", "a", "a");
    }
}
