package io.github.rnn4j.model;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.Layer;
import io.github.rnn4j.text.Vocabulary;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates token sequences from a model whose inputs and outputs are over one {@link Vocabulary}: feed a prompt,
 * then feed each chosen token back in, until a stop token or a length limit.
 *
 * <p>The model takes one-hot rows ({@code inputSize == vocabSize}) or token ids (an Embedding of
 * {@code vocabSize} rows), and returns one score per token ({@code outputSize == vocabSize}). Scores of a final
 * softmax Dense are probabilities {@code p}, sampled as {@code p^(1/temperature)} renormalised; other scores are
 * logits, sampled as {@code softmax(logits / temperature)}. Greedy decoding takes the highest score. Immutable and
 * thread-safe; each call runs its own {@link Session}.
 */
public final class Generator {
    private final Model model;
    private final boolean ids;
    private final Vocabulary vocabulary;
    private final boolean probabilities;

    /**
     * Pairs a model with its vocabulary.
     *
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
     * Greedy decoding: after the prompt, repeatedly appends the highest-scoring token.
     *
     * @param prompt at least one token
     * @param maxTokens the most tokens to generate, at least 0
     * @param stopToken generation ends after this token is generated; {@code null} for none
     * @return the generated tokens, without the prompt
     */
    public List<String> greedy(List<String> prompt, int maxTokens, String stopToken) {
        return generate(prompt, maxTokens, stopToken, 0.0, null);
    }

    /**
     * Sampling: after the prompt, repeatedly draws the next token from the scores at {@code temperature}.
     *
     * @param temperature above 0; below 1 sharpens, above 1 flattens the distribution
     * @param random the source of randomness; a seeded {@code Random} gives repeatable output
     */
    public List<String> sample(List<String> prompt, int maxTokens, String stopToken, double temperature,
                               Random random) {
        if (!(temperature > 0.0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature is " + temperature + ", expected a finite number > 0");
        }
        return generate(prompt, maxTokens, stopToken, temperature, Checks.notNull("random", random));
    }

    private List<String> generate(List<String> prompt, int maxTokens, String stopToken, double temperature,
                                  Random random) {
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
        int[] ids = vocabulary.indices(prompt);
        Session session = model.session();
        double[] scores = null;
        for (int id : ids) {
            scores = feed(session, id);
        }
        List<String> out = new ArrayList<>();
        while (out.size() < maxTokens) {
            int next = random == null ? vocabulary.argmax(scores) : draw(scores, temperature, random);
            String token = vocabulary.token(next);
            out.add(token);
            if (token.equals(stopToken)) {
                break;
            }
            scores = feed(session, next);
        }
        return out;
    }

    private double[] feed(Session session, int id) {
        if (ids) {
            return session.step(id);
        }
        double[] oneHot = new double[vocabulary.size()];
        oneHot[id] = 1.0;
        return session.step(oneHot);
    }

    private int draw(double[] scores, double temperature, Random random) {
        double[] weights = new double[scores.length];
        if (probabilities) {
            for (int i = 0; i < scores.length; i++) {
                weights[i] = Math.pow(Math.max(scores[i], 0.0), 1.0 / temperature);
            }
        } else {
            double max = scores[0];
            for (double s : scores) {
                max = Math.max(max, s);
            }
            for (int i = 0; i < scores.length; i++) {
                weights[i] = Math.exp((scores[i] - max) / temperature);
            }
        }
        double total = 0.0;
        for (double w : weights) {
            total += w;
        }
        if (!(total > 0.0) || Double.isInfinite(total)) {
            return vocabulary.argmax(scores);
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0.0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
