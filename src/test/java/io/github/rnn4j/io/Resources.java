package io.github.rnn4j.io;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Paths and expected values of the io fixtures under {@code src/test/resources/fixtures}. */
final class Resources {
    private Resources() {
    }

    /** The path of {@code /fixtures/<name>} on the test class path. */
    static Path fixture(String name) {
        URL url = Resources.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IllegalStateException("fixture /fixtures/" + name + " is missing from the test class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a JSON fixture. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Path file) {
        try {
            return (Map<String, Object>) TestJson.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The flat values of a JSON {@code {"shape": [...], "data": [...]}} entry. */
    static double[] data(Map<String, Object> entry) {
        List<?> l = (List<?>) entry.get("data");
        double[] v = new double[l.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Number) l.get(i)).doubleValue();
        }
        return v;
    }

    /** The shape of a JSON {@code {"shape": [...], "data": [...]}} entry. */
    static int[] shape(Map<String, Object> entry) {
        List<?> l = (List<?>) entry.get("shape");
        int[] s = new int[l.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = ((Number) l.get(i)).intValue();
        }
        return s;
    }
}
