package io.github.rnn4j.readme;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.SimpleRnnCell;
import io.github.rnn4j.model.Generator;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Session;
import io.github.rnn4j.testing.Hello;
import io.github.rnn4j.text.Vocabulary;
import io.github.rnn4j.io.KerasModels;
import io.github.rnn4j.io.TestJson;
import io.github.rnn4j.testing.Tolerance;
import io.github.rnn4j.text.KerasTokenizer;
import io.github.rnn4j.text.Sequences;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.github.rnn4j.testing.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The README's quick start, as written there, prints what the README says it prints. */
class ReadmeExamplesTest {
    private static final double[][] W_xh = Hello.KERNEL;
    private static final double[][] W_hh = Hello.RECURRENT_KERNEL;
    private static final double[] b_h = Hello.BIAS;
    private static final double[][] W_hy = Hello.DENSE_KERNEL;
    private static final double[] b_y = Hello.DENSE_BIAS;

    @Test
    void quickStartPrintsEllo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        Vocabulary vocab = Vocabulary.of("h", "e", "l", "o", "<EOS>");
        SimpleRnnCell cell = new SimpleRnnCell(W_xh, W_hh, b_h);
        Rnn rnn = Rnn.of(cell).returnSequences(true);
        Dense softmax = new Dense(W_hy, b_y, Activation.SOFTMAX);

        double[][] h = rnn.forward(vocab.oneHot(vocab.tokenize("hello"))).sequence();
        double[][] p = softmax.forward(h);
        for (double[] row : p) {
            out.print(vocab.mostLikely(row) + " ");
        }

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("e l l o <EOS> ");
        assertThat(h).hasDimensions(5, 3);
        assertThat(p).hasDimensions(5, 5);
    }

    @Test
    void chainSessionAndGeneratorAgree() {
        Vocabulary vocab = Vocabulary.of("h", "e", "l", "o", "<EOS>");
        Model model = Model.sequential()
                .add(Rnn.of(new SimpleRnnCell(W_xh, W_hh, b_h)).returnSequences(true))
                .add(new Dense(W_hy, b_y, Activation.SOFTMAX))
                .build();
        double[][] probabilities = model.predictSequence(vocab.oneHot(vocab.tokenize("hello")));

        Session session = model.session();
        double[] y1 = session.step(vocab.oneHot("h"));
        double[] y2 = session.step(vocab.oneHot("e"));
        assertThat(y1).isEqualTo(probabilities[0]);
        assertThat(y2).isEqualTo(probabilities[1]);

        Generator generator = new Generator(model, vocab);
        assertThat(generator.greedy(List.of("h"), 20, "<EOS>")).containsExactly("e", "l", "l", "o", "<EOS>");
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
