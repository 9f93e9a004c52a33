package io.github.rnn4j.io;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The package's JSON reader: types, Python's non-finite words, and errors that name the source and offset. */
class JsonTest {
    @Test
    void readsTypesInDocumentOrder() throws FileFormatException {
        Map<String, Object> m = Json.parseObject("{\"z\": 1, \"a\": [1.5, -2e3, true, null, \"t\\u00e9\\n\"],"
                + " \"big\": 12345678901234567890, \"nan\": NaN, \"inf\": -Infinity}", "test");
        assertThat(m.keySet()).containsExactly("z", "a", "big", "nan", "inf");
        assertThat(m.get("z")).isEqualTo(1L);
        assertThat((List<Object>) m.get("a")).containsExactly(1.5, -2000.0, true, null, "té\n");
        assertThat(m.get("big")).isEqualTo(1.2345678901234567e19);
        assertThat((Double) m.get("nan")).isNaN();
        assertThat(m.get("inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void errorsNameTheSourceAndOffset() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1,}", "cfg")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("cfg: invalid JSON at offset 8: expected a string key, found '}'");
        assertThatThrownBy(() -> Json.parse("[1, 2", "cfg")).isInstanceOf(FileFormatException.class).hasMessage("cfg: invalid JSON at offset 5: unexpected end of text");
        assertThatThrownBy(() -> Json.parse("{\"a\": 1, \"a\": 2}", "cfg")).isInstanceOf(FileFormatException.class).hasMessageContaining("duplicate key \"a\"");
        assertThatThrownBy(() -> Json.parse("\"abc", "cfg")).isInstanceOf(FileFormatException.class).hasMessageContaining("unexpected end of text");
        assertThatThrownBy(() -> Json.parse("1x", "cfg")).isInstanceOf(FileFormatException.class).hasMessageContaining("unexpected 'x' after the document");
        assertThatThrownBy(() -> Json.parse("-", "cfg")).isExactlyInstanceOf(FileFormatException.class);
        assertThatThrownBy(() -> Json.parse("[1.]", "cfg")).isInstanceOf(FileFormatException.class).hasMessageContaining("expected a digit after '.'");
        // Fuzz findings: non-ASCII digits (Arabic-Indic two, NKo four) are not JSON digits.
        assertThatThrownBy(() -> Json.parse("[50.0000\u0662]", "cfg")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("cfg: invalid JSON at offset 8: expected ',' or ']', found '\u0662'");
        assertThatThrownBy(() -> Json.parse("3141521E99\u07c4", "cfg")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith("cfg: invalid JSON at offset 10");
        assertThatThrownBy(() -> Json.parse("\u0663", "cfg")).isExactlyInstanceOf(FileFormatException.class);
        assertThatThrownBy(() -> Json.parse("\"\\x\"", "cfg")).isInstanceOf(FileFormatException.class).hasMessageContaining("bad escape");
        assertThatThrownBy(() -> Json.parseObject("[]", "cfg")).isInstanceOf(FileFormatException.class).hasMessage("cfg: expected a JSON object, found an array");
        assertThatThrownBy(() -> Json.parse("[".repeat(10_000), "cfg")).isInstanceOf(FileFormatException.class).hasMessageContaining("nested deeper than 256");
    }

    @Test
    void limitsOnLengthDepthAndValuesNameTheLimitAndHowToRaiseIt() throws FileFormatException {
        Limits small = Limits.defaults().withMaxJsonBytes(10).withMaxJsonDepth(3).withMaxJsonEntries(4);
        assertThatThrownBy(() -> Json.parse("[1, 2, 3, 4]", "cfg", small))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("cfg: a JSON document of 12 characters, more than Limits.maxJsonBytes() = 10; if the file"
                        + " is trusted, raise the limit with Limits.defaults().withMaxJsonBytes(...) and pass it to"
                        + " the reader");
        assertThat(Json.parse("[[[1]]]", "cfg", small)).isEqualTo(List.of(List.of(List.of(1L))));
        assertThatThrownBy(() -> Json.parse("[[[[1]]]]", "cfg", small)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith("cfg: invalid JSON at offset 3: nested deeper than 3 levels")
                .hasMessageContaining("Limits.maxJsonDepth() = 3").hasMessageContaining("withMaxJsonDepth");
        assertThat(Json.parse("[1,2,3,4]", "cfg", small)).isEqualTo(List.of(1L, 2L, 3L, 4L));
        assertThatThrownBy(() -> Json.parse("[1,2,3,[]]", "cfg", small.withMaxJsonEntries(3)))
                .isExactlyInstanceOf(FileFormatException.class).hasMessageContaining("more than 3 values")
                .hasMessageContaining("Limits.maxJsonEntries() = 3");
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"b\":2}", "cfg", small.withMaxJsonBytes(20).withMaxJsonEntries(1)))
                .isExactlyInstanceOf(FileFormatException.class).hasMessageContaining("more than 1 values");
        assertThat(Json.parse("{\"a\":1}", "cfg", small.withMaxJsonEntries(1))).isEqualTo(Map.of("a", 1L));
        // The deepest nesting the limits allow parses without exhausting the stack.
        Limits deepest = Limits.defaults().withMaxJsonDepth(1_000);
        assertThat(Json.parse("[".repeat(1_000) + "]".repeat(1_000), "cfg", deepest)).isInstanceOf(List.class);
    }

    /** RFC 8259 section 7: every two-character escape and {@code \\uXXXX} decode to their one character. */
    @Test
    void everyEscapeDecodesAndBrokenEscapesAreRefusedWithTheirOffset() throws FileFormatException {
        assertThat(Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\uFFFF|\"", "cfg"))
                .isEqualTo("\"\\/\b\f\n\r\tA\u00e9\uffff|");
        // Four hex digits and then the end: the escape is whole, the string is not closed.
        assertThatThrownBy(() -> Json.parse("\"\\u00e9", "cfg")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("cfg: invalid JSON at offset 7: unexpected end of text");
        assertThatThrownBy(() -> Json.parse("\"\\u00e", "cfg")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("cfg: invalid JSON at offset 3: truncated \\u escape");
        assertThatThrownBy(() -> Json.parse("\"\\u00g9\"", "cfg")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("cfg: invalid JSON at offset 3: bad \\u escape");
        assertThatThrownBy(() -> Json.parse("\"\\x\"", "cfg")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("cfg: invalid JSON at offset 2: bad escape '\\x'");
        assertThatThrownBy(() -> Json.parse("\"a\u001fb\"", "cfg")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("cfg: invalid JSON at offset 2: control character U+001F in a string");
        assertThat(Json.parse("\" \u007f\"", "cfg")).as("space and DEL are not control characters in JSON")
                .isEqualTo(" \u007f");
    }

    /** Integers of up to 18 digits stay exact longs; longer ones, fractions and exponents are doubles. */
    @Test
    void numbersAreLongsUpTo18DigitsAndDoublesOtherwise() throws FileFormatException {
        assertThat(Json.parse("[123456789012345678, -123456789012345678, 1234567890123456789, 0, -0, 2e0, 2.5E-1,"
                + " 7e+2, -3.25]", "cfg")).isEqualTo(List.of(123456789012345678L, -123456789012345678L,
                1.23456789012345677e18, 0L, 0L, 2.0, 0.25, 700.0, -3.25));
        assertThatThrownBy(() -> Json.parse("[1e]", "cfg")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("cfg: invalid JSON at offset 3: expected a digit in the exponent");
        assertThatThrownBy(() -> Json.parse("[1e+]", "cfg")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("cfg: invalid JSON at offset 4: expected a digit in the exponent");
        assertThatThrownBy(() -> Json.parse("[tru]", "cfg")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("cfg: invalid JSON at offset 1: unexpected 't'");
        assertThatThrownBy(() -> Json.parse("[-Inf]", "cfg")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("cfg: invalid JSON at offset 1: unexpected '-'");
        assertThat(Json.parse(" \t\r\n[\n1\t,\r2 ]\n", "cfg")).as("JSON's four whitespace characters")
                .isEqualTo(List.of(1L, 2L));
    }

    /** A document exactly at the length limit parses; depth is counted down again after each closed container. */
    @Test
    void limitsAreInclusiveAndDepthCountsNestingNotSiblings() throws FileFormatException {
        Limits ten = Limits.defaults().withMaxJsonBytes(10);
        assertThat(Json.parse("[1,2,3,45]", "cfg", ten)).isEqualTo(List.of(1L, 2L, 3L, 45L));
        Limits two = Limits.defaults().withMaxJsonDepth(2);
        assertThat(Json.parse("[[],[],{},{},[1],{\"a\":1},[],{}]", "cfg", two)).isEqualTo(List.of(List.of(),
                List.of(), Map.of(), Map.of(), List.of(1L), Map.of("a", 1L), List.of(), Map.of()));
        assertThat(Json.parse("{\"a\":{},\"b\":[],\"c\":{\"d\":1},\"e\":[2]}", "cfg", two)).isEqualTo(
                Map.of("a", Map.of(), "b", List.of(), "c", Map.of("d", 1L), "e", List.of(2L)));
        assertThatThrownBy(() -> Json.parse("[[],[[]]]", "cfg", two)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith("cfg: invalid JSON at offset 5: nested deeper than 2 levels");
    }
}
