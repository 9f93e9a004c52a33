package io.github.rnn4j.cli;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.Layer;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code generate MODEL --vocab FILE --prompt TEXT}: feeds the prompt through a {@link Session} and streams each
 * generated token to standard output as soon as it is drawn.
 *
 * <p>The next token is drawn from the last output: logits, or probabilities when the model ends in a softmax
 * {@code Dense} (their logarithms are used as logits). {@code --temperature 0} takes the most likely token; otherwise
 * the logits are divided by the temperature, cut to the {@code --top-k} most likely tokens and to the smallest set
 * whose probability reaches {@code --top-p}, and one token is drawn from what is left with a {@link Random} seeded by
 * {@code --seed}.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Generate text token by token, streaming it to standard output.",
            "MODEL reads one token a step and scores the next one. A fixed --seed gives the same text every run."})
final class GenerateCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(index = "0", paramLabel = "MODEL", description = "a Keras model (.keras, .h5), or a PyTorch state dict (.pt,"
            + " .safetensors, .npz) described by --torch")
    Path model;

    @Mixin
    TorchOptions torch;


    @Option(names = "--vocab", required = true, paramLabel = "FILE",
            description = "the vocabulary: one token a line (token i on line i+1), or the JSON of a Keras"
                    + " Tokenizer (tokenizer.to_json())")
    Path vocab;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT",
            description = "the start, split into tokens of the vocabulary by greedy longest match")
    String prompt;

    @Option(names = "--max", defaultValue = "100", paramLabel = "N",
            description = "the most tokens to generate (default ${DEFAULT-VALUE})")
    int max;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T",
            description = "0 takes the most likely token; below 1 sharpens, above 1 flattens (default ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K",
            description = "draw only from the K most likely tokens; 0 for all (default ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", paramLabel = "P",
            description = "draw only from the most likely tokens whose probabilities add up to P (default"
                    + " ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the draws (default: a new one every run)")
    Long seed;

    @Option(names = "--stop", paramLabel = "TOKEN", description = "stop after generating this token")
    String stop;

    @Option(names = "--separator", paramLabel = "SEP",
            description = "printed between tokens (default: a space for words, nothing for characters)")
    String separator;

    GenerateCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (max < 0) {
            throw new UsageException("--max is " + max + ", expected at least 0");
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new UsageException("--temperature is " + temperature + ", expected a finite number >= 0");
        }
        if (topK < 0) {
            throw new UsageException("--top-k is " + topK + ", expected at least 0 (0 for all tokens)");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new UsageException("--top-p is " + topP + ", expected a number in (0, 1]");
        }
        Tokens vocabulary = VocabularyFiles.read("--vocab", vocab);
        int stopId = -1;
        if (stop != null) {
            stopId = vocabulary.id(stop);
            if (stopId < 0) {
                throw new UsageException("--stop: '" + stop + "' is not a token of " + vocab);
            }
        }
        int[] prompted = vocabulary.encode(prompt);
        if (prompted.length == 0) {
            throw new UsageException("--prompt is empty, expected at least one token of " + vocab);
        }
        Model m = Inputs.model(model, torch);
        Session session = session(m, vocabulary);
        boolean ids = m.takesTokenIds(m.inputNames().get(0));
        Layer last = m.layer(m.outputNames().get(0));
        boolean probabilities = last instanceof Dense && ((Dense) last).activation() == Activation.SOFTMAX;
        Random random = new Random(seed != null ? seed : new Random().nextLong());
        String between = separator != null ? separator : vocabulary.separator();
        double[] scores = null;
        for (int id : prompted) {
            scores = feed(session, vocabulary.size(), id, ids);
        }
        for (int n = 0; n < max; n++) {
            int next = choose(scores, probabilities, vocabulary, random);
            context.out.print((n == 0 ? "" : between) + vocabulary.decode(next));
            context.out.flush();
            if (next == stopId) {
                break;
            }
            scores = feed(session, vocabulary.size(), next, ids);
        }
        context.out.println();
        return 0;
    }

    /** A session of the model, checked against the tokens: it reads one token a step and scores every token. */
    private Session session(Model m, Tokens tokens) {
        String input = m.inputNames().get(0);
        Session session;
        try {
            session = m.session();
        } catch (IllegalStateException e) {
            throw new UsageException("MODEL: " + model + ": " + e.getMessage());
        }
        boolean ids = m.takesTokenIds(input);
        int in = ids ? embeddingSize(m) : m.inputShape(input).features();
        int out = m.outputShape(m.outputNames().get(0)).features();
        if (in != tokens.size() || out != tokens.size()) {
            throw new UsageException("MODEL: " + model + " reads " + in + (ids ? " token ids" : " one-hot features")
                    + " and scores " + out + " tokens, expected vocabulary size " + tokens.size() + " of " + vocab);
        }
        return session;
    }

    private static int embeddingSize(Model m) {
        for (Layer l : m.layers().values()) {
            if (l instanceof Embedding) {
                return ((Embedding) l).vocabSize();
            }
        }
        return -1;
    }

    private static double[] feed(Session session, int size, int id, boolean ids) {
        if (ids) {
            return session.step(id);
        }
        double[] oneHot = new double[size];
        oneHot[id] = 1.0;
        return session.step(oneHot);
    }

    /** Greedy at temperature 0; otherwise a draw after temperature, top-k and top-p. */
    int choose(double[] scores, boolean probabilities, Tokens tokens, Random random) {
        int n = scores.length;
        double[] logits = new double[n];
        for (int i = 0; i < n; i++) {
            logits[i] = !tokens.generates(i) ? Double.NEGATIVE_INFINITY
                    : probabilities ? Math.log(Math.max(scores[i], 0.0)) : scores[i];
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Most likely first; ties keep the lower index, as argmax.
        Arrays.sort(order, (a, b) -> Double.compare(logits[b], logits[a]));
        if (temperature == 0) {
            return order[0];
        }
        int keep = topK == 0 ? n : Math.min(topK, n);
        double max = logits[order[0]];
        double[] p = new double[keep];
        double total = 0;
        for (int r = 0; r < keep; r++) {
            p[r] = Math.exp((logits[order[r]] - max) / temperature);
            total += p[r];
        }
        if (!(total > 0) || Double.isInfinite(total)) {
            return order[0];
        }
        double cumulative = 0;
        int kept = keep;
        for (int r = 0; r < keep; r++) {
            cumulative += p[r] / total;
            if (cumulative >= topP) {
                kept = r + 1;
                break;
            }
        }
        double sum = 0;
        for (int r = 0; r < kept; r++) {
            sum += p[r];
        }
        double x = random.nextDouble() * sum;
        for (int r = 0; r < kept; r++) {
            x -= p[r];
            if (x < 0) {
                return order[r];
            }
        }
        return order[kept - 1];
    }
}
