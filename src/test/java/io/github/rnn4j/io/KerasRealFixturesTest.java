package io.github.rnn4j.io;

import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files saved by real Keras 3.15.1 (TensorFlow 2.21 backend) with tools/fixtures/gen_keras_real.py: every layer and
 * option of the loader as `.keras`, legacy `.h5` and `to_json()` + `.weights.h5`, with Keras's own float64
 * outputs (the saved float32 weights widened, the model rebuilt with a float64 policy and called by Keras).
 *
 * <p>Tolerance: 1e-12, except where Keras's float64 run itself rounds a constant to float32 (TensorFlow casts a
 * Python float through a float32 tensor: gelu's 1/√2, leaky_relu's slope, ReLU's threshold and max_value); the
 * generator lists each such output with its measured effect (at most 2.4e-8), and those are held to
 * {@link #KERAS_FLOAT32_CONSTANTS}. rnn4j uses the exact constants.
 */
class KerasRealFixturesTest {
    /** For outputs where Keras's own float64 run used a float32-rounded constant (measured effect up to 2.4e-8). */
    static final Tolerance KERAS_FLOAT32_CONSTANTS = new Tolerance(1e-7, 0.0);

    private static final KerasFixtureCases SET = new KerasFixtureCases("keras_real");

    static Stream<Arguments> runnable() {
        return SET.runnable().map(c -> Arguments.of(c.get("file") + " (" + c.get("format") + ")", c));
    }

    static Stream<Arguments> refused() {
        return SET.refused().map(c -> Arguments.of(c.get("file"), c));
    }

    @Test
    void theFixtureSetIsComplete() {
        assertThat(runnable().count()).as("runnable cases").isEqualTo(70);
        assertThat(refused().count()).as("refused cases").isEqualTo(5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runnable")
    @Timeout(60)
    @SuppressWarnings("unchecked")
    void loadsAndMatchesKeras(String name, Map<String, Object> c) throws IOException {
        Map<String, Object> checks = (Map<String, Object>) c.getOrDefault("checks", Map.of());
        Map<String, Object> roundedConstants = (Map<String, Object>) checks.getOrDefault("keras_float32_constants",
                Map.of());
        KerasFixtureCases.matchesEverySample(SET.load(c), c, output -> roundedConstants.containsKey(output)
                ? KERAS_FLOAT32_CONSTANTS : Tolerance.FLOAT64);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    @Timeout(30)
    @SuppressWarnings("unchecked")
    void isRefusedNamingTheLayer(String name, Map<String, Object> c) {
        Map<String, Object> error = (Map<String, Object>) c.get("expect_error");
        KerasFixtureCases.hasEveryPart(assertThatThrownBy(() -> SET.load(c))
                .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining(SET.file(c).toString()), error);
    }
}
