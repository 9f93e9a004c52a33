package io.github.rnn4j.cli;

import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/** {@code predict MODEL --input X --output Y}: runs the model on a batch and writes its outputs. */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Run MODEL on a batch of inputs and write the outputs.",
            "Input: .npy (one input) or .npz (one array per input name), batch axis first: (batch, timeSteps,"
                + " features) floats, (batch, timeSteps) token ids or (batch, features) vectors; or, for one input,"
                + " .csv (a sample's numbers a line, row-major) or .jsonl (a sample's nested array a line).",
            "Output by extension: .npy (one output), .npz (every output by name), .csv or .jsonl."})
final class PredictCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(index = "0", paramLabel = "MODEL", description = "a Keras model (.keras, .h5), or a PyTorch state dict (.pt,"
            + " .safetensors, .npz) described by --torch")
    Path model;

    @Mixin
    TorchOptions torch;


    @Option(names = {"-i", "--input"}, required = true, paramLabel = "X", description = "the batch of inputs")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "Y", description = "where the outputs go")
    Path output;

    @Option(names = "--dtype", defaultValue = "float64", paramLabel = "TYPE",
            description = "element type of .npy/.npz output (and digits of text output): ${COMPLETION-CANDIDATES};"
                    + " default ${DEFAULT-VALUE}")
    Outputs.Dtype dtype;

    @Mixin
    RunOptions run;

    PredictCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        BatchRunner.checkThreads(run.threads);
        Inputs.requireFile("MODEL", model);
        Inputs.requireFile("--input", input);
        OptionalInt restarted = run.selectBackend(context);
        if (restarted.isPresent()) {
            return restarted.getAsInt();
        }
        String backend = run.describe();
        Model m = run.apply(Inputs.model(model, torch));
        Outputs.checkTarget("--output", output, m.outputNames().size());
        Map<String, Tensor> inputs = Inputs.read("--input", input, m);
        long start = System.nanoTime();
        Map<String, Tensor> outputs = BatchRunner.run(m, inputs, run.threads, context);
        double ms = (System.nanoTime() - start) / 1e6;
        Outputs.write(output, outputs, dtype);
        int batch = inputs.values().iterator().next().shape()[0];
        StringBuilder what = new StringBuilder();
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
            what.append(what.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                    .append(Inputs.dims(e.getValue().shape()));
        }
        context.out.printf(java.util.Locale.ROOT, "%d samples in %.1f ms on %d thread%s (%s); wrote %s: %s %s%n",
                batch, ms, run.threads, run.threads == 1 ? "" : "s", backend, output, what, dtype);
        return 0;
    }
}
