package io.github.rnn4j.layers;

import io.github.rnn4j.testing.Approx;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Edges of {@link Activation} and {@link ActivationLayer} that PIT found unchecked (docs/mutation.md): the row
 * maximum of softmax found after the first element, thresholds and caps of Keras's {@code ReLU}
 * (keras/src/activations/activations.py, {@code relu}: {@code negative_part = relu(-x + threshold)},
 * {@code x·(x > threshold)}, {@code clip(x, 0, max_value)}, {@code x − negative_slope·negative_part}), empty rows,
 * and the shapes a softmax over axis 2 accepts.
 */
class ActivationEdgesTest {

    private static double[] relu(ActivationLayer layer, double... x) {
        return ((Value.Vector) layer.apply(List.of(new Value.Vector(x))).get(0)).values();
    }

    @Test
    void softmaxFindsTheRowMaximumAfterTheFirstElement() {
        // exp(0 − 1000) underflows to 0, so the exact result is [0, 1, 0]; starting from 0 would overflow to NaN
        assertThat(Activation.SOFTMAX.apply(new double[] {0, 1000, 0})).containsExactly(0.0, 1.0, 0.0);
        // log(e^-1000 + 1 + e^-1000) = log(1) = 0
        assertThat(Activation.LOG_SOFTMAX.apply(new double[] {0, 1000, 0})).containsExactly(-1000.0, 0.0, -1000.0);
    }

    @Test
    void erfOfPositiveZeroIsPositiveZero() {
        // C99 Annex F.9.5.1: erf(±0) returns ±0
        assertThat(Double.doubleToRawLongBits(Activation.erf(0.0))).isZero();
        assertThat(Activation.erf(1e-300)).isPositive();
        assertThat(Activation.erf(-1e-300)).isNegative();
    }

    @Test
    void reluAcceptsAZeroCapAndAZeroSlope() {
        Approx.assertClose("max_value 0", new double[] {0, 0, 0}, relu(ActivationLayer.relu(0, 0, 0), -2, 0.5, 3),
                Tolerance.FLOAT64);
        Approx.assertClose("negative_slope 0", new double[] {0, 0.5, 3},
                relu(ActivationLayer.relu(Double.POSITIVE_INFINITY, 0, 0), -2, 0.5, 3), Tolerance.FLOAT64);
        Approx.assertClose("leaky slope 0", new double[] {0, 0.5, 3}, relu(ActivationLayer.leakyRelu(0), -2, 0.5, 3),
                Tolerance.FLOAT64);
        assertThatThrownBy(() -> ActivationLayer.relu(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxValue is -1.0, expected >= 0 (or +Infinity for none)");
        assertThatThrownBy(() -> ActivationLayer.relu(6, -0.5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("negativeSlope is -0.5, expected a finite number >= 0");
        assertThatThrownBy(() -> ActivationLayer.leakyRelu(-0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("negativeSlope is -0.5, expected a finite number >= 0");
    }

    @Test
    void reluWithSlopeAndCapClipsBeforeSubtractingTheNegativePart() {
        // Keras: clip(relu(x), 0, 6) − 0.125·relu(−x) for x = [10, −2, 3]
        Approx.assertClose("cap and slope", new double[] {6, -0.25, 3},
                relu(ActivationLayer.relu(6, 0.125, 0), 10, -2, 3), Tolerance.FLOAT64);
        // threshold 1 with slope 0.125: x·(x > 1) − 0.125·relu(1 − x) for x = [0.5, 2, −1]
        Approx.assertClose("threshold and slope", new double[] {-0.0625, 2, -0.25},
                relu(ActivationLayer.relu(Double.POSITIVE_INFINITY, 0.125, 1), 0.5, 2, -1), Tolerance.FLOAT64);
        // no slope, no cap: the threshold itself is not above the threshold, so it maps to 0 (tf.greater)
        Approx.assertClose("at the threshold", new double[] {0, 2, 0},
                relu(ActivationLayer.relu(Double.POSITIVE_INFINITY, 0, 1.5), 1.5, 2, 1), Tolerance.FLOAT64);
        // slope alone is leaky_relu
        Approx.assertClose("leaky", new double[] {-0.25, 3},
                relu(ActivationLayer.relu(Double.POSITIVE_INFINITY, 0.125, 0), -2, 3), Tolerance.FLOAT64);
    }

    @Test
    void aSlopeAboveOneMultipliesNegativeInputsAsKerasDoes() {
        // Keras LeakyReLU: f(x) = negative_slope·x for x < 0, x for x >= 0 (keras/src/layers/activations/
        // leaky_relu.py; jax.nn.leaky_relu and torch's F.leaky_relu alike), not max(x, slope·x), which would give x
        Approx.assertClose("leaky slope 2", new double[] {-3, 0, 3},
                relu(ActivationLayer.leakyRelu(2), -1.5, 0, 3), Tolerance.FLOAT64);
        Approx.assertClose("relu slope 2", new double[] {-3, 0, 3},
                relu(ActivationLayer.relu(Double.POSITIVE_INFINITY, 2, 0), -1.5, 0, 3), Tolerance.FLOAT64);
    }

    @Test
    void softmaxOverFeaturesLeavesRowsOfNoFeaturesAlone() {
        List<Value> out = ActivationLayer.softmax(-1).apply(List.of(new Value.Sequence(new double[][] {{}, {}})));
        Value.Sequence s = (Value.Sequence) out.get(0);
        assertThat(s.steps()).hasDimensions(2, 0);
        List<Value> tanh = ActivationLayer.of(Activation.TANH).apply(List.of(new Value.Vector(new double[0])));
        assertThat(((Value.Vector) tanh.get(0)).values()).isEmpty();
    }

    @Test
    void softmaxOverAxisTwoNeedsASequence() {
        assertThatThrownBy(() -> ActivationLayer.softmax(2).outputShapes(List.of(Shape.vector(3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ActivationLayer input 0 has shape [3], expected a sequence [timeSteps][features] for axis 2");
        assertThat(ActivationLayer.softmax(2).outputShapes(List.of(Shape.sequence(4, 3))))
                .containsExactly(Shape.sequence(4, 3));
        assertThat(ActivationLayer.softmax(-1).outputShapes(List.of(Shape.vector(3))))
                .containsExactly(Shape.vector(3));
        assertThat(ActivationLayer.of(Activation.RELU).outputShapes(List.of(Shape.vector(3))))
                .containsExactly(Shape.vector(3));
    }
}
