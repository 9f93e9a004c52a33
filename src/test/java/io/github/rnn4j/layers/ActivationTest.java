package io.github.rnn4j.layers;

import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

import static io.github.rnn4j.testing.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Activation values from their definitions in keras/src/activations/activations.py and Keras 2's backend. */
class ActivationTest {

    @Test
    void softmaxIsStableForHugeLogits() {
        assertThat(Activation.SOFTMAX.apply(new double[] {1000, 0})).containsExactly(1.0, 0.0);
        double[] p = Activation.SOFTMAX.apply(new double[] {-1000, -1000});
        assertThat(p).containsExactly(0.5, 0.5);
    }

    @Test
    void softmaxOfSmallValuesMatchesTheDefinition() {
        double[] x = {1, 2, 3};
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertClose("softmax", new double[] {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z},
                Activation.SOFTMAX.apply(x), Tolerance.FLOAT64);
        assertThat(x).containsExactly(1, 2, 3);
    }

    @Test
    void theTwoHardSigmoidsDiffer() {
        // Keras 3: relu6(x + 3) / 6; Keras 2 and TF.js: clip(0.2x + 0.5, 0, 1).
        assertThat(Activation.HARD_SIGMOID.apply(1.5)).isEqualTo(0.75);
        assertThat(Activation.HARD_SIGMOID_KERAS2.apply(1.5)).isEqualTo(0.8);
        assertThat(Activation.HARD_SIGMOID.apply(2.6)).isCloseTo(0.9333333333333333, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(Activation.HARD_SIGMOID_KERAS2.apply(2.6)).isEqualTo(1.0);
        assertThat(Activation.HARD_SIGMOID.apply(-3.5)).isEqualTo(0.0);
        assertThat(Activation.HARD_SIGMOID_KERAS2.apply(-2.4)).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void elementwiseValues() {
        assertThat(Activation.RELU.apply(-2)).isEqualTo(0.0);
        assertThat(Activation.RELU.apply(2)).isEqualTo(2.0);
        assertThat(Activation.LINEAR.apply(-3.25)).isEqualTo(-3.25);
        assertThat(Activation.SIGMOID.apply(0)).isEqualTo(0.5);
        // 0 with the plain backend; the vector backend's exponential stops at the smallest normal, 1.2e-308.
        assertThat(Activation.SIGMOID.apply(-800)).isBetween(0.0, 1.3e-308);
        assertThat(Activation.SIGMOID.apply(800)).isEqualTo(1.0);
        assertThat(Activation.TANH.apply(0.0)).isEqualTo(0.0);
        assertThat(Activation.TANH.apply(-30)).isEqualTo(-1.0);
        assertThat(Activation.TANH.apply(400)).isEqualTo(1.0);
        assertThat(Activation.TANH.apply(Double.NaN)).isNaN();
    }

    @Test
    void tanhIsWithinARelative8em16OfMathTanhNearZeroAndFarFromIt() {
        for (int i = -400_000; i <= 400_000; i++) {
            double x = i * 5e-5;
            assertRelativelyClose(x);
        }
        for (double x = 1e-300; x < 30; x *= 1.01) {
            assertRelativelyClose(x);
            assertRelativelyClose(-x);
        }
    }

    private static void assertRelativelyClose(double x) {
        double want = Math.tanh(x);
        double got = Activation.TANH.apply(x);
        double err = want == 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
        // 6.5e-16 with the plain backend, 7.3e-16 with the vector one (near |x| = 0.5).
        if (err > 8e-16) {
            throw new AssertionError("tanh(" + x + "): relative error " + err + " > 8e-16");
        }
    }

    @Test
    void hardSigmoidIsKeras3sRelu6FormulaBitForBit() {
        java.util.Random rnd = new java.util.Random(6);
        for (int i = 0; i < 100_000; i++) {
            double x = (rnd.nextDouble() - 0.5) * 10;
            double keras = Math.min(6.0, Math.max(0.0, x + 3.0)) / 6.0;
            if (Activation.HARD_SIGMOID.apply(x) != keras) {
                throw new AssertionError("hard_sigmoid(" + x + ") = " + Activation.HARD_SIGMOID.apply(x) + ", Keras " + keras);
            }
        }
        assertThat(Activation.HARD_SIGMOID.apply(Double.NaN)).isNaN();
        assertThatThrownBy(() -> Activation.SOFTMAX.apply(new double[0])).isInstanceOf(IllegalArgumentException.class).hasMessage("x has shape [0], expected [n] with n >= 1");
    }

    @Test
    void kerasNamesMapToConstants() {
        assertThat(Activation.fromKerasName("hard_sigmoid", true)).isEqualTo(Activation.HARD_SIGMOID_KERAS2);
        assertThat(Activation.fromKerasName("hard_sigmoid", false)).isEqualTo(Activation.HARD_SIGMOID);
        assertThat(Activation.fromKerasName("tanh", false)).isEqualTo(Activation.TANH);
        assertThat(Activation.fromKerasName("gelu", false)).isEqualTo(Activation.GELU);
        assertThat(Activation.fromKerasName("silu", false)).isEqualTo(Activation.SWISH);
        assertThat(Activation.fromKerasName("swish", true)).isEqualTo(Activation.SWISH);
        assertThat(Activation.fromKerasName("hard_swish", false)).isEqualTo(Activation.HARD_SILU);
        assertThatThrownBy(() -> Activation.fromKerasName("sparsemax", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'sparsemax'")
                .hasMessageContaining("gelu");
    }

    @Test
    void oneNumberAndAWholeArrayGiveTheSameBits() {
        java.util.Random rnd = new java.util.Random(11);
        double[] x = new double[37];
        for (int round = 0; round < 200; round++) {
            for (int j = 0; j < x.length; j++) {
                x[j] = (rnd.nextDouble() - 0.5) * (round % 2 == 0 ? 2 : 40);
            }
            for (Activation a : Activation.values()) {
                if (!a.isElementwise()) {
                    continue;
                }
                double[] all = a.apply(x);
                for (int j = 0; j < x.length; j++) {
                    if (Double.doubleToRawLongBits(all[j]) != Double.doubleToRawLongBits(a.apply(x[j]))) {
                        throw new AssertionError(a + "(" + x[j] + "): array gives " + all[j] + ", scalar "
                                + a.apply(x[j]));
                    }
                }
            }
        }
    }

    @Test
    void softmaxOnOneNumberSaysToUseTheVectorForm() {
        assertThatThrownBy(() -> Activation.SOFTMAX.apply(1.0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apply(double[])");
    }
}
