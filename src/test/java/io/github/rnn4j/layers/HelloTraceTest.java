package io.github.rnn4j.layers;

import io.github.rnn4j.testing.Hello;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.github.rnn4j.testing.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

/** The "hello" trace from which rnn4j grew, reproduced step by step and through the {@link Rnn} wrapper. */
class HelloTraceTest {
    private final SimpleRnnCell cell = new SimpleRnnCell(Hello.KERNEL, Hello.RECURRENT_KERNEL, Hello.BIAS);
    private final Dense logits = new Dense(Hello.DENSE_KERNEL, Hello.DENSE_BIAS, Activation.LINEAR);
    private final List<String> tokens = Hello.VOCABULARY.tokenize(Hello.INPUT);

    @Test
    void stepByStepThroughTheCell() {
        double[] h = new double[3];
        List<String> predicted = new ArrayList<>();
        for (int t = 0; t < tokens.size(); t++) {
            h = cell.step(Hello.VOCABULARY.oneHot(tokens.get(t)), h);
            double[] y = logits.forward(h);
            if (t < Hello.HIDDEN.length) {
                assertClose("h_" + (t + 1), Hello.HIDDEN[t], h, Tolerance.HELLO_TRACE);
                assertClose("y_" + (t + 1), Hello.LOGITS[t], y, Tolerance.HELLO_TRACE);
            }
            predicted.add(Hello.VOCABULARY.mostLikely(y));
        }
        assertThat(predicted).isEqualTo(Hello.EXPECTED_PREDICTION);
    }

    @Test
    void throughTheRnnWrapperWithReturnSequences() {
        RnnOutput out = Rnn.of(cell).returnSequences(true).forward(Hello.VOCABULARY.oneHot(tokens));
        double[][] h = out.sequence();
        assertClose("h", Hello.HIDDEN, Arrays.copyOf(h, 4), Tolerance.HELLO_TRACE);
        double[][] y = logits.forward(h);
        assertClose("y", Hello.LOGITS, Arrays.copyOf(y, 4), Tolerance.HELLO_TRACE);
        List<String> predicted = new ArrayList<>();
        for (double[] row : y) {
            predicted.add(Hello.VOCABULARY.mostLikely(row));
        }
        assertThat(predicted).isEqualTo(Hello.EXPECTED_PREDICTION);
        assertThat(out.last()).isEqualTo(h[4]);
    }

    @Test
    void embeddingWithTheIdentityTableGivesTheSameTrace() {
        double[][] identity = new double[5][5];
        for (int i = 0; i < 5; i++) {
            identity[i][i] = 1.0;
        }
        Embedding embedding = new Embedding(identity);
        int[] ids = Hello.VOCABULARY.indices(tokens);
        double[][] h = Rnn.of(cell).returnSequences(true).forward(embedding.forward(ids)).sequence();
        assertClose("h", Hello.HIDDEN, Arrays.copyOf(h, 4), Tolerance.HELLO_TRACE);
        assertThat(Hello.VOCABULARY.decode(argmaxRows(logits.forward(h), Hello.VOCABULARY.size())))
                .isEqualTo("ello<EOS>");
    }

    @Test
    void softmaxOverTheLogitsPicksTheSameTokens() {
        Dense softmax = new Dense(Hello.DENSE_KERNEL, Hello.DENSE_BIAS, Activation.SOFTMAX);
        double[][] p = softmax.forward(Rnn.of(cell).returnSequences(true).forward(Hello.VOCABULARY.oneHot(tokens))
                .sequence());
        for (double[] row : p) {
            assertThat(Arrays.stream(row).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-15));
        }
        assertThat(Hello.VOCABULARY.decode(argmaxRows(p, 5))).isEqualTo("ello<EOS>");
    }

    @Test
    void forwardIntoOverwritesAGarbageFilledBuffer() {
        double[] y = {1e300, -7, Double.NaN, 42, 3};
        double[] h = cell.step(Hello.VOCABULARY.oneHot("h"), new double[3]);
        assertThat(logits.forwardInto(h, y)).isSameAs(y);
        assertClose("y_1", Hello.LOGITS[0], y, Tolerance.HELLO_TRACE);
    }

    private static int[] argmaxRows(double[][] rows, int size) {
        int[] out = new int[rows.length];
        for (int t = 0; t < rows.length; t++) {
            out[t] = Hello.VOCABULARY.argmax(rows[t]);
        }
        return out;
    }
}
