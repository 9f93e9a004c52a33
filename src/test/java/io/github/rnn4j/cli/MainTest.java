package io.github.rnn4j.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helloPrintsTheTraceAndThePrediction() {
        assertThat(run("hello")).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("[-0.99594936, -0.96402758, -0.99594936]")
                .contains("[0.99855062, 0.94198880, 0.91834213]")
                .contains("predicted: e l l o <EOS>");
    }

    @Test
    void otherTextAndBadInput() {
        assertThat(run("hello", "hel")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("predicted: e l l");
        assertThat(run("hello", "hex")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("position 2");
        assertThat(run("bogus")).isEqualTo(2);
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage: rnn4j");
    }
}
