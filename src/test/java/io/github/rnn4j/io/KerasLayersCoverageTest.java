package io.github.rnn4j.io;

import io.github.rnn4j.layers.Layer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adding a layer means one layer class, one reader entry and one test: this test fails when a permitted layer class
 * has no Keras reader, or when the README's table of supported layers forgets a Keras class the loader reads.
 */
class KerasLayersCoverageTest {
    @Test
    void everyLayerClassHasAKerasReader() {
        Set<Class<?>> produced = new HashSet<>();
        for (String kerasClass : KerasLayers.supported()) {
            assertThat(KerasLayers.produces(kerasClass)).as(kerasClass).isNotEmpty();
            produced.addAll(KerasLayers.produces(kerasClass));
        }
        assertThat(Layer.class.getPermittedSubclasses()).isNotEmpty();
        for (Class<?> layer : Layer.class.getPermittedSubclasses()) {
            assertThat(produced).as("a Keras reader for " + layer.getSimpleName()).contains(layer);
        }
    }

    @Test
    void theReadmeListsEverySupportedKerasLayer() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<String> supported = List.copyOf(KerasLayers.supported());
        assertThat(supported).hasSizeGreaterThan(30);
        for (String kerasClass : supported) {
            assertThat(readme).as("README mentions " + kerasClass).contains("`" + kerasClass + "`");
        }
    }

    @Test
    void refusedLayersAreNamedWithAReason() {
        for (String refused : List.of("Lambda", "ConvLSTM2D", "Attention", "MultiHeadAttention")) {
            assertThat(KerasLayers.refusal(refused)).as(refused).isNotBlank();
            assertThat(KerasLayers.supported()).as(refused).doesNotContain(refused);
        }
    }
}
