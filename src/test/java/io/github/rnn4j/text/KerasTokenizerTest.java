package io.github.rnn4j.text;

import io.github.rnn4j.io.TestJson;
import io.github.rnn4j.testing.Concurrently;
import io.github.rnn4j.testing.Fixture;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link KerasTokenizer} against {@code keras_preprocessing} 1.1's own output, written by
 * {@code tools/fixtures/gen_text.py} into {@code fixtures/text/tokenizer_expected.json}.
 */
class KerasTokenizerTest {
    static final Fixture FIXTURE = Fixture.load("text/tokenizer_expected.json");

    static KerasTokenizer tokenizer(String name) {
        for (Fixture.Case c : FIXTURE.cases) {
            if (c.name.equals(name)) {
                return KerasTokenizer.fromJson((String) c.raw.get("json"));
            }
        }
        throw new IllegalArgumentException(name);
    }

    @SuppressWarnings("unchecked")
    static List<int[]> sequences(Object raw) {
        List<int[]> out = new ArrayList<>();
        for (Object row : (List<Object>) raw) {
            out.add(((List<Object>) row).stream().mapToInt(v -> ((Long) v).intValue()).toArray());
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyFixtureCaseEqualsKerasPreprocessing() {
        int texts = 0;
        for (Fixture.Case c : FIXTURE.cases) {
            KerasTokenizer tokenizer = KerasTokenizer.fromJson((String) c.raw.get("json"));
            List<String> input = (List<String>) c.raw.get("texts");
            List<int[]> expected = sequences(c.raw.get("sequences"));
            List<int[]> actual = tokenizer.textsToSequences(input);
            assertThat(actual).as(c.name).hasSameSizeAs(expected);
            for (int k = 0; k < expected.size(); k++) {
                assertThat(actual.get(k)).as("%s: texts[%d] = %s", c.name, k, input.get(k))
                        .containsExactly(expected.get(k));
                assertThat(tokenizer.textToSequence(input.get(k))).containsExactly(expected.get(k));
            }
            List<String> decoded = tokenizer.sequencesToTexts(sequences(c.raw.get("decode")));
            assertThat(decoded).as(c.name + " sequences_to_texts").isEqualTo(c.raw.get("decoded"));
            texts += input.size();
        }
        assertThat(FIXTURE.cases).hasSize(30);
        assertThat(texts).isGreaterThan(700);
    }

    @Test
    void theFixturesCoverWhatTheIssueAsksFor() {
        List<String> names = new ArrayList<>();
        FIXTURE.cases.forEach(c -> names.add(c.name));
        assertThat(names).contains("defaults", "oov", "num_words_1", "num_words_5_oov", "char_level", "lower_false",
                "no_filters", "custom_filters_unicode", "split_multi", "split_emoji", "oov_is_a_word");
        KerasTokenizer oov = tokenizer("num_words_5_oov");
        assertThat(oov.numWords()).hasValue(5);
        assertThat(oov.oovToken()).hasValue("[UNK]");
        assertThat(oov.wordIndex()).containsEntry("[UNK]", 1).containsEntry("the", 2);
        assertThat(oov.vocabSize()).isEqualTo(5);
    }

    @Test
    void numWordsKeepsIdsBelowItAndOovReplacesTheRest() {
        // Expected values printed by keras_preprocessing 1.1 for these fixture tokenizers: by frequency the=1, fox=2,
        // dog=3, words=4, brown=5, quick=6 (OOV shifts them up by one).
        assertThat(tokenizer("defaults").textToSequence("the quick brown fox zebra")).containsExactly(1, 6, 5, 2);
        assertThat(tokenizer("num_words_5").textToSequence("the quick brown fox zebra")).containsExactly(1, 2);
        assertThat(tokenizer("num_words_5_oov").textToSequence("the quick brown fox zebra"))
                .containsExactly(2, 1, 1, 3, 1);
        assertThat(tokenizer("num_words_5_oov").sequenceToText(new int[] {2, 6, 0, 3}))
                .isEqualTo("the [UNK] [UNK] fox");
        assertThat(tokenizer("num_words_5").sequenceToText(new int[] {2, 6, 0, 3})).isEqualTo("fox dog");
    }

    @Test
    void wordsSplitOnlyAtTheSeparatorNotAtUnicodeSpaces() {
        KerasTokenizer t = tokenizer("defaults");
        assertThat(t.textToWordSequence("Non\u00a0breaking\u2028line\ttab\nnl  two"))
                .containsExactly("non\u00a0breaking\u2028line", "tab", "nl", "two");
        assertThat(t.textToWordSequence("İstanbul ΟΔΟΣ STRASSE")).containsExactly("i\u0307stanbul", "οδος",
                "strasse");
        assertThat(tokenizer("char_level").textToWordSequence("Aé😀")).containsExactly("a", "é", "😀");
    }

    @Test
    @SuppressWarnings("unchecked")
    void lowerEqualsPythonForTheTrickyStrings() {
        Map<String, Object> doc = unicode();
        for (Object o : (List<Object>) doc.get("strings")) {
            List<String> pair = (List<String>) o;
            assertThat(PythonText.lower(pair.get(0))).as("lower(%s)", pair.get(0)).isEqualTo(pair.get(1));
        }
        assertThat(PythonText.lower("ΑΣ.")).as("Java's toLowerCase disagrees here").isEqualTo("ας.");
    }

    @Test
    @SuppressWarnings("unchecked")
    void lowerCasedAndCaseIgnorableEqualPythonForEveryCodePoint() {
        Map<String, Object> doc = unicode();
        Map<String, Object> lower = (Map<String, Object>) doc.get("lower");
        boolean[] cased = table((List<Object>) doc.get("cased"));
        boolean[] ignorable = table((List<Object>) doc.get("case_ignorable"));
        List<String> wrong = new ArrayList<>();
        for (int cp = 0; cp < 0x110000; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF || cp == 0x3A3) {
                continue;
            }
            String s = new String(Character.toChars(cp));
            StringBuilder expected = new StringBuilder();
            Object mapped = lower.get(Integer.toString(cp));
            if (mapped == null) {
                expected.append(s);
            } else {
                for (Object x : (List<Object>) mapped) {
                    expected.appendCodePoint(((Long) x).intValue());
                }
            }
            if (!PythonText.lower(s).equals(expected.toString())) {
                wrong.add(String.format("lower U+%04X", cp));
            }
            boolean ig = PythonText.isCaseIgnorable(cp);
            if (ig != ignorable[cp]) {
                wrong.add(String.format("case-ignorable U+%04X", cp));
            }
            if (!ig && PythonText.isCased(cp) != cased[cp]) {
                wrong.add(String.format("cased U+%04X", cp));
            }
        }
        assertThat(wrong).as("code points where rnn4j and Python 3.11 differ").isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> unicode() {
        try (var in = KerasTokenizerTest.class.getResourceAsStream("/fixtures/text/unicode_lower.json")) {
            return (Map<String, Object>) TestJson.parse(new String(in.readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8), "unicode_lower.json");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean[] table(List<Object> ranges) {
        boolean[] t = new boolean[0x110000];
        for (Object r : ranges) {
            List<Object> lohi = (List<Object>) r;
            for (long cp = (Long) lohi.get(0); cp <= (Long) lohi.get(1); cp++) {
                t[(int) cp] = true;
            }
        }
        return t;
    }

    @Test
    void malformedJsonIsRefusedNamingTheField() {
        String good = (String) FIXTURE.cases.get(0).raw.get("json");
        assertThatThrownBy(() -> KerasTokenizer.fromJson("{\"config\": {")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenizer JSON is not valid JSON at offset");
        assertThatThrownBy(() -> KerasTokenizer.fromJson("[1, 2]")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokenizer JSON is an array");
        assertThatThrownBy(() -> KerasTokenizer.fromJson("{\"class_name\": \"Tokenizer\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'config'");
        assertThatThrownBy(() -> KerasTokenizer.fromJson(good.replace("\"num_words\": null", "\"num_words\": 0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("config.num_words is 0");
        assertThatThrownBy(() -> KerasTokenizer.fromJson(good.replace("\"num_words\": null", "\"num_words\": -3"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.num_words is -3");
        assertThatThrownBy(() -> KerasTokenizer.fromJson(good.replace("\"num_words\": null", "\"num_words\": \"5\""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.num_words is a string, expected an integer");
        assertThatThrownBy(() -> KerasTokenizer.fromJson(good.replace("\"lower\": true", "\"lower\": 1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.lower is the number 1");
        assertThatThrownBy(() -> KerasTokenizer.fromJson(good.replace("\"num_words\"", "\"nb_wordz\""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.nb_wordz is not a Tokenizer setting");
        assertThatThrownBy(() -> KerasTokenizer.fromJson(good.replace("\"split\": \" \"", "\"split\": \"\""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.split is empty");
        assertThatThrownBy(() -> KerasTokenizer.fromJson(good.replace("\"oov_token\": null", "\"oov_token\": \"<X>\""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.oov_token \"<X>\" is not in config.word_index");
        assertThatThrownBy(() -> KerasTokenizer.fromJson(good.replace("\\\"the\\\": 1,", "\\\"the\\\": \\\"1\\\","))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.word_index[\"the\"] is a string, expected an integer");
        assertThatThrownBy(() -> KerasTokenizer.fromJson(good.replace("\\\"the\\\": 1,", "\\\"the\\\": 0,"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.word_index[\"the\"] is 0");
        assertThatThrownBy(() -> KerasTokenizer.fromJson(good.replace("\"word_index\": \"{", "\"word_index\": \"{["))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.word_index is not valid JSON");
        assertThatThrownBy(() -> KerasTokenizer.fromJson(good.replace("\\\"1\\\": \\\"the\\\"",
                "\\\"one\\\": \\\"the\\\""))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("config.index_word key \"one\"");
        String empty = "{\"class_name\": \"Tokenizer\", \"config\": {\"word_index\": \"{}\", \"index_word\": \"{}\"}}";
        assertThatThrownBy(() -> KerasTokenizer.fromJson(empty)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("config.word_index is empty");
        String noIndex = "{\"config\": {\"index_word\": \"{}\"}}";
        assertThatThrownBy(() -> KerasTokenizer.fromJson(noIndex)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("config.word_index is missing");
        assertThatThrownBy(() -> KerasTokenizer.fromJson(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("json must not be null");
        assertThatThrownBy(() -> KerasTokenizer.fromJson("[".repeat(10_000))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nesting deeper than");
    }

    @Test
    void minimalHandWrittenJsonWithObjectsInsteadOfStringsLoads() {
        String json = "{\"config\": {\"word_index\": {\"<unk>\": 1, \"cat\": 2}, \"index_word\": {\"1\": \"<unk>\","
                + " \"2\": \"cat\"}, \"oov_token\": \"<unk>\"}}";
        KerasTokenizer t = KerasTokenizer.fromJson(json);
        assertThat(t.textToSequence("The CAT, the dog.")).containsExactly(1, 2, 1, 1);
        assertThat(t.sequenceToText(new int[] {2, 7, 0})).isEqualTo("cat <unk> <unk>");
        assertThat(t.filters()).isEqualTo("!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n");
        assertThat(t.toString()).contains("2 words", "oov_token=\"<unk>\"");
    }

    @Test
    void nullTextsAreRefusedWithTheirPosition() {
        KerasTokenizer t = tokenizer("defaults");
        assertThatThrownBy(() -> t.textsToSequences(java.util.Arrays.asList("a", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("texts[1] is null");
        assertThatThrownBy(() -> t.sequencesToTexts(java.util.Arrays.asList(new int[0], null))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sequences[1] is null");
    }

    @Test
    @SuppressWarnings("unchecked")
    void oneTokenizerServesManyThreadsIdentically() throws Exception {
        KerasTokenizer t = tokenizer("oov");
        List<String> texts = (List<String>) FIXTURE.cases.get(1).raw.get("texts");
        List<int[]> expected = sequences(FIXTURE.cases.get(1).raw.get("sequences"));
        assertThat(expected).isNotEmpty();
        List<Integer> rounds = Concurrently.run(8, thread -> () -> {
            for (int round = 0; round < 4; round++) {
                List<int[]> got = t.textsToSequences(texts);
                assertThat(got).hasSameSizeAs(expected);
                for (int k = 0; k < expected.size(); k++) {
                    assertThat(got.get(k)).containsExactly(expected.get(k));
                }
            }
            return 4;
        });
        assertThat(rounds).hasSize(8).containsOnly(4);
    }
}
