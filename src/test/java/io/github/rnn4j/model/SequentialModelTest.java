package io.github.rnn4j.model;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Bidirectional;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.GruCell;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.MergeMode;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.SimpleRnnCell;
import io.github.rnn4j.testing.NaiveRnn;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stacking rules and mask flow; the numbers of whole stacks are checked against TF.js in ReferenceFixturesTest. */
class SequentialModelTest {
    private final Random rnd = new Random(31);
    private final LstmCell lstm = new LstmCell(NaiveRnn.random(rnd, 4, 12, 0.5), NaiveRnn.random(rnd, 3, 12, 0.5),
            NaiveRnn.random(rnd, 1, 12, 0.5)[0]);
    private final GruCell gru = new GruCell(NaiveRnn.random(rnd, 3, 6, 0.5), NaiveRnn.random(rnd, 2, 6, 0.5),
            NaiveRnn.random(rnd, 2, 6, 0.5));
    private final Embedding embedding = new Embedding(NaiveRnn.random(rnd, 7, 4, 1.0), true);
    private final Dense dense = new Dense(NaiveRnn.random(rnd, 2, 3, 1.0), null, Activation.SOFTMAX);

    @Test
    void embeddingMaskReachesTheRecurrentLayersAsPaddingIsSkipped() {
        SequentialModel model = SequentialModel.builder().embedding(embedding)
                .add(Rnn.of(lstm).returnSequences(true)).add(Rnn.of(gru)).add(dense).build();
        assertThat(model.takesTokenIds()).isTrue();
        assertThat(model.returnsSequences()).isFalse();
        double[] unpadded = model.predict(new int[] {3, 5, 1});
        double[] padded = model.predict(new int[] {3, 5, 1, 0, 0, 0});
        assertThat(padded).isEqualTo(unpadded);
        assertThat(model.predict(new int[] {3, 5, 1, 2})).isNotEqualTo(unpadded);
    }

    @Test
    void withoutMaskZeroPaddingIsComputed() {
        Embedding plain = new Embedding(NaiveRnn.random(new Random(1), 7, 4, 1.0), false);
        SequentialModel model = SequentialModel.builder().embedding(plain).add(Rnn.of(lstm)).build();
        assertThat(model.predict(new int[] {3, 5, 1, 0})).isNotEqualTo(model.predict(new int[] {3, 5, 1}));
    }

    @Test
    void maskingSkipsStepsWhoseFeaturesAllEqualTheMaskValue() {
        SequentialModel model = SequentialModel.builder().masking(0.0).add(Rnn.of(lstm)).build();
        double[][] x = NaiveRnn.random(new Random(2), 3, 4, 1.0);
        double[][] withPadding = {x[0], new double[4], x[1], x[2], new double[4]};
        assertThat(model.predict(withPadding)).isEqualTo(model.predict(x));
    }

    @Test
    void denseAppliesPerStepOnSequences() {
        SequentialModel model = SequentialModel.builder().add(Rnn.of(lstm).returnSequences(true))
                .add(Bidirectional.of(gru, gru, MergeMode.SUM).returnSequences(true)).add(dense).build();
        double[][] x = NaiveRnn.random(new Random(3), 6, 4, 1.0);
        double[][] out = model.predictSequence(x);
        assertThat(out).hasDimensions(6, 3);
        assertThat(model.outputSize()).isEqualTo(3);
    }

    @Test
    void stackingMistakesAreRejected() {
        assertThatThrownBy(() -> SequentialModel.builder().add(Rnn.of(lstm)).add(Rnn.of(gru)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must return sequences");
        assertThatThrownBy(() -> SequentialModel.builder().add(Rnn.of(lstm).returnSequences(true)).add(Rnn.of(lstm)))
                .hasMessage("layer 1 has inputSize 4, expected 3 (the previous layer's output size)");
        assertThatThrownBy(() -> SequentialModel.builder().add(Rnn.of(lstm)).embedding(embedding))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("first layer");
        assertThatThrownBy(() -> SequentialModel.builder().add(Bidirectional.of(gru, gru, MergeMode.NONE)))
                .hasMessageContaining("merge mode NONE");
        assertThatThrownBy(() -> SequentialModel.builder().build()).isInstanceOf(IllegalStateException.class);
        SimpleRnnCell wide = new SimpleRnnCell(new double[4][5], new double[5][5], new double[5]);
        assertThatThrownBy(() -> SequentialModel.builder().embedding(embedding).add(Rnn.of(wide)).build()
                .predict(new int[] {9})).hasMessage("ids[0] is 9, expected an id in [0, 7)");
    }

    @Test
    void zeroOutputForMaskReachesTheLayerFromAKerasConfig() {
        Random r = new Random(8);
        List<Tensor> weights = List.of(Tensor.of(NaiveRnn.random(r, 2, 3, 0.5)), Tensor.of(NaiveRnn.random(r, 3, 3, 0.5)),
                Tensor.of(NaiveRnn.random(r, 1, 3, 0.5)[0]));
        double[][] x = {{1, 2}, {0, 0}, {3, 1}, {0, 0}};
        for (boolean zero : new boolean[] {false, true}) {
            SequentialModel model = SequentialModel.fromKeras(List.of(LayerConfig.masking(0.0),
                    LayerConfig.simpleRnn(3).returnSequences(true).zeroOutputForMask(zero)), weights);
            double[][] y = model.predictSequence(x);
            if (zero) {
                assertThat(y[1]).containsOnly(0.0);
                assertThat(y[3]).containsOnly(0.0);
            } else {
                assertThat(y[1]).isEqualTo(y[0]);
                assertThat(y[3]).isEqualTo(y[2]);
            }
        }
        assertThatThrownBy(() -> LayerConfig.bidirectional(LayerConfig.lstm(2), MergeMode.SUM).zeroOutputForMask(true))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withersOnABidirectionalConfigKeepTheWrappedLayersOptions() {
        LayerConfig inner = LayerConfig.gru(2).resetAfter(false).useBias(false)
                .recurrentActivation(Activation.HARD_SIGMOID);
        LayerConfig bi = LayerConfig.bidirectional(inner, MergeMode.SUM).returnSequences(true);
        assertThat(bi.inner().resetAfter()).isFalse();
        assertThat(bi.inner().useBias()).isFalse();
        assertThat(bi.inner().activation()).isEqualTo(Activation.TANH);
        assertThat(bi.inner().recurrentActivation()).isEqualTo(Activation.HARD_SIGMOID);
        assertThat(bi.inner().returnSequences()).isTrue();
        assertThat(bi.weightCount()).isEqualTo(4);
        assertThatThrownBy(() -> LayerConfig.bidirectional(LayerConfig.lstm(2).goBackwards(true), MergeMode.SUM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("goBackwards=true");
    }

    @Test
    void kerasConfigsRejectWeightsThatDisagreeWithUnits() {
        assertThatThrownBy(() -> SequentialModel.fromKeras(java.util.List.of(LayerConfig.lstm(4)),
                java.util.List.of(Tensor.of(new double[2][12]), Tensor.of(new double[3][12]), Tensor.of(new double[12]))))
                .hasMessageContaining("kernel has shape [2][12], expected [inputSize][16]");
        assertThatThrownBy(() -> SequentialModel.fromKeras(java.util.List.of(LayerConfig.gru(2)),
                java.util.List.of(Tensor.of(new double[3][6]), Tensor.of(new double[2][6]), Tensor.of(new double[6]))))
                .hasMessageContaining("bias has shape [6], expected [2][6] for reset_after=True");
    }
}
