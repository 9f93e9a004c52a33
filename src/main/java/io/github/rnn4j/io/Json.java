package io.github.rnn4j.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader for file headers and Keras configurations: objects become {@code Map} (in document
 * order), arrays {@code List}, integers without fraction or exponent {@code Long} (when they fit), other numbers
 * {@code Double}, plus {@code String}, {@code Boolean} and {@code null}.
 *
 * <p>Python's {@code json.dumps} writes {@code NaN}, {@code Infinity} and {@code -Infinity} for non-finite floats,
 * and Keras configurations can hold them, so those words are read as doubles. Errors are
 * {@link FileFormatException}s naming the source and the character offset.
 *
 * <p>Bounded by {@link Limits}: a document longer than {@link Limits#maxJsonBytes()} characters is refused before
 * parsing, nesting deeper than {@link Limits#maxJsonDepth()} is refused rather than overflowing the stack, and more
 * than {@link Limits#maxJsonEntries()} values (array elements plus object members) are refused as they are counted.
 * What the keys mean, and whether an unknown one is an error, is the caller's business. Thread-safe: each parse uses
 * its own instance.
 */
final class Json {
    private final String s;
    private final String source;
    private final Limits limits;
    private int pos;
    private int depth;
    private long entries;

    private Json(String s, String source, Limits limits) {
        this.s = s;
        this.source = source;
        this.limits = limits;
    }

    /**
     * Parses a whole JSON document read from a file, within the default limits.
     *
     * @param text the document
     * @param source what the text is, for error messages (for example {@code "model.h5: model_config"})
     */
    static Object parse(String text, String source) throws FileFormatException {
        return parse(text, source, Limits.defaults());
    }

    /**
     * Parses a whole JSON document within limits.
     *
     * @param text the document
     * @param source what the text is, for error messages (for example {@code "model.h5: model_config"})
     * @param limits the document's length, depth and number of values
     */
    static Object parse(String text, String source, Limits limits) throws FileFormatException {
        if (text.length() > limits.maxJsonBytes()) {
            throw limits.exceeded(source, "a JSON document of " + text.length() + " characters", "maxJsonBytes",
                    limits.maxJsonBytes(), "withMaxJsonBytes");
        }
        Json j = new Json(text, source, limits);
        Object v = j.value();
        j.ws();
        if (j.pos != text.length()) {
            throw j.error("unexpected '" + text.charAt(j.pos) + "' after the document");
        }
        return v;
    }

    /** Parses a document that must be an object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String text, String source) throws FileFormatException {
        return parseObject(text, source, Limits.defaults());
    }

    /** Parses a document that must be an object, within limits. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String text, String source, Limits limits) throws FileFormatException {
        Object v = parse(text, source, limits);
        if (!(v instanceof Map)) {
            throw new FileFormatException(source + ": expected a JSON object, found " + describe(v));
        }
        return (Map<String, Object>) v;
    }

    /** A short description of a parsed value's type, for error messages. */
    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "the string \"" + v + "\"";
        }
        return v.toString();
    }

    private FileFormatException error(String what) {
        return new FileFormatException(source + ": invalid JSON at offset " + pos + ": " + what);
    }

    private void ws() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() throws FileFormatException {
        if (pos >= s.length()) {
            throw error("unexpected end of text");
        }
        return s.charAt(pos);
    }

    private Object value() throws FileFormatException {
        ws();
        char c = peek();
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            case 'N':
                return literal("NaN", Double.NaN);
            case 'I':
                return literal("Infinity", Double.POSITIVE_INFINITY);
            default:
                if (c == '-' && s.startsWith("-Infinity", pos)) {
                    return literal("-Infinity", Double.NEGATIVE_INFINITY);
                }
                return number();
        }
    }

    private Object literal(String word, Object v) throws FileFormatException {
        if (!s.startsWith(word, pos)) {
            throw error("unexpected '" + s.charAt(pos) + "'");
        }
        pos += word.length();
        return v;
    }

    private void enter() throws FileFormatException {
        if (++depth > limits.maxJsonDepth()) {
            throw limits.exceeded(source, "invalid JSON at offset " + pos + ": nested deeper than "
                    + limits.maxJsonDepth() + " levels", "maxJsonDepth", limits.maxJsonDepth(), "withMaxJsonDepth");
        }
        pos++;
    }

    /** Counts one more array element or object member. */
    private void count() throws FileFormatException {
        if (++entries > limits.maxJsonEntries()) {
            throw limits.exceeded(source, "invalid JSON at offset " + pos + ": more than " + limits.maxJsonEntries()
                    + " values", "maxJsonEntries", limits.maxJsonEntries(), "withMaxJsonEntries");
        }
    }

    private Map<String, Object> object() throws FileFormatException {
        enter();
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
            pos++;
            depth--;
            return m;
        }
        while (true) {
            ws();
            if (peek() != '"') {
                throw error("expected a string key, found '" + s.charAt(pos) + "'");
            }
            String key = string();
            ws();
            if (peek() != ':') {
                throw error("expected ':', found '" + s.charAt(pos) + "'");
            }
            pos++;
            if (m.containsKey(key)) {
                throw error("duplicate key \"" + key + "\"");
            }
            count();
            m.put(key, value());
            ws();
            char c = peek();
            pos++;
            if (c == '}') {
                depth--;
                return m;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}', found '" + c + "'");
            }
        }
    }

    private List<Object> array() throws FileFormatException {
        enter();
        List<Object> l = new ArrayList<>();
        ws();
        if (peek() == ']') {
            pos++;
            depth--;
            return Collections.unmodifiableList(l);
        }
        while (true) {
            count();
            l.add(value());
            ws();
            char c = peek();
            pos++;
            if (c == ']') {
                depth--;
                return Collections.unmodifiableList(l);
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']', found '" + c + "'");
            }
        }
    }

    private String string() throws FileFormatException {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = peek();
            pos++;
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character U+" + String.format("%04X", (int) c) + " in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = peek();
            pos++;
            switch (e) {
                case '"': sb.append('"'); break;
                case '\\': sb.append('\\'); break;
                case '/': sb.append('/'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u':
                    if (pos + 4 > s.length()) {
                        throw error("truncated \\u escape");
                    }
                    int code = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(s.charAt(pos + k), 16);
                        if (d < 0) {
                            throw error("bad \\u escape");
                        }
                        code = code * 16 + d;
                    }
                    sb.append((char) code);
                    pos += 4;
                    break;
                default:
                    pos--;
                    throw error("bad escape '\\" + e + "'");
            }
        }
    }

    /** JSON digits are ASCII only ({@link Character#isDigit} would accept Arabic-Indic and other digits). */
    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object number() throws FileFormatException {
        int start = pos;
        if (pos < s.length() && s.charAt(pos) == '-') {
            pos++;
        }
        int digits = pos;
        while (pos < s.length() && isAsciiDigit(s.charAt(pos))) {
            pos++;
        }
        if (pos == digits) {
            pos = start;
            throw error("unexpected '" + s.charAt(pos) + "'");
        }
        boolean integral = true;
        if (pos < s.length() && s.charAt(pos) == '.') {
            integral = false;
            pos++;
            int frac = pos;
            while (pos < s.length() && isAsciiDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == frac) {
                throw error("expected a digit after '.'");
            }
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            integral = false;
            pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            int exp = pos;
            while (pos < s.length() && isAsciiDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos == exp) {
                throw error("expected a digit in the exponent");
            }
        }
        String text = s.substring(start, pos);
        if (integral && pos - digits <= 18) {
            return Long.parseLong(text);
        }
        return Double.parseDouble(text);
    }
}
