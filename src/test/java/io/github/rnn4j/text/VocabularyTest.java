package io.github.rnn4j.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VocabularyTest {
    private final Vocabulary vocab = Vocabulary.of("h", "e", "l", "o", "<EOS>");

    @Test
    void indexIsPosition() {
        assertThat(vocab.size()).isEqualTo(5);
        assertThat(vocab.indexOf("l")).isEqualTo(2);
        assertThat(vocab.token(4)).isEqualTo("<EOS>");
        assertThat(vocab.tokens()).containsExactly("h", "e", "l", "o", "<EOS>");
    }

    @Test
    void oneHotRowsAndIndices() {
        assertThat(vocab.oneHot("o")).containsExactly(0, 0, 0, 1, 0);
        double[][] rows = vocab.oneHot(List.of("h", "<EOS>"));
        assertThat(rows[0]).containsExactly(1, 0, 0, 0, 0);
        assertThat(rows[1]).containsExactly(0, 0, 0, 0, 1);
        assertThat(vocab.indices(List.of("e", "l", "l"))).containsExactly(1, 2, 2);
    }

    @Test
    void tokenizeUsesLongestMatchAndDecodeJoins() {
        assertThat(vocab.tokenize("hello<EOS>")).containsExactly("h", "e", "l", "l", "o", "<EOS>");
        assertThat(vocab.decode(1, 2, 2, 3, 4)).isEqualTo("ello<EOS>");
        assertThat(vocab.mostLikely(new double[] {0.1, 0.2, 0.05, 0.6, 0.05})).isEqualTo("o");
        assertThat(vocab.argmax(new double[] {3, 3, 1, 0, 0})).isZero();
    }

    @Test
    void badTokensAreRejectedByName() {
        assertThatThrownBy(() -> vocab.indexOf("x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'x'");
        assertThatThrownBy(() -> vocab.oneHot(List.of("h", "z"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'z'");
        assertThatThrownBy(() -> vocab.tokenize("hex")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("position 2").hasMessageContaining("'x'");
        assertThatThrownBy(() -> vocab.token(5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index is 5").hasMessageContaining("[0, 5)");
        assertThatThrownBy(() -> vocab.argmax(new double[4])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scores has shape [4], expected [5]");
        assertThatThrownBy(() -> vocab.argmax(new double[] {0, Double.NaN, 0, 0, 0})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scores[1]");
    }

    @Test
    void nullEmptyAndDuplicateTokensAreRejectedWithTheirPosition() {
        assertThatThrownBy(() -> Vocabulary.of("a", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokens[1] is null");
        assertThatThrownBy(() -> Vocabulary.of("a", "")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokens[1] is empty");
        assertThatThrownBy(() -> Vocabulary.of("a", "b", "a")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokens[2] 'a' duplicates tokens[0]");
        assertThatThrownBy(() -> Vocabulary.of()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one token");
    }

    @Test
    void theTokenArrayIsCopied() {
        String[] tokens = {"a", "b"};
        Vocabulary v = Vocabulary.of(tokens);
        tokens[0] = "z";
        assertThat(v.indexOf("a")).isZero();
    }

    @Test
    void membershipListsAndPrinting() {
        Vocabulary v = Vocabulary.of(java.util.List.of("a", "bc"));
        assertThat(v.tokens()).containsExactly("a", "bc");
        assertThat(v.contains("bc")).isTrue();
        assertThat(v.contains("b")).isFalse();
        assertThat(v.contains(null)).isFalse();
        assertThat(v.toString()).isEqualTo("[a, bc]");
        assertThatThrownBy(() -> Vocabulary.of((java.util.List<String>) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tokens must not be null");
    }

    @Test
    void oneTokenALineFileIsAWordLevelVocabulary() {
        Vocabulary v = Vocabulary.fromLines("<pad>\nthe\r\ncat sat\nmat\n");
        assertThat(v.tokens()).containsExactly("<pad>", "the", "cat sat", "mat");
        assertThat(v.separator()).isEqualTo(" ");
        assertThat(v.decode(1, 3)).isEqualTo("the mat");
        assertThat(v.tokenize("the  mat ")).containsExactly("the", "mat");
        assertThat(Vocabulary.fromLines("a\nb").tokens()).containsExactly("a", "b");
        assertThatThrownBy(() -> v.tokenize("the dog")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position 4").hasMessageContaining("'dog'");
    }

    @Test
    void badVocabularyFilesAreRefusedWithTheLine() {
        assertThatThrownBy(() -> Vocabulary.fromLines("a\nb\na\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 3 'a' duplicates line 1");
        assertThatThrownBy(() -> Vocabulary.fromLines("a\n\nb")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2 is empty");
        assertThatThrownBy(() -> Vocabulary.fromLines("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text holds no tokens");
        assertThatThrownBy(() -> Vocabulary.fromLines("\n")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1 is empty");
    }

    @Test
    void charactersAreCodePoints() {
        Vocabulary v = Vocabulary.ofCharacters("hel😀o");
        assertThat(v.size()).isEqualTo(5);
        assertThat(v.token(3)).isEqualTo("😀");
        assertThat(v.separator()).isEmpty();
        assertThat(v.decode(0, 3, 4)).isEqualTo("h😀o");
        assertThat(v.tokenize("😀h")).containsExactly("😀", "h");
        assertThatThrownBy(() -> Vocabulary.ofCharacters("abca")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("characters[3] 'a' repeats"
                + " characters[0]");
        assertThatThrownBy(() -> Vocabulary.ofCharacters("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("characters is empty");
    }

    @Test
    void aKerasTokenizersIndexWordIsAWordLevelVocabulary() {
        KerasTokenizer t = KerasTokenizerTest.tokenizer("num_words_5_oov");
        Vocabulary v = t.vocabulary("<pad>");
        assertThat(v.tokens()).containsExactly("<pad>", "[UNK]", "the", "fox", "dog");
        assertThat(v.decode(2, 3)).isEqualTo("the fox");
        Vocabulary first = Vocabulary.fromIndexWord(KerasTokenizerTest.tokenizer("defaults").indexWord(), 3, "<pad>");
        assertThat(first.tokens()).containsExactly("<pad>", "the", "fox");
        assertThatThrownBy(() -> Vocabulary.fromIndexWord(java.util.Map.of(1, "a"), 2, "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("paddingToken is empty");
    }

    @Test
    void badIndexWordIsRefusedByName() {
        assertThatThrownBy(() -> Vocabulary.fromIndexWord(java.util.Map.of(1, "a", 3, "c"), 4, "<pad>"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no word for id 2");
        assertThatThrownBy(() -> Vocabulary.fromIndexWord(java.util.Map.of(1, "a", 2, "a"), 3, "<pad>")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id 2 'a' repeats id 1");
        assertThatThrownBy(() -> Vocabulary.fromIndexWord(java.util.Map.of(1, "a"), 1, "<pad>")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size is 1");
        // Keras gives the OOV token id 1, then overwrites it with the fitted word's id: index_word has no id 1.
        assertThatThrownBy(() -> KerasTokenizerTest.tokenizer("oov_is_a_word").vocabulary("<pad>")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no word for id 1");
        assertThat(KerasTokenizerTest.tokenizer("char_level").vocabulary("<pad>").separator()).isEmpty();
    }
}
