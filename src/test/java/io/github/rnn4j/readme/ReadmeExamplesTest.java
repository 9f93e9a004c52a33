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
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
}
