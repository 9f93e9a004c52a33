package io.github.rnn4j.layers;

import io.github.rnn4j.testing.Approx;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LayerNormalization} on hand-worked rows whose every intermediate is exact in binary, from Keras's formulas
 * (keras/src/ops/nn.py, {@code _layer_normalization}): the mean, the biased variance {@code mean((x − mean)²)},
 * then {@code (x − mean)/√(variance + ε)·γ + β}, or {@code x/√(variance + ε)·γ} with {@code rms_scaling=True}.
 * For {@code x = [1, 2, 3, 6]}: mean 3, deviations {@code [-2, -1, 0, 3]}, variance 14/4 = 3.5, and with
 * {@code ε = 0.5} the scale is {@code 1/√4 = 0.5}.
 */
class LayerNormalizationTest {
    private static final double[] X = {1, 2, 3, 6};

    private static double[] row(LayerNormalization layer, double[] x) {
        List<Value> out = layer.apply(List.of(new Value.Vector(x)));
        assertThat(out).hasSize(1);
        return ((Value.Vector) out.get(0)).values();
    }

    @Test
    void centresScalesAndShiftsAHandWorkedRow() {
        LayerNormalization ln = new LayerNormalization(new double[] {2, 1, 1, 1}, new double[] {1, 0, 0, -1}, 4, 0.5);
        // (x − 3)·0.5·γ + β = [-2·0.5·2 + 1, -0.5, 0, 1.5 − 1]
        Approx.assertClose("y", new double[] {-1, -0.5, 0, 0.5}, row(ln, X), Tolerance.FLOAT64);
        assertThat(ln.features()).isEqualTo(4);
        assertThat(ln.parameterCount()).isEqualTo(8L);
        assertThat(ln.streaming()).isEqualTo(Layer.Streaming.PER_STEP);
    }

    @Test
    void rmsScalingDividesByTheVarianceWithoutCentring() {
        LayerNormalization rms = LayerNormalization.rmsScaling(new double[] {1, 2, 0.5, -1}, 0.5);
        // x·0.5·γ = [0.5, 2, 0.75, -3]
        Approx.assertClose("y", new double[] {0.5, 2, 0.75, -3}, row(rms, X), Tolerance.FLOAT64);
        List<Value> seq = rms.apply(List.of(new Value.Sequence(new double[][] {X, {1, 3, 1, 3}},
                new boolean[] {true, false})));
        Value.Sequence s = (Value.Sequence) seq.get(0);
        // second step: mean 2, variance 1, scale 1/√1.5
        double k = 1 / Math.sqrt(1.5);
        Approx.assertClose("steps", new double[][] {{0.5, 2, 0.75, -3}, {k, 6 * k, 0.5 * k, -3 * k}}, s.steps(),
                Tolerance.FLOAT64);
        assertThat(s.mask()).containsExactly(true, false);
        assertThat(rms.features()).isEqualTo(4);
        assertThat(rms.parameterCount()).isEqualTo(4L);
        assertThat(rms.outputShapes(List.of(Shape.sequence(7, 4)))).containsExactly(Shape.sequence(7, 4));
        assertThat(rms.toString()).isEqualTo("LayerNormalization[features=4, epsilon=0.5, rms scaling]");
        LayerNormalization rms32 = rms.float32();
        assertThat(rms32).isNotSameAs(rms);
        assertThat(rms32.float32()).isSameAs(rms32);
        assertThat(rms32.toString()).isEqualTo("LayerNormalization[features=4, epsilon=0.5, rms scaling]");
        Approx.assertClose("float32", new double[] {0.5, 2, 0.75, -3}, row(rms32, X), Tolerance.FLOAT64);
    }

