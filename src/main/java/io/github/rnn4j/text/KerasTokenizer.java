package io.github.rnn4j.text;

import io.github.rnn4j.internal.Checks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * A fitted Keras {@code Tokenizer} read from its {@code to_json()} text: turns raw strings into token-id sequences
 * ({@code texts_to_sequences}) and back ({@code sequences_to_texts}) exactly as {@code keras_preprocessing.text} 1.1
 * (also {@code tf.keras.preprocessing.text}) does.
 *
 * <p>Text to ids, per {@code keras_preprocessing/text.py}:
 * <ol>
 *   <li>{@code lower}: Python's {@code str.lower()} (full Unicode mapping: {@code 'İ'} becomes {@code "i̇"},
 *       a capital sigma at the end of a word becomes {@code 'ς'}; see {@link PythonText}).</li>
 *   <li>word level: every code point of {@code filters} becomes {@code split}, the text is split at every occurrence
 *       of {@code split} (an exact string, not a whitespace class: a no-break space or a tab is part of a word unless
 *       it is in {@code filters}) and empty words are dropped. Character level: every code point is a token, and
 *       {@code filters} is not applied.</li>
 *   <li>each token is looked up in {@code word_index}; a token that is missing, or whose index is
 *       {@code >= num_words}, becomes the OOV token's index when there is an {@code oov_token}, and is dropped when
 *       there is none.</li>
 * </ol>
 * So {@code num_words = n} keeps ids {@code 1 .. n-1}. Ids to text looks each id up in {@code index_word} with the same
 * {@code num_words} and OOV rules, drops unknown ids (or writes the OOV token), and joins with one space, at character
 * level too, as Keras does. Immutable and thread-safe.
 */
public final class KerasTokenizer {
    private static final String DEFAULT_FILTERS = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";
    private static final Set<String> CONFIG_KEYS = Set.of("num_words", "filters", "lower", "split", "char_level",
            "oov_token", "document_count", "word_counts", "word_docs", "index_docs", "index_word", "word_index");

    private final int numWords;
    private final String filters;
    private final boolean lower;
    private final String split;
    private final boolean charLevel;
    private final String oovToken;
    private final int oovIndex;
    private final Map<String, Integer> wordIndex;
    private final Map<Integer, String> indexWord;
    private final Map<String, Long> wordCounts;
    /** The code points of {@code filters}; BMP ones in a bit table. */
    private final boolean[] filterBmp;
    private final Set<Integer> filterSupplementary;

    private KerasTokenizer(int numWords, String filters, boolean lower, String split, boolean charLevel,
                           String oovToken, Map<String, Integer> wordIndex, Map<Integer, String> indexWord,
                           Map<String, Long> wordCounts) {
        this.numWords = numWords;
        this.filters = filters;
        this.lower = lower;
        this.split = split;
        this.charLevel = charLevel;
        this.oovToken = oovToken;
        this.wordIndex = wordIndex;
        this.indexWord = indexWord;
        this.wordCounts = wordCounts;
        this.oovIndex = oovToken == null ? 0 : wordIndex.get(oovToken);
        this.filterBmp = new boolean[0x10000];
        java.util.HashSet<Integer> sup = new java.util.HashSet<>();
        filters.codePoints().forEach(cp -> {
            if (cp < 0x10000) {
                filterBmp[cp] = true;
            } else {
                sup.add(cp);
            }
        });
        this.filterSupplementary = Set.copyOf(sup);
    }

