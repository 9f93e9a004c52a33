package io.github.rnn4j.cli;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.SimpleRnnCell;
import io.github.rnn4j.text.Vocabulary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code hello [text]}: runs the hand-set 3-unit character RNN from which rnn4j grew and prints, for each step, the
 * input token, the hidden state {@code h_t}, the logits {@code y_t = h_t·W_hy + b_y} and the predicted next token.
 */
@Command(name = "hello", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Run the README's 3-unit character RNN over TEXT, step by step.",
            "Tokens h e l o <EOS>; prints the hidden state, logits and predicted next token of every step."})
final class HelloCommand implements Callable<Integer> {
    static final Vocabulary VOCABULARY = Vocabulary.of("h", "e", "l", "o", "<EOS>");
    static final double[][] W_XH = {
        {-2.6, -1.6, -2.1}, {1.2, 0.4, 0.3}, {2.1, 1.9, -0.7}, {-1.4, -1.5, 2.5}, {-0.9, 0.4, -0.9}};
    static final double[][] W_HH = {{-0.5, -2.3, 2.9}, {1.9, 1.5, 1.7}, {-0.7, -1.2, 1.5}};
    static final double[] B_H = {-0.5, -0.4, -1.0};
    static final double[][] W_HY = {
        {0.3, -2.6, 1.2, 2.6, -1.1}, {-1.1, -2.4, 2.2, 1.6, -2.4}, {-0.4, -3.1, -3.0, 3.6, 3.0}};
    static final double[] B_Y = {-1.8, -0.5, 1.3, 0.1, 0.8};

    private final Context context;

    @Parameters(arity = "0..1", paramLabel = "TEXT", defaultValue = "hello",
            description = "the text to run (default: ${DEFAULT-VALUE})")
    String text;

    HelloCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<String> tokens;
        try {
            tokens = VOCABULARY.tokenize(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("TEXT: " + e.getMessage());
        }
        if (tokens.isEmpty()) {
            throw new UsageException("TEXT is empty, expected at least one token of " + VOCABULARY);
        }
        hello(tokens, context.out);
        return 0;
    }

    static void hello(List<String> tokens, PrintWriter out) {
        Rnn rnn = Rnn.of(new SimpleRnnCell(W_XH, W_HH, B_H)).returnSequences(true);
        Dense logits = new Dense(W_HY, B_Y, Activation.LINEAR);
        double[][] h = rnn.forward(VOCABULARY.oneHot(tokens)).sequence();
        double[][] y = logits.forward(h);
        out.println("SimpleRNN(3 units, tanh) -> Dense(5), vocabulary " + VOCABULARY);
        out.printf(Locale.ROOT, "%-3s %-6s %-40s %-66s %s%n", "t", "input", "hidden state h_t",
                "logits y_t = h_t·W_hy + b_y", "next");
        StringBuilder predicted = new StringBuilder();
        for (int t = 0; t < h.length; t++) {
            String next = VOCABULARY.mostLikely(y[t]);
            predicted.append(t == 0 ? "" : " ").append(next);
            out.printf(Locale.ROOT, "%-3d %-6s %-40s %-66s %s%n", t + 1, tokens.get(t), format(h[t]), format(y[t]),
                    next);
        }
        out.println("input: " + String.join(" ", tokens) + "  ->  predicted: " + predicted);
    }

    private static String format(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int j = 0; j < v.length; j++) {
            sb.append(j == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.8f", v[j]));
        }
        return sb.append(']').toString();
    }
}
