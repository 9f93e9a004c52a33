package io.github.rnn4j.cli;

import io.github.rnn4j.io.NumPy;
import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.github.rnn4j.cli.Cli.fixture;
import static io.github.rnn4j.cli.Cli.real;
import static io.github.rnn4j.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad inputs of the issue: each gives exit status 2 and one line on standard error that names the argument or
 * file and what was expected, without a stack trace (unless --debug), and nothing on standard output.
 */
class CliBadInputTest {
    @TempDir
    Path tmp;

    /** Asserts status 2, nothing on standard output, and one error line (plus picocli's hint) containing the parts. */
    private static void refused(Cli c, String... parts) {
        assertThat(c.status).as("%s", c).isEqualTo(2);
        assertThat(c.out).as("%s", c).isEmpty();
        String first = c.err.lines().findFirst().orElse("");
        assertThat(first).as("%s", c).startsWith("rnn4j").contains(parts);
        assertThat(c.err).as("%s", c).doesNotContain("\tat ", "Exception");
    }

    private Path x() {
        return fixture("simple_rnn_k213_inputs.npy");
    }

    @Test
    void missingFiles() {
        refused(run("inspect", tmp.resolve("nope.h5")), "FILE: file not found:", "nope.h5");
        refused(run("predict", tmp.resolve("nope.keras"), "-i", x(), "-o", tmp.resolve("y.npy")),
                "MODEL: file not found:", "nope.keras");
        refused(run("predict", real("simple_rnn_k213.h5"), "-i", tmp.resolve("x.npy"), "-o", tmp.resolve("y.npy")),
                "--input: file not found:", "x.npy");
        refused(run("verify", real("simple_rnn_k213.h5"), "-i", x(), "-e", tmp.resolve("y.npy")),
                "--expected: file not found:", "y.npy");
        refused(run("generate", fixture("hello_k2.h5"), "--vocab", tmp.resolve("v.txt"), "--prompt", "h"),
                "--vocab: file not found:", "v.txt");
        refused(run("predict", real("simple_rnn_k213.h5"), "-i", x(), "-o", tmp.resolve("no/such/dir/y.npy")),
                "--output: directory not found:");
    }

    @Test
    void filesOfTheWrongFormat() throws IOException {
        Path text = write("model.h5", "this is not a model\n");
        refused(run("inspect", text), "model.h5", "not a Keras model");
        refused(run("predict", text, "-i", x(), "-o", tmp.resolve("y.npy")), "model.h5", "not a Keras model");
        Path badNpy = write("x.npy", "not numpy at all");
        refused(run("predict", real("simple_rnn_k213.h5"), "-i", badNpy, "-o", tmp.resolve("y.npy")), "x.npy",
                "not a NumPy .npy file");
        refused(run("predict", real("simple_rnn_k213.h5"), "-i", write("x.txt", "1\n"), "-o", tmp.resolve("y.npy")),
                "--input:", "x.txt", "extension 'txt'", "expected .npy, .npz, .csv or .jsonl");
        refused(run("predict", real("simple_rnn_k213.h5"), "-i", x(), "-o", tmp.resolve("y.xlsx")),
                "--output:", "extension 'xlsx'");
    }

    @Test
    void inputShapeThatDoesNotFitTheModelSaysWhatTheModelExpects() throws IOException {
        Path wrong = tmp.resolve("x.npy");
        NumPy.writeNpy(wrong, Tensor.of(new int[] {4, 1, 3}, new double[12]), NumPy.Dtype.FLOAT64);
        refused(run("predict", real("simple_rnn_k213.h5"), "-i", wrong, "-o", tmp.resolve("y.npy")),
                "--input:", "x.npy", "input 'simple_rnn_1_input' has shape (4, 1, 3)",
                "the model expects (batch, 1, 1) of float");
        Path noBatch = tmp.resolve("one.npy");
        NumPy.writeNpy(noBatch, Tensor.of(new int[] {1, 1}, new double[1]), NumPy.Dtype.FLOAT64);
        refused(run("predict", real("simple_rnn_k213.h5"), "-i", noBatch, "-o", tmp.resolve("y.npy")),
                "has shape (1, 1)", "the batch axis comes first");
    }

    @Test
    void inputDtypeThatDoesNotFitTheModel() throws IOException {
        Path fractional = tmp.resolve("ids.npy");
        double[] ids = new double[2 * 500];
        ids[500 + 3] = 2.5;
        NumPy.writeNpy(fractional, Tensor.of(new int[] {2, 500}, ids), NumPy.Dtype.FLOAT64);
        refused(run("predict", real("embed_mask_gru_k3132.keras"), "-i", fractional, "-o", tmp.resolve("y.npy")),
                "takes token ids (whole numbers >= 0)", "sample 1, step 3 is 2.5");
    }

    @Test
    void npzWithoutTheInputName() throws IOException {
        Path npz = tmp.resolve("x.npz");
        NumPy.writeNpz(npz, Map.of("input_layer", Tensor.of(new int[] {1, 12, 1}, new double[12])),
                NumPy.Dtype.FLOAT64);
        refused(run("predict", real("gru_func_twoinput_k38.keras"), "-i", npz, "-o", tmp.resolve("y.npz")),
                "--input:", "x.npz", "has no array 'input_layer_1'", "it holds [input_layer]",
                "expected one array per model input [input_layer, input_layer_1]");
    }