    /**
     * Reads the JSON that Keras's {@code tokenizer.to_json()} writes (and {@code tokenizer_from_json} reads):
     * {@code {"class_name": "Tokenizer", "config": {...}}}, where {@code word_index}, {@code index_word} and
     * {@code word_counts} are themselves JSON text (an object in their place is accepted too).
     *
     * @param json the tokenizer's JSON text
     * @return the tokenizer, immutable and thread-safe
     * @throws IllegalArgumentException for text that is not JSON, or a missing or malformed field, named in the
     *         message ({@code config.num_words}, {@code config.word_index["cat"]}, ...); {@code num_words} below 1,
     *         an unknown config key (Keras's constructor refuses those too), an empty {@code split} at word level,
     *         and an {@code oov_token} that {@code word_index} or {@code index_word} lacks are refused
     */
    public static KerasTokenizer fromJson(String json) {
        Object doc = JsonText.parse(Checks.notNull("json", json), "tokenizer JSON");
        Map<String, Object> top = object(doc, "tokenizer JSON");
        Object cfg = top.get("config");
        if (cfg == null) {
            throw new IllegalArgumentException("tokenizer JSON has no 'config' object");
        }
        Map<String, Object> config = object(cfg, "config");
        for (String key : config.keySet()) {
            if (!CONFIG_KEYS.contains(key)) {
                throw new IllegalArgumentException("config." + key + " is not a Tokenizer setting, expected one of "
                        + new java.util.TreeSet<>(CONFIG_KEYS));
            }
        }
        int numWords = 0;
        Object nw = config.get("num_words");
        if (nw != null) {
            long n = integer(nw, "config.num_words");
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("config.num_words is " + n + ", expected null or at least 1");
            }
            numWords = (int) n;
        }
        String filters = config.containsKey("filters") ? string(config.get("filters"), "config.filters")
                : DEFAULT_FILTERS;
        boolean lower = !config.containsKey("lower") || bool(config.get("lower"), "config.lower");
        String split = config.containsKey("split") ? string(config.get("split"), "config.split") : " ";
        boolean charLevel = config.containsKey("char_level") && bool(config.get("char_level"), "config.char_level");
        if (split.isEmpty() && !charLevel) {
            throw new IllegalArgumentException("config.split is empty, expected a separator (Python's str.split"
                    + " refuses an empty one)");
        }
        Object oov = config.get("oov_token");
        String oovToken = oov == null ? null : string(oov, "config.oov_token");

