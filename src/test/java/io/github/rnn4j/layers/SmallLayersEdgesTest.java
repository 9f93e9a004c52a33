package io.github.rnn4j.layers;

import io.github.rnn4j.testing.Approx;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Accessors, bounds and printed forms of {@link Dot}, {@link Concatenate}, {@link Conv1D}, {@link GruCell} and
 * {@link Merge} that PIT found unchecked by the {@code layers} tests (docs/mutation.md).
 */
class SmallLayersEdgesTest {

    @Test
    void dotAcceptsAxesUpToTwoEitherWayAndNamesTheBadOne() {
        Dot dot = new Dot(new int[] {2, -2}, true);
        assertThat(dot.axes()).containsExactly(2, -2);
        assertThat(dot.normalize()).isTrue();
        assertThat(new Dot(new int[] {1, 1}, false).normalize()).isFalse();
        int[] axes = dot.axes();
        axes[0] = 1;
        assertThat(dot.axes()).containsExactly(2, -2);
        assertThat(dot.toString()).isEqualTo("Dot[axes=(2, -2), normalize]");
        assertThat(new Dot(new int[] {-1, 1}, false).toString()).isEqualTo("Dot[axes=(-1, 1)]");
        assertThat(dot.streaming()).isEqualTo(Layer.Streaming.WHOLE_SEQUENCE);

        assertThatThrownBy(() -> new Dot(new int[] {1, 3}, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("axes[1] is 3, expected 1, 2, -1 or -2 (axis 0 is the batch)");
        assertThatThrownBy(() -> new Dot(new int[] {1, -3}, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("axes[1] is -3, expected 1, 2, -1 or -2 (axis 0 is the batch)");
        assertThatThrownBy(() -> new Dot(new int[] {0, 1}, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("axes[0] is 0, expected 1, 2, -1 or -2 (axis 0 is the batch)");
        assertThatThrownBy(() -> new Dot(new int[] {1}, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("axes has shape [1], expected [2]");
    }

    @Test
    void concatenateIgnoresTheMaskOfAnInputWithNoFeatures() {
        // keras/src/layers/merging/concatenate.py, compute_mask: each input's mask is broadcast over its features,
        // the masks are concatenated and reduced with any() over the feature axis, so an input of no features
        // adds no entry to the any()
        Value.Sequence a = new Value.Sequence(new double[][] {{1, 2}, {3, 4}}, new boolean[] {true, false});
        Value.Sequence empty = new Value.Sequence(new double[][] {{}, {}}, new boolean[] {true, true});
        Value.Sequence out = (Value.Sequence) new Concatenate(-1).apply(List.of(a, empty)).get(0);
        assertThat(out.mask()).containsExactly(true, false);
        assertThat(out.steps()).isDeepEqualTo(new double[][] {{1, 2}, {3, 4}});
        Value.Sequence b = new Value.Sequence(new double[][] {{5}, {6}});
        Value.Sequence withUnmasked = (Value.Sequence) new Concatenate(-1).apply(List.of(a, b)).get(0);
        assertThat(withUnmasked.mask()).containsExactly(true, true);
        assertThat(withUnmasked.steps()).isDeepEqualTo(new double[][] {{1, 2, 5}, {3, 4, 6}});
        assertThat(new Concatenate(-2).axis()).isEqualTo(-2);
    }

    @Test
    void conv1dReportsItsFiltersPrintsItsOptionsAndRoundsToFloat32Once() {
        Conv1D conv = new Conv1D(new double[][][] {{{0.1, 0.5}}}, null, 1, Padding.VALID, 1, 1, Activation.LINEAR);
        assertThat(conv.filters()).isEqualTo(2);
        assertThat(conv.inputChannels()).isEqualTo(1);
        assertThat(conv.parameterCount()).isEqualTo(2L);
        assertThat(conv.toString()).isEqualTo("Conv1D[filters=2, kernelSize=1, inputChannels=1, strides=1,"
                + " padding=VALID, dilationRate=1, groups=1, activation=LINEAR, no bias]");
        Conv1D biased = new Conv1D(new double[][][] {{{0.1, 0.5}}}, new double[] {0, 1}, 1, Padding.SAME, 1, 1,
                Activation.RELU);
        assertThat(biased.parameterCount()).isEqualTo(4L);
        assertThat(biased.toString()).isEqualTo("Conv1D[filters=2, kernelSize=1, inputChannels=1, strides=1,"
                + " padding=SAME, dilationRate=1, groups=1, activation=RELU]");

        Conv1D f = conv.float32();
        assertThat(f).isNotSameAs(conv);
        assertThat(f.float32()).isSameAs(f);
        Value.Sequence x = new Value.Sequence(new double[][] {{1.0}});
        double[] y64 = ((Value.Sequence) conv.apply(List.of(x)).get(0)).steps()[0];
        double[] y32 = ((Value.Sequence) f.apply(List.of(x)).get(0)).steps()[0];
        Approx.assertClose("float64", new double[] {0.1, 0.5}, y64, Tolerance.FLOAT64);
        // 1·0.1f is exactly the float nearest 0.1, which is not 0.1
        Approx.assertClose("float32", new double[] {(float) 0.1, 0.5}, y32, Tolerance.FLOAT64);
        assertThat(y32[0]).isNotEqualTo(0.1);
    }

    @Test
    void gruCellReportsItsOptionsAndNamesABiasOfNoRows() {
        double[][] kernel = new double[2][9];
        double[][] recurrent = new double[3][9];
        GruCell after = new GruCell(kernel, recurrent, new double[2][9]);
        GruCell before = new GruCell(kernel, recurrent, new double[9], Activation.RELU, Activation.HARD_SIGMOID);
        assertThat(after.resetAfter()).isTrue();
        assertThat(before.resetAfter()).isFalse();
        assertThat(after.activation()).isEqualTo(Activation.TANH);
        assertThat(after.recurrentActivation()).isEqualTo(Activation.SIGMOID);
        assertThat(before.activation()).isEqualTo(Activation.RELU);
        assertThat(before.recurrentActivation()).isEqualTo(Activation.HARD_SIGMOID);
        // Keras GRU: 3·units·(inputSize + units) weights, plus 3·units bias (or 2·3·units with reset_after)
        assertThat(Rnn.of(after).parameterCount()).isEqualTo(2 * 9 + 3 * 9 + 18L);
        assertThat(Rnn.of(before).parameterCount()).isEqualTo(2 * 9 + 3 * 9 + 9L);
        assertThat(Rnn.of(GruCell.withoutBias(kernel, recurrent, true, Activation.TANH, Activation.SIGMOID))
                .parameterCount()).isEqualTo(2 * 9 + 3 * 9L);

        GruCell f = after.float32();
        assertThat(f).isNotSameAs(after);
        assertThat(f.isFloat32()).isTrue();
        assertThat(f.float32()).isSameAs(f);

        assertThatThrownBy(() -> new GruCell(kernel, recurrent, new double[0][]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bias has shape [0][0], expected [2][9] for reset_after=True"
                        + " (use a [9] bias for reset_after=False)");
        assertThatThrownBy(() -> new GruCell(kernel, recurrent, new double[3][9]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bias has shape [3][9], expected [2][9] for reset_after=True"
                        + " (use a [9] bias for reset_after=False)");
    }

    @Test
    void mergeReportsItsKind() {
        assertThat(new Merge(Merge.Kind.ADD).kind()).isEqualTo(Merge.Kind.ADD);
        assertThat(new Merge(Merge.Kind.AVERAGE).kind()).isEqualTo(Merge.Kind.AVERAGE);
    }
}
