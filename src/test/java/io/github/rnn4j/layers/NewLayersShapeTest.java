package io.github.rnn4j.layers;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Shape inference of the non-recurrent layers, with fixed and unknown time steps, without running them. */
class NewLayersShapeTest {
    private static final int U = Shape.UNKNOWN;

    private static Shape seq(int t, int f) {
        return Shape.sequence(t, f);
    }

    private static Shape vec(int f) {
        return Shape.vector(f);
    }

    private static List<Shape> out(Layer layer, Shape... in) {
        return layer.outputShapes(List.of(in));
    }

    @Test
    void activationLayersKeepTheShape() {
        assertThat(out(ActivationLayer.of(Activation.GELU), seq(U, 7))).containsExactly(seq(U, 7));
        assertThat(out(ActivationLayer.relu(6, 0, 0), vec(3))).containsExactly(vec(3));
        assertThat(out(ActivationLayer.softmax(1), seq(4, 2))).containsExactly(seq(4, 2));
    }

    @Test
    void mergesKeepTheShapeAndResolveUnknownTimeSteps() {
        assertThat(out(new Merge(Merge.Kind.ADD), seq(U, 3), seq(5, 3), seq(U, 3))).containsExactly(seq(5, 3));
        assertThat(out(new Merge(Merge.Kind.MAXIMUM), vec(4), vec(4))).containsExactly(vec(4));
    }

    @Test
    void concatenateAddsUpTheAxis() {
        assertThat(out(new Concatenate(-1), seq(U, 2), seq(U, 3))).containsExactly(seq(U, 5));
        assertThat(out(new Concatenate(2), seq(4, 2), seq(U, 3))).containsExactly(seq(4, 5));
        assertThat(out(new Concatenate(1), seq(4, 3), seq(2, 3))).containsExactly(seq(6, 3));
        assertThat(out(new Concatenate(-2), seq(4, 3), seq(U, 3))).containsExactly(seq(U, 3));
        assertThat(out(new Concatenate(1), vec(2), vec(5))).containsExactly(vec(7));
    }

    @Test
    void dotKeepsTheOtherAxes() {
        assertThat(out(new Dot(new int[] {2, 2}, false), seq(3, 4), seq(5, 4))).containsExactly(seq(3, 5));
        assertThat(out(new Dot(new int[] {1, 1}, false), seq(U, 4), seq(U, 2))).containsExactly(seq(4, 2));
        assertThat(out(new Dot(new int[] {-1, -1}, true), seq(U, 4), seq(6, 4))).containsExactly(seq(U, 6));
        assertThat(out(new Dot(new int[] {1, 1}, false), vec(4), vec(4))).containsExactly(vec(1));
        assertThat(out(new Dot(new int[] {1, 2}, false), vec(4), seq(U, 4))).containsExactly(vec(U));
        assertThat(out(new Dot(new int[] {2, 1}, false), seq(3, 4), vec(4))).containsExactly(vec(3));
    }

    @Test
    void reshapingLayers() {
        assertThat(out(new RepeatVector(5), vec(3))).containsExactly(seq(5, 3));
        assertThat(out(new Flatten(), seq(3, 4))).containsExactly(vec(12));
        assertThat(out(new Flatten(), vec(4))).containsExactly(vec(4));
        assertThat(out(new Reshape(-1, 2), seq(3, 4))).containsExactly(seq(6, 2));
        assertThat(out(new Reshape(12), seq(3, 4))).containsExactly(vec(12));
        assertThat(out(new Reshape(-1, 4), seq(U, 4))).containsExactly(seq(U, 4));
        assertThat(out(new Permute(2, 1), seq(3, 4))).containsExactly(seq(4, 3));
        assertThat(out(new Permute(2, 1), seq(U, 4))).containsExactly(seq(4, U));
        assertThat(out(new TimeDistributed(new Dense(new double[3][2], null, Activation.LINEAR)), seq(U, 3)))
                .containsExactly(seq(U, 2));
    }

    @Test
    void poolingAndNormalisation() {
        assertThat(out(new GlobalPooling1D(GlobalPooling1D.Kind.AVERAGE, false), seq(U, 3))).containsExactly(vec(3));
        assertThat(out(new GlobalPooling1D(GlobalPooling1D.Kind.MAX, true), seq(U, 3))).containsExactly(seq(1, 3));
        BatchNormalization bn = new BatchNormalization(null, null, new double[3], new double[] {1, 1, 1}, 1e-3);
        assertThat(out(bn, seq(U, 3))).containsExactly(seq(U, 3));
        assertThat(out(new LayerNormalization(null, null, 3, 1e-3), vec(3))).containsExactly(vec(3));
    }

