package io.github.rnn4j.cli;

import io.github.rnn4j.text.KerasTokenizer;
import io.github.rnn4j.text.Vocabulary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the vocabulary of {@code generate}: one token a line (token {@code i} on line {@code i + 1}, the line taken
 * as it is, without its line break), or the JSON of a Keras {@code Tokenizer} ({@code tokenizer.to_json()}).
 */
final class VocabularyFiles {
    private VocabularyFiles() {
    }

    static Tokens read(String argument, Path file) throws IOException {
        Inputs.requireFile(argument, file);
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.stripLeading().startsWith("{")) {
            return kerasTokenizer(argument, file, text);
        }
        List<String> tokens = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).isEmpty()) {
            tokens.remove(tokens.size() - 1);
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isEmpty()) {
                throw new UsageException(argument + ": " + file + ": line " + (i + 1)
                        + " is empty, expected one token a line");
            }
        }
        try {
            return Tokens.of(Vocabulary.of(tokens), file.toString());
        } catch (IllegalArgumentException e) {
            throw new UsageException(argument + ": " + file + ": " + e.getMessage());
        }
    }

    /** A Keras {@code Tokenizer} from its {@code to_json()} text. */
    static Tokens kerasTokenizer(String argument, Path file, String json) {
        try {
            return Tokens.of(KerasTokenizer.fromJson(json), file.toString());
        } catch (IllegalArgumentException e) {
            throw new UsageException(argument + ": " + file + " is not the JSON of a Keras Tokenizer: "
                    + e.getMessage());
        }
    }
}
