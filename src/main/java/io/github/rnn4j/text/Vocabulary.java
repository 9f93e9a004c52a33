package io.github.rnn4j.text;

import io.github.rnn4j.internal.Checks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An ordered set of tokens: token {@code i} has index {@code i} and one-hot vector {@code e_i}.
 *
 * <p>Turns text into indices or one-hot rows ({@code [timeSteps][vocabSize]}) and indices or probability
 * vectors back into tokens. Tokens may be longer than one character (for example {@code <EOS>});
 * {@link #tokenize(String)} splits text by greedy longest match. Immutable and thread-safe.
 */
public final class Vocabulary {
    private final String[] tokens;
    private final Map<String, Integer> index;
    private final int longest;

    private Vocabulary(String[] tokens) {
        this.tokens = tokens;
        this.index = new HashMap<>();
        int max = 0;
        for (int i = 0; i < tokens.length; i++) {
            index.put(tokens[i], i);
            max = Math.max(max, tokens[i].length());
        }
        this.longest = max;
    }

    /**
     * Creates a vocabulary; the index of each token is its position.
     *
     * @throws IllegalArgumentException for no tokens, or a null, empty or duplicate token (named with its position)
     */
    public static Vocabulary of(String... tokens) {
        if (tokens == null || tokens.length == 0) {
            throw new IllegalArgumentException("tokens must hold at least one token");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            if (t == null || t.isEmpty()) {
                throw new IllegalArgumentException("tokens[" + i + "] is " + (t == null ? "null" : "empty")
                        + ", expected a non-empty token");
            }
            Integer previous = seen.put(t, i);
            if (previous != null) {
                throw new IllegalArgumentException("tokens[" + i + "] '" + t + "' duplicates tokens[" + previous + "]");
            }
        }
        return new Vocabulary(tokens.clone());
    }

    /** Creates a vocabulary from a list of tokens, as {@link #of(String...)}. */
    public static Vocabulary of(List<String> tokens) {
        if (tokens == null) {
            throw new IllegalArgumentException("tokens must not be null");
        }
        return of(tokens.toArray(new String[0]));
    }

    /** The number of tokens, {@code vocabSize}. */
    public int size() {
        return tokens.length;
    }

    /** All tokens in index order, as an unmodifiable list. */
    public List<String> tokens() {
        return List.of(tokens);
    }

    /** Whether {@code token} is in the vocabulary. */
    public boolean contains(String token) {
        return token != null && index.containsKey(token);
    }

    /**
     * The index of a token.
     *
     * @throws IllegalArgumentException naming the token when it is not in the vocabulary
     */
    public int indexOf(String token) {
        Integer i = token == null ? null : index.get(token);
        if (i == null) {
            throw new IllegalArgumentException("token '" + token + "' is not in the vocabulary " + this);
        }
        return i;
    }

    /**
     * The token at an index.
     *
     * @throws IllegalArgumentException when {@code index} is outside {@code [0, size())}
     */
    public String token(int index) {
        if (index < 0 || index >= tokens.length) {
            throw new IllegalArgumentException("index is " + index + ", expected an index in [0, " + tokens.length + ")");
        }
        return tokens[index];
    }

    /** The one-hot vector of a token: {@code [vocabSize]}, 1 at {@code indexOf(token)}, 0 elsewhere. */
    public double[] oneHot(String token) {
        double[] v = new double[tokens.length];
        v[indexOf(token)] = 1.0;
        return v;
    }

    /** One-hot rows for a token sequence: {@code [timeSteps][vocabSize]}. */
    public double[][] oneHot(List<String> sequence) {
        int[] ids = indices(sequence);
        double[][] rows = new double[ids.length][tokens.length];
        for (int t = 0; t < ids.length; t++) {
            rows[t][ids[t]] = 1.0;
        }
        return rows;
    }

    /** The index of each token of a sequence: {@code [timeSteps]}. */
    public int[] indices(List<String> sequence) {
        if (sequence == null) {
            throw new IllegalArgumentException("sequence must not be null");
        }
        int[] ids = new int[sequence.size()];
        for (int t = 0; t < ids.length; t++) {
            ids[t] = indexOf(sequence.get(t));
        }
        return ids;
    }

    /**
     * Splits text into tokens of this vocabulary by greedy longest match, e.g. {@code "hello<EOS>"} into
     * {@code [h, e, l, l, o, <EOS>]}.
     *
     * @throws IllegalArgumentException naming the position and the text there when no token matches
     */
    public List<String> tokenize(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        List<String> out = new ArrayList<>();
        int pos = 0;
        while (pos < text.length()) {
            String match = null;
            for (int len = Math.min(longest, text.length() - pos); len > 0; len--) {
                String candidate = text.substring(pos, pos + len);
                if (index.containsKey(candidate)) {
                    match = candidate;
                    break;
                }
            }
            if (match == null) {
                throw new IllegalArgumentException("text at position " + pos + " ('"
                        + text.substring(pos, text.offsetByCodePoints(pos, 1)) + "') matches no token of " + this);
            }
            out.add(match);
            pos += match.length();
        }
        return out;
    }

    /** The tokens at the given indices, joined without separator (e.g. {@code [1, 2, 2, 3]} to {@code "ello"}). */
    public String decode(int... indices) {
        if (indices == null) {
            throw new IllegalArgumentException("indices must not be null");
        }
        StringBuilder sb = new StringBuilder();
        for (int i : indices) {
            sb.append(token(i));
        }
        return sb.toString();
    }

    /**
     * The token with the highest score (the first on ties): {@code token(argmax(scores))}.
     *
     * @param scores {@code [vocabSize]}: probabilities or logits
     */
    public String mostLikely(double[] scores) {
        return tokens[argmax(scores)];
    }

    /** The index of the highest score (the first on ties); {@code scores} is {@code [vocabSize]}, without NaN. */
    public int argmax(double[] scores) {
        Checks.vectorLength("scores", scores, tokens.length);
        int best = 0;
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("scores[" + i + "] is NaN");
            }
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return Arrays.toString(tokens);
    }
}
