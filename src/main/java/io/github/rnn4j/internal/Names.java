package io.github.rnn4j.internal;

import java.util.Locale;

/** Keras's names for layers, shared by the model builders and the Keras loader. Thread-safe: stateless. */
public final class Names {
    private Names() {
    }

    /**
     * Keras's {@code to_snake_case} of a class name (keras/src/utils/naming.py): {@code SimpleRNN} → {@code simple_rnn},
     * {@code Conv1D} → {@code conv1d}.
     *
     * @param name a Java-style class name
     * @return the snake_case name
     */
    public static String snakeCase(String name) {
        String s = name.replaceAll("\\W+", "");
        s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2");
        return s.toLowerCase(Locale.ROOT);
    }
}
