package io.github.rnn4j.layers;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad inputs and configurations of the non-recurrent layers: an IllegalArgumentException that names the layer's
 * input or the parameter, and both shapes.
 */
class NewLayersBadInputTest {
    private static Value.Sequence seq(int t, int f) {
        return new Value.Sequence(new double[t][f]);
    }

    private static Value.Vector vec(int f) {
        return new Value.Vector(new double[f]);
    }

    @Test
    void mergeInputsMustShareTheirShape() {
        assertThatThrownBy(() -> new Merge(Merge.Kind.ADD).apply(List.of(seq(4, 3), seq(4, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Merge input 1 has shape [4][2], expected [4][3] (the shape of input 0)");
        assertThatThrownBy(() -> new Merge(Merge.Kind.MULTIPLY).outputShapes(List.of(Shape.vector(3),
                Shape.sequence(2, 3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Merge input 1 has shape [2][3], expected [3] (the shape of input 0)");
        assertThatThrownBy(() -> new Merge(Merge.Kind.SUBTRACT).apply(List.of(vec(2), vec(2), vec(2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Merge takes 2 inputs, got 3");
        assertThatThrownBy(() -> new Merge(null)).isInstanceOf(IllegalArgumentException.class).hasMessage("kind must not be null");
    }

    @Test
    void concatenateNeedsMatchingOtherAxes() {
        assertThatThrownBy(() -> new Concatenate(-1).apply(List.of(seq(4, 3), seq(5, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Concatenate input 1 has shape [5][2], expected [4][features] (the time steps of input 0)");
        assertThatThrownBy(() -> new Concatenate(1).apply(List.of(seq(4, 3), seq(5, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Concatenate input 1 has shape [5][2], expected [timeSteps][3] (the features of input 0)");
        assertThatThrownBy(() -> new Concatenate(-1).apply(List.of(seq(4, 3), vec(3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Concatenate input 1 has shape [3], expected a sequence");
        assertThatThrownBy(() -> new Concatenate(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("axis is 0");
    }

    @Test
    void dotNeedsEqualSummedAxes() {
        assertThatThrownBy(() -> new Dot(new int[] {2, 2}, false).apply(List.of(seq(3, 4), seq(3, 5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Dot input 1 has shape [3][5], expected size 4 on axis 2 to match input 0 [3][4] on axis 2");
        assertThatThrownBy(() -> new Dot(new int[] {2, 1}, false).apply(List.of(vec(3), seq(3, 5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Dot input 0 has shape [3], expected a sequence [timeSteps][features] for axes[0] = 2");
        assertThatThrownBy(() -> new Dot(new int[] {1}, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("axes has shape [1], expected [2]");
    }

    @Test
    void shapeLayersRejectWhatTheyCannotReshape() {
        assertThatThrownBy(() -> new RepeatVector(3).apply(List.of(seq(2, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RepeatVector input 0 has shape [2][2], expected a vector [features]");
        assertThatThrownBy(() -> new Flatten().outputShapes(List.of(Shape.sequence(Shape.UNKNOWN, 4))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Flatten input 0 has shape [?][4], expected [timeSteps][features] with a fixed timeSteps");
        assertThatThrownBy(() -> new Reshape(5, 2).apply(List.of(seq(3, 4))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Reshape input 0 has shape [3][4], expected 10 values to reshape into [5][2]");
        assertThatThrownBy(() -> new Reshape(-1, 5).apply(List.of(seq(3, 4))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Reshape input 0 has shape [3][4], expected a size divisible by 5 to reshape into [5][?]"
                        .replace("[5][?]", "[?][5]"));
        assertThatThrownBy(() -> new Reshape(-1, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("targetShape [?][?] has more than one -1");
        assertThatThrownBy(() -> new Permute(1, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dims is [1, 3]");
        assertThatThrownBy(() -> new Permute(2, 1).apply(List.of(vec(3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Permute input 0 has shape [3], expected a sequence [timeSteps][features]");
    }

    @Test
    void timeDistributedNeedsAPerStepLayerThatFits() {
        Dense dense = new Dense(new double[3][2], null, Activation.LINEAR);
        assertThatThrownBy(() -> new TimeDistributed(dense).apply(List.of(seq(4, 5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TimeDistributed input 0 has shape [4][5]")
                .hasMessageContaining("Dense input 0 has shape [1][5], expected [?][3]");
        assertThatThrownBy(() -> new TimeDistributed(new Flatten())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a layer that maps each time step alone");
        assertThatThrownBy(() -> new TimeDistributed(ActivationLayer.softmax(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void softmaxRefusesAMaskedStepWhoseMeaningKerasLeavesToTheBatchSize() {
        Value.Sequence masked = new Value.Sequence(new double[3][4], new boolean[] {true, false, true});
        assertThatThrownBy(() -> ActivationLayer.softmax(-1).apply(List.of(masked)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Softmax input 0 is a sequence [3][4] whose mask masks step 1");
        Value.Sequence square = new Value.Sequence(new double[4][4], new boolean[] {true, true, false, true});
        assertThatThrownBy(() -> ActivationLayer.softmax(1).apply(List.of(square)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("masks step 2");
        assertThatThrownBy(() -> ActivationLayer.relu(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxValue is -1.0");
        assertThatThrownBy(() -> ActivationLayer.leakyRelu(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negativeSlope is NaN");
        assertThatThrownBy(() -> ActivationLayer.softmax(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("axis is 0");
    }

    @Test
    void normalisationWeightsAndInputsMustAgree() {
        assertThatThrownBy(() -> new BatchNormalization(new double[4], null, new double[3], new double[3], 1e-3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("gamma has shape [4], expected [3]");
        assertThatThrownBy(() -> new BatchNormalization(null, null, new double[3], new double[2], 1e-3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("movingVariance has shape [2], expected [3]");
        assertThatThrownBy(() -> new BatchNormalization(null, null, new double[1], new double[] {-1}, 1e-3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("movingVariance[0] is -1.0");
        BatchNormalization bn = new BatchNormalization(null, null, new double[3], new double[] {1, 1, 1}, 1e-3);
        assertThatThrownBy(() -> bn.apply(List.of(seq(2, 4))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BatchNormalization input 0 has shape [2][4], expected [?][3]");
        assertThatThrownBy(() -> new LayerNormalization(null, null, 3, 1e-3).apply(List.of(vec(2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LayerNormalization input 0 has shape [2], expected [3]");
        assertThatThrownBy(() -> new LayerNormalization(new double[2], null, 3, 1e-3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("gamma has shape [2], expected [3]");
        assertThatThrownBy(() -> new GlobalPooling1D(GlobalPooling1D.Kind.MAX, false).apply(List.of(vec(3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GlobalPooling1D input 0 has shape [3], expected a sequence [timeSteps][features]");
    }

    @Test
    void convolutionAndPoolingConfigurationsAndInputs() {
        Conv1D conv = new Conv1D(new double[3][2][4], null, 1, Padding.VALID, 1, 1, Activation.LINEAR);
        assertThatThrownBy(() -> conv.apply(List.of(seq(5, 3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Conv1D input 0 has shape [5][3], expected [timeSteps][2]");
        assertThatThrownBy(() -> conv.apply(List.of(seq(2, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Conv1D input 0 has shape [2][2], expected [timeSteps][2] with timeSteps >= 3 "
                        + "(the dilated kernel) for VALID padding");
        assertThatThrownBy(() -> new Conv1D(new double[][][] {new double[2][4], new double[3][4]}, null, 1,
                Padding.VALID, 1, 1, Activation.LINEAR))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("kernel[1] has shape [3][4], expected [2][4]");
        assertThatThrownBy(() -> new Conv1D(new double[3][2][4], new double[3], 1, Padding.VALID, 1, 1,
                Activation.LINEAR))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bias has shape [3], expected [4]");
        assertThatThrownBy(() -> new Conv1D(new double[3][2][4], null, 2, Padding.VALID, 2, 1, Activation.LINEAR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strides is 2 and dilationRate is 2");
        assertThatThrownBy(() -> new Conv1D(new double[3][2][4], null, 1, Padding.VALID, 1, 3, Activation.LINEAR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("groups is 3");
        assertThatThrownBy(() -> new Pooling1D(Pooling1D.Kind.MAX, 2, Padding.CAUSAL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("padding is CAUSAL");
        assertThatThrownBy(() -> new Pooling1D(Pooling1D.Kind.AVERAGE, 3, Padding.VALID).apply(List.of(seq(2, 4))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Pooling1D input 0 has shape [2][4], expected [timeSteps][features] with timeSteps >= 3 "
                        + "for VALID padding");
    }
}
