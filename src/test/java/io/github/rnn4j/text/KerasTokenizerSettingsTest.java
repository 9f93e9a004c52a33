package io.github.rnn4j.text;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The settings a {@link KerasTokenizer} reads from Keras's {@code tokenizer.to_json()}, against the values written in
 * the fixture's JSON by Keras itself; found untested by mutation testing.
 */
class KerasTokenizerSettingsTest {
    private static final String GOOD = (String) KerasTokenizerTest.FIXTURE.cases.get(0).raw.get("json");

    @Test
    void settingsAreTheOnesKerasWrote() {
        KerasTokenizer t = KerasTokenizer.fromJson(GOOD);
        // Case 0 was written by Tokenizer() with its defaults: lower=True, split=' ', char_level=False.
        assertThat(t.lower()).isTrue();
        assertThat(t.split()).isEqualTo(" ");
        assertThat(t.charLevel()).isFalse();
        assertThat(t.wordCounts()).containsEntry("the", 11L).containsEntry("fox", 5L).containsEntry("dog", 4L)
                .containsEntry("brown", 2L).containsEntry("quick", 1L);
        assertThat(List.copyOf(t.wordCounts().keySet()).subList(0, 4)).containsExactly("the", "quick", "brown", "fox");
        assertThat(t.toString()).startsWith("KerasTokenizer[" + t.wordIndex().size() + " words, num_words=None,"
                + " oov_token=None, lower=true, char_level=false]");

        KerasTokenizer other = KerasTokenizer.fromJson(GOOD.replace("\"lower\": true", "\"lower\": false")
                .replace("\"split\": \" \"", "\"split\": \"-\""));
        assertThat(other.lower()).isFalse();
        assertThat(other.split()).isEqualTo("-");
    }

    @Test
    void vocabSizeIsOneMoreThanTheLargestIdUnlessNumWordsCutsIt() {
        KerasTokenizer t = KerasTokenizer.fromJson(GOOD);
        // Keras numbers word_index from 1 without gaps, so the largest id is the number of words.
        int words = t.wordIndex().size();
        assertThat(t.wordIndex().values()).contains(words).doesNotContain(words + 1);
        assertThat(t.vocabSize()).isEqualTo(words + 1);
        KerasTokenizer wide = KerasTokenizer.fromJson(GOOD.replace("\"num_words\": null", "\"num_words\": 100000"));
        assertThat(wide.vocabSize()).isEqualTo(words + 1);
        KerasTokenizer narrow = KerasTokenizer.fromJson(GOOD.replace("\"num_words\": null", "\"num_words\": 3"));
        assertThat(narrow.vocabSize()).isEqualTo(3);
        assertThat(narrow.toString()).contains("num_words=3,");
    }

    @Test
    void aSettingOfTheWrongKindIsNamedWithWhatItIs() {
        Map<String, String> wrong = Map.of(
                "\"lower\": null", "config.lower is null, expected true or false",
                "\"lower\": \"yes\"", "config.lower is a string, expected true or false",
                "\"lower\": {}", "config.lower is an object, expected true or false",
                "\"lower\": []", "config.lower is an array, expected true or false",
                "\"lower\": 1.5", "config.lower is the number 1.5, expected true or false");
        for (Map.Entry<String, String> e : wrong.entrySet()) {
            assertThatThrownBy(() -> KerasTokenizer.fromJson(GOOD.replace("\"lower\": true", e.getKey())))
                    .as(e.getKey()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(e.getValue());
        }
        assertThatThrownBy(() -> KerasTokenizer.fromJson(GOOD.replace("\"num_words\": null", "\"num_words\": true")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.num_words is true, expected an integer");
    }
}
