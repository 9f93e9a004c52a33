package io.github.rnn4j.text;

import io.github.rnn4j.testing.Concurrently;
import io.github.rnn4j.testing.Fixture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.github.rnn4j.text.KerasTokenizerTest.sequences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link TextVectorization} against Keras 3.15.1 on TensorFlow 2.21 ({@code tools/fixtures/gen_text_vectorization.py}
 * into {@code fixtures/text/text_vectorization_expected.json}), and the cases of Keras's own
 * {@code keras/src/layers/preprocessing/text_vectorization_test.py} that apply to a fixed-vocabulary int layer.
 */
class TextVectorizationTest {
    private static final List<String> BAZ_BAR_FOO = List.of("baz", "bar", "foo");

    @Test
    @SuppressWarnings("unchecked")
    void everyFixtureCaseEqualsKeras() {
        Fixture fixture = Fixture.load("text/text_vectorization_expected.json");
        int calls = 0;
        int errors = 0;
        int assets = 0;
        for (Fixture.Case c : fixture.cases) {
            String kind = (String) c.raw.get("kind");
            if (kind.equals("error")) {
                List<String> vocabulary = (List<String>) c.raw.get("vocabulary");
                assertThatThrownBy(() -> TextVectorization.of(vocabulary)).as(c.name)
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vocabulary");
                errors++;
                continue;
            }
            List<String> texts = (List<String>) c.raw.get("texts");
            if (kind.equals("asset")) {
                List<String> fromAsset = TextVectorization.vocabularyFromAsset((String) c.raw.get("asset"));
                assertThat(fromAsset).as(c.name).isEqualTo(c.raw.get("loaded_vocabulary"));
                TextVectorization loaded = TextVectorization.of(fromAsset);
                assertThat(loaded.vectorize(texts)).as(c.name)
                        .isDeepEqualTo(matrix(c.raw.get("expected_after_load")));
                TextVectorization adapted = TextVectorization.of((List<String>) c.raw.get("adapted_vocabulary"));
                assertThat(adapted.vectorize(texts)).as(c.name)
                        .isDeepEqualTo(matrix(c.raw.get("expected_before_save")));
                assets++;
                continue;
            }
            Map<String, Object> config = c.config;
            TextVectorization layer = TextVectorization.of((List<String>) c.raw.get("vocabulary"));
            if (config.containsKey("standardize")) {
                Object s = config.get("standardize");
                layer = layer.withStandardize(s == null ? TextVectorization.Standardize.NONE
                        : TextVectorization.Standardize.valueOf(((String) s).toUpperCase(java.util.Locale.ROOT)));
            }
            if (config.containsKey("split")) {
                layer = layer.withSplit(TextVectorization.Split.valueOf(
                        ((String) config.get("split")).toUpperCase(java.util.Locale.ROOT)));
            }
            if (config.get("output_sequence_length") != null) {
                layer = layer.withOutputSequenceLength(((Long) config.get("output_sequence_length")).intValue());
            }
            assertThat(layer.vocabulary()).as(c.name).isEqualTo(c.raw.get("get_vocabulary"));
            int[][] expected = matrix(c.raw.get("expected"));
            assertThat(layer.vectorize(texts)).as(c.name).isDeepEqualTo(expected);
            List<int[]> each = sequences(c.raw.get("expected_each"));
            for (int k = 0; k < texts.size(); k++) {
                assertThat(layer.vectorize(texts.get(k))).as("%s texts[%d]", c.name, k).containsExactly(each.get(k));
            }
            calls++;
        }
        assertThat(calls).isEqualTo(37);
        assertThat(errors).isEqualTo(4);
        assertThat(assets).isEqualTo(2);
    }

    private static int[][] matrix(Object raw) {
        return sequences(raw).toArray(new int[0][]);
    }

    /** text_vectorization_test.py: test_fixed_vocabulary, test_set_vocabulary, test_tf_data_compatibility. */
    @Test
    void kerasFixedVocabulary() {
        TextVectorization layer = TextVectorization.of(BAZ_BAR_FOO).withOutputSequenceLength(4);
        assertThat(layer.vectorize(List.of("foo qux bar", "qux baz"))).isDeepEqualTo(new int[][] {{4, 1, 3, 0},
                {1, 2, 0, 0}});
    }

    /** text_vectorization_test.py: test_ragged_tensor and test_ragged_tensor_output_length, one row at a time. */
    @Test
    void kerasRaggedRows() {
        TextVectorization layer = TextVectorization.of(BAZ_BAR_FOO);
        assertThat(layer.vectorize("foo qux bar")).containsExactly(4, 1, 3);
        assertThat(layer.vectorize("qux baz")).containsExactly(1, 2);
        assertThat(layer.vectorize("foo")).containsExactly(4);
        assertThat(layer.withOutputSequenceLength(2).vectorize("foo qux bar")).containsExactly(4, 1);
    }

