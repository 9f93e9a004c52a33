package io.github.rnn4j.readme;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.GruCell;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.SimpleRnnCell;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.testing.Hello;
import io.github.rnn4j.testing.NaiveRnn;
import io.github.rnn4j.text.Vocabulary;
import io.github.rnn4j.io.KerasModels;
import io.github.rnn4j.io.TestJson;
import io.github.rnn4j.testing.Tolerance;
import io.github.rnn4j.text.KerasTokenizer;
import io.github.rnn4j.text.Sequences;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.rnn4j.testing.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's Java examples, as they stand in README.md, compile against the library (with the JDK's javac, run
 * in this JVM) and run. Each {@code ```java}
 * block becomes the body of one method of a generated class whose fields are the variables the README takes as
 * given ({@link Given}: the hello weights, an LSTM's arrays, inputs...); a block preceded by
 * {@code <!-- not run: reason -->} is only compiled, not run (it needs a file the test tree does not have). The
 * quick start must print what the sentence after it says it prints.
 */
public class ReadmeExamplesTest {
    private static final Pattern FENCE = Pattern.compile("(?ms)^(?:(<!-- not run[^>]*-->)\\s*\\n)?```java\\n(.*?)^```");

    /** A block of the README: its code, the line where it starts, whether it runs, and the text after it. */
    private record Block(int line, String code, boolean run, String after) {
    }

    /** The variables the README's examples use without defining them, of small consistent shapes. */
    public static final class Given {
        public static final Vocabulary vocab = Hello.VOCABULARY;
        public static final double[][] W_xh = Hello.KERNEL;
        public static final double[][] W_hh = Hello.RECURRENT_KERNEL;
        public static final double[] b_h = Hello.BIAS;
        public static final double[][] W_hy = Hello.DENSE_KERNEL;
        public static final double[] b_y = Hello.DENSE_BIAS;
        public static final Model model = Model.sequential()
                .add(Rnn.of(new SimpleRnnCell(W_xh, W_hh, b_h)).returnSequences(true))
                .add(new Dense(W_hy, b_y, Activation.SOFTMAX))
                .build();
        private static final Random RND = new Random(2);
        // An LSTM and GRUs of inputSize 3 and 4 units.
        public static final double[][] kernel = NaiveRnn.random(RND, 3, 16, 0.5);
        public static final double[][] recurrentKernel = NaiveRnn.random(RND, 4, 16, 0.5);
        public static final double[] bias = NaiveRnn.random(RND, 1, 16, 0.5)[0];
        public static final double[][] kernel3 = NaiveRnn.random(RND, 3, 12, 0.5);
        public static final double[][] recurrentKernel3 = NaiveRnn.random(RND, 4, 12, 0.5);
        public static final double[] inputBias = NaiveRnn.random(RND, 1, 12, 0.5)[0];
        public static final double[] recurrentBias = NaiveRnn.random(RND, 1, 12, 0.5)[0];
        public static final double[] bias3 = NaiveRnn.random(RND, 1, 12, 0.5)[0];
        public static final LstmCell otherLstm = new LstmCell(NaiveRnn.random(RND, 3, 16, 0.5),
                NaiveRnn.random(RND, 4, 16, 0.5), null);
        public static final double[][] inputs = NaiveRnn.random(RND, 5, 3, 1.0);
        public static final boolean[] mask = {true, true, false, true, true};
        public static final double[] h0 = NaiveRnn.random(RND, 1, 4, 0.5)[0];
        public static final double[] c0 = NaiveRnn.random(RND, 1, 4, 0.5)[0];
        public static final double[][][] batch = {inputs, NaiveRnn.random(RND, 2, 3, 1.0)};
        // The seq2seq example: an encoder reading 4 features, a decoder reading 2, both LSTMs of 4 units.
        public static final LstmCell encoderCell = new LstmCell(NaiveRnn.random(RND, 4, 16, 0.5),
                NaiveRnn.random(RND, 4, 16, 0.5), null);
        public static final LstmCell decoderCell = new LstmCell(NaiveRnn.random(RND, 2, 16, 0.5),
                NaiveRnn.random(RND, 4, 16, 0.5), null);
        public static final double[][] outKernel = NaiveRnn.random(RND, 4, 3, 0.5);
        public static final double[][] series = NaiveRnn.random(RND, 12, 1, 1.0);
        public static final Executor executor = Runnable::run;
        // The PyTorch and text examples (compiled only: they read files).
        public static final Map<String, io.github.rnn4j.model.Tensor> sd = Map.of();
        public static final List<String> chars = List.of("a", "b", "c");
        public static final io.github.rnn4j.model.Tensor ids = io.github.rnn4j.model.Tensor.of(new int[] {1, 2},
                new double[] {1, 2});
        public static final io.github.rnn4j.model.Tensor x = io.github.rnn4j.model.Tensor.of(new int[] {1, 1, 3},
                new double[3]);
        public static final List<String> emails = List.of("a b");
        public static final String alphabet = "abc";
        public static final List<String> prompt = List.of("a");
        public static final java.util.Map<String, io.github.rnn4j.model.Tensor> inputsWithBatchAxis = java.util.Map.of(
                "input_layer", io.github.rnn4j.model.Tensor.of(new int[] {1, 12, 1}, new double[12]),
                "input_layer_1", io.github.rnn4j.model.Tensor.of(new int[] {1, 1}, new double[] {17}));

        private Given() {
        }

        /** A GRU from the README's arrays, so that the class is used (and its shapes proved) at least once. */
        static GruCell gru() {
            return new GruCell(kernel3, recurrentKernel3, new double[][] {inputBias, recurrentBias});
        }
    }

    private static List<Block> blocks() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(readme);
        while (m.find()) {
            int line = readme.substring(0, m.start(2)).split("\n", -1).length;
            int end = readme.indexOf("\n", m.end());
            String after = end < 0 ? "" : readme.substring(end + 1, Math.min(readme.length(), end + 200)).stripLeading();
            blocks.add(new Block(line, m.group(2), m.group(1) == null, after));
        }
        return blocks;
    }

    /** One class, one method per block; fields from {@link Given}, which blocks may shadow with their own. */
    private static String source(List<Block> blocks) {
        StringBuilder src = new StringBuilder();
        src.append("package readme;\n")
                .append("import io.github.rnn4j.io.*;\nimport io.github.rnn4j.layers.*;\n")
                .append("import io.github.rnn4j.model.*;\nimport io.github.rnn4j.text.*;\n")
                .append("import java.nio.file.Files;\nimport java.nio.file.Path;\nimport java.util.*;\nimport java.util.concurrent.Executor;\n")
                .append("import static io.github.rnn4j.readme.ReadmeExamplesTest.Given.*;\n")
                .append("public class Blocks {\n");
        for (int i = 0; i < blocks.size(); i++) {
            src.append("  // README.md line ").append(blocks.get(i).line()).append('\n')
                    .append("  public static void block").append(i).append("() throws Exception {\n")
                    .append(blocks.get(i).code()).append("  }\n");
        }
        return src.append("}\n").toString();
    }

    /** The library's classes and the test classes (for {@link Given}), wherever this run loaded them from. */
    private static String classPath() throws Exception {
        return Path.of(Vocabulary.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                + java.io.File.pathSeparator
                + Path.of(ReadmeExamplesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void everyJavaBlockOfTheReadmeCompilesAndTheRunnableOnesRun(@TempDir Path dir) throws Exception {
        List<Block> blocks = blocks();
        assertThat(blocks).as("```java blocks in README.md").hasSizeGreaterThanOrEqualTo(6);
        assertThat(blocks.stream().filter(Block::run).count()).as("blocks that run").isGreaterThanOrEqualTo(5);
        Given.gru();

        Path src = dir.resolve("readme/Blocks.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source(blocks));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        // The JDK's javac in this JVM (java.util.spi.ToolProvider, so that the test module needs no java.compiler).
        ToolProvider javac = ToolProvider.findFirst("javac").orElse(null);
        assertThat(javac).as("a JDK's javac").isNotNull();
        StringWriter errors = new StringWriter();
        int status;
        try (PrintWriter err = new PrintWriter(errors)) {
            status = javac.run(err, err, "-classpath", classPath(), "-d", classes.toString(), "-proc:none",
                    "-encoding", "UTF-8", "--release", "17", src.toString());
        }
        assertThat(status).as("README blocks compile:\n%s\n%s", errors, source(blocks)).isZero();

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeExamplesTest.class.getClassLoader())) {
            Class<?> generated = loader.loadClass("readme.Blocks");
            PrintStream stdout = System.out;
            for (int i = 0; i < blocks.size(); i++) {
                Block b = blocks.get(i);
                if (!b.run()) {
                    continue;
                }
                Method method = generated.getMethod("block" + i);
                ByteArrayOutputStream printed = new ByteArrayOutputStream();
                System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
                try {
                    method.invoke(null);
                } catch (InvocationTargetException e) {
                    throw new AssertionError("README.md block at line " + b.line() + " threw " + e.getCause(),
                            e.getCause());
                } finally {
                    System.setOut(stdout);
                }
                Matcher prints = Pattern.compile("^prints `([^`]*)`").matcher(b.after());
                if (prints.find()) {
                    assertThat(printed.toString(StandardCharsets.UTF_8))
                            .as("what the block at line %d prints, as the README says", b.line())
                            .isEqualTo(prints.group(1));
                }
            }
        }
    }

    @Test
    void theQuickStartSaysWhatItPrints() throws IOException {
        Block quickStart = blocks().get(0);
        assertThat(quickStart.run()).isTrue();
        assertThat(quickStart.after()).as("the sentence after the quick start").startsWith("prints `e l l o <EOS> `");
    }

    /**
     * docs/text.md's classifier: the real spam model (../shared/fixtures/keras/embed_mask_gru_k3132.keras) with a
     * tokenizer JSON written by keras_preprocessing (tools/fixtures/gen_text.py), against Keras 3.15.1's own
     * {@code model.predict} of the same ids (tools/fixtures/gen_text_classifier.py). The tokenizer is not the one the
     * model was trained with (that one was never published), so the numbers show the wiring, not spam detection.
     */
    @Test
    @SuppressWarnings("unchecked")
    void textClassifierExample() throws Exception {
        Path spamModel = Path.of("..", "shared", "fixtures", "keras", "embed_mask_gru_k3132.keras");
        if (!Files.exists(spamModel) && System.getenv("CI") != null) {
            throw new AssertionError(spamModel + " is absent and CI is set");
        }
        assumeTrue(Files.exists(spamModel), "the real Keras files are absent");
        Path tokenizerJson = Path.of("src", "test", "resources", "fixtures", "text", "spam_tokenizer.json");
        List<String> emails = List.of("WIN a FREE prize now!!! Click here to claim your cash reward",
                "Are we still on for the project meeting tomorrow?", "Totally unseen words: zyzzyva quixotic");

        Model model = KerasModels.load(spamModel);
        KerasTokenizer tokenizer = KerasTokenizer.fromJson(Files.readString(tokenizerJson));
        double[][] spam = model.predictBatch(Sequences.pad(tokenizer.textsToSequences(emails), 500));

        Map<String, Object> expected = (Map<String, Object>) TestJson.parse(Files.readString(Path.of("src", "test",
                "resources", "fixtures", "text", "spam_classifier_expected.json")), "spam_classifier_expected.json");
        assertThat(expected.get("texts")).isEqualTo(emails);
        double[][] keras = new double[emails.size()][1];
        for (int i = 0; i < emails.size(); i++) {
            keras[i][0] = ((Number) ((List<Object>) expected.get("keras_probability_pre")).get(i)).doubleValue();
        }
        assertClose("p(spam)", keras, spam, Tolerance.KERAS_FLOAT32_PREDICT);
        // The original app (Soumendra-Barick/Email-Spam-Detection main.py) pads 'post'; with mask_zero it is the same.
        double[][] post = model.predictBatch(Sequences.pad(tokenizer.textsToSequences(emails), 500,
                Sequences.Side.POST, Sequences.Side.PRE, 0));
        assertClose("p(spam), post-padded", spam, post, Tolerance.SAME_MATH);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        for (int i = 0; i < emails.size(); i++) {
            out.printf(java.util.Locale.ROOT, "%.4f  %s%n", spam[i][0], emails.get(i));
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
                "0.0004  WIN a FREE prize now!!! Click here to claim your cash reward\n"
                + "0.9065  Are we still on for the project meeting tomorrow?\n"
                + "0.7159  Totally unseen words: zyzzyva quixotic\n");
    }
}
