package io.github.rnn4j.model;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.Layer;
import io.github.rnn4j.text.Vocabulary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Generates token sequences from a model whose inputs and outputs are over one {@link Vocabulary}: feed a prompt,
 * then feed each chosen token back in, until a stop token or a length limit.
 *
 * <p>The model takes one-hot rows ({@code inputSize == vocabSize}) or token ids (an Embedding of
 * {@code vocabSize} rows), and returns one score per token ({@code outputSize == vocabSize}). Scores of a final
 * softmax Dense are probabilities {@code p}, read as log-probabilities {@code s = log p}; other scores are logits
 * {@code s}. Each step turns {@code s} into the next token as a {@link Sampling} says, in this order (the order of
 * Hugging Face's logits processors):
 * <ol>
 *   <li>repetition penalty {@code θ} (Keskar et al. 2019, CTRL): for every token already in the prompt or the output,
 *       {@code s / θ} when {@code s > 0}, else {@code s · θ};</li>
 *   <li>greedy: the highest score (the first on ties); otherwise temperature {@code T}:
 *       {@code q = softmax(s / T)};</li>
 *   <li>top-k: only the {@code k} most likely tokens (and any tied with the {@code k}-th) keep their {@code q};</li>
 *   <li>top-p (nucleus): of those, only the most likely tokens whose renormalised probabilities first reach a sum of
 *       {@code p} (at least one token) are kept;</li>
 *   <li>one draw from what is left, renormalised, with one {@code random.nextDouble()}.</li>
 * </ol>
 * A seeded {@code Random} makes every mode repeatable. {@link #beamSearch} keeps the {@code beamWidth} most likely
 * continuations instead of drawing one. Output comes as a list, through a callback, as a lazy {@link Iterator}, or as
 * text joined with the vocabulary's {@link Vocabulary#separator() separator} (none at character level, a space at
 * word level). Immutable and thread-safe; each call runs its own {@link Session}.
 */
public final class Generator {
    private final Model model;
    private final boolean ids;
    private final Vocabulary vocabulary;
    private final boolean probabilities;

    /**
     * How each step picks the next token: greedy or sampled at a temperature, with optional top-k, top-p and
     * repetition penalty. Immutable and thread-safe.
     */
    public static final class Sampling {
        private final double temperature;
        private final int topK;
        private final double topP;
        private final double repetitionPenalty;

        private Sampling(double temperature, int topK, double topP, double repetitionPenalty) {
            this.temperature = temperature;
            this.topK = topK;
            this.topP = topP;
            this.repetitionPenalty = repetitionPenalty;
        }

        /**
         * Always the highest score (after any repetition penalty).
         *
         * @return the greedy sampling, without repetition penalty
         */
        public static Sampling greedy() {
            return new Sampling(0.0, 0, 1.0, 1.0);
        }

        /**
         * Draws from {@code softmax(s / temperature)}.
         *
         * @param temperature the divisor of the scores, finite and above 0
         * @return a sampling that draws from the whole distribution
         * @throws IllegalArgumentException unless {@code temperature} is finite and above 0
         */
        public static Sampling temperature(double temperature) {
            if (!(temperature > 0.0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("temperature is " + temperature + ", expected a finite number > 0");
            }
            return new Sampling(temperature, 0, 1.0, 1.0);
        }

        /**
         * Keeps only the {@code topK} most likely tokens before drawing.
         *
         * @param topK how many of the most likely tokens to keep, at least 1
         * @return a copy of this sampling with the cut; this one is unchanged
         * @throws IllegalArgumentException when {@code topK < 1}
         * @throws IllegalStateException on a greedy sampling, which has nothing to cut
         */
        public Sampling topK(int topK) {
            if (topK < 1) {
                throw new IllegalArgumentException("topK is " + topK + ", expected at least 1");
            }
            requireSampling("topK");
            return new Sampling(temperature, topK, topP, repetitionPenalty);
        }

        /**
         * Keeps only the smallest set of most likely tokens whose probability reaches {@code topP} (nucleus sampling).
         *
         * @param topP the probability mass to keep, in {@code (0, 1]}
         * @return a copy of this sampling with the cut; this one is unchanged
         * @throws IllegalArgumentException unless {@code topP} is in {@code (0, 1]}
         * @throws IllegalStateException on a greedy sampling, which has nothing to cut
         */
        public Sampling topP(double topP) {
            if (!(topP > 0.0 && topP <= 1.0)) {
                throw new IllegalArgumentException("topP is " + topP + ", expected a number in (0, 1]");
            }
            requireSampling("topP");
            return new Sampling(temperature, topK, topP, repetitionPenalty);
        }

        /**
         * Penalises tokens already in the prompt or the output: {@code s / θ} for positive scores, {@code s · θ}
         * otherwise; 1 is no penalty, above 1 discourages repeats.
         *
         * @param penalty θ, finite and above 0
         * @return a copy of this sampling with the penalty; this one is unchanged
         * @throws IllegalArgumentException unless {@code penalty} is finite and above 0
         */
        public Sampling repetitionPenalty(double penalty) {
            if (!(penalty > 0.0) || Double.isInfinite(penalty)) {
                throw new IllegalArgumentException("repetitionPenalty is " + penalty
                        + ", expected a finite number > 0");
            }
            return new Sampling(temperature, topK, topP, penalty);
        }

        private void requireSampling(String what) {
            if (temperature == 0.0) {
                throw new IllegalStateException(what + " needs sampling: start from Sampling.temperature(t), not"
                        + " greedy()");
            }
        }

        /**
         * Whether this picks the highest score.
         *
         * @return {@code true} for {@link #greedy()} and its copies
         */
        public boolean isGreedy() {
            return temperature == 0.0;
        }

        @Override
        public String toString() {
            return isGreedy() ? "greedy" + (repetitionPenalty != 1.0 ? ", repetitionPenalty=" + repetitionPenalty : "")
                    : "temperature=" + temperature + (topK > 0 ? ", topK=" + topK : "")
                    + (topP < 1.0 ? ", topP=" + topP : "")
                    + (repetitionPenalty != 1.0 ? ", repetitionPenalty=" + repetitionPenalty : "");
        }
    }

    /**
     * One finished beam: its tokens (without the prompt) and scores.
     *
     * @param tokens the generated tokens, ending with the stop token when it was generated
     * @param logProbability {@code Σ log p} of the generated tokens
     * @param score {@code logProbability / length^lengthPenalty}, the beams' order
     */
    public record Beam(List<String> tokens, double logProbability, double score) {
        /**
         * Copies the token list.
         *
         * @param tokens the generated tokens, copied into an unmodifiable list
         * @param logProbability {@code Σ log p} of the generated tokens
         * @param score the beam's rank score
         */
        public Beam {
            tokens = List.copyOf(tokens);
        }
    }

    /**
     * Pairs a model with its vocabulary.
     *
     * @param model a one-input, one-output model that can stream, whose input and output size is {@code vocabSize}
     * @param vocabulary the tokens the model's input and output positions stand for
     * @throws IllegalArgumentException when the model's input or output size is not the vocabulary size
     * @throws IllegalStateException when the model cannot stream (see {@link Model#session()})
     */
    public Generator(Model model, Vocabulary vocabulary) {
        this.model = Checks.notNull("model", model);
        this.vocabulary = Checks.notNull("vocabulary", vocabulary);
        model.session();
        String input = model.inputNames().get(0);
        this.ids = model.takesTokenIds(input);
        int in = ids ? vocabSize(model) : model.inputShape(input).features();
        if (in != vocabulary.size()) {
            throw new IllegalArgumentException("model takes " + in + " tokens, expected vocabulary size "
                    + vocabulary.size());
        }
        int out = model.outputShape(model.outputNames().get(0)).features();
        if (out != vocabulary.size()) {
            throw new IllegalArgumentException("model outputs " + out + " scores, expected vocabulary size "
                    + vocabulary.size());
        }
        Layer last = model.layer(model.outputNames().get(0));
        this.probabilities = last instanceof Dense && ((Dense) last).activation() == Activation.SOFTMAX;
    }

    /** The vocabulary size of the Embedding that reads the token ids. */
    private static int vocabSize(Model model) {
        for (Layer l : model.layers().values()) {
            if (l instanceof Embedding) {
                return ((Embedding) l).vocabSize();
            }
        }
        throw new IllegalStateException("the model takes token ids but has no Embedding");
    }

    /**
     * The vocabulary that generated tokens come from.
     *
     * @return the vocabulary given at construction
     */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /**
     * Greedy decoding: after the prompt, repeatedly appends the highest-scoring token.
     *
     * @param prompt at least one token
     * @param maxTokens the most tokens to generate, at least 0
     * @param stopToken generation ends after this token is generated; {@code null} for none
     * @return the generated tokens, without the prompt
     */
    public List<String> greedy(List<String> prompt, int maxTokens, String stopToken) {
        return generate(prompt, maxTokens, stopToken, Sampling.greedy(), null);
    }

    /**
     * Sampling: after the prompt, repeatedly draws the next token from the scores at {@code temperature}.
     *
     * @param prompt the tokens fed before generating, at least one, each in the vocabulary
     * @param maxTokens the most tokens to generate, at least 0
     * @param stopToken the token that ends generation (and is returned), or {@code null} for none
     * @param temperature above 0; below 1 sharpens, above 1 flattens the distribution
     * @param random the source of randomness; a seeded {@code Random} gives repeatable output
     * @return the generated tokens, without the prompt, ending with the stop token when it was generated
     */
    public List<String> sample(List<String> prompt, int maxTokens, String stopToken, double temperature,
                               Random random) {
        return generate(prompt, maxTokens, stopToken, Sampling.temperature(temperature),
                Checks.notNull("random", random));
    }

    /**
     * Generates tokens as {@code sampling} says.
     *
     * @param prompt the tokens fed before generating, at least one, each in the vocabulary
     * @param maxTokens the most tokens to generate, at least 0
     * @param stopToken the token that ends generation (and is returned), or {@code null} for none
     * @param sampling how each next token is chosen from the model's scores
     * @param random the source of randomness; may be {@code null} only for a greedy sampling
     * @return the generated tokens, without the prompt, ending with the stop token when it was generated
     */
    public List<String> generate(List<String> prompt, int maxTokens, String stopToken, Sampling sampling,
                                 Random random) {
        List<String> out = new ArrayList<>();
        generate(prompt, maxTokens, stopToken, sampling, random, out::add);
        return out;
    }

    /**
     * Generates tokens as {@code sampling} says, handing each one to {@code onToken} as soon as it is chosen.
     *
     * @param prompt the tokens fed before generating, at least one, each in the vocabulary
     * @param maxTokens the most tokens to generate, at least 0
     * @param stopToken the token that ends generation (and is handed over), or {@code null} for none
     * @param sampling how each next token is chosen from the model's scores
     * @param random the source of randomness; may be {@code null} only for a greedy sampling
     * @param onToken called once per generated token, in order, on the calling thread
     * @return the number of tokens generated
     */
    public int generate(List<String> prompt, int maxTokens, String stopToken, Sampling sampling, Random random,
                        Consumer<String> onToken) {
        Checks.notNull("onToken", onToken);
        Iterator<String> it = stream(prompt, maxTokens, stopToken, sampling, random);
        int n = 0;
        while (it.hasNext()) {
            onToken.accept(it.next());
            n++;
        }
        return n;
    }

    /**
     * A lazy stream of generated tokens: the prompt is fed now (so bad arguments fail here), and each
     * {@code next()} runs one model step. The iterator holds its own session and is not thread-safe.
     *
     * @param prompt the tokens fed before generating, at least one, each in the vocabulary
     * @param maxTokens the most tokens the iterator returns, at least 0
     * @param stopToken the token after which the iterator ends (it is returned), or {@code null} for none
     * @param sampling how each next token is chosen from the model's scores
     * @param random the source of randomness; may be {@code null} only for a greedy sampling
     * @return an iterator over the generated tokens, without the prompt
     */
    public Iterator<String> stream(List<String> prompt, int maxTokens, String stopToken, Sampling sampling,
                                   Random random) {
        Checks.notNull("sampling", sampling);
        if (!sampling.isGreedy()) {
            Checks.notNull("random", random);
        }
        int[] promptIds = promptIds(prompt, maxTokens, stopToken);
        Session session = model.session();
        double[] first = null;
        for (int id : promptIds) {
            first = feed(session, id);
        }
        boolean[] seen = new boolean[vocabulary.size()];
        for (int id : promptIds) {
            seen[id] = true;
        }
        double[] initial = first;
        return new Iterator<>() {
            private double[] scores = initial;
            private int produced;
            private boolean stopped;
            private int lastId;

            @Override
            public boolean hasNext() {
                return !stopped && produced < maxTokens;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("generation has ended after " + produced + " tokens");
                }
                if (scores == null) {
                    scores = feed(session, lastId);
                }
                int next = choose(scores, seen, sampling, random);
                seen[next] = true;
                produced++;
                String token = vocabulary.token(next);
                if (token.equals(stopToken)) {
                    stopped = true;
                } else {
                    lastId = next;
                    scores = null;
                }
                return token;
            }
        };
    }

    /**
     * Generates text: the prompt is split with {@link Vocabulary#tokenize(String)}, and the generated tokens, without
     * the stop token, are joined with the vocabulary's separator.
     *
     * @param prompt the text fed before generating, split into tokens of the vocabulary
     * @param maxTokens the most tokens to generate, at least 0
     * @param stopToken the token that ends generation (left out of the text), or {@code null} for none
     * @param sampling how each next token is chosen from the model's scores
     * @param random the source of randomness; may be {@code null} only for a greedy sampling
     * @return the generated text, without the prompt
     */
    public String complete(String prompt, int maxTokens, String stopToken, Sampling sampling, Random random) {
        List<String> tokens = generate(vocabulary.tokenize(Checks.notNull("prompt", prompt)), maxTokens, stopToken,
                sampling, random);
        if (stopToken != null && !tokens.isEmpty() && tokens.get(tokens.size() - 1).equals(stopToken)) {
            tokens = tokens.subList(0, tokens.size() - 1);
        }
        return vocabulary.join(tokens);
    }

    /**
     * Beam search: keeps the {@code beamWidth} continuations with the highest {@code Σ log p} at each step; a
     * continuation that generates the stop token, or reaches {@code maxTokens}, is finished. Finished beams are ranked
     * by {@code Σ log p / length^lengthPenalty} (0: plain sum, which favours short beams; 1: mean log-probability).
     * Deterministic. With {@code beamWidth = 1} the best beam is the greedy output; with a width of at least
     * {@code vocabSize^(maxTokens-1)} the search is exhaustive. Sessions cannot be copied, so a beam that branches is
     * replayed from the prompt: about {@code beamWidth · maxTokens²} steps.
     *
     * @param prompt the tokens fed before searching, at least one, each in the vocabulary
     * @param maxTokens the most tokens a beam may generate, at least 1
     * @param stopToken the token that finishes a beam, or {@code null} for none
     * @param beamWidth at least 1
     * @param lengthPenalty the exponent of the length normalisation, finite and at least 0
     * @return up to {@code beamWidth} finished beams, best first
     */
    public List<Beam> beamSearch(List<String> prompt, int maxTokens, String stopToken, int beamWidth,
                                 double lengthPenalty) {
        if (beamWidth < 1) {
            throw new IllegalArgumentException("beamWidth is " + beamWidth + ", expected at least 1");
        }
        if (!(lengthPenalty >= 0.0) || Double.isInfinite(lengthPenalty)) {
            throw new IllegalArgumentException("lengthPenalty is " + lengthPenalty + ", expected a finite number >= 0");
        }
        int[] promptIds = promptIds(prompt, maxTokens, stopToken);
        int stopId = stopToken == null ? -1 : vocabulary.indexOf(stopToken);
        List<Hypothesis> finished = new ArrayList<>();
        List<Hypothesis> alive = new ArrayList<>();
        if (maxTokens > 0) {
            Session s = model.session();
            double[] scores = null;
            for (int id : promptIds) {
                scores = feed(s, id);
            }
            alive.add(new Hypothesis(new int[0], 0.0, s, logProbabilities(scores)));
        }
        for (int step = 0; step < maxTokens && !alive.isEmpty(); step++) {
            List<Hypothesis> candidates = new ArrayList<>();
            for (Hypothesis h : alive) {
                for (int t = 0; t < h.next.length; t++) {
                    if (h.next[t] == Double.NEGATIVE_INFINITY) {
                        continue;
                    }
                    int[] tokens = Arrays.copyOf(h.tokens, h.tokens.length + 1);
                    tokens[h.tokens.length] = t;
                    candidates.add(new Hypothesis(tokens, h.logProbability + h.next[t], h, null));
                }
            }
            candidates.sort(Comparator.comparingDouble((Hypothesis h) -> -h.logProbability)
                    .thenComparing(h -> h.tokens, Arrays::compare));
            List<Hypothesis> nextAlive = new ArrayList<>();
            java.util.IdentityHashMap<Hypothesis, Boolean> taken = new java.util.IdentityHashMap<>();
            for (Hypothesis c : candidates.subList(0, Math.min(beamWidth, candidates.size()))) {
                int last = c.tokens[c.tokens.length - 1];
                if (last == stopId || c.tokens.length == maxTokens) {
                    finished.add(c);
                    continue;
                }
                Hypothesis parent = c.parent;
                Session s;
                if (taken.put(parent, Boolean.TRUE) == null) {
                    s = parent.session;
                } else {
                    s = model.session();
                    for (int id : promptIds) {
                        feed(s, id);
                    }
                    for (int k = 0; k < c.tokens.length - 1; k++) {
                        feed(s, c.tokens[k]);
                    }
                }
                double[] next = logProbabilities(feed(s, last));
                nextAlive.add(new Hypothesis(c.tokens, c.logProbability, s, next));
            }
            for (Hypothesis h : alive) {
                h.session = null;
            }
            alive = nextAlive;
        }
        List<Beam> beams = new ArrayList<>();
        for (Hypothesis h : finished) {
            List<String> tokens = new ArrayList<>(h.tokens.length);
            for (int t : h.tokens) {
                tokens.add(vocabulary.token(t));
            }
            double score = h.logProbability / Math.pow(h.tokens.length, lengthPenalty);
            beams.add(new Beam(tokens, h.logProbability, score));
        }
        beams.sort(Comparator.comparingDouble((Beam b) -> -b.score()));
        return Collections.unmodifiableList(beams.subList(0, Math.min(beamWidth, beams.size())));
    }

    /** A beam in progress: its tokens, {@code Σ log p}, and (while alive) its session and next log-probabilities. */
    private static final class Hypothesis {
        final int[] tokens;
        final double logProbability;
        Session session;
        final Hypothesis parent;
        final double[] next;

        Hypothesis(int[] tokens, double logProbability, Session session, double[] next) {
            this.tokens = tokens;
            this.logProbability = logProbability;
            this.session = session;
            this.parent = null;
            this.next = next;
        }

        Hypothesis(int[] tokens, double logProbability, Hypothesis parent, double[] next) {
            this.tokens = tokens;
            this.logProbability = logProbability;
            this.session = null;
            this.parent = parent;
            this.next = next;
        }
    }

    private int[] promptIds(List<String> prompt, int maxTokens, String stopToken) {
        Checks.notNull("prompt", prompt);
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("prompt is empty, expected at least one token");
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens is " + maxTokens + ", expected at least 0");
        }
        if (stopToken != null) {
            vocabulary.indexOf(stopToken);
        }
        return vocabulary.indices(prompt);
    }

    private double[] feed(Session session, int id) {
        if (ids) {
            return session.step(id);
        }
        double[] oneHot = new double[vocabulary.size()];
        oneHot[id] = 1.0;
        return session.step(oneHot);
    }

    /** The scores as {@code s}: {@code log p} for probabilities (−∞ for p ≤ 0), the logits otherwise. */
    private double[] logScores(double[] scores) {
        double[] s = scores.clone();
        if (probabilities) {
            for (int i = 0; i < s.length; i++) {
                s[i] = s[i] > 0.0 ? Math.log(s[i]) : Double.NEGATIVE_INFINITY;
            }
        }
        return s;
    }

    /** {@code log softmax(s)}: the log-probabilities of the next token. */
    private double[] logProbabilities(double[] scores) {
        double[] s = logScores(scores);
        double max = s[0];
        for (double v : s) {
            max = Math.max(max, v);
        }
        double sum = 0.0;
        for (double v : s) {
            sum += Math.exp(v - max);
        }
        double log = max + Math.log(sum);
        for (int i = 0; i < s.length; i++) {
            s[i] -= log;
        }
        return s;
    }

    private int choose(double[] scores, boolean[] seen, Sampling sampling, Random random) {
        double[] s = logScores(scores);
        if (sampling.repetitionPenalty != 1.0) {
            for (int i = 0; i < s.length; i++) {
                if (seen[i]) {
                    s[i] = s[i] > 0.0 ? s[i] / sampling.repetitionPenalty : s[i] * sampling.repetitionPenalty;
                }
            }
        }
        if (sampling.isGreedy()) {
            return argmax(s);
        }
        double[] q = Sampler.softmax(s, sampling.temperature);
        if (q == null) {
            return argmax(s);
        }
        Sampler.keepTopK(q, sampling.topK);
        Sampler.keepTopP(q, sampling.topP);
        return Sampler.draw(q, random);
    }

    private static int argmax(double[] s) {
        int best = 0;
        for (int i = 1; i < s.length; i++) {
            if (s[i] > s[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The sampling arithmetic, on plain arrays. */
    static final class Sampler {
        private Sampler() {
        }

        /** {@code softmax(s / T)}, or {@code null} when it is not finite (all scores −∞). */
        static double[] softmax(double[] s, double temperature) {
            double max = s[0];
            for (double v : s) {
                max = Math.max(max, v);
            }
            if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
                return null;
            }
            double[] q = new double[s.length];
            double total = 0.0;
            for (int i = 0; i < s.length; i++) {
                q[i] = Math.exp((s[i] - max) / temperature);
                total += q[i];
            }
            if (!(total > 0.0) || Double.isInfinite(total)) {
                return null;
            }
            for (int i = 0; i < q.length; i++) {
                q[i] /= total;
            }
            return q;
        }

        /** Zeroes all but the {@code k} largest entries and any tied with the {@code k}-th; 0 keeps all. */
        static void keepTopK(double[] q, int k) {
            if (k <= 0 || k >= q.length) {
                return;
            }
            double[] sorted = q.clone();
            Arrays.sort(sorted);
            double threshold = sorted[sorted.length - k];
            for (int i = 0; i < q.length; i++) {
                if (q[i] < threshold) {
                    q[i] = 0.0;
                }
            }
        }

        /**
         * Zeroes all but the most likely entries whose renormalised sum first reaches {@code p}; at least one is kept.
         * Equal entries are taken lowest index first.
         */
        static void keepTopP(double[] q, double p) {
            if (p >= 1.0) {
                return;
            }
            double total = 0.0;
            for (double v : q) {
                total += v;
            }
            Integer[] order = new Integer[q.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> q[a] != q[b] ? Double.compare(q[b], q[a]) : Integer.compare(a, b));
            double cumulative = 0.0;
            int keep = 0;
            while (keep < order.length) {
                cumulative += q[order[keep]] / total;
                keep++;
                if (cumulative >= p) {
                    break;
                }
            }
            for (int r = keep; r < order.length; r++) {
                q[order[r]] = 0.0;
            }
        }

        /** One draw from {@code q} (not necessarily normalised) with one {@code random.nextDouble()}. */
        static int draw(double[] q, Random random) {
            double total = 0.0;
            for (double v : q) {
                total += v;
            }
            double r = random.nextDouble() * total;
            int last = 0;
            for (int i = 0; i < q.length; i++) {
                if (q[i] > 0.0) {
                    last = i;
                    r -= q[i];
                    if (r < 0.0) {
                        return i;
                    }
                }
            }
            return last;
        }
    }
}