    @Test
    void rmsScalingChecksGammaAndEpsilon() {
        assertThatThrownBy(() -> LayerNormalization.rmsScaling(null, 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gamma");
        assertThatThrownBy(() -> LayerNormalization.rmsScaling(new double[0], 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gamma has shape [0], expected at least one feature");
        assertThatThrownBy(() -> LayerNormalization.rmsScaling(new double[] {1, Double.NaN}, 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gamma");
        assertThatThrownBy(() -> LayerNormalization.rmsScaling(new double[] {1}, -0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epsilon is -0.5, expected a finite number >= 0");
        assertThatThrownBy(() -> LayerNormalization.rmsScaling(new double[] {1}, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epsilon is NaN, expected a finite number >= 0");
        assertThatThrownBy(() -> LayerNormalization.rmsScaling(new double[] {1}, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epsilon is Infinity, expected a finite number >= 0");
        // ε = 0 is allowed: x = [1, 3] has variance 1, so y = x·γ
        Approx.assertClose("epsilon 0", new double[] {2, 6},
                row(LayerNormalization.rmsScaling(new double[] {2, 2}, 0.0), new double[] {1, 3}), Tolerance.FLOAT64);
        // one feature: variance 0, y = x·γ/√ε
        Approx.assertClose("one feature", new double[] {6},
                row(LayerNormalization.rmsScaling(new double[] {3}, 0.25), new double[] {1}), Tolerance.FLOAT64);
    }

    @Test
    void withoutGammaAndBetaAnyWidthIsNormalised() {
        LayerNormalization bare = new LayerNormalization(null, null, Shape.UNKNOWN, 0.0);
        // [1, 3]: mean 2, variance 1
        Approx.assertClose("width 2", new double[] {-1, 1}, row(bare, new double[] {1, 3}), Tolerance.FLOAT64);
        LayerNormalization bareEps = new LayerNormalization(null, null, Shape.UNKNOWN, 0.5);
        Approx.assertClose("width 4", new double[] {-1, -0.5, 0, 1.5}, row(bareEps, X), Tolerance.FLOAT64);
        assertThat(bare.features()).isEqualTo(Shape.UNKNOWN);
        assertThat(bare.parameterCount()).isZero();
        Shape s = Shape.sequence(3, 9);
        assertThat(bare.outputShapes(List.of(s))).containsExactly(s);
        assertThat(bare.outputShapes(List.of(Shape.vector(2)))).containsExactly(Shape.vector(2));
        assertThatThrownBy(() -> bare.outputShapes(List.of(s, s))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LayerNormalization takes 1 input, got 2");
        assertThat(bare.toString()).isEqualTo("LayerNormalization[features=-1, epsilon=0.0, no center, no scale]");
    }

    @Test
    void oneFeatureIsAllowedAndGivesBeta() {
        LayerNormalization one = new LayerNormalization(new double[] {2}, new double[] {0.25}, 1, 1e-3);
        Approx.assertClose("one feature", new double[] {0.25}, row(one, new double[] {5}), Tolerance.FLOAT64);
        assertThat(one.parameterCount()).isEqualTo(2L);
    }

    @Test
    void constructorNamesTheBadArgument() {
        assertThatThrownBy(() -> new LayerNormalization(null, null, 0, 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("features is 0, expected >= 1 (or UNKNOWN without gamma and beta)");
        assertThatThrownBy(() -> new LayerNormalization(null, null, -2, 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("features is -2, expected >= 1 (or UNKNOWN without gamma and beta)");
        assertThatThrownBy(() -> new LayerNormalization(new double[] {1}, null, Shape.UNKNOWN, 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("features is -1, expected >= 1 (or UNKNOWN without gamma and beta)");
        assertThatThrownBy(() -> new LayerNormalization(null, new double[] {1}, Shape.UNKNOWN, 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("features is -1, expected >= 1 (or UNKNOWN without gamma and beta)");
        assertThatThrownBy(() -> new LayerNormalization(null, new double[] {1, Double.NaN}, 2, 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta");
        assertThatThrownBy(() -> new LayerNormalization(null, new double[] {1, 2, 3}, 2, 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta");
        assertThatThrownBy(() -> new LayerNormalization(new double[] {1, 2, 3}, null, 2, 0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gamma");
        assertThatThrownBy(() -> new LayerNormalization(null, null, 2, -1e-3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epsilon is -0.001, expected a finite number >= 0");
        assertThatThrownBy(() -> new LayerNormalization(null, null, 2, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("epsilon is Infinity, expected a finite number >= 0");
        Approx.assertClose("epsilon 0", new double[] {-1, 1},
                row(new LayerNormalization(null, null, 2, 0.0), new double[] {1, 3}), Tolerance.FLOAT64);
    }

    @Test
    void printsWhatItLeavesOutAndRoundsToFloat32Once() {
        double[] g = {1, 1, 1, 1};
        double[] b = {0, 0, 0, 0};
        assertThat(new LayerNormalization(g, b, 4, 0.5).toString())
                .isEqualTo("LayerNormalization[features=4, epsilon=0.5]");
        assertThat(new LayerNormalization(null, b, 4, 0.5).toString())
                .isEqualTo("LayerNormalization[features=4, epsilon=0.5, no scale]");
        assertThat(new LayerNormalization(g, null, 4, 0.5).toString())
                .isEqualTo("LayerNormalization[features=4, epsilon=0.5, no center]");
        assertThat(new LayerNormalization(g, null, 4, 0.5).parameterCount()).isEqualTo(4L);
        assertThat(new LayerNormalization(null, null, 4, 0.5).parameterCount()).isZero();

        // γ = 0.1 is not a float32: the float32 copy scales by (float) 0.1
        LayerNormalization ln = new LayerNormalization(new double[] {0.1, 0.1, 0.1, 0.1}, null, 4, 0.5);
        LayerNormalization f = ln.float32();
        assertThat(f).isNotSameAs(ln);
        assertThat(f.float32()).isSameAs(f);
        double g32 = (float) 0.1;
        Approx.assertClose("float64", new double[] {-0.1, -0.05, 0.0, 0.15000000000000002}, row(ln, X),
                Tolerance.FLOAT64);
        assertThat(row(f, X)[0]).isEqualTo(1.0 * (0.5 * g32) + (-3.0 * (0.5 * g32)));
        assertThat(row(f, X)[0]).isNotEqualTo(row(ln, X)[0]);
    }
}
