package io.github.rnn4j.cli;

import io.github.rnn4j.model.Model;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static io.github.rnn4j.cli.Cli.fixture;
import static io.github.rnn4j.cli.Cli.real;
import static io.github.rnn4j.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code --backend} and {@code --precision}, and the restart on the vector backend ({@link Backends}) with a
 * launcher that records the command instead of starting it. The real restart is tested as {@code java -jar} in
 * {@link CliJarIT}.
 */
class CliBackendTest {
    /** The backend of this test JVM, as the build configured it (surefire sets it; plain by default). */
    private static final String JVM_BACKEND = System.getProperty("rnn4j.expectBackend", "plain");

    @TempDir
    Path tmp;

    private String property;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void saveProperty() {
        property = System.getProperty("rnn4j.backend");
    }

    @AfterEach
    void restoreProperty() {
        if (property == null) {
            System.clearProperty("rnn4j.backend");
        } else {
            System.setProperty("rnn4j.backend", property);
        }
    }

    private Context context(Backends.Jvm jvm) {
        return new Context(new PrintWriter(out, true), new PrintWriter(err, true), false, jvm);
    }

    private static Backends.Jvm jvm(boolean loaded, boolean inRuntime, boolean restarted, Backends.Launcher launcher) {
        return new Backends.Jvm(loaded, inRuntime, restarted, Optional.of("/opt/jdk/bin/java"), List.of("-Xmx1g"),
                "/x/rnn4j-cli.jar", List.of("verify", "m.h5", "--input", "x.npy"), launcher);
    }

    private static final Backends.Launcher NEVER = command -> {
        fail("no restart expected, got %s", command);
        return -1;
    };

    @Test
    void withoutTheModuleTheCommandRestartsTheSameJavaWithItAndReturnsItsStatus() {
        List<List<String>> launched = new ArrayList<>();
        OptionalInt status = Backends.select(RunOptions.BackendOption.auto,
                context(jvm(false, true, false, command -> {
                    launched.add(command);
                    return 1;
                })));
        assertThat(status).hasValue(1);
        assertThat(launched).containsExactly(List.of("/opt/jdk/bin/java", "-Xmx1g", "--add-modules",
                "jdk.incubator.vector", "-Drnn4j.backend=vector", "-Drnn4j.cli.restarted=true", "-cp",
                "/x/rnn4j-cli.jar", "io.github.rnn4j.cli.Main", "verify", "m.h5", "--input", "x.npy"));
        OptionalInt forced = Backends.select(RunOptions.BackendOption.vector,
                context(jvm(false, true, false, command -> 0)));
        assertThat(forced).hasValue(0);
    }

    @Test
    void aRestartedJvmNeverRestartsAgain() {
        OptionalInt status = Backends.select(RunOptions.BackendOption.auto, context(jvm(false, true, true, NEVER)));
        assertThat(status).isEmpty();
        assertThat(err.toString()).contains("rnn4j: running on the plain backend: the restarted JVM still lacks the"
                + " module jdk.incubator.vector");
        assertThat(System.getProperty("rnn4j.backend")).isEqualTo("plain");
        assertThatThrownBy(() -> Backends.select(RunOptions.BackendOption.vector, context(jvm(false, true, true, NEVER))))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--backend vector needs the JVM module jdk.incubator.vector")
                .hasMessageContaining("use --backend plain");
    }

    @Test
    void aFailedRestartFallsBackToPlainAndSaysSo() {
        Backends.Launcher broken = command -> {
            throw new IOException("Cannot run program \"/opt/jdk/bin/java\": error=2, No such file or directory");
        };
        OptionalInt status = Backends.select(RunOptions.BackendOption.auto, context(jvm(false, true, false, broken)));
        assertThat(status).isEmpty();
        assertThat(err.toString()).contains("rnn4j: running on the plain backend: restarting the JVM with"
                + " --add-modules jdk.incubator.vector failed: Cannot run program");
        assertThatThrownBy(() -> Backends.select(RunOptions.BackendOption.vector,
                context(jvm(false, true, false, broken)))).isInstanceOf(UsageException.class)
                .hasMessageContaining("--backend vector").hasMessageContaining("failed: Cannot run program");
    }

    @Test
    void aRuntimeWithoutTheModuleIsNotRestarted() {
        assertThat(Backends.select(RunOptions.BackendOption.auto, context(jvm(false, false, false, NEVER)))).isEmpty();
        assertThat(err.toString()).contains("has no module jdk.incubator.vector");
        assertThatThrownBy(() -> Backends.select(RunOptions.BackendOption.vector,
                context(jvm(false, false, false, NEVER)))).isInstanceOf(UsageException.class)
                .hasMessageContaining("has no module jdk.incubator.vector");
    }

    @Test
    void withoutAClassPathTheCommandIsNotRestarted() {
        Backends.Jvm modulePath = new Backends.Jvm(false, true, false, Optional.of("/opt/jdk/bin/java"), List.of(), "",
                List.of("bench", "m.h5"), NEVER);
        assertThat(Backends.select(RunOptions.BackendOption.auto, context(modulePath))).isEmpty();
        assertThat(err.toString()).contains("running on the plain backend: the class path is empty");
    }

