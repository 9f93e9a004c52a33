package io.github.rnn4j.io;

/** Gives the test fixtures the library's own JSON reader, so that one parser reads every JSON file. */
public final class TestJson {
    private TestJson() {
    }

    /** Parses a JSON document: objects, arrays, {@code Long} or {@code Double} numbers, strings, booleans, null. */
    public static Object parse(String text, String source) {
        try {
            return Json.parse(text, source, Limits.defaults().withMaxJsonBytes(Long.MAX_VALUE)
                    .withMaxJsonEntries(Long.MAX_VALUE));
        } catch (FileFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
