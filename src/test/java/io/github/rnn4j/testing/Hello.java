package io.github.rnn4j.testing;

import io.github.rnn4j.io.TestJson;

import io.github.rnn4j.text.Vocabulary;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The hello example of issue 2: weights and the reference trace, read from {@code fixtures/hello/hello_trace.json}. */
public final class Hello {
    public static final Vocabulary VOCABULARY;
    public static final String INPUT;
    public static final List<String> EXPECTED_PREDICTION;
    public static final double[][] KERNEL;
    public static final double[][] RECURRENT_KERNEL;
    public static final double[] BIAS;
    public static final double[][] DENSE_KERNEL;
    public static final double[] DENSE_BIAS;
    /** {@code h_1..h_4}; the trace gives no hidden state for step 5, only its prediction. */
    public static final double[][] HIDDEN;
    /** {@code y_1..y_4}. */
    public static final double[][] LOGITS;

    static {
        Map<String, Object> d;
        try (InputStream in = Hello.class.getResourceAsStream("/fixtures/hello/hello_trace.json")) {
            d = cast(TestJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "hello_trace.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> vocab = cast(d.get("vocabulary"));
        VOCABULARY = Vocabulary.of(vocab);
        INPUT = (String) d.get("input");
        EXPECTED_PREDICTION = cast(d.get("expectedPrediction"));
        KERNEL = Fixture.matrix(d.get("kernel"));
        RECURRENT_KERNEL = Fixture.matrix(d.get("recurrentKernel"));
        BIAS = Fixture.vector(d.get("bias"));
        DENSE_KERNEL = Fixture.matrix(d.get("denseKernel"));
        DENSE_BIAS = Fixture.vector(d.get("denseBias"));
        HIDDEN = Fixture.matrix(d.get("hidden"));
        LOGITS = Fixture.matrix(d.get("logits"));
    }

    private Hello() {
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