    @Test
    void convolutionAndPoolingCountOutputsAsTensorFlow() {
        Conv1D valid = new Conv1D(new double[3][2][4], null, 2, Padding.VALID, 1, 1, Activation.LINEAR);
        assertThat(out(valid, seq(7, 2))).containsExactly(seq(3, 4));
        assertThat(out(valid, seq(U, 2))).containsExactly(seq(U, 4));
        Conv1D same = new Conv1D(new double[3][2][4], null, 3, Padding.SAME, 1, 1, Activation.LINEAR);
        assertThat(out(same, seq(8, 2))).containsExactly(seq(3, 4));
        Conv1D causal = new Conv1D(new double[3][1][4], null, 1, Padding.CAUSAL, 2, 2, Activation.LINEAR);
        assertThat(out(causal, seq(9, 2))).containsExactly(seq(9, 4));
        assertThat(out(new Pooling1D(Pooling1D.Kind.MAX, 2, Padding.VALID), seq(7, 3))).containsExactly(seq(3, 3));
        assertThat(out(new Pooling1D(Pooling1D.Kind.AVERAGE, 3, 2, Padding.SAME), seq(7, 3)))
                .containsExactly(seq(4, 3));
    }

    @Test
    void parameterCountsAsKeras() {
        assertThat(new BatchNormalization(new double[5], new double[5], new double[5], new double[5], 1e-3)
                .parameterCount()).isEqualTo(20);
        assertThat(new BatchNormalization(null, new double[5], new double[5], new double[5], 1e-3).parameterCount())
                .isEqualTo(15);
        assertThat(new LayerNormalization(new double[5], new double[5], 5, 1e-3).parameterCount()).isEqualTo(10);
        assertThat(new LayerNormalization(new double[5], null, 5, 1e-3).parameterCount()).isEqualTo(5);
        // Keras Conv1D(filters=6, kernel_size=2, groups=2) on 4 channels: kernel (2, 2, 6) + bias 6 = 30.
        assertThat(new Conv1D(new double[2][2][6], new double[6], 1, Padding.VALID, 1, 2, Activation.LINEAR)
                .parameterCount()).isEqualTo(30);
        assertThat(new Conv1D(new double[2][2][6], null, 1, Padding.VALID, 1, 2, Activation.LINEAR)
                .parameterCount()).isEqualTo(24);
        Dense dense = new Dense(new double[3][2], new double[2], Activation.LINEAR);
        assertThat(new TimeDistributed(dense).parameterCount()).isEqualTo(8);
        assertThat(new Merge(Merge.Kind.ADD).parameterCount()).isZero();
        assertThat(new Pooling1D(Pooling1D.Kind.MAX, 2, Padding.VALID).parameterCount()).isZero();
    }

    @Test
    void streamingModes() {
        assertThat(ActivationLayer.of(Activation.SWISH).streaming()).isEqualTo(Layer.Streaming.PER_STEP);
        assertThat(ActivationLayer.softmax(-1).streaming()).isEqualTo(Layer.Streaming.PER_STEP);
        assertThat(ActivationLayer.softmax(1).streaming()).isEqualTo(Layer.Streaming.WHOLE_SEQUENCE);
        assertThat(new Concatenate(-1).streaming()).isEqualTo(Layer.Streaming.PER_STEP);
        assertThat(new Concatenate(1).streaming()).isEqualTo(Layer.Streaming.WHOLE_SEQUENCE);
        assertThat(new Merge(Merge.Kind.MINIMUM).streaming()).isEqualTo(Layer.Streaming.PER_STEP);
        assertThat(new LayerNormalization(null, null, 2, 1e-3).streaming()).isEqualTo(Layer.Streaming.PER_STEP);
        assertThat(new Conv1D(new double[1][1][1], null, 1, Padding.VALID, 1, 1, Activation.LINEAR).streaming())
                .isEqualTo(Layer.Streaming.WHOLE_SEQUENCE);
        assertThat(new GlobalPooling1D(GlobalPooling1D.Kind.MAX, false).streaming())
                .isEqualTo(Layer.Streaming.WHOLE_SEQUENCE);
    }
}
