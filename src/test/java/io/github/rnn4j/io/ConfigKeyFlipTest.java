package io.github.rnn4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Config strictness against the keys real Keras versions write (issue 12): in every legacy {@code .h5} of the real
 * fixture sets ({@code ../shared/fixtures/keras}, saved by Keras 1.2.2 through 3.x, and {@code fixtures/keras_real},
 * Keras 3.15.1), each key of each layer's {@code config}, one at a time, gets its first byte changed to {@code '{'}
 * in the file, as the issue's {@code return_sequences} → {@code {eturn_sequences} flip. The loader must refuse every
 * such file with a {@link FileFormatException} naming the file: a key it does not know is never ignored, and a key it
 * needs is never silently defaulted. The undamaged files load (their keys are all on the allow-lists).
 *
 * <p>Legacy HDF5 files keep {@code model_config} as plain text in a version 1 object header, which carries no
 * checksum, so the loader is the only guard. ({@code .keras} files are zips: the CRC-32 of {@code config.json} refuses
 * any flip, see {@code ZipArchiveTest}.)
 */
class ConfigKeyFlipTest {
    private static final Path KERAS_REAL = Resources.fixture("keras_real/expected.json").getParent();

    @TempDir
    Path tmp;

    @Test
    @Timeout(600)
    void everyFlippedLayerConfigKeyInARealFileIsRefused() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(KerasModelsTest.realFixtures())) {
            s.filter(p -> p.toString().endsWith(".h5")).sorted().forEach(files::add);
        }
        try (Stream<Path> s = Files.list(KERAS_REAL)) {
            s.filter(p -> p.toString().endsWith(".h5") && !p.toString().endsWith(".weights.h5")).sorted()
                    .forEach(files::add);
        }
        int models = 0;
        int flips = 0;
        Map<String, Set<String>> keysByClass = new LinkedHashMap<>();
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            String config;
            try (Hdf5File h5 = Hdf5File.open(bytes, file.toString())) {
                if (!h5.root().hasAttribute("model_config")) {
                    continue; // weights only
                }
                config = h5.root().attribute("model_config").string();
            }
            KerasModels.load(file); // the undamaged file loads
            models++;
            byte[] text = config.getBytes(StandardCharsets.UTF_8);
            int base = indexOf(bytes, text, 0);
            assertThat(base).as("%s: model_config stored as plain text", file).isGreaterThanOrEqualTo(0);
            for (LayerKey key : new ConfigWalker(config).layerKeys()) {
                keysByClass.computeIfAbsent(key.layerClass, c -> new TreeSet<>()).add(key.name);
                byte[] damaged = bytes.clone();
                int at = base + config.substring(0, key.at).getBytes(StandardCharsets.UTF_8).length;
                assertThat((char) damaged[at]).isEqualTo(key.name.charAt(0));
                damaged[at] = '{';
                String flipped = "{" + key.name.substring(1);
                Path broken = tmp.resolve(file.getFileName() + ".flip");
                Files.write(broken, damaged);
                Throwable t = catchThrowable(() -> KerasModels.load(broken));
                assertThat(t).as("%s with the %s key '%s' of a %s changed to '%s' must be refused", file,
                        key.layerClass, key.name, key.layerClass, flipped).isInstanceOf(FileFormatException.class)
                        .hasMessageContaining(broken.toString());
                flips++;
            }
        }
        assertThat(models).as("legacy .h5 models").isEqualTo(34);
        assertThat(keysByClass).as("layer classes seen").containsKeys("LSTM", "GRU", "SimpleRNN", "Dense",
                "Embedding", "Bidirectional", "Masking");
        assertThat(flips).as("flipped keys").isEqualTo(2868);
    }

    /**
     * A flip that still makes an identifier ({@code xeturn_sequences}) may be an option newer than rnn4j: refused
     * as unsupported, naming the key and both readings; one that does not ({@code {eturn_sequences}) is damage.
     */
    @Test
    void anUnknownIdentifierIsUnsupportedAndANonIdentifierIsDamage() throws IOException {
        byte[] bytes = Files.readAllBytes(KerasModelsTest.realFixtures().resolve("masking_lstm_k220.h5"));
        int at = indexOf(bytes, "\"return_sequences\"".getBytes(StandardCharsets.US_ASCII), 0) + 1;
        bytes[at] = 'x';
        Path newer = tmp.resolve("newer_option.h5");
        Files.write(newer, bytes);
        assertThatThrownBy(() -> KerasModels.load(newer)).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessageStartingWith(newer.toString())
                .hasMessageContaining("layer 'lstm_1' (LSTM): unknown configuration key 'xeturn_sequences'; a damaged"
                        + " file or an option rnn4j does not know");
        bytes[at] = '~';
        Path damaged = tmp.resolve("damaged_key.h5");
        Files.write(damaged, bytes);
        assertThatThrownBy(() -> KerasModels.load(damaged)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(damaged.toString())
                .hasMessageContaining("damaged configuration key '~eturn_sequences'");
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A key of a layer's {@code config} object: its name, its offset in the JSON text, and the layer's class. */
    private record LayerKey(int at, String name, String layerClass) {
    }

    /**
     * A small JSON reader that keeps where each object key starts, and walks a Keras model config to the layer
     * entries ({@code {"class_name", "config"}} in a {@code layers} list, a Keras 1 bare list, or under
     * {@code layer}, {@code forward_layer}, {@code backward_layer}), nested models included.
     */
    private static final class ConfigWalker {
        private final String s;
        private int i;

        ConfigWalker(String s) {
            this.s = s;
        }

        /** A parsed object: members in order, and the offset of each key's first character. */
        private record Obj(Map<String, Object> members, Map<String, Integer> keyAt) {
        }

        List<LayerKey> layerKeys() {
            i = 0;
            Object root = value();
            List<LayerKey> out = new ArrayList<>();
            model((Obj) root, out);
            return out;
        }

        private void model(Obj entry, List<LayerKey> out) {
            Object config = entry.members.get("config");
            List<?> layers = config instanceof List ? (List<?>) config
                    : config instanceof Obj && ((Obj) config).members.get("layers") instanceof List
                    ? (List<?>) ((Obj) config).members.get("layers") : List.of();
            for (Object layer : layers) {
                if (layer instanceof Obj) {
                    layer((Obj) layer, out);
                }
            }
        }

        private void layer(Obj entry, List<LayerKey> out) {
            Object cls = entry.members.get("class_name");
            Object config = entry.members.get("config");
            if (!(cls instanceof String) || !(config instanceof Obj)) {
                return;
            }
            Obj c = (Obj) config;
            for (Map.Entry<String, Integer> k : c.keyAt.entrySet()) {
                out.add(new LayerKey(k.getValue(), k.getKey(), (String) cls));
            }
            if (c.members.get("layers") instanceof List) {
                model(entry, out);
            }
            for (String inner : List.of("layer", "forward_layer", "backward_layer")) {
                if (c.members.get(inner) instanceof Obj) {
                    layer((Obj) c.members.get(inner), out);
                }
            }
        }

        private Object value() {
            skip();
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> members = new LinkedHashMap<>();
                Map<String, Integer> keyAt = new LinkedHashMap<>();
                skip();
                if (s.charAt(i) == '}') {
                    i++;
                    return new Obj(members, keyAt);
                }
                while (true) {
                    skip();
                    int at = i + 1;
                    String key = string();
                    skip();
                    expect(':');
                    members.put(key, value());
                    keyAt.put(key, at);
                    skip();
                    if (s.charAt(i) == ',') {
                        i++;
                    } else {
                        expect('}');
                        return new Obj(members, keyAt);
                    }
                }
            }
            if (c == '[') {
                i++;
                List<Object> items = new ArrayList<>();
                skip();
                if (s.charAt(i) == ']') {
                    i++;
                    return items;
                }
                while (true) {
                    items.add(value());
                    skip();
                    if (s.charAt(i) == ',') {
                        i++;
                    } else {
                        expect(']');
                        return items;
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            int start = i;
            while (i < s.length() && ",]} \n\r\t".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            return s.substring(start, i);
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (s.charAt(i) != '"') {
                if (s.charAt(i) == '\\') {
                    b.append(s.charAt(i + 1));
                    i += 2;
                } else {
                    b.append(s.charAt(i++));
                }
            }
            i++;
            return b.toString();
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalStateException("expected '" + c + "' at " + i + " of the config");
            }
            i++;
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