    @Test
    void plainOrALoadedModuleNeverRestarts() {
        assertThat(Backends.select(RunOptions.BackendOption.plain, context(jvm(false, true, false, NEVER)))).isEmpty();
        assertThat(System.getProperty("rnn4j.backend")).isEqualTo("plain");
        assertThat(Backends.select(RunOptions.BackendOption.auto, context(jvm(true, true, false, NEVER)))).isEmpty();
        assertThat(Backends.select(RunOptions.BackendOption.vector, context(jvm(true, true, false, NEVER)))).isEmpty();
        assertThat(System.getProperty("rnn4j.backend")).isEqualTo("vector");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void inProcessTheCommandNeverRestarts() {
        assertThat(Backends.select(RunOptions.BackendOption.auto, context(jvm(false, true, false, null)))).isEmpty();
        assertThat(err.toString()).as("in-process runs say nothing on standard error").isEmpty();
    }

    @Test
    void jvmOptionsFromTheEnvironmentADebuggerAndTheBackendAreNotPassedOn() {
        assertThat(Backends.passOn(List.of("-Xmx2g", "-Dfoo=1", "-agentlib:jdwp=transport=dt_socket,address=5005",
                "-Drnn4j.backend=plain", "-Drnn4j.cli.restarted=false", "-Xss4m", "-XX:+UseSerialGC"),
                " -Xss4m  ", null, "-XX:+UseSerialGC")).containsExactly("-Xmx2g", "-Dfoo=1");
    }

    @Test
    void predictVerifyAndBenchSayWhichBackendAndPrecisionRan() {
        Path model = real("simple_rnn_k213.h5");
        Cli verify = run("verify", model, "-i", fixture("simple_rnn_k213_inputs.npy"), "-e",
                fixture("simple_rnn_k213_predictions.npy"), "--precision", "float32");
        assertThat(verify.status).as("%s", verify).isZero();
        assertThat(verify.out).startsWith("ran on the " + JVM_BACKEND + " backend, float32\n").contains("PASS");
        assertThat(Model.backend()).isEqualTo(JVM_BACKEND);
        Cli predict = run("predict", model, "-i", fixture("simple_rnn_k213_inputs.npy"), "-o", tmp.resolve("y.npy"));
        assertThat(predict.status).as("%s", predict).isZero();
        assertThat(predict.out).contains("on 1 thread (" + JVM_BACKEND + " backend, float64); wrote");
        Cli bench = run("bench", fixture("hello_k2.h5"), "--warmup", "0", "--calls", "2", "--precision", "float32",
                "--backend", JVM_BACKEND);
        assertThat(bench.status).as("%s", bench).isZero();
        assertThat(bench.out).contains("ran on the " + JVM_BACKEND + " backend, float32\n");
    }

    @Test
    void float32PrecisionGivesKerasFloat32ResultsNotTheFloat64Ones() throws IOException {
        Path model = real("simple_rnn_k213.h5");
        Path x = fixture("simple_rnn_k213_inputs.npy");
        assertThat(run("predict", model, "-i", x, "-o", tmp.resolve("f64.npy")).status).isZero();
        assertThat(run("predict", model, "-i", x, "-o", tmp.resolve("f32.npy"), "--precision", "float32").status)
                .isZero();
        double[] f64 = io.github.rnn4j.io.NumPy.readNpy(tmp.resolve("f64.npy")).data();
        double[] f32 = io.github.rnn4j.io.NumPy.readNpy(tmp.resolve("f32.npy")).data();
        assertThat(f32).isNotEqualTo(f64);
        double[] keras = io.github.rnn4j.io.NumPy.readNpy(fixture("simple_rnn_k213_predictions.npy")).data();
        for (int i = 0; i < keras.length; i++) {
            assertThat(Math.abs(f32[i] - keras[i])).as("sample %d", i).isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void aBackendThisJvmCannotRunIsAUsageError() {
        String other = JVM_BACKEND.equals("plain") ? "vector" : "plain";
        Cli c = run("predict", real("simple_rnn_k213.h5"), "-i", fixture("simple_rnn_k213_inputs.npy"), "-o",
                tmp.resolve("y.npy"), "--backend", other);
        assertThat(c.status).as("%s", c).isEqualTo(2);
        assertThat(c.err.strip().lines()).hasSize(1);
        assertThat(c.err).contains("--backend");
        Cli bad = run("bench", fixture("hello_k2.h5"), "--backend", "gpu");
        assertThat(bad.status).isEqualTo(2);
        assertThat(bad.err).contains("--backend", "gpu", "auto, plain, vector");
        Cli precision = run("bench", fixture("hello_k2.h5"), "--precision", "float16");
        assertThat(precision.status).isEqualTo(2);
        assertThat(precision.err).contains("--precision", "float16", "float64, float32");
    }
}
