package io.github.rnn4j.text;

import io.github.rnn4j.internal.Checks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A Keras {@code TextVectorization(output_mode="int")} layer with a fixed vocabulary: raw strings to token-id rows.
 *
 * <p>The steps, from keras-team/keras {@code keras/src/layers/preprocessing/text_vectorization.py}
 * ({@code _preprocess} and {@code call}) and {@code index_lookup.py}, and checked against Keras 3.15.1 on TensorFlow
 * 2.21 ({@code tools/fixtures/gen_text_vectorization.py}):
 * <ol>
 *   <li>standardize: {@code "lower"} is {@code tf.strings.lower} without an encoding, which lowers ASCII
 *       {@code A-Z} only ({@code "CAFÉ"} becomes {@code "cafÉ"}); {@code "strip_punctuation"} is
 *       {@code tf.strings.regex_replace} of {@code [!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']} with nothing, which
 *       deletes exactly the 32 ASCII punctuation characters ({@code "dog's"} becomes {@code "dogs"},
 *       {@code "e-mail"} becomes {@code "email"}); {@code "lower_and_strip_punctuation"} does both, lower first.</li>
 *   <li>split: {@code "whitespace"} is {@code tf.strings.split} without a separator, which splits at runs of the six
 *       ASCII whitespace characters {@code " \t\n\u000B\f\r"} only (a no-break space or U+3000 stays inside a
 *       token); {@code "character"} is {@code tf.strings.unicode_split}: one token per code point.</li>
 *   <li>lookup: index 0 is the mask token {@code ""}, index 1 the OOV token {@code "[UNK]"}, and vocabulary term
 *       {@code i} has index {@code i + 2}; a token not in the vocabulary gets 1.</li>
 *   <li>shape: the rows of a batch are padded with 0 at the end to the longest row, or, with
 *       {@code output_sequence_length = L}, cut after {@code L} ids and padded with 0 to exactly {@code L}.</li>
 * </ol>
 * The vocabulary follows {@code set_vocabulary}: it may start with the two reserved entries {@code ["", "[UNK]"]}
 * exactly (as {@code get_vocabulary()} returns them), which are then dropped; it must not be empty, repeat a term, or
 * hold {@code ""} anywhere else. {@code "[UNK]"} later in the list is an ordinary term. Immutable and thread-safe.
 */
public final class TextVectorization {
    /** Keras's {@code standardize} settings that are strings. */
    public enum Standardize {
        /** {@code "lower_and_strip_punctuation"}, Keras's default. */
        LOWER_AND_STRIP_PUNCTUATION,
        /** {@code "lower"}: ASCII letters only. */
        LOWER,
        /** {@code "strip_punctuation"}: the 32 ASCII punctuation characters. */
        STRIP_PUNCTUATION,
        /** {@code None}: the text as it is. */
        NONE
    }

    /** Keras's {@code split} settings that are strings. */
    public enum Split {
        /** {@code "whitespace"}, Keras's default: runs of ASCII whitespace. */
        WHITESPACE,
        /** {@code "character"}: one token per code point. */
        CHARACTER
    }

    /** The mask token, index 0. */
    public static final String MASK_TOKEN = "";
    /** The OOV token, index 1. */
    public static final String OOV_TOKEN = "[UNK]";

    private final List<String> terms;
    private final Map<String, Integer> index;
    private final Standardize standardize;
    private final Split split;
    private final int outputSequenceLength;

    private TextVectorization(List<String> terms, Map<String, Integer> index, Standardize standardize, Split split,
                              int outputSequenceLength) {
        this.terms = terms;
        this.index = index;
        this.standardize = standardize;
        this.split = split;
        this.outputSequenceLength = outputSequenceLength;
    }

    /**
     * A layer with Keras's defaults ({@code LOWER_AND_STRIP_PUNCTUATION}, {@code WHITESPACE}, no
     * {@code output_sequence_length}) over a vocabulary, as {@code TextVectorization(vocabulary=...)} or
     * {@code set_vocabulary(...)}.
     *
     * @param vocabulary the terms, optionally preceded by exactly {@code "", "[UNK]"}
     * @return the layer, immutable and thread-safe
     * @throws IllegalArgumentException for a null, empty or repeated term list, a null term, or {@code ""} after the
     *         reserved start (named with its position)
     */
    public static TextVectorization of(List<String> vocabulary) {
        Checks.notNull("vocabulary", vocabulary);
        if (vocabulary.isEmpty()) {
            throw new IllegalArgumentException("vocabulary is empty, expected at least one term");
        }
        for (int i = 0; i < vocabulary.size(); i++) {
            if (vocabulary.get(i) == null) {
                throw new IllegalArgumentException("vocabulary[" + i + "] is null");
            }
        }
        boolean reserved = vocabulary.size() >= 2 && vocabulary.get(0).equals(MASK_TOKEN)
                && vocabulary.get(1).equals(OOV_TOKEN);
        int start = reserved ? 2 : 0;
        List<String> terms = List.copyOf(vocabulary.subList(start, vocabulary.size()));
        Map<String, Integer> index = new HashMap<>();
        Set<String> repeated = new LinkedHashSet<>();
        for (int i = 0; i < terms.size(); i++) {
            if (index.putIfAbsent(terms.get(i), i + 2) != null) {
                repeated.add(terms.get(i));
            }
        }
        if (!repeated.isEmpty()) {
            throw new IllegalArgumentException("vocabulary repeats the terms " + repeated + ", expected each term once");
        }
        int mask = terms.indexOf(MASK_TOKEN);
        if (mask >= 0) {
            throw new IllegalArgumentException("vocabulary[" + (mask + start) + "] is the mask token \"\", which may"
                    + " only come first, followed by \"[UNK]\"");
        }
        return new TextVectorization(terms, index, Standardize.LOWER_AND_STRIP_PUNCTUATION, Split.WHITESPACE, -1);
    }

    /**
     * The terms of a {@code vocabulary.txt} asset in a {@code .keras} archive, read as Keras's
     * {@code IndexLookup.load_assets} reads them: Python's {@code str.splitlines()} (which also breaks at
     * {@code \r}, {@code \u000B}, {@code \f}, {@code \u001C}-{@code \u001E}, {@code \u0085}, {@code \u2028} and
     * {@code \u2029}, so a term holding one of those comes back as two, exactly as in Keras), then trailing empty lines
     * dropped. Pass the result to {@link #of(List)}.
     *
     * @param text the asset file's contents
     * @return the terms, in order
     */
    public static List<String> vocabularyFromAsset(String text) {
        Checks.notNull("text", text);
        List<String> lines = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (isPythonLineBreak(c)) {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < n) {
            lines.add(text.substring(start));
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static boolean isPythonLineBreak(char c) {
        return c == '\n' || c == '\r' || c == '\u000B' || c == '\f' || c == '\u001C' || c == '\u001D' || c == '\u001E'
                || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }

    /**
     * This layer with another {@code standardize} setting.
     *
     * @param standardize how text is cleaned before splitting
     * @return a new layer; this one is unchanged
     */
    public TextVectorization withStandardize(Standardize standardize) {
        return new TextVectorization(terms, index, Checks.notNull("standardize", standardize), split,
                outputSequenceLength);
    }

    /**
     * This layer with another {@code split} setting.
     *
     * @param split how standardized text is split into tokens
     * @return a new layer; this one is unchanged
     */
    public TextVectorization withSplit(Split split) {
        return new TextVectorization(terms, index, standardize, Checks.notNull("split", split),
                outputSequenceLength);
    }

    /**
     * This layer with {@code output_sequence_length}: every row is cut or zero-padded at the end to this length.
     *
     * @param length the row length, at least 1
     * @return a new layer; this one is unchanged
     * @throws IllegalArgumentException when {@code length} is below 1
     */
    public TextVectorization withOutputSequenceLength(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("outputSequenceLength is " + length + ", expected at least 1");
        }
        return new TextVectorization(terms, index, standardize, split, length);
    }

    /**
     * The ids of a batch of texts, as {@code layer(texts)} returns them: {@code [n][L]}, {@code L} the
     * {@code output_sequence_length} or the longest row's length, padded with 0 at the end.
     *
     * @param texts the raw texts
     * @return a new {@code [n][L]} matrix of ids
     */
    public int[][] vectorize(List<String> texts) {
        Checks.notNull("texts", texts);
        int[][] rows = new int[texts.size()][];
        int longest = 0;
        for (int k = 0; k < rows.length; k++) {
            String t = texts.get(k);
            if (t == null) {
                throw new IllegalArgumentException("texts[" + k + "] is null");
            }
            rows[k] = lookup(tokens(t));
            longest = Math.max(longest, rows[k].length);
        }
        int width = outputSequenceLength > 0 ? outputSequenceLength : longest;
        int[][] out = new int[rows.length][width];
        for (int k = 0; k < rows.length; k++) {
            System.arraycopy(rows[k], 0, out[k], 0, Math.min(width, rows[k].length));
        }
        return out;
    }

    /**
     * The ids of one text, as {@code layer([text])[0]}: its own length, or the {@code output_sequence_length}.
     *
     * @param text a raw text
     * @return the ids of its tokens
     */
    public int[] vectorize(String text) {
        return vectorize(List.of(Checks.notNull("text", text)))[0];
    }

    /**
     * The tokens of a text after standardizing and splitting, before lookup.
     *
     * @param text a raw text
     * @return the tokens, in order
     */
    public List<String> tokens(String text) {
        String t = standardized(Checks.notNull("text", text));
        if (split == Split.CHARACTER) {
            return PythonText.codePoints(t);
        }
        List<String> out = new ArrayList<>();
        int n = t.length();
        int i = 0;
        while (i < n) {
            while (i < n && isAsciiSpace(t.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isAsciiSpace(t.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(t.substring(start, i));
            }
        }
        return out;
    }

    private static boolean isAsciiSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private String standardized(String text) {
        boolean lower = standardize == Standardize.LOWER || standardize == Standardize.LOWER_AND_STRIP_PUNCTUATION;
        boolean strip = standardize == Standardize.STRIP_PUNCTUATION
                || standardize == Standardize.LOWER_AND_STRIP_PUNCTUATION;
        if (!lower && !strip) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (strip && isAsciiPunctuation(c)) {
                continue;
            }
            sb.append(lower && c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return sb.toString();
    }

    private static boolean isAsciiPunctuation(char c) {
        return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~';
    }

    private int[] lookup(List<String> tokens) {
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = index.getOrDefault(tokens.get(i), 1);
        }
        return ids;
    }

    /**
     * {@code get_vocabulary()}: {@code ""}, {@code "[UNK]"}, then the terms; index {@code i} is id {@code i}.
     *
     * @return the vocabulary, unmodifiable
     */
    public List<String> vocabulary() {
        List<String> v = new ArrayList<>(terms.size() + 2);
        v.add(MASK_TOKEN);
        v.add(OOV_TOKEN);
        v.addAll(terms);
        return Collections.unmodifiableList(v);
    }

    /**
     * {@code vocabulary_size()}: the terms plus the two reserved entries.
     *
     * @return the number of ids
     */
    public int vocabularySize() {
        return terms.size() + 2;
    }

    /**
     * The {@code standardize} setting.
     *
     * @return the standardize setting
     */
    public Standardize standardize() {
        return standardize;
    }

    /**
     * The {@code split} setting.
     *
     * @return the split setting
     */
    public Split split() {
        return split;
    }

    /**
     * The {@code output_sequence_length}, when set.
     *
     * @return the row length, or empty
     */
    public OptionalInt outputSequenceLength() {
        return outputSequenceLength > 0 ? OptionalInt.of(outputSequenceLength) : OptionalInt.empty();
    }

    @Override
    public String toString() {
        return "TextVectorization[" + vocabularySize() + " ids, standardize=" + standardize + ", split=" + split
                + ", output_sequence_length=" + (outputSequenceLength > 0 ? outputSequenceLength : "None") + "]";
    }
}
