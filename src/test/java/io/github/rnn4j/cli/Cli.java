package io.github.rnn4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** One run of the command line in-process: its exit status, standard output and standard error. */
final class Cli {
    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures", "cli");
    static final Path REAL = Path.of("..", "shared", "fixtures", "keras");

    final int status;
    final String out;
    final String err;

    private Cli(int status, String out, String err) {
        this.status = status;
        this.out = out;
        this.err = err;
    }

    static Cli run(Object... args) {
        String[] a = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            a[i] = String.valueOf(args[i]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(a, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A real Keras file of ../shared/fixtures/keras: skipped when the folder is absent, failed when CI is set. */
    static Path real(String name) {
        if (!Files.isDirectory(REAL)) {
            if (System.getenv("CI") != null) {
                fail("../shared/fixtures/keras is absent and CI is set: the real Keras files are required");
            }
            assumeTrue(false, "../shared/fixtures/keras is absent: skipping the real Keras files");
        }
        return REAL.resolve(name);
    }

    static Path fixture(String name) {
        return FIXTURES.resolve(name);
    }

    @Override
    public String toString() {
        return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
    }
}
