package io.github.rnn4j.model;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.testing.Hello;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.github.rnn4j.testing.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hello trace through a chain {@link Model}: SimpleRNN(3, return_sequences) then Dense(5). */
class HelloModelTest {
    @Test
    void aChainReproducesTheTrace() {
        Model model = SessionAndGeneratorTest.hello(Activation.LINEAR);
        double[][] y = model.predictSequence(Hello.VOCABULARY.oneHot(Hello.VOCABULARY.tokenize(Hello.INPUT)));
        for (int t = 0; t < Hello.LOGITS.length; t++) {
            assertClose("y_" + (t + 1), Hello.LOGITS[t], y[t], Tolerance.HELLO_TRACE);
        }
        int[] predicted = new int[y.length];
        for (int t = 0; t < y.length; t++) {
            predicted[t] = Hello.VOCABULARY.argmax(y[t]);
        }
        assertThat(Hello.VOCABULARY.decode(predicted)).isEqualTo(String.join("", Hello.EXPECTED_PREDICTION));
    }

    @Test
    void runGivesTheSameTraceByName() {
        Model model = SessionAndGeneratorTest.hello(Activation.LINEAR);
        Map<String, Tensor> out = model.run(Map.of("input",
                Tensor.of(Hello.VOCABULARY.oneHot(Hello.VOCABULARY.tokenize(Hello.INPUT)))));
        assertThat(out.keySet()).containsExactly("dense");
        double[][] y = out.get("dense").matrix();
        for (int t = 0; t < Hello.LOGITS.length; t++) {
            assertClose("y_" + (t + 1), Hello.LOGITS[t], y[t], Tolerance.HELLO_TRACE);
        }
    }

    @Test
    void predictAndPredictSequenceSayWhichToCall() {
        Model model = SessionAndGeneratorTest.hello(Activation.LINEAR);
        assertThatThrownBy(() -> model.predict(new double[][] {{1, 0, 0, 0, 0}}))
                .isExactlyInstanceOf(IllegalStateException.class).hasMessageContaining("predictSequence");
        assertThatThrownBy(() -> model.predictSequence(new int[] {1}))
                .isExactlyInstanceOf(IllegalStateException.class).hasMessageContaining("double[][]");
        assertThatThrownBy(() -> model.predictSequence(new double[][] {{1, 0, 0, 0}}))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputs has shape [1][4], expected [?][5]");
    }
}