    @Test
    void csvRowsOfUnequalLength() throws IOException {
        Path csv = write("x.csv", "0.1\n0.2\n0.3,0.4\n");
        refused(run("predict", real("simple_rnn_k213.h5"), "-i", csv, "-o", tmp.resolve("y.npy")),
                "--input:", "x.csv", "line 3 has 2 values, expected 1 as line 1");
        Path jsonl = write("x.jsonl", "[[0.1]]\n[[0.2], [0.3]]\n");
        refused(run("predict", real("simple_rnn_k213.h5"), "-i", jsonl, "-o", tmp.resolve("y.npy")),
                "x.jsonl", "line 2 has shape (2, 1), expected (1, 1) as line 1");
        Path ragged = write("r.jsonl", "[[0.1], [0.2, 0.3]]\n");
        refused(run("predict", real("simple_rnn_k213.h5"), "-i", ragged, "-o", tmp.resolve("y.npy")),
                "r.jsonl", "line 1", "ragged array");
        Path notNumber = write("n.csv", "0.1\nabc\n");
        refused(run("predict", real("simple_rnn_k213.h5"), "-i", notNumber, "-o", tmp.resolve("y.npy")),
                "n.csv", "line 2, column 1: 'abc' is not a number");
    }

    @Test
    void nanInTheInputIsRefusedNamingTheSampleAndStep() throws IOException {
        double[] data = new double[3 * 10 * 4];
        data[(2 * 10 + 7) * 4 + 1] = Double.NaN;
        Path x = tmp.resolve("x.npy");
        NumPy.writeNpy(x, Tensor.of(new int[] {3, 10, 4}, data), NumPy.Dtype.FLOAT64);
        refused(run("predict", real("lstm_functional_k208.h5"), "-i", x, "-o", tmp.resolve("y.npy")),
                "--input:", "x.npy", "input 'inputLayer_1'", "sample 2, step 7, feature 1 is NaN");
        Path csv = write("x.csv", "0.5\nNaN\n");
        refused(run("verify", real("simple_rnn_k213.h5"), "-i", csv, "-e", fixture("simple_rnn_k213_predictions.npy")),
                "sample 1, step 0, feature 0 is NaN");
    }

    @Test
    void unknownVocabularyToken() {
        refused(run("generate", fixture("hello_k2.h5"), "--vocab", fixture("hello_vocab.txt"), "--prompt", "hex"),
                "--prompt:", "position 2 ('x')", "matches no token of", "hello_vocab.txt");
        refused(run("generate", fixture("hello_k2.h5"), "--vocab", fixture("hello_vocab.txt"), "--prompt", "h",
                "--stop", "z"), "--stop: 'z' is not a token of");
        refused(run("generate", fixture("hello_ids_k2.h5"), "--vocab", fixture("hello_tokenizer.json"), "--prompt",
                "h x"), "--prompt: 'x' is not a word of the tokenizer", "hello_tokenizer.json");
    }

    @Test
    void vocabularyThatDoesNotFitTheModelOrIsTokenizerJson() throws IOException {
        refused(run("generate", fixture("hello_k2.h5"), "--vocab", write("v.txt", "a\nb\n"), "--prompt", "a"),
                "MODEL:", "hello_k2.h5", "reads 5 one-hot features and scores 5 tokens, expected vocabulary size 2");
        refused(run("generate", fixture("hello_k2.h5"), "--vocab", write("t.json", "{\"class_name\": \"Tokenizer\"}"),
                "--prompt", "h"), "--vocab:", "t.json", "is not the JSON of a Keras Tokenizer");
    }

    @Test
    void negativeThreads() {
        refused(run("predict", real("simple_rnn_k213.h5"), "-i", x(), "-o", tmp.resolve("y.npy"), "--threads", "-1"),
                "--threads is -1, expected at least 1");
        refused(run("verify", real("simple_rnn_k213.h5"), "-i", x(), "-e", x(), "--threads", "0"),
                "--threads is 0, expected at least 1");
        refused(run("bench", real("simple_rnn_k213.h5"), "--threads", "-4"), "--threads is -4");
        refused(run("bench", real("simple_rnn_k213.h5"), "--steps", "5"), "--steps is 5",
                "input 'simple_rnn_1_input' has a fixed 1 time steps");
        assertThat(Files.exists(tmp.resolve("y.npy"))).isFalse();
    }

    @Test
    void usageErrorsNameTheArgument() {
        Cli extra = run("hello", "he", "ll");
        refused(extra, "rnn4j hello:", "Unmatched argument", "'ll'");
        assertThat(extra.err).contains("Try 'rnn4j hello --help'");
        refused(run("predict", real("simple_rnn_k213.h5"), "-i", x()), "Missing required option", "--output");
        refused(run("predict", real("simple_rnn_k213.h5"), "-i", x(), "-o", "y.npy", "--threads", "many"),
                "--threads", "'many'");
        refused(run("predict", real("simple_rnn_k213.h5"), "-i", x(), "-o", "y.npy", "--dtype", "int8"),
                "--dtype", "int8");
        refused(run("bogus"), "Unmatched argument", "'bogus'");
        Cli none = run();
        assertThat(none.status).isEqualTo(2);
        assertThat(none.err).contains("Usage: rnn4j");
    }

    @Test
    void debugAddsTheStackTrace() {
        Cli c = run("--debug", "inspect", tmp.resolve("nope.h5"));
        assertThat(c.status).isEqualTo(2);
        assertThat(c.err).contains("file not found").contains("\tat ");
    }

    private Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }
}