        Map<String, Object> wordIndexRaw = embedded(config, "word_index");
        Map<String, Integer> wordIndex = new HashMap<>();
        for (Map.Entry<String, Object> e : wordIndexRaw.entrySet()) {
            long i = integer(e.getValue(), "config.word_index[\"" + e.getKey() + "\"]");
            if (i < 1 || i > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("config.word_index[\"" + e.getKey() + "\"] is " + i
                        + ", expected an index of at least 1 (0 is reserved for padding)");
            }
            wordIndex.put(e.getKey(), (int) i);
        }
        Map<String, Object> indexWordRaw = embedded(config, "index_word");
        Map<Integer, String> indexWord = new HashMap<>();
        for (Map.Entry<String, Object> e : indexWordRaw.entrySet()) {
            int i;
            try {
                i = Integer.parseInt(e.getKey().strip());
            } catch (NumberFormatException bad) {
                throw new IllegalArgumentException("config.index_word key \"" + e.getKey()
                        + "\" is not an integer index");
            }
            indexWord.put(i, string(e.getValue(), "config.index_word[\"" + e.getKey() + "\"]"));
        }
        if (wordIndex.isEmpty() && indexWord.isEmpty()) {
            throw new IllegalArgumentException("config.word_index is empty: the tokenizer was never fitted");
        }
        if (oovToken != null) {
            Integer o = wordIndex.get(oovToken);
            if (o == null) {
                throw new IllegalArgumentException("config.oov_token \"" + oovToken + "\" is not in"
                        + " config.word_index");
            }
            if (!indexWord.containsKey(o)) {
                throw new IllegalArgumentException("config.oov_token \"" + oovToken + "\" has index " + o
                        + ", which config.index_word lacks");
            }
        }
        Map<String, Long> wordCounts = new LinkedHashMap<>();
        if (config.get("word_counts") != null) {
            for (Map.Entry<String, Object> e : embedded(config, "word_counts").entrySet()) {
                wordCounts.put(e.getKey(), integer(e.getValue(), "config.word_counts[\"" + e.getKey() + "\"]"));
            }
        }
        return new KerasTokenizer(numWords, filters, lower, split, charLevel, oovToken, wordIndex, indexWord,
                wordCounts);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String name) {
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException(name + " is " + kind(v) + ", expected a JSON object");
        }
        return (Map<String, Object>) v;
    }

    private static Map<String, Object> embedded(Map<String, Object> config, String key) {
        Object v = config.get(key);
        String name = "config." + key;
        if (v == null) {
            throw new IllegalArgumentException(name + " is missing, expected the JSON text of an object");
        }
        if (v instanceof String) {
            v = JsonText.parse((String) v, name);
        }
        return object(v, name);
    }

    private static long integer(Object v, String name) {
        if (!(v instanceof Long)) {
            throw new IllegalArgumentException(name + " is " + kind(v) + ", expected an integer");
        }
        return (Long) v;
    }

    private static String string(Object v, String name) {
        if (!(v instanceof String)) {
            throw new IllegalArgumentException(name + " is " + kind(v) + ", expected a string");
        }
        return (String) v;
    }

    private static boolean bool(Object v, String name) {
        if (!(v instanceof Boolean)) {
            throw new IllegalArgumentException(name + " is " + kind(v) + ", expected true or false");
        }
        return (Boolean) v;
    }

    private static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof Boolean) {
            return v.toString();
        }
        return "the number " + v;
    }

    /**
     * The ids of each text: Keras's {@code texts_to_sequences}.
     *
     * @param texts raw strings; the result has one {@code int[]} per text, possibly empty
     * @return the id sequences, one per text, in order
     * @throws IllegalArgumentException for a null list or a null text (named with its position)
     */
    public List<int[]> textsToSequences(List<String> texts) {
        Checks.notNull("texts", texts);
        List<int[]> out = new ArrayList<>(texts.size());
        for (int k = 0; k < texts.size(); k++) {
            String t = texts.get(k);
            if (t == null) {
                throw new IllegalArgumentException("texts[" + k + "] is null");
            }
            out.add(textToSequence(t));
        }
        return out;
    }

    /**
     * The ids of one text, as {@link #textsToSequences} computes them.
     *
     * @param text a raw string, not null
     * @return the ids, possibly none
     */
    public int[] textToSequence(String text) {
        List<String> tokens = textToWordSequence(Checks.notNull("text", text));
        int[] ids = new int[tokens.size()];
        int n = 0;
        for (String w : tokens) {
            Integer i = wordIndex.get(w);
            if (i != null && (numWords == 0 || i < numWords)) {
                ids[n++] = i;
            } else if (oovToken != null) {
                ids[n++] = oovIndex;
            }
        }
        return n == ids.length ? ids : java.util.Arrays.copyOf(ids, n);
    }

    /**
     * The tokens of a text before lookup: lower-cased, filtered and split words (Keras's
     * {@code text_to_word_sequence}), or its code points at character level.
     *
     * @param text a raw string, not null
     * @return the words (or characters), in order
     */
    public List<String> textToWordSequence(String text) {
        Checks.notNull("text", text);
        String t = lower ? PythonText.lower(text) : text;
        if (charLevel) {
            return PythonText.codePoints(t);
        }
        StringBuilder sb = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); ) {
            int cp = t.codePointAt(i);
            int len = Character.charCount(cp);
            if (cp < 0x10000 ? filterBmp[cp] : filterSupplementary.contains(cp)) {
                sb.append(split);
            } else {
                sb.append(t, i, i + len);
            }
            i += len;
        }
        List<String> words = new ArrayList<>();
        for (String w : PythonText.split(sb.toString(), split)) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    /**
     * The text of each id sequence: Keras's {@code sequences_to_texts}.
     *
     * @param sequences id sequences; an id without a word (or at or above {@code num_words}) becomes the OOV token, or
     *     is skipped when there is none, as in Keras
     * @return the texts, one per sequence, in order
     * @throws IllegalArgumentException for a null list or a null sequence (named with its position)
     */
    public List<String> sequencesToTexts(List<int[]> sequences) {
        Checks.notNull("sequences", sequences);
        List<String> out = new ArrayList<>(sequences.size());
        for (int k = 0; k < sequences.size(); k++) {
            int[] s = sequences.get(k);
            if (s == null) {
                throw new IllegalArgumentException("sequences[" + k + "] is null");
            }
            out.add(sequenceToText(s));
        }
        return out;
    }

    /**
     * The text of one id sequence, as {@link #sequencesToTexts} computes it.
     *
     * @param sequence token ids
     * @return the words, joined with single spaces
     */
    public String sequenceToText(int[] sequence) {
        Checks.notNull("sequence", sequence);
        List<String> words = new ArrayList<>(sequence.length);
        for (int id : sequence) {
            String w = indexWord.get(id);
            if (w != null && (numWords == 0 || id < numWords)) {
                words.add(w);
            } else if (oovToken != null) {
                words.add(indexWord.get(oovIndex));
            }
        }
        return String.join(" ", words);
    }

    /**
     * {@code num_words}: ids {@code >= numWords} are out of vocabulary; empty when every fitted word is kept.
     *
     * @return {@code num_words}, or empty for Keras's {@code None}
     */
    public OptionalInt numWords() {
        return numWords == 0 ? OptionalInt.empty() : OptionalInt.of(numWords);
    }

    /**
     * The OOV token, when the tokenizer has one.
     *
     * @return the OOV token, or empty
     */
    public Optional<String> oovToken() {
        return Optional.ofNullable(oovToken);
    }

    /**
     * The characters removed (replaced by {@link #split()}) before splitting into words.
     *
     * @return the filter characters, possibly empty
     */
    public String filters() {
        return filters;
    }

    /**
     * Whether text is lower-cased first.
     *
     * @return {@code true} when text is lower-cased before splitting
     */
    public boolean lower() {
        return lower;
    }

    /**
     * The word separator.
     *
     * @return the separator Keras's {@code split} names
     */
    public String split() {
        return split;
    }

    /**
     * Whether every character is a token.
     *
     * @return {@code true} for a character-level tokenizer
     */
    public boolean charLevel() {
        return charLevel;
    }

    /**
     * {@code word_index}: every fitted token and its id (ids start at 1), unmodifiable.
     *
     * @return the word-to-id map
     */
    public Map<String, Integer> wordIndex() {
        return Collections.unmodifiableMap(wordIndex);
    }

    /**
     * {@code index_word}: every id and its token, in id order, unmodifiable.
     *
     * @return the id-to-word map
     */
    public Map<Integer, String> indexWord() {
        return Collections.unmodifiableMap(new TreeMap<>(indexWord));
    }

    /**
     * {@code word_counts}: how often each token occurred in the fitted texts, in first-seen order, unmodifiable.
     *
     * @return the token counts
     */
    public Map<String, Long> wordCounts() {
        return Collections.unmodifiableMap(wordCounts);
    }

    /**
     * One more than the largest id {@link #textToSequence} can return: the smallest {@code vocabSize} of an
     * {@code Embedding} that reads this tokenizer's output ({@code min(num_words, max id + 1)}).
     *
     * @return the vocabulary size an {@code Embedding} needs
     */
    public int vocabSize() {
        int max = 0;
        for (int i : wordIndex.values()) {
            max = Math.max(max, i);
        }
        return numWords == 0 ? max + 1 : Math.min(numWords, max + 1);
    }

    /**
     * The ids {@code 0 .. vocabSize() - 1} as a word-level {@link Vocabulary} (separator {@code " "}), for feeding a
     * language model's output back through a {@code Generator}: token 0 is {@code paddingToken}, token {@code i} is
     * {@code index_word[i]}.
     *
     * @param paddingToken the token for id 0, which Keras reserves for padding; not a fitted word
     * @return a word-level vocabulary of {@link #vocabSize()} tokens
     * @throws IllegalArgumentException as {@link Vocabulary#fromIndexWord}, for example when the OOV token is also a
     *         fitted word
     */
    public Vocabulary vocabulary(String paddingToken) {
        if (charLevel) {
            return Vocabulary.fromIndexWord(indexWord, vocabSize(), paddingToken).withSeparator("");
        }
        return Vocabulary.fromIndexWord(indexWord, vocabSize(), paddingToken);
    }

    @Override
    public String toString() {
        return "KerasTokenizer[" + wordIndex.size() + " words, num_words=" + (numWords == 0 ? "None" : numWords)
                + ", oov_token=" + (oovToken == null ? "None" : "\"" + oovToken + "\"") + ", lower=" + lower
                + ", char_level=" + charLevel + "]";
    }
}