    /** text_vectorization_test.py: test_lower_and_strip_punctuation_standardization. */
    @Test
    void kerasLowerAndStripPunctuation() {
        TextVectorization layer = TextVectorization.of(List.of("hello", "world", "this", "is", "nice", "test"));
        assertThat(layer.vectorize(List.of("Hello, World!. This is just a nice test!")))
                .isDeepEqualTo(new int[][] {{2, 3, 4, 5, 1, 1, 6, 7}});
    }

    /** text_vectorization_test.py: test_lower_standardization. */
    @Test
    void kerasLower() {
        TextVectorization layer = TextVectorization.of(List.of("hello,", "hello", "world", "this", "is", "nice",
                "test")).withStandardize(TextVectorization.Standardize.LOWER);
        assertThat(layer.vectorize("Hello, World!. This is just a nice test!")).containsExactly(2, 1, 5, 6, 1, 1, 7,
                1);
    }

    /** text_vectorization_test.py: test_char_splitting. */
    @Test
    void kerasCharacterSplit() {
        TextVectorization layer = TextVectorization.of(List.of("a", "b", "c", "d", "e"))
                .withSplit(TextVectorization.Split.CHARACTER);
        assertThat(layer.vectorize("abcf")).containsExactly(2, 3, 4, 1);
    }

    /** text_vectorization_test.py: test_strip_punctuation_standardization and test_no_standardization. */
    @Test
    void kerasStripPunctuationAndNoStandardization() {
        assertThat(TextVectorization.of(List.of("Hello", "World", "Test"))
                .withStandardize(TextVectorization.Standardize.STRIP_PUNCTUATION).vectorize("Hello, World! Test."))
                .containsExactly(2, 3, 4);
        assertThat(TextVectorization.of(List.of("Hello", "world"))
                .withStandardize(TextVectorization.Standardize.NONE).vectorize("Hello hello")).containsExactly(2, 1);
    }

    /** text_vectorization_test.py: test_get_vocabulary, test_vocabulary_size and test_vocabulary_from_file. */
    @Test
    void kerasVocabulary() {
        TextVectorization layer = TextVectorization.of(List.of("foo", "bar", "baz"));
        assertThat(layer.vocabulary()).containsExactly("", "[UNK]", "foo", "bar", "baz");
        assertThat(layer.vocabularySize()).isEqualTo(5);
        TextVectorization fromFile = TextVectorization.of(TextVectorization.vocabularyFromAsset("foo\nbar\nbaz\n"));
        assertThat(fromFile.vectorize(List.of("foo bar baz unknown"))).isDeepEqualTo(new int[][] {{2, 3, 4, 1}});
    }

    @Test
    void asciiOnlyLowerAndWhitespace() {
        TextVectorization layer = TextVectorization.of(List.of("café", "cafÉ", "no\u00a0break", "a", "b"));
        assertThat(layer.tokens("CAFÉ Café no\u00a0break a\u3000b a\tb")).containsExactly("cafÉ", "café",
                "no\u00a0break", "a\u3000b", "a", "b");
        assertThat(layer.vectorize("CAFÉ Café")).containsExactly(3, 2);
        assertThat(layer.tokens("e-mail, dog's (x)")).containsExactly("email", "dogs", "x");
    }

    @Test
    void badArgumentsAreRefusedByName() {
        assertThatThrownBy(() -> TextVectorization.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vocabulary is empty");
        assertThatThrownBy(() -> TextVectorization.of(List.of("a", "b", "a", "b"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vocabulary repeats the terms [a, b]");
        assertThatThrownBy(() -> TextVectorization.of(List.of("", "[UNK]", "a", ""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vocabulary[3] is the mask token");
        assertThatThrownBy(() -> TextVectorization.of(java.util.Arrays.asList("a", null))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vocabulary[1] is null");
        assertThatThrownBy(() -> TextVectorization.of(List.of("a")).withOutputSequenceLength(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outputSequenceLength is 0");
        assertThatThrownBy(() -> TextVectorization.of(List.of("a")).vectorize(java.util.Arrays.asList("a", null))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("texts[1] is null");
    }

    @Test
    void oneLayerServesManyThreadsIdentically() throws Exception {
        TextVectorization layer = TextVectorization.of(List.of("the", "cat", "sat", "café")).withOutputSequenceLength(6);
        List<String> texts = List.of("The cat sat.", "CAFÉ café, the CAT!", "", "sat sat sat sat sat sat sat");
        int[][] expected = {{2, 3, 4, 0, 0, 0}, {1, 5, 2, 3, 0, 0}, {0, 0, 0, 0, 0, 0}, {4, 4, 4, 4, 4, 4}};
        assertThat(layer.vectorize(texts)).isDeepEqualTo(expected);
        List<Integer> rounds = Concurrently.run(8, thread -> () -> {
            for (int round = 0; round < 8; round++) {
                assertThat(layer.vectorize(texts)).isDeepEqualTo(expected);
            }
            return 8;
        });
        assertThat(rounds).hasSize(8).containsOnly(8);
    }
}
