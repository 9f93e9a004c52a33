package io.github.rnn4j.io;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Edges of the JSON reader that real configs rarely show: whitespace inside empty and non-empty containers (RFC 8259
 * section 2 allows it around every structural character), a document that is a single number ending at the last
 * character, and Python's non-finite words at the top level.
 */
class JsonEdgesTest {
    @Test
    void whitespaceInsideContainersIsAllowedEverywhereRfc8259AllowsIt() throws FileFormatException {
        assertThat(Json.parse("{ }", "cfg")).isEqualTo(Map.of());
        assertThat(Json.parse("[ ]", "cfg")).isEqualTo(List.of());
        assertThat(Json.parse("{\n\t}", "cfg")).isEqualTo(Map.of());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", 1L);
        expected.put("b", List.of(1L, List.of(), Map.of()));
        assertThat(Json.parse("{ \"a\" : 1 , \"b\" : [ 1 , [ ] , { } ] }", "cfg")).isEqualTo(expected);
        assertThat(Json.parse("{\"a\":1 }", "cfg")).isEqualTo(Map.of("a", 1L));
        assertThat(Json.parse("{\"a\":1 ,\"b\":2}", "cfg")).isEqualTo(Map.of("a", 1L, "b", 2L));
        assertThatThrownBy(() -> Json.parse("{\"a\":1 x}", "cfg")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("cfg: invalid JSON at offset 7: expected ',' or '}', found 'x'");
    }

    @Test
    void aDocumentThatIsOneNumberEndsAtTheLastCharacter() throws FileFormatException {
        assertThat(Json.parse("12", "cfg")).isEqualTo(12L);
        assertThat(Json.parse("-7", "cfg")).isEqualTo(-7L);
        assertThat(Json.parse("1.5", "cfg")).isEqualTo(1.5);
        assertThat(Json.parse("25e-1", "cfg")).isEqualTo(2.5);
        assertThatThrownBy(() -> Json.parse("1e", "cfg")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("cfg: invalid JSON at offset 2: expected a digit in the exponent");
        assertThatThrownBy(() -> Json.parse("1.", "cfg")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("cfg: invalid JSON at offset 2: expected a digit after '.'");
    }

    @Test
    void pythonsNonFiniteWordsAtTheTopLevel() throws FileFormatException {
        assertThat(Json.parse("Infinity", "cfg")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Json.parse("-Infinity", "cfg")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat((Double) Json.parse("NaN", "cfg")).isNaN();
        assertThat(Json.parse("[Infinity, null]", "cfg")).isEqualTo(java.util.Arrays.asList(Double.POSITIVE_INFINITY, null));
        assertThatThrownBy(() -> Json.parse("Inf", "cfg")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("cfg: invalid JSON at offset 0: unexpected 'I'");
    }
}
