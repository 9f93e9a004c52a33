package io.github.rnn4j.text;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Edges of the text package that mutation testing found unchecked: character-class bounds, line breaks at the end of
 * an asset, integer limits of a tokenizer's settings, the first supplementary code point, settings accessors, and the
 * messages of refused inputs. References: Python's {@code string.punctuation}, {@code str.splitlines()} and
 * {@code str.lower()} as documented, Keras's {@code text_to_word_sequence}.
 */
class TextEdgesTest {
    /**
     * Python's {@code string.punctuation}, as the Python documentation of the {@code string} module lists it: the same
     * 32 characters as Keras's {@code DEFAULT_STRIP_REGEX} ({@code keras/src/layers/preprocessing/text_vectorization.py},
     * {@code [!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']}, where {@code ,-\.} is the range {@code , - .}).
     */
    private static final String PYTHON_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    /** U+10000 LINEAR B SYLLABLE B008 A, the first code point outside the Basic Multilingual Plane. */
    private static final String FIRST_SUPPLEMENTARY = new String(Character.toChars(0x10000));

    @Test
    void punctuationIsStrippedExactlyForPythonsStringPunctuation() {
        TextVectorization strip = TextVectorization.of(List.of("x"))
                .withStandardize(TextVectorization.Standardize.STRIP_PUNCTUATION);
        int stripped = 0;
        for (char c = ' '; c <= '~'; c++) {
            String text = "x" + c + "x";
            List<String> tokens = strip.tokens(text);
            if (PYTHON_PUNCTUATION.indexOf(c) >= 0) {
                assertThat(tokens).as("'%s' (U+%04X) is punctuation", c, (int) c).containsExactly("xx");
                stripped++;
            } else if (c == ' ') {
                assertThat(tokens).containsExactly("x", "x");
            } else {
                assertThat(tokens).as("'%s' (U+%04X) is kept", c, (int) c).containsExactly(text);
            }
        }
        assertThat(stripped).isEqualTo(32);
        assertThat(strip.tokens("x\u007fx\u00a1x")).as("DEL and '¡' are not ASCII punctuation")
                .containsExactly("x\u007fx\u00a1x");
    }

    @Test
    void lowerChangesOnlyAsciiCapitals() {
        TextVectorization lower = TextVectorization.of(List.of("x"))
                .withStandardize(TextVectorization.Standardize.LOWER);
        assertThat(lower.tokens("@AZ[ `az{ ÀÉ")).containsExactly("@az[", "`az{", "ÀÉ");
        StringBuilder all = new StringBuilder();
        StringBuilder want = new StringBuilder();
        for (char c = '!'; c <= '~'; c++) {
            all.append(c);
            want.append(c >= 'A' && c <= 'Z' ? Character.toLowerCase(c) : c);
        }
        assertThat(lower.tokens(all.toString())).containsExactly(want.toString());
    }

    @Test
    void settingsAreReportedAsSet() {
        TextVectorization plain = TextVectorization.of(List.of("a", "b"));
        assertThat(plain.standardize()).isEqualTo(TextVectorization.Standardize.LOWER_AND_STRIP_PUNCTUATION);
        assertThat(plain.split()).isEqualTo(TextVectorization.Split.WHITESPACE);
        assertThat(plain.outputSequenceLength()).isEqualTo(OptionalInt.empty());
        assertThat(plain.toString()).isEqualTo("TextVectorization[4 ids, standardize=LOWER_AND_STRIP_PUNCTUATION,"
                + " split=WHITESPACE, output_sequence_length=None]");
        TextVectorization set = plain.withStandardize(TextVectorization.Standardize.NONE)
                .withSplit(TextVectorization.Split.CHARACTER).withOutputSequenceLength(1);
        assertThat(set.standardize()).isEqualTo(TextVectorization.Standardize.NONE);
        assertThat(set.split()).isEqualTo(TextVectorization.Split.CHARACTER);
        assertThat(set.outputSequenceLength()).isEqualTo(OptionalInt.of(1));
        assertThat(set.toString()).isEqualTo("TextVectorization[4 ids, standardize=NONE, split=CHARACTER,"
                + " output_sequence_length=1]");
        assertThat(set.vectorize(List.of("ba", ""))).isDeepEqualTo(new int[][] {{3}, {0}});
        assertThat(TextVectorization.of(List.of("x")).vocabulary()).containsExactly("", "[UNK]", "x");
        assertThat(plain.standardize()).as("the original is unchanged")
                .isEqualTo(TextVectorization.Standardize.LOWER_AND_STRIP_PUNCTUATION);
    }

