package io.github.rnn4j.layers;

import io.github.rnn4j.testing.Approx;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Accessors, printed forms, bounds and input checks of the remaining layers, written for the survivors of the
 * earlier whole-package PIT run (docs/mutation.md). Numbers are worked by hand; the output-length rules are
 * TensorFlow's ({@code VALID}: {@code floor((timeSteps − window)/strides) + 1}, {@code SAME}:
 * {@code ceil(timeSteps/strides)}).
 */
class LayerDetailsTest {

    private static double[] vector(Layer layer, double... x) {
        return ((Value.Vector) layer.apply(List.of(new Value.Vector(x))).get(0)).values();
    }

    @Test
    void batchNormalizationUsesTheMovingStatisticsAndNamesBadOnes() {
        // var + ε = 4, so 1/√ = 0.5; inv = 0.5·γ = [1, 0.5]; y = (x − mean)·inv + β
        BatchNormalization bn = new BatchNormalization(new double[] {2, 1}, new double[] {1, 0},
                new double[] {3, 1}, new double[] {3.5, 3.5}, 0.5);
        Approx.assertClose("y", new double[] {-1, 2}, vector(bn, 1, 5), Tolerance.FLOAT64);
        assertThat(bn.features()).isEqualTo(2);
        assertThat(bn.parameterCount()).isEqualTo(8L);
        assertThat(bn.streaming()).isEqualTo(Layer.Streaming.PER_STEP);
        assertThat(bn.toString()).isEqualTo("BatchNormalization[features=2, epsilon=0.5]");
        assertThat(new BatchNormalization(null, null, new double[2], new double[2], 0.5).toString())
                .isEqualTo("BatchNormalization[features=2, epsilon=0.5, no center, no scale]");
        BatchNormalization f = bn.float32();
        assertThat(f).isNotSameAs(bn);
        assertThat(f.float32()).isSameAs(f);

        // ε = 0 and a variance of 0 (with ε > 0) are allowed
        Approx.assertClose("epsilon 0", new double[] {2, 1},
                vector(new BatchNormalization(null, null, new double[2], new double[] {1, 4}, 0.0), 2, 2),
                Tolerance.FLOAT64);
        Approx.assertClose("variance 0", new double[] {2},
                vector(new BatchNormalization(null, null, new double[1], new double[] {0}, 0.25), 1),
                Tolerance.FLOAT64);
        assertThatThrownBy(() -> new BatchNormalization(null, null, new double[2], new double[] {1, -1}, 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("movingVariance[1] is -1.0, expected >= 0");
        assertThatThrownBy(() -> new BatchNormalization(null, null, new double[2], new double[2], -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epsilon is -1.0, expected a finite number >= 0");
        assertThatThrownBy(() -> new BatchNormalization(null, null, new double[2], new double[] {1, Double.NaN}, 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("movingVariance");
        assertThatThrownBy(() -> new BatchNormalization(null, null, new double[] {Double.NaN, 0}, new double[2], 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("movingMean");
        assertThatThrownBy(() -> new BatchNormalization(new double[] {1, Double.NaN}, null, new double[2],
                new double[2], 0.1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gamma");
        assertThatThrownBy(() -> new BatchNormalization(null, new double[] {1, Double.NaN}, new double[2],
                new double[2], 0.1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta");
    }

    @Test
    void denseReportsItsShapeAndRefusesAnInputOfAnotherWidth() {
        Dense dense = new Dense(new double[][] {{1, 2, 3}, {4, 5, 6}}, new double[] {0.5, 0, -1}, Activation.LINEAR);
        Approx.assertClose("dense x", new double[] {-2.5, -3, -4}, vector(dense, 1, -1), Tolerance.FLOAT64);
        Approx.assertClose("sparse x", new double[] {8.5, 10, 11}, vector(dense, 0, 2), Tolerance.FLOAT64);
        Value.Sequence seq = (Value.Sequence) dense.apply(List.of(new Value.Sequence(new double[][] {{1, -1}, {0, 2}},
                new boolean[] {true, false}))).get(0);
        Approx.assertClose("sequence", new double[][] {{-2.5, -3, -4}, {8.5, 10, 11}}, seq.steps(), Tolerance.FLOAT64);
        assertThat(seq.mask()).containsExactly(true, false);
        assertThat(dense.inputSize()).isEqualTo(2);
        assertThat(dense.units()).isEqualTo(3);
        assertThat(dense.activation()).isEqualTo(Activation.LINEAR);
        assertThat(dense.parameterCount()).isEqualTo(9L);
        assertThat(dense.streaming()).isEqualTo(Layer.Streaming.PER_STEP);
        assertThat(dense.toString()).isEqualTo("Dense[units=3, inputSize=2, activation=LINEAR]");
        Dense noBias = new Dense(new double[2][3], null, Activation.TANH);
        assertThat(noBias.parameterCount()).isEqualTo(6L);
        assertThat(noBias.toString()).isEqualTo("Dense[units=3, inputSize=2, activation=TANH, no bias]");
        Dense f = dense.float32();
        assertThat(f).isNotSameAs(dense);
        assertThat(f.float32()).isSameAs(f);

        assertThatThrownBy(() -> dense.apply(List.of(new Value.Vector(new double[] {1, 2, 3}))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Dense input 0 has shape [3], expected [2]");
        assertThatThrownBy(() -> dense.apply(List.of(new Value.Vector(new double[] {1}))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Dense input 0 has shape [1], expected [2]");
        assertThatThrownBy(() -> dense.apply(List.of(new Value.Sequence(new double[][] {{1, 2, 3}}))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Dense input 0 has shape [1][3], expected [?][2]");
        assertThatThrownBy(() -> new Dense(new double[2][3], new double[] {0, Double.NaN, 0}, Activation.LINEAR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bias");
        assertThatThrownBy(() -> new Dense(new double[2][3], new double[2], Activation.LINEAR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bias");
    }

    @Test
    void poolingCountsOutputsAsTensorFlow() {
        Shape seven = Shape.sequence(7, 2);
        // VALID: floor((7 − 3)/2) + 1 = 3; SAME: ceil(7/2) = 4
        assertThat(new Pooling1D(Pooling1D.Kind.MAX, 3, 2, Padding.VALID).outputShapes(List.of(seven)))
                .containsExactly(Shape.sequence(3, 2));
        assertThat(new Pooling1D(Pooling1D.Kind.MAX, 3, 2, Padding.SAME).outputShapes(List.of(seven)))
                .containsExactly(Shape.sequence(4, 2));
        // a window exactly as long as the input gives one output
        assertThat(new Pooling1D(Pooling1D.Kind.AVERAGE, 3, Padding.VALID).outputShapes(
                List.of(Shape.sequence(3, 2)))).containsExactly(Shape.sequence(1, 2));
        assertThatThrownBy(() -> new Pooling1D(Pooling1D.Kind.AVERAGE, 3, Padding.VALID).outputShapes(
                List.of(Shape.sequence(2, 2)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Pooling1D input 0 has shape [2][2], expected [timeSteps][features] with timeSteps >= 3"
                        + " for VALID padding");
        // CAUSAL (Conv1D): (7 − 1)/2 + 1 = 4
        assertThat(new Conv1D(new double[3][1][1], null, 2, Padding.CAUSAL, 1, 1, Activation.LINEAR)
                .outputShapes(List.of(Shape.sequence(7, 1)))).containsExactly(Shape.sequence(4, 1));
        // pool size 1 is allowed: average of one step is the step
        Value.Sequence one = (Value.Sequence) new Pooling1D(Pooling1D.Kind.AVERAGE, 1, Padding.VALID).apply(
                List.of(new Value.Sequence(new double[][] {{1}, {3}}))).get(0);
        assertThat(one.steps()).isDeepEqualTo(new double[][] {{1}, {3}});
        assertThatThrownBy(() -> new Pooling1D(Pooling1D.Kind.MAX, 0, Padding.VALID))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("poolSize is 0, expected >= 1");
        assertThatThrownBy(() -> new Pooling1D(Pooling1D.Kind.MAX, 2, 0, Padding.VALID))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("strides is 0, expected >= 1");
        assertThat(new Pooling1D(Pooling1D.Kind.MAX, 2, 1, Padding.SAME).toString())
                .isEqualTo("Pooling1D[MAX, poolSize=2, strides=1, padding=SAME]");
        assertThat(new Pooling1D(Pooling1D.Kind.MAX, 2, Padding.VALID).streaming())
                .isEqualTo(Layer.Streaming.WHOLE_SEQUENCE);
    }

    @Test
    void globalPoolingReportsItsKindAndAveragesUnmaskedSteps() {
        GlobalPooling1D avg = new GlobalPooling1D(GlobalPooling1D.Kind.AVERAGE, false);
        GlobalPooling1D max = new GlobalPooling1D(GlobalPooling1D.Kind.MAX, true);
        assertThat(avg.kind()).isEqualTo(GlobalPooling1D.Kind.AVERAGE);
        assertThat(max.kind()).isEqualTo(GlobalPooling1D.Kind.MAX);
        Value.Sequence x = new Value.Sequence(new double[][] {{1, 8}, {3, 2}, {100, 100}},
                new boolean[] {true, true, false});
        // Keras GlobalAveragePooling1D averages the unmasked steps only
        assertThat(((Value.Vector) avg.apply(List.of(x)).get(0)).values()).containsExactly(2.0, 5.0);
        Value.Sequence kept = (Value.Sequence) max.apply(List.of(new Value.Sequence(new double[][] {{1, 8}, {3, 2}})))
                .get(0);
        assertThat(kept.steps()).isDeepEqualTo(new double[][] {{3, 8}});
        assertThat(avg.toString()).isEqualTo("GlobalPooling1D[AVERAGE]");
        assertThat(max.toString()).isEqualTo("GlobalPooling1D[MAX, keepdims]");
        assertThat(max.outputShapes(List.of(Shape.sequence(5, 2)))).containsExactly(Shape.sequence(1, 2));
        assertThat(avg.outputShapes(List.of(Shape.sequence(5, 2)))).containsExactly(Shape.vector(2));
    }

    @Test
    void reshapingLayersReportTheirConfiguration() {
        RepeatVector repeat = new RepeatVector(1);
        assertThat(repeat.n()).isEqualTo(1);
        assertThat(repeat.streaming()).isEqualTo(Layer.Streaming.WHOLE_SEQUENCE);
        assertThat(repeat.toString()).isEqualTo("RepeatVector[n=1]");
        assertThat(((Value.Sequence) new RepeatVector(2).apply(List.of(new Value.Vector(new double[] {1, 2})))
                .get(0)).steps()).isDeepEqualTo(new double[][] {{1, 2}, {1, 2}});
        assertThatThrownBy(() -> new RepeatVector(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("n is 0, expected >= 1");
        assertThatThrownBy(() -> repeat.outputShapes(List.of(Shape.sequence(2, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RepeatVector input 0 has shape [2][2], expected a vector [features]");

        Reshape reshape = new Reshape(1, -1);
        assertThat(reshape.targetShape()).containsExactly(1, -1);
        assertThat(reshape.streaming()).isEqualTo(Layer.Streaming.WHOLE_SEQUENCE);
        assertThat(reshape.toString()).isEqualTo("Reshape[targetShape=[1][-1]]");
        assertThatThrownBy(() -> new Reshape(0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("targetShape[0] is 0, expected >= 1 or -1");
        assertThatThrownBy(() -> new Reshape(-1, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("targetShape [?][?] has more than one -1, expected at most one");

        assertThat(new Permute(2, 1).toString()).isEqualTo("Permute[dims=(2, 1)]");
        assertThat(new Permute(1, 2).toString()).isEqualTo("Permute[dims=(1, 2)]");
        assertThat(new Permute(2, 1).streaming()).isEqualTo(Layer.Streaming.WHOLE_SEQUENCE);
        assertThat(new Flatten().streaming()).isEqualTo(Layer.Streaming.WHOLE_SEQUENCE);
        assertThat(vector(new Flatten(), 1, 2)).containsExactly(1.0, 2.0);
    }

    @Test
    void timeDistributedAndCellsReportWhatTheyWrap() {
        Dense dense = new Dense(new double[2][3], null, Activation.TANH);
        TimeDistributed td = new TimeDistributed(dense);
        assertThat(td.layer()).isSameAs(dense);
        assertThat(td.streaming()).isEqualTo(Layer.Streaming.PER_STEP);
        assertThat(td.toString()).isEqualTo("TimeDistributed[Dense[units=3, inputSize=2, activation=TANH, no bias]]");

        LstmCell lstm = new LstmCell(new double[1][4], new double[1][4], new double[4], Activation.RELU,
                Activation.HARD_SIGMOID);
        assertThat(lstm.activation()).isEqualTo(Activation.RELU);
        assertThat(lstm.recurrentActivation()).isEqualTo(Activation.HARD_SIGMOID);
        LstmCell plain = new LstmCell(new double[1][4], new double[1][4], new double[4]);
        assertThat(plain.activation()).isEqualTo(Activation.TANH);
        assertThat(plain.recurrentActivation()).isEqualTo(Activation.SIGMOID);
        // Keras LSTM: 4·units·(inputSize + units) + 4·units bias, none without bias
        assertThat(Rnn.of(plain).parameterCount()).isEqualTo(12L);
        assertThat(Rnn.of(LstmCell.withoutBias(new double[1][4], new double[1][4], Activation.TANH,
                Activation.SIGMOID)).parameterCount()).isEqualTo(8L);

        SimpleRnnCell simple = new SimpleRnnCell(new double[1][1], new double[1][1], new double[1], Activation.RELU);
        assertThat(simple.activation()).isEqualTo(Activation.RELU);
        assertThat(new SimpleRnnCell(new double[1][1], new double[1][1], new double[1]).activation())
                .isEqualTo(Activation.TANH);
    }
}
