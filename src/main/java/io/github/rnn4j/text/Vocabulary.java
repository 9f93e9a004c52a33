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
 * vectors back into tokens. Tokens may be longer than one character (for example {@code <EOS>}). A vocabulary has a
 * {@link #separator()}: empty for character-level vocabularies, where {@link #tokenize(String)} splits text by greedy
 * longest match and {@link #decode(int...)} joins tokens directly; a space (or any string) for word-level ones, where
 * text is split at the separator and tokens are joined with it. Immutable and thread-safe.
 */
public final class Vocabulary {
    private final String[] tokens;
    private final Map<String, Integer> index;
    private final int longest;
    private final String separator;

    private Vocabulary(String[] tokens, String separator) {
        this.tokens = tokens;
        this.separator = separator;
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
     * @param tokens the tokens, in index order
     * @return a vocabulary with separator {@code " "}
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
        return new Vocabulary(tokens.clone(), "");
    }

    /**
     * A character-level vocabulary: one token per code point of {@code characters}, in order (for example
     * {@code ofCharacters("helo")}); separator {@code ""}.
     *
     * @param characters the characters, each once
     * @return a character-level vocabulary
     * @throws IllegalArgumentException for null or empty text, or a repeated character (named with both positions)
     */
    public static Vocabulary ofCharacters(String characters) {
        Checks.notNull("characters", characters);
        if (characters.isEmpty()) {
            throw new IllegalArgumentException("characters is empty, expected at least one character");
        }
        List<String> chars = PythonText.codePoints(characters);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < chars.size(); i++) {
            Integer previous = seen.put(chars.get(i), i);
            if (previous != null) {
                throw new IllegalArgumentException("characters[" + i + "] '" + chars.get(i) + "' repeats characters["
                        + previous + "]");
            }
        }
        return new Vocabulary(chars.toArray(new String[0]), "");
    }

    /**
     * A word-level vocabulary from a one-token-a-line text (the contents of a {@code vocab.txt}): line {@code i}
     * (from 0) is token {@code i}. Lines end at {@code \n}, a {@code \r} before it is dropped, and the final line
     * break is optional; spaces are part of a token. Separator {@code " "}.
     *
     * @param text the lines, one token each
     * @return a word-level vocabulary
     * @throws IllegalArgumentException for text with no tokens, an empty line, or a repeated token (named with both
     *         line numbers, counted from 1)
     */
    public static Vocabulary fromLines(String text) {
        Checks.notNull("text", text);
        List<String> lines = new ArrayList<>(PythonText.split(text, "\n"));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("text holds no tokens, expected one token a line");
        }
        Map<String, Integer> seen = new HashMap<>();
        String[] tokens = new String[lines.size()];
        for (int i = 0; i < tokens.length; i++) {
            String t = lines.get(i);
            if (t.endsWith("\r")) {
                t = t.substring(0, t.length() - 1);
            }
            if (t.isEmpty()) {
                throw new IllegalArgumentException("line " + (i + 1) + " is empty, expected one token a line");
            }
            Integer previous = seen.put(t, i);
            if (previous != null) {
                throw new IllegalArgumentException("line " + (i + 1) + " '" + t + "' duplicates line "
                        + (previous + 1));
            }
            tokens[i] = t;
        }
        return new Vocabulary(tokens, " ");
    }

    /**
     * A word-level vocabulary from a Keras {@code Tokenizer}'s {@code index_word}: token {@code i} is
     * {@code indexWord.get(i)} for {@code i = 1 .. size - 1}, and token 0, which Keras reserves for padding, is
     * {@code paddingToken}. Separator {@code " "}, as Keras's {@code sequences_to_texts} joins.
     *
     * @param indexWord ids from 1 without gaps, as {@link KerasTokenizer#indexWord()} returns them
     * @param size the number of ids to keep, counting 0 (for example {@code num_words}); at most the largest id + 1
     * @param paddingToken the token for id 0, not one of the words
     * @return a word-level vocabulary of {@code size} tokens
     * @throws IllegalArgumentException for a missing id, a word used twice (Keras allows an OOV token that is also a
     *         fitted word; a vocabulary cannot), or a {@code paddingToken} that is also a word
     */
    public static Vocabulary fromIndexWord(Map<Integer, String> indexWord, int size, String paddingToken) {
        Checks.notNull("indexWord", indexWord);
        Checks.notNull("paddingToken", paddingToken);
        if (paddingToken.isEmpty()) {
            throw new IllegalArgumentException("paddingToken is empty, expected a token such as \"<pad>\"");
        }
        if (size < 2) {
            throw new IllegalArgumentException("size is " + size + ", expected at least 2 (padding and one word)");
        }
        String[] tokens = new String[size];
        tokens[0] = paddingToken;
        Map<String, Integer> seen = new HashMap<>();
        seen.put(paddingToken, 0);
        for (int i = 1; i < size; i++) {
            String w = indexWord.get(i);
            if (w == null || w.isEmpty()) {
                throw new IllegalArgumentException("indexWord has no word for id " + i + ", expected ids 1 .. "
                        + (size - 1));
            }
            Integer previous = seen.put(w, i);
            if (previous != null) {
                throw new IllegalArgumentException("indexWord id " + i + " '" + w + "' repeats id " + previous
                        + (previous == 0 ? " (paddingToken)" : ""));
            }
            tokens[i] = w;
        }
        return new Vocabulary(tokens, " ");
    }

    /**
     * This vocabulary with another separator (see {@link #separator()}); {@code ""} for character level.
     *
     * @param separator the text between tokens, not null
     * @return a new vocabulary with the same tokens
     */
    public Vocabulary withSeparator(String separator) {
        return new Vocabulary(tokens, Checks.notNull("separator", separator));
    }

    /**
     * What {@link #decode(int...)} puts between tokens and {@link #tokenize(String)} splits at; {@code ""} for none.
     *
     * @return the separator, possibly empty
     */
    public String separator() {
        return separator;
    }

    /**
     * Creates a vocabulary from a list of tokens, as {@link #of(String...)}.
     *
     * @param tokens the tokens, in index order
     * @return a vocabulary with separator {@code " "}
     */
    public static Vocabulary of(List<String> tokens) {
        if (tokens == null) {
            throw new IllegalArgumentException("tokens must not be null");
        }
        return of(tokens.toArray(new String[0]));
    }

    /**
     * The number of tokens, {@code vocabSize}.
     *
     * @return {@code vocabSize}, at least 1
     */
    public int size() {
        return tokens.length;
    }

    /**
     * All tokens in index order, as an unmodifiable list.
     *
     * @return the tokens, unmodifiable
     */
    public List<String> tokens() {
        return List.of(tokens);
    }

    /**
     * Whether {@code token} is in the vocabulary.
     *
     * @param token the token to look up
     * @return {@code true} when {@code token} has an index
     */
    public boolean contains(String token) {
        return token != null && index.containsKey(token);
    }

    /**
     * The index of a token.
     *
     * @param token a token of the vocabulary
     * @return its index in {@code [0, size())}
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
     * @param index in {@code [0, size())}
     * @return the token there
     * @throws IllegalArgumentException when {@code index} is outside {@code [0, size())}
     */
    public String token(int index) {
        if (index < 0 || index >= tokens.length) {
            throw new IllegalArgumentException("index is " + index + ", expected an index in [0, " + tokens.length + ")");
        }
        return tokens[index];
    }

    /**
     * The one-hot vector of a token: {@code [vocabSize]}, 1 at {@code indexOf(token)}, 0 elsewhere.
     *
     * @param token a token of the vocabulary
     * @return a new {@code [vocabSize]} array
     */
    public double[] oneHot(String token) {
        double[] v = new double[tokens.length];
        v[indexOf(token)] = 1.0;
        return v;
    }

    /**
     * One-hot rows for a token sequence: {@code [timeSteps][vocabSize]}.
     *
     * @param sequence tokens of the vocabulary, {@code [timeSteps]}
     * @return a new {@code [timeSteps][vocabSize]} array
     * @throws IllegalArgumentException naming the first token that is not in the vocabulary
     */
    public double[][] oneHot(List<String> sequence) {
        int[] ids = indices(sequence);
        double[][] rows = new double[ids.length][tokens.length];
        for (int t = 0; t < ids.length; t++) {
            rows[t][ids[t]] = 1.0;
        }
        return rows;
    }

    /**
     * The index of each token of a sequence: {@code [timeSteps]}.
     *
     * @param sequence tokens of the vocabulary
     * @return a new {@code [timeSteps]} array of indices
     * @throws IllegalArgumentException naming the first token that is not in the vocabulary
     */
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
     * Splits text into tokens of this vocabulary: by greedy longest match when the separator is empty, e.g.
     * {@code "hello<EOS>"} into {@code [h, e, l, l, o, <EOS>]}; otherwise at each separator, dropping empty parts, e.g.
     * {@code "the  cat"} into {@code [the, cat]}.
     *
     * @param text the text to split
     * @return the tokens, in order
     * @throws IllegalArgumentException naming the position and the text there when no token matches
     */
    public List<String> tokenize(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        List<String> out = new ArrayList<>();
        if (!separator.isEmpty()) {
            int at = 0;
            for (String part : PythonText.split(text, separator)) {
                if (!part.isEmpty()) {
                    if (!index.containsKey(part)) {
                        throw new IllegalArgumentException("text at position " + at + " ('" + part
                                + "') is not a token of " + this);
                    }
                    out.add(part);
                }
                at += part.length() + separator.length();
            }
            return out;
        }
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

    /**
     * The tokens at the given indices, joined with the {@link #separator()} (e.g. {@code [1, 2, 2, 3]} to
     * {@code "ello"} at character level, {@code "the cat"} at word level).
     *
     * @param indices token indices, each in {@code [0, size())}
     * @return the decoded text
     * @throws IllegalArgumentException when an index is outside the vocabulary
     */
    public String decode(int... indices) {
        if (indices == null) {
            throw new IllegalArgumentException("indices must not be null");
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < indices.length; k++) {
            if (k > 0) {
                sb.append(separator);
            }
            sb.append(token(indices[k]));
        }
        return sb.toString();
    }

    /**
     * The tokens joined with the {@link #separator()}, as {@link #decode(int...)} joins them.
     *
     * @param tokens the tokens to join, not necessarily in this vocabulary
     * @return the joined text
     */
    public String join(List<String> tokens) {
        Checks.notNull("tokens", tokens);
        return String.join(separator, tokens);
    }

    /**
     * The token with the highest score (the first on ties): {@code token(argmax(scores))}.
     *
     * @param scores {@code [vocabSize]}: probabilities or logits
     * @return the most likely token
     */
    public String mostLikely(double[] scores) {
        return tokens[argmax(scores)];
    }

    /**
     * The index of the highest score (the first on ties); {@code scores} is {@code [vocabSize]}, without NaN.
     *
     * @param scores {@code [vocabSize]}: probabilities or logits
     * @return the index in {@code [0, vocabSize)}
     */
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
