package io.github.rnn4j.model;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.testing.Hello;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.rnn4j.testing.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hello trace through a Keras-style model built from the weight list in {@code get_weights()} order. */
class HelloModelTest {
    private static final List<LayerConfig> CONFIG = List.of(
            LayerConfig.simpleRnn(3).returnSequences(true),
            LayerConfig.dense(5, Activation.LINEAR));

    private static List<Tensor> weights() {
        return List.of(Tensor.of(Hello.KERNEL), Tensor.of(Hello.RECURRENT_KERNEL), Tensor.of(Hello.BIAS),
                Tensor.of(Hello.DENSE_KERNEL), Tensor.of(Hello.DENSE_BIAS));
    }

    @Test
    void kerasWeightListReproducesTheTrace() {
        SequentialModel model = SequentialModel.fromKeras(CONFIG, weights());
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
    void weightsInTheWrongOrderAreRejectedNamingLayerAndWeight() {
        List<Tensor> swapped = List.of(Tensor.of(Hello.RECURRENT_KERNEL), Tensor.of(Hello.KERNEL),
                Tensor.of(Hello.BIAS), Tensor.of(Hello.DENSE_KERNEL), Tensor.of(Hello.DENSE_BIAS));
        assertThatThrownBy(() -> SequentialModel.fromKeras(CONFIG, swapped))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 0 (SIMPLE_RNN(3)")
                .hasMessageContaining("recurrent_kernel has shape [5][3], expected [3][3]");
    }

    @Test
    void aMissingWeightIsRejectedWithTheCountNeeded() {
        assertThatThrownBy(() -> SequentialModel.fromKeras(CONFIG, weights().subList(0, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weights has 4 arrays, expected 5");
    }

    @Test
    void predictAndPredictSequenceSayWhichToCall() {
        SequentialModel model = SequentialModel.fromKeras(CONFIG, weights());
        assertThatThrownBy(() -> model.predict(new double[][] {{1, 0, 0, 0, 0}}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("predictSequence");
        assertThatThrownBy(() -> model.predictSequence(new int[] {1}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no Embedding");
        assertThatThrownBy(() -> model.predictSequence(new double[][] {{1, 0, 0, 0}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputs");
    }
}
