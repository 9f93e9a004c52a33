package io.github.rnn4j.cli;

import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Precision;
import picocli.CommandLine.Option;

import java.util.OptionalInt;

/**
 * The options of the commands that run a model ({@code predict}, {@code verify}, {@code bench}): {@code --threads},
 * {@code --backend} and {@code --precision}. A picocli mixin.
 */
final class RunOptions {
    /** The values of {@code --backend}. */
    enum BackendOption {
        auto, plain, vector
    }

    /** The values of {@code --precision}. */
    enum PrecisionOption {
        float64, float32
    }

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "run the samples of each batch on N threads (default ${DEFAULT-VALUE}); the results are"
                    + " the same as on one thread")
    int threads;

    @Option(names = "--backend", defaultValue = "auto", paramLabel = "NAME",
            description = "kernel backend: ${COMPLETION-CANDIDATES}. auto (default): vector when the JVM can provide"
                    + " it, restarting the JVM with --add-modules jdk.incubator.vector when started without it;"
                    + " plain otherwise")
    BackendOption backend;

    @Option(names = "--precision", defaultValue = "float64", paramLabel = "P",
            description = "weights and matrix products in ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE});"
                    + " float32 is Keras's own arithmetic, within 1e-5 of float64")
    PrecisionOption precision;

    /**
     * Chooses the backend before any model computes (see {@link Backends#select}); returns the exit status of the
     * restarted JVM when the command ran there, empty when it runs here.
     */
    OptionalInt selectBackend(Context context) {
        return Backends.select(backend, context);
    }

    /** The model in the precision asked for. */
    Model apply(Model m) {
        return m.withPrecision(precision == PrecisionOption.float32 ? Precision.FLOAT32 : Precision.FLOAT64);
    }

    /**
     * The backend that ran, checked against {@code --backend}: {@code "vector backend, float64"}.
     *
     * @throws UsageException when {@code --backend} named one and this JVM had already chosen the other
     */
    String describe() {
        String active = Model.backend();
        if (backend != BackendOption.auto && !active.equals(backend.name())) {
            throw new UsageException("--backend is " + backend + ", but this JVM already runs the " + active
                    + " backend (chosen once per JVM, by -Drnn4j.backend and --add-modules jdk.incubator.vector)");
        }
        return active + " backend, " + precision;
    }
}
