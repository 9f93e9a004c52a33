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
        assertThatThrownBy(() -> Json.parse("[1, 2", "cfg")).hasMessage("cfg: invalid JSON at offset 5: unexpected end of text");
        assertThatThrownBy(() -> Json.parse("{\"a\": 1, \"a\": 2}", "cfg")).hasMessageContaining("duplicate key \"a\"");
        assertThatThrownBy(() -> Json.parse("\"abc", "cfg")).hasMessageContaining("unexpected end of text");
        assertThatThrownBy(() -> Json.parse("1x", "cfg")).hasMessageContaining("unexpected 'x' after the document");
        assertThatThrownBy(() -> Json.parse("-", "cfg")).isExactlyInstanceOf(FileFormatException.class);
        assertThatThrownBy(() -> Json.parse("[1.]", "cfg")).hasMessageContaining("expected a digit after '.'");
        assertThatThrownBy(() -> Json.parse("\"\\x\"", "cfg")).hasMessageContaining("bad escape");
        assertThatThrownBy(() -> Json.parseObject("[]", "cfg")).hasMessage("cfg: expected a JSON object, found an array");
        assertThatThrownBy(() -> Json.parse("[".repeat(10_000), "cfg")).hasMessageContaining("nested deeper than 256");
    }
}
