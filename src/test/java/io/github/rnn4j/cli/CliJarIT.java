package io.github.rnn4j.cli;

import io.github.rnn4j.testing.NestedLists;
import io.github.rnn4j.io.NumPy;
import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import static io.github.rnn4j.cli.Cli.fixture;
import static io.github.rnn4j.cli.Cli.real;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built {@code target/rnn4j-cli.jar} as a user runs it, {@code java -jar}, in its own JVM: run by failsafe in the
 * {@code integration-test} phase, after {@code package} has built the jar.
 */
class CliJarIT {
    static final Path JAR = Path.of("target", "rnn4j-cli.jar");

    @TempDir
    Path tmp;

    /** Exit status, standard output and standard error of {@code java -jar target/rnn4j-cli.jar args}. */
    private static String[] java(Object... args) throws IOException, InterruptedException {
        return javaWith(List.of(), args);
    }

    /** As {@link #java}, with JVM options before {@code -jar}. */
    private static String[] javaWith(List<String> jvmOptions, Object... args) throws IOException, InterruptedException {
        assertThat(JAR).as("mvn package builds it before the integration tests").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        for (Object a : args) {
            command.add(String.valueOf(a));
        }
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finishes", command).isTrue();
        return new String[] {Integer.toString(p.exitValue()), out, err.join()};
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void versionHelpAndHello() throws Exception {
        String[] version = java("--version");
        assertThat(version[0]).isEqualTo("0");
        assertThat(version[1]).startsWith("rnn4j 0.").doesNotContain("development");
        String[] hello = java("hello");
        assertThat(hello[0]).isEqualTo("0");
        assertThat(hello[1]).contains("predicted: e l l o <EOS>");
        String[] bad = java("hello", "he", "ll");
        assertThat(bad[0]).isEqualTo("2");
        assertThat(bad[1]).isEmpty();
        assertThat(bad[2]).startsWith("rnn4j hello: Unmatched argument at index 2: 'll'");
    }

    @Test
    void verifyKerasOwnPredictionsAndPredict() throws Exception {
        Path model = real("simple_rnn_k213.h5");
        String[] pass = java("verify", model, "--input", fixture("simple_rnn_k213_inputs.npy"), "--expected",
                fixture("simple_rnn_k213_predictions.npy"));
        assertThat(pass[0]).as(pass[2]).isEqualTo("0");
        assertThat(pass[1]).contains("PASS");
        String[] fail = java("verify", model, "--input", fixture("simple_rnn_k213_inputs.npy"), "--expected",
                fixture("simple_rnn_k213_predictions.npy"), "--atol", "1e-8");
        assertThat(fail[0]).isEqualTo("1");
        assertThat(fail[1]).contains("FAIL");
        String[] predict = java("predict", model, "-i", fixture("simple_rnn_k213_inputs.npy"), "-o",
                tmp.resolve("y.npz"), "--threads", "2");
        assertThat(predict[0]).as(predict[2]).isEqualTo("0");
        assertThat(Files.size(tmp.resolve("y.npz"))).isGreaterThan(200);
    }

    @Test
    void predictVerifyAndBenchRestartOnTheVectorBackendUnlessToldPlain() throws Exception {
        Path model = real("simple_rnn_k213.h5");
        Path x = fixture("simple_rnn_k213_inputs.npy");
        String[] auto = java("predict", model, "-i", x, "-o", tmp.resolve("v.npy"));
        assertThat(auto[0]).as(auto[2]).isEqualTo("0");
        assertThat(auto[1]).contains("(vector backend, float64); wrote");
        assertThat(auto[2]).as("the restarted JVM's own warning").contains("Using incubator modules: jdk.incubator.vector");
        String[] plain = java("predict", model, "-i", x, "-o", tmp.resolve("p.npy"), "--backend", "plain");
        assertThat(plain[0]).as(plain[2]).isEqualTo("0");
        assertThat(plain[1]).contains("(plain backend, float64); wrote");
        assertThat(plain[2]).isEmpty();
        // The exit status of the restarted JVM is the command's: 1 when verify fails.
        String[] fail = java("verify", model, "-i", x, "-e", fixture("simple_rnn_k213_predictions.npy"), "--atol",
                "1e-9", "--precision", "float32");
        assertThat(fail[0]).as(fail[2]).isEqualTo("1");
        assertThat(fail[1]).startsWith("ran on the vector backend, float32\n").contains("FAIL");
        String[] bench = java("bench", fixture("hello_k2.h5"), "--warmup", "1", "--calls", "2");
        assertThat(bench[0]).as(bench[2]).isEqualTo("0");
        assertThat(bench[1]).contains("ran on the vector backend, float64");
        // Started with the module: no restart (one warning, from this JVM), the vector backend.
        String[] given = javaWith(List.of("--add-modules", "jdk.incubator.vector"), "bench", fixture("hello_k2.h5"),
                "--warmup", "0", "--calls", "1");
        assertThat(given[0]).as(given[2]).isEqualTo("0");
        assertThat(given[1]).contains("ran on the vector backend");
        assertThat(given[2].split("Using incubator modules", -1)).hasSize(2);
    }

    @Test
    void aRestartedJvmWithoutTheModuleRunsPlainAndNeverLoops() throws Exception {
        List<String> restarted = List.of("-Drnn4j.cli.restarted=true");
        String[] auto = javaWith(restarted, "bench", fixture("hello_k2.h5"), "--warmup", "0", "--calls", "1");
        assertThat(auto[0]).as(auto[2]).isEqualTo("0");
        assertThat(auto[1]).contains("ran on the plain backend, float64");
        assertThat(auto[2]).contains("rnn4j: running on the plain backend: the restarted JVM still lacks the module"
                + " jdk.incubator.vector");
        String[] vector = javaWith(restarted, "bench", fixture("hello_k2.h5"), "--backend", "vector");
        assertThat(vector[0]).isEqualTo("2");
        assertThat(vector[2].strip().lines()).hasSize(1);
        assertThat(vector[2]).contains("--backend vector needs the JVM module jdk.incubator.vector");
    }

    @Test
    void errorsAreOneLineWithoutStackTrace() throws Exception {
        String[] missing = java("inspect", tmp.resolve("nope.keras"));
        assertThat(missing[0]).isEqualTo("2");
        assertThat(missing[2].strip().lines()).hasSize(1);
        assertThat(missing[2]).contains("FILE: file not found:").doesNotContain("\tat ");
        String[] threads = java("bench", fixture("hello_k2.h5"), "--threads", "-1");
        assertThat(threads[0]).isEqualTo("2");
        assertThat(threads[2]).contains("--threads is -1, expected at least 1");
    }

    @Test
    void generateStreams() throws Exception {
        String[] g = java("generate", fixture("hello_k2.h5"), "--vocab", fixture("hello_vocab.txt"), "--prompt", "h",
                "--temperature", "0", "--stop", "<EOS>");
        assertThat(g[0]).as(g[2]).isEqualTo("0");
        assertThat(g[1].strip()).isEqualTo("ello<EOS>");
    }

    @Test
    void jarHoldsTheLibraryTheCommandLineAndPicocliButTheLibraryJarHasNoCli() throws IOException {
        try (ZipFile cli = new ZipFile(JAR.toFile())) {
            assertThat(cli.getEntry("io/github/rnn4j/cli/Main.class")).isNotNull();
            assertThat(cli.getEntry("io/github/rnn4j/model/Model.class")).isNotNull();
            assertThat(cli.getEntry("picocli/CommandLine.class")).isNotNull();
            assertThat(cli.getEntry("module-info.class")).isNull();
        }
        try (var files = Files.list(Path.of("target"))) {
            Path library = files.filter(p -> p.getFileName().toString().matches("rnn4j-[0-9].*-SNAPSHOT\\.jar|rnn4j-[0-9.]+\\.jar"))
                    .findFirst().orElseThrow();
            try (ZipFile lib = new ZipFile(library.toFile())) {
                assertThat(lib.stream().filter(e -> e.getName().startsWith("io/github/rnn4j/cli/")
                        || e.getName().startsWith("picocli/"))).isEmpty();
                assertThat(lib.getEntry("io/github/rnn4j/model/Model.class")).isNotNull();
            }
        }
    }

    @Test
    void verifyAndGenerateOnAPyTorchStateDict() throws Exception {
        Map<String, Object> c = CliTorchTest.json("lstm_l2_bi.json");
        Path x = tmp.resolve("x.npy");
        NumPy.writeNpy(x, NestedLists.tensor(c.get("inputs")), NumPy.Dtype.FLOAT64);
        Map<String, Tensor> expected = new LinkedHashMap<>();
        for (String n : List.of("output", "h_n", "c_n")) {
            expected.put(n, NestedLists.tensor(c.get(n)));
        }
        Path y = tmp.resolve("y.npz");
        NumPy.writeNpz(y, expected, NumPy.Dtype.FLOAT64);
        String[] verify = java("verify", CliTorchTest.DIR.resolve("lstm_l2_bi.pt"), "--torch",
                "LSTM(3, 4, num_layers=2, bidirectional=True)", "-i", x, "-e", y, "--atol", "1e-12");
        assertThat(verify[0]).as(verify[2]).isEqualTo("0");
        assertThat(verify[1]).contains("output 'c_n' (3, 4, 4)").endsWith("PASS\n");
        String[] wrong = java("verify", CliTorchTest.DIR.resolve("lstm_l2_bi.pt"), "--torch", "LSTM(3, 4)", "-i", x,
                "-e", y);
        assertThat(wrong[0]).isEqualTo("2");
        assertThat(wrong[2]).contains("--torch module LSTM(3, 4)", "weight_ih_l0_reverse").doesNotContain("\tat ");
    }
}
