package io.github.rnn4j.cli;

import io.github.rnn4j.text.KerasTokenizer;
import io.github.rnn4j.text.Vocabulary;

import java.util.List;
import java.util.Map;

/**
 * The tokens of {@code generate}: text to ids for the prompt, and each generated id back to text. From a vocabulary
 * file (token {@code i} on line {@code i + 1}, the prompt split by greedy longest match) or from a Keras
 * {@code Tokenizer}'s JSON (ids from 1 as Keras numbers them, the prompt split as {@code texts_to_sequences} does).
 */
interface Tokens {
    /** The prompt as ids; refuses a token the vocabulary does not know, naming it. */
    int[] encode(String prompt);

    /** The text of an id. */
    String decode(int id);

    /** The id of a token, for {@code --stop}; -1 when there is none. */
    int id(String token);

    /** Whether an id may be generated (Keras's padding id 0 and ids without a word may not). */
    boolean generates(int id);

    /** The number of ids, which the model must score. */
    int size();

    /** What goes between generated tokens when {@code --separator} is not given. */
    String separator();

    /** Tokens from a vocabulary: ids are line numbers from 0. */
    static Tokens of(Vocabulary vocabulary, String file) {
        return new Tokens() {
            @Override
            public int[] encode(String prompt) {
                try {
                    return vocabulary.indices(vocabulary.tokenize(prompt));
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--prompt: " + e.getMessage().replace("matches no token of "
                            + vocabulary, "matches no token of " + file));
                }
            }

            @Override
            public String decode(int id) {
                return vocabulary.token(id);
            }

            @Override
            public int id(String token) {
                return vocabulary.contains(token) ? vocabulary.indexOf(token) : -1;
            }

            @Override
            public boolean generates(int id) {
                return true;
            }

            @Override
            public int size() {
                return vocabulary.size();
            }

            @Override
            public String separator() {
                for (String t : vocabulary.tokens()) {
                    if (t.codePointCount(0, t.length()) > 1 && !t.startsWith("<")) {
                        return " ";
                    }
                }
                return "";
            }
        };
    }

    /** Tokens from a fitted Keras {@code Tokenizer}: ids from 1, 0 is padding. */
    static Tokens of(KerasTokenizer tokenizer, String file) {
        Map<Integer, String> words = tokenizer.indexWord();
        return new Tokens() {
            @Override
            public int[] encode(String prompt) {
                if (tokenizer.oovToken().isEmpty()) {
                    List<String> split = tokenizer.textToWordSequence(prompt);
                    for (String w : split) {
                        int[] ids = tokenizer.textToSequence(w);
                        if (ids.length == 0) {
                            throw new UsageException("--prompt: '" + w + "' is not a word of the tokenizer " + file
                                    + " (it has no oov_token)");
                        }
                    }
                }
                return tokenizer.textToSequence(prompt);
            }

            @Override
            public String decode(int id) {
                return words.get(id);
            }

            @Override
            public int id(String token) {
                Integer id = tokenizer.wordIndex().get(token);
                return id == null ? -1 : id;
            }

            @Override
            public boolean generates(int id) {
                return id > 0 && id < tokenizer.vocabSize() && words.containsKey(id);
            }

            @Override
            public int size() {
                return tokenizer.vocabSize();
            }

            @Override
            public String separator() {
                return tokenizer.charLevel() ? "" : " ";
            }
        };
    }
}
