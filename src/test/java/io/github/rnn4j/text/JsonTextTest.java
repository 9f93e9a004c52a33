package io.github.rnn4j.text;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tokenizer's JSON reader against values written out by hand as Python's {@code json.loads} reads them (Keras
 * writes tokenizer JSON with {@code json.dumps}, which also writes {@code NaN} and {@code Infinity}); found missing
 * by mutation testing, since the real tokenizer files use only a few of its paths.
 */
class JsonTextTest {
    private static Object parse(String text) {
        return JsonText.parse(text, "doc");
    }

    private static void refused(String text, String message) {
        assertThatThrownBy(() -> parse(text)).as("%s", text).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("doc is not valid JSON at " + message);
    }

    @Test
    void everyKindOfValueWithWhitespaceEverywhere() {
        String text = " \t\n\r{ \"a\" :\t[ 1 ,\n-2.5e+1 , 3E-2 , 0.5 , -0 , 10 , 2e3 , true , false , null , NaN ,"
                + " Infinity , -Infinity , -7 , \"x y\\u00e9\\n\\t\\\"\\\\\\/\\b\\f\\r\" , { } , [ ] ,"
                + " { \"k\" : { \"n\" : 12345678901234567890 } , \"m\" : [ [ 1 ] , 2 ] } ] \r, \"b\" : 7 } \r\n";
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("n", 1.2345678901234567e19);
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("k", inner);
        k.put("m", List.of(List.of(1L), 2L));
        List<Object> a = new ArrayList<>(Arrays.asList(1L, -25.0, 0.03, 0.5, 0L, 10L, 2000.0, true, false, null,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -7L, "x y\u00e9\n\t\"\\/\b\f\r",
                Map.of(), List.of(), k));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", a);
        expected.put("b", 7L);
        assertThat(parse(text)).isEqualTo(expected);
        assertThat(new ArrayList<Object>(((Map<?, ?>) parse(text)).keySet())).containsExactly("a", "b");
    }

    @Test
    void scalarsAtTheEndOfTheText() {
        assertThat(parse("5")).isEqualTo(5L);
        assertThat(parse("0")).isEqualTo(0L);
        assertThat(parse("-12")).isEqualTo(-12L);
        assertThat(parse("1.5")).isEqualTo(1.5);
        assertThat(parse("1.0")).isEqualTo(1.0);
        assertThat(parse("6e1")).isEqualTo(60.0);
        assertThat(parse("6E-1")).isEqualTo(0.6);
        assertThat(parse("0.99")).isEqualTo(0.99);
        assertThat(parse("1e10")).isEqualTo(1e10);
        assertThat(parse("1e9")).isEqualTo(1e9);
        assertThat(parse("\"\"")).isEqualTo("");
        assertThat(parse("[]")).isEqualTo(List.of());
        assertThat(parse("{}")).isEqualTo(Map.of());
        assertThat(parse("null")).isNull();
        assertThat(parse("\"\\u0041\\u00FF\\u20ac\"")).isEqualTo("A\u00ff\u20ac");
    }

    @Test
    void nestingUpToSixtyFourLevelsAndSiblingsAtAnyCount() {
        assertThat(parse("[".repeat(64) + "]".repeat(64))).isInstanceOf(List.class);
        refused("[".repeat(65) + "]".repeat(65), "offset 64: nesting deeper than 64");
        refused("{\"a\":".repeat(65) + "1" + "}".repeat(65), "offset 320: nesting deeper than 64");
        // Siblings leave the depth where it was: 100 empty and 100 filled arrays and objects in one array.
        String siblings = "[" + String.join(",", java.util.Collections.nCopies(100, "[],{},[1],{\"a\":1}")) + "]";
        assertThat((List<?>) parse(siblings)).hasSize(400);
    }

    @Test
    void badTextIsRefusedWithItsOffsetAndReason() {
        refused("", "offset 0: unexpected end of text");
        refused("  ", "offset 2: unexpected end of text");
        refused("[1,", "offset 3: unexpected end of text");
        refused("@", "offset 0: unexpected character '@'");
        refused("1 2", "offset 2: unexpected text after the JSON value");
        refused("tru", "offset 0: expected 'true'");
        refused("nul", "offset 0: expected 'null'");
        refused("-Inf", "offset 1: bad number");
        refused("-", "offset 1: bad number");
        refused("01", "offset 2: bad number");
        refused("-01", "offset 3: bad number");
        refused("1.", "offset 2: bad number");
        refused("1.e5", "offset 2: bad number");
        refused("1e", "offset 2: bad number");
        refused("1e+", "offset 3: bad number");
        refused("\u0663", "offset 0: unexpected character '\u0663'");
        refused("-\u0663", "offset 1: bad number");
        refused("1\u0663", "offset 1: unexpected text after the JSON value");
        refused("{1:2}", "offset 1: expected a string key");
        refused("{", "offset 1: expected a string key");
        refused("{\"a\"", "offset 4: expected ':'");
        refused("{\"a\" 1}", "offset 5: expected ':'");
        refused("{\"a\":1", "offset 6: expected '}'");
        refused("{\"a\":1 \"b\":2}", "offset 7: expected '}'");
        refused("{\"a\":1,}", "offset 7: expected a string key");
        refused("[", "offset 1: unexpected end of text");
        refused("[1", "offset 2: expected ']'");
        refused("[1 2]", "offset 3: expected ']'");
        refused("\"abc", "offset 4: unterminated string");
        refused("\"a\u0001\"", "offset 3: control character U+0001 in a string");
        refused("\"a\u001f\"", "offset 3: control character U+001F in a string");
        refused("\"\\", "offset 2: unterminated escape");
        refused("\"\\x\"", "offset 2: bad escape '\\x'");
        refused("\"\\u00", "offset 3: short \\u escape");
        refused("\"\\u004\"", "offset 3: bad \\u escape");
        refused("\"\\u0041", "offset 7: unterminated string");
        refused("\"\\u00g1\"", "offset 3: bad \\u escape");
        assertThatThrownBy(() -> JsonText.parse(null, "tokenizer JSON")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tokenizer JSON must not be null");
    }
}
