package io.github.rnn4j.text;

import io.github.rnn4j.testing.Fixture;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.github.rnn4j.text.KerasTokenizerTest.sequences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Sequences#pad} against {@code keras_preprocessing.sequence.pad_sequences} 1.1, written by
 * {@code tools/fixtures/gen_text.py} into {@code fixtures/text/pad_expected.json}.
 */
class SequencesTest {
    @Test
    void everyFixtureCaseEqualsPadSequences() {
        Fixture fixture = Fixture.load("text/pad_expected.json");
        int errors = 0;
        for (Fixture.Case c : fixture.cases) {
            List<int[]> input = sequences(c.raw.get("sequences"));
            Sequences.Side padding = side(c.raw.get("padding"));
            Sequences.Side truncating = side(c.raw.get("truncating"));
            int value = ((Long) c.raw.get("value")).intValue();
            Object maxlen = c.raw.get("maxlen");
            if (c.raw.containsKey("error")) {
                assertThatThrownBy(() -> Sequences.pad(input, ((Long) maxlen).intValue(), padding, truncating, value))
                        .as(c.name).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxlen is 0");
                errors++;
                continue;
            }
            int[][] expected = sequences(c.raw.get("expected")).toArray(new int[0][]);
            int[][] actual;
            if (maxlen == null) {
                actual = Sequences.padToLongest(input, padding, value);
            } else {
                actual = Sequences.pad(input, ((Long) maxlen).intValue(), padding, truncating, value);
                if (padding == Sequences.Side.PRE && truncating == Sequences.Side.PRE && value == 0) {
                    assertThat(Sequences.pad(input, ((Long) maxlen).intValue())).isDeepEqualTo(actual);
                }
            }
            assertThat(actual).as(c.name).hasDimensions(input.size(), expected.length == 0 ? 0
                    : expected[0].length);
            assertThat(actual).as(c.name).isDeepEqualTo(expected);
        }
        assertThat(fixture.cases).hasSize(128);
        assertThat(errors).isEqualTo(6);
    }

    private static Sequences.Side side(Object s) {
        return Sequences.Side.valueOf(((String) s).toUpperCase(java.util.Locale.ROOT));
    }

    @Test
    void theSpamFilterShapeIsPrePaddedTo500() {
        int[][] x = Sequences.pad(List.of(new int[] {5, 6, 7}, new int[0]), 500, Sequences.Side.PRE,
                Sequences.Side.PRE, 0);
        assertThat(x).hasDimensions(2, 500);
        assertThat(Arrays.copyOfRange(x[0], 497, 500)).containsExactly(5, 6, 7);
        assertThat(Arrays.stream(x[0], 0, 497).allMatch(v -> v == 0)).isTrue();
        assertThat(Arrays.stream(x[1]).allMatch(v -> v == 0)).isTrue();
    }

    @Test
    void badArgumentsAreRefusedByName() {
        List<int[]> one = List.of(new int[] {1});
        assertThatThrownBy(() -> Sequences.pad(one, -1, Sequences.Side.PRE, Sequences.Side.PRE, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxlen is -1");
        assertThatThrownBy(() -> Sequences.pad(null, 3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequences must not be null");
        assertThatThrownBy(() -> Sequences.pad(Arrays.asList(new int[0], null), 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sequences[1] is null");
        assertThatThrownBy(() -> Sequences.pad(one, 3, null, Sequences.Side.PRE, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("padding must not be null");
        assertThatThrownBy(() -> Sequences.pad(one, 3, Sequences.Side.PRE, null, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncating must not be null");
        assertThatThrownBy(() -> Sequences.padToLongest(List.of(), Sequences.Side.PRE, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sequences is empty");
    }

    @Test
    void theInputIsNotModified() {
        int[] s = {1, 2, 3, 4};
        int[][] x = Sequences.pad(List.of(s), 2, Sequences.Side.POST, Sequences.Side.POST, 9);
        x[0][0] = 42;
        assertThat(s).containsExactly(1, 2, 3, 4);
    }
}