    @Test
    void aMaskTokenIsAllowedOnlyAsTheReservedStart() {
        assertThatThrownBy(() -> TextVectorization.of(List.of("", "a"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vocabulary[0] is the mask token");
        assertThatThrownBy(() -> TextVectorization.of(List.of("[UNK]", "", "a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vocabulary[1] is the mask token");
        assertThat(TextVectorization.of(List.of("", "[UNK]", "a")).vocabulary()).containsExactly("", "[UNK]", "a");
    }

    /** Python: {@code "a\rb\r\nc\r".splitlines() == ['a', 'b', 'c']}; a {@code \r} at the very end ends a line. */
    @Test
    void assetLinesBreakAsPythonsSplitlines() {
        assertThat(TextVectorization.vocabularyFromAsset("a\rb\r\nc\r")).containsExactly("a", "b", "c");
        assertThat(TextVectorization.vocabularyFromAsset("a\r")).containsExactly("a");
        assertThat(TextVectorization.vocabularyFromAsset("a\r\n")).containsExactly("a");
        assertThat(TextVectorization.vocabularyFromAsset("a\n\rb")).as("\\n then \\r is two breaks")
                .containsExactly("a", "", "b");
        assertThat(TextVectorization.vocabularyFromAsset("a\r\rb")).containsExactly("a", "", "b");
        assertThat(TextVectorization.vocabularyFromAsset("a\u2028b\u0085c")).containsExactly("a", "b", "c");
        assertThat(TextVectorization.vocabularyFromAsset("ab")).containsExactly("ab");
        assertThat(TextVectorization.vocabularyFromAsset("a\n\n\n")).as("trailing empty lines dropped")
                .containsExactly("a");
        assertThat(TextVectorization.vocabularyFromAsset("")).isEmpty();
        assertThat(TextVectorization.vocabularyFromAsset("\n")).isEmpty();
        assertThat(TextVectorization.vocabularyFromAsset("\na")).containsExactly("", "a");
    }

    @Test
    void tokenizerIntegerSettingsAreCheckedAtTheirLimits() {
        String good = (String) KerasTokenizerTest.FIXTURE.cases.get(0).raw.get("json");
        KerasTokenizer base = KerasTokenizer.fromJson(good);
        KerasTokenizer widest = KerasTokenizer.fromJson(good.replace("\"num_words\": null",
                "\"num_words\": 2147483647"));
        assertThat(widest.vocabSize()).isEqualTo(base.vocabSize());
        assertThatThrownBy(() -> KerasTokenizer.fromJson(good.replace("\"num_words\": null",
                "\"num_words\": 2147483648"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.num_words is 2147483648, expected null or at least 1");
        assertThat(KerasTokenizer.fromJson(good.replace("\"num_words\": null", "\"num_words\": 1")).vocabSize())
                .isEqualTo(1);
        String tooLarge = "{\"config\": {\"word_index\": {\"a\": 2147483648}, \"index_word\": {\"1\": \"a\"}}}";
        assertThatThrownBy(() -> KerasTokenizer.fromJson(tooLarge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.word_index[\"a\"] is 2147483648, expected an index of at least 1");
    }

    @Test
    void aTokenizerWithAnOovTokenPrintsItQuoted() {
        KerasTokenizer oov = KerasTokenizerTest.tokenizer("num_words_5_oov");
        String token = oov.oovToken().orElseThrow();
        assertThat(oov.toString()).contains(", oov_token=\"" + token + "\", lower=");
    }

    /**
     * Keras's {@code text_to_word_sequence} replaces every character of {@code filters} by {@code split}, including
     * one outside the Basic Multilingual Plane; a filter list without it keeps it inside the word.
     */
    @Test
    void theFirstSupplementaryCodePointIsFilteredWhenListed() {
        String words = "\"word_index\": {\"a\": 1, \"b\": 2}, \"index_word\": {\"1\": \"a\", \"2\": \"b\"}";
        KerasTokenizer filtering = KerasTokenizer.fromJson("{\"config\": {\"filters\": \"" + FIRST_SUPPLEMENTARY
                + "\uffff\", " + words + "}}");
        assertThat(filtering.textToWordSequence("a" + FIRST_SUPPLEMENTARY + "b\uffffa"))
                .containsExactly("a", "b", "a");
        assertThat(filtering.textToSequence("a" + FIRST_SUPPLEMENTARY + "b")).containsExactly(1, 2);
        KerasTokenizer keeping = KerasTokenizer.fromJson("{\"config\": {\"filters\": \"\", " + words + "}}");
        assertThat(keeping.textToWordSequence("a" + FIRST_SUPPLEMENTARY + "b"))
                .containsExactly("a" + FIRST_SUPPLEMENTARY + "b");
        KerasTokenizer bmpOnly = KerasTokenizer.fromJson("{\"config\": {\"filters\": \"\uffff\", " + words + "}}");
        assertThat(bmpOnly.textToWordSequence("a" + FIRST_SUPPLEMENTARY + "b\uffffa"))
                .containsExactly("a" + FIRST_SUPPLEMENTARY + "b", "a");
    }

    @Test
    void indexWordVocabulariesFromTwoIdsUp() {
        Vocabulary two = Vocabulary.fromIndexWord(Map.of(1, "a"), 2, "<pad>");
        assertThat(two.tokens()).containsExactly("<pad>", "a");
        assertThatThrownBy(() -> Vocabulary.fromIndexWord(Map.of(1, "a", 2, "b"), 4, "<pad>"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("indexWord has no word for id 3, expected ids 1 .. 3");
        assertThatThrownBy(() -> Vocabulary.fromIndexWord(Map.of(1, ""), 2, "<pad>"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("indexWord has no word for id 1");
        assertThatThrownBy(() -> Vocabulary.fromIndexWord(Map.of(1, "a", 2, "<pad>"), 3, "<pad>"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("indexWord id 2 '<pad>' repeats id 0 (paddingToken)");
        assertThatThrownBy(() -> Vocabulary.fromIndexWord(Map.of(1, "a", 2, "a"), 3, "<pad>"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("indexWord id 2 'a' repeats id 1");
    }

    @Test
    void padToLongestRefusesNullSequencesByPosition() {
        assertThatThrownBy(() -> Sequences.padToLongest(null, Sequences.Side.PRE, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequences must not be null");
        List<int[]> withNull = new ArrayList<>(Arrays.asList(new int[] {1, 2}, null));
        assertThatThrownBy(() -> Sequences.padToLongest(withNull, Sequences.Side.POST, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequences[1] is null");
    }
}
