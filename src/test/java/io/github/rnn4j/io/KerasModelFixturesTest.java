package io.github.rnn4j.io;

import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import io.github.rnn4j.testing.Tolerance;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keras-layout files written with h5py by tools/fixtures/gen_keras_models.py (Keras cannot be installed here): every
 * layer, config shape and file layout Keras writes, and files that must be refused. Expected outputs come from that
 * script's independent numpy float64 reference, cross-checked with PyTorch where a layer exists there.
 */
class KerasModelFixturesTest {
    private static final KerasFixtureCases SET = new KerasFixtureCases("keras_models");

    static List<Map<String, Object>> cases() {
        return SET.cases();
    }

    static Stream<Arguments> runnable() {
        return SET.runnable().map(c -> Arguments.of(c.get("file"), c));
    }

    static Stream<Arguments> refused() {
        return SET.refused().map(c -> Arguments.of(c.get("file"), c));
    }

    @Test
    void theFixtureSetIsComplete() {
        assertThat(runnable().count()).as("runnable cases").isEqualTo(52);
        assertThat(refused().count()).as("refused cases").isEqualTo(13);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runnable")
    @Timeout(30)
    void loadsAndMatchesTheReference(String name, Map<String, Object> c) throws IOException {
        KerasFixtureCases.matchesEverySample(SET.load(c), c, output -> Tolerance.FLOAT64);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    @Timeout(30)
    @SuppressWarnings("unchecked")
    void isRefusedNamingWhatIsWrong(String name, Map<String, Object> c) throws IOException {
        Map<String, Object> error = (Map<String, Object>) c.get("expect_error");
        Path file = SET.file(c);
        AbstractThrowableAssert<?, ? extends Throwable> check;
        if ("run".equals(error.get("when"))) {
            Model model = SET.load(c);
            Map<String, Tensor> in = KerasFixtureCases.tensors((Map<String, Object>) error.get("inputs"));
            assertThat(error.get("type")).isEqualTo("IllegalArgumentException");
            check = assertThatThrownBy(() -> model.run(in)).isExactlyInstanceOf(IllegalArgumentException.class);
        } else {
            Class<? extends Throwable> type = "UnsupportedFeatureException".equals(error.get("type"))
                    ? UnsupportedFeatureException.class : FileFormatException.class;
            // UnsupportedFeatureException is a FileFormatException: a damaged file may be refused as either.
            check = assertThatThrownBy(() -> SET.load(c)).isInstanceOf(type).hasMessageContaining(file.toString());
        }
        KerasFixtureCases.hasEveryPart(check, error);
    }
}
