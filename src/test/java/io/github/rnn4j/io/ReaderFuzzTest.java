package io.github.rnn4j.io;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Jazzer fuzz tests of every file reader (and of the zip reader alone, and of the whole Keras loader): any input must end in a result or a {@link FileFormatException} (which
 * includes {@link UnsupportedFeatureException}); any other exception or error is a finding.
 *
 * <p>In a plain {@code mvn verify} each target replays its committed corpus
 * ({@code src/test/resources/io/github/rnn4j/io/ReaderFuzzTestInputs/<target>/}: real fixtures, the hostile files
 * and every past finding). To fuzz one target: {@code JAZZER_FUZZ=1 mvn test -Dtest='ReaderFuzzTest#hdf5'}
 * (see docs/fuzzing.md). Limits are small so that each input runs fast and within a 256 MB heap.
 */
class ReaderFuzzTest {
    static final Limits LIMITS = Limits.defaults().withMaxTensorBytes(16 << 20).withMaxTotalTensorBytes(32 << 20)
            .withMaxInflatedBytes(32 << 20).withMaxJsonBytes(1 << 20).withMaxJsonEntries(100_000);

    /** Runs a read; a FileFormatException is an accepted outcome, anything else escapes to Jazzer. */
    private static void accept(Read read) throws IOException {
        try {
            read.run();
        } catch (FileFormatException expected) {
            if (expected.getMessage() == null || !expected.getMessage().startsWith("fuzz")) {
                throw new AssertionError("a FileFormatException must name the file first: "
                        + expected.getMessage(), expected);
            }
        }
    }

    @FunctionalInterface
    private interface Read {
        void run() throws IOException;
    }

    @FuzzTest(maxDuration = "10m")
    void npy(byte[] data) throws IOException {
        accept(() -> NumPy.readNpyArray(data, "fuzz.npy", LIMITS).requireFinite());
    }

    @FuzzTest(maxDuration = "10m")
    void npz(byte[] data) throws IOException {
        accept(() -> NumPy.readNpzArrays(data, "fuzz.npz", LIMITS));
    }

    @FuzzTest(maxDuration = "10m")
    void zip(byte[] data) throws IOException {
        accept(() -> {
            try (ZipArchive zip = ZipArchive.open(data, "fuzz.zip", LIMITS)) {
                for (ZipArchive.Entry e : zip.entries()) {
                    zip.read(e);
                }
            }
        });
    }

    @FuzzTest(maxDuration = "10m")
    void safetensors(byte[] data) throws IOException {
        accept(() -> Safetensors.readArrays(data, "fuzz.safetensors", LIMITS));
    }

    @FuzzTest(maxDuration = "10m")
    void json(byte[] data) throws IOException {
        accept(() -> Json.parse(new String(data, StandardCharsets.UTF_8), "fuzz.json", LIMITS));
    }

    /**
     * The whole Keras loader on a {@code .h5} or {@code .keras} image: the zip or HDF5 reader, the JSON config, every
     * layer reader with its key allow-list, the weight layouts and shapes. Its messages start with the stream's
     * name.
     */
    @FuzzTest(maxDuration = "10m")
    void keras(byte[] data) throws IOException {
        try {
            KerasModels.load(new java.io.ByteArrayInputStream(data), LIMITS);
        } catch (FileFormatException expected) {
            if (expected.getMessage() == null || !expected.getMessage().startsWith("input stream")) {
                throw new AssertionError("a FileFormatException must name the source first: "
                        + expected.getMessage(), expected);
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void hdf5(byte[] data) throws IOException {
        accept(() -> readEverything(data));
    }

    /** Opens an HDF5 image and reads every group, attribute and dataset reachable from the root. */
    static void readEverything(byte[] data) throws IOException {
        try (Hdf5File h5 = Hdf5File.open(data, "fuzz.h5", LIMITS)) {
            List<Hdf5File.Node> todo = new ArrayList<>(List.of(h5.root()));
            for (int i = 0; i < todo.size() && i < 200; i++) {
                Hdf5File.Node n = todo.get(i);
                for (String name : List.of("model_config", "note", "vlen_scalar", "weight_names", "layer_names")) {
                    if (n.hasAttribute(name)) {
                        Hdf5Attribute a = n.attribute(name);
                        if (a.type.isString()) {
                            a.strings();
                        } else {
                            a.tensor();
                        }
                    }
                }
                if (n.isDataset()) {
                    n.datasetInfo();
                    n.readArray();
                } else {
                    for (String c : n.children()) {
                        todo.add(n.child(c));
                    }
                }
            }
        }
    }
}
