package io.github.rnn4j.io;

import io.github.rnn4j.model.Model;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Loading a Keras model from a stream: the stream is read within {@link Limits#maxInflatedBytes()} (inclusive),
 * however the stream splits its reads, and the format is told from the first bytes.
 */
class KerasStreamTest {
    /** A stream that hands out at most {@code chunk} bytes a read, as sockets and decompressors do. */
    private static InputStream trickle(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @Test
    void aStreamOfExactlyTheLimitLoadsAndOneByteMoreIsRefused() throws IOException {
        Path file = KerasModelsTest.realFixtures().resolve("lstm_k122.h5");
        byte[] bytes = Files.readAllBytes(file);
        Model fromFile = KerasModels.load(file);
        Model exact = KerasModels.load(trickle(bytes, 1000), Limits.defaults().withMaxInflatedBytes(bytes.length));
        assertThat(exact.toString()).isEqualTo(fromFile.toString());
        assertThatThrownBy(() -> KerasModels.load(trickle(bytes, 1000),
                Limits.defaults().withMaxInflatedBytes(bytes.length - 1)))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessage("input stream: more than " + (bytes.length - 1) + " bytes; raise the limit with"
                        + " Limits.withMaxInflatedBytes if the model is this large");
    }

    @Test
    void theFirstBytesDecideTheFormat() {
        // The four bytes of a zip local header and nothing else: a damaged zip, not "not a Keras model".
        assertThatThrownBy(() -> KerasModels.load(new ByteArrayInputStream(new byte[] {'P', 'K', 3, 4})))
                .isInstanceOf(FileFormatException.class).hasMessageStartingWith("input stream")
                .hasMessageNotContaining("not a Keras model");
        assertThatThrownBy(() -> KerasModels.load(new ByteArrayInputStream(new byte[] {'P', 'K', 3})))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith("input stream: not a Keras model: neither a .keras zip archive nor an HDF5 file");
        assertThatThrownBy(() -> KerasModels.load(new ByteArrayInputStream(" {\"class_name\": 1}".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)))).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageContaining("it looks like JSON (model.to_json()): load it with"
                        + " KerasModels.load(architectureJson, weights)");
    }
}
