package io.github.rnn4j.cli;

import io.github.rnn4j.io.NumPy;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/**
 * {@code verify MODEL --input X --expected Y}: runs the model and compares its outputs with outputs saved by Keras
 * or PyTorch. An element passes when {@code |rnn4j - expected| <= atol + rtol·|expected|} (numpy's
 * {@code allclose}); NaN passes only against NaN.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Compare MODEL's outputs on X with outputs Y saved by Keras or PyTorch.",
            "Y comes from Keras's model.predict(X) or PyTorch's model(X), saved with np.save or np.savez.",
            "Prints the worst absolute and relative error, where each occurs, and PASS or FAIL.",
            "Exit status 0 when every element is within atol + rtol * |expected|, 1 when one is not."})
final class VerifyCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(index = "0", paramLabel = "MODEL", description = "a Keras model (.keras, .h5), or a PyTorch state dict (.pt,"
            + " .safetensors, .npz) described by --torch")
    Path model;

    @Mixin
    TorchOptions torch;


    @Option(names = {"-i", "--input"}, required = true, paramLabel = "X", description = "the inputs, as predict")
    Path input;

    @Option(names = {"-e", "--expected"}, required = true, paramLabel = "Y",
            description = "the expected outputs: .npy (one output) or .npz (one array per output name)")
    Path expected;

    @Option(names = "--atol", defaultValue = "1e-5", paramLabel = "A",
            description = "absolute tolerance (default ${DEFAULT-VALUE}, float32 rounding)")
    double atol;

    @Option(names = "--rtol", defaultValue = "0", paramLabel = "R",
            description = "relative tolerance (default ${DEFAULT-VALUE})")
    double rtol;

    @Mixin
    RunOptions run;

    VerifyCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        BatchRunner.checkThreads(run.threads);
        if (!(atol >= 0) || !(rtol >= 0)) {
            throw new UsageException("--atol is " + atol + " and --rtol is " + rtol + ", expected numbers >= 0");
        }
        Inputs.requireFile("MODEL", model);
        Inputs.requireFile("--input", input);
        Inputs.requireFile("--expected", expected);
        OptionalInt restarted = run.selectBackend(context);
        if (restarted.isPresent()) {
            return restarted.getAsInt();
        }
        String backend = run.describe();
        Model m = run.apply(Inputs.model(model, torch));
        Map<String, Tensor> inputs = Inputs.read("--input", input, m);
        Map<String, Tensor> wanted = expected(m);
        Map<String, Tensor> actual = BatchRunner.run(m, inputs, run.threads, context);
        context.out.println("ran on the " + backend);
        boolean pass = true;
        for (String name : m.outputNames()) {
            Tensor a = actual.get(name);
            Tensor e = wanted.get(name);
            if (!Arrays.equals(a.shape(), e.shape())) {
                throw new UsageException("--expected: " + expected + ": output '" + name + "' has shape "
                        + Inputs.dims(e.shape()) + ", the model gives " + Inputs.dims(a.shape()));
            }
            pass &= compare(name, a, e);
        }
        context.out.println(pass ? "PASS" : "FAIL");
        return pass ? 0 : 1;
    }

    private Map<String, Tensor> expected(Model m) throws java.io.IOException {
        Inputs.requireFile("--expected", expected);
        String ext = Inputs.extension(expected);
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (ext.equals("npy")) {
            if (m.outputNames().size() != 1) {
                throw new UsageException("--expected: " + expected + " holds one array, but the model has "
                        + m.outputNames().size() + " outputs " + m.outputNames() + ": give an .npz");
            }
            out.put(m.outputNames().get(0), NumPy.readNpy(expected));
        } else if (ext.equals("npz")) {
            Map<String, Tensor> arrays = NumPy.readNpz(expected);
            for (String name : m.outputNames()) {
                Tensor t = arrays.get(name);
                if (t == null && m.outputNames().size() == 1 && arrays.size() == 1) {
                    t = arrays.values().iterator().next();
                }
                if (t == null) {
                    throw new UsageException("--expected: " + expected + " has no array '" + name + "'; it holds "
                            + arrays.keySet() + ", expected one array per model output " + m.outputNames());
                }
                out.put(name, t);
            }
        } else {
            throw new UsageException("--expected: " + expected + " has extension '" + ext + "', expected .npy or .npz");
        }
        return out;
    }

    private boolean compare(String name, Tensor actual, Tensor expected) {
        double[] a = actual.data();
        double[] e = expected.data();
        int worstAbs = -1;
        int worstRel = -1;
        double maxAbs = 0;
        double maxRel = 0;
        int failures = 0;
        int firstFailure = -1;
        for (int i = 0; i < a.length; i++) {
            boolean bothNaN = Double.isNaN(a[i]) && Double.isNaN(e[i]);
            double abs = bothNaN ? 0 : Math.abs(a[i] - e[i]);
            if (Double.isNaN(abs)) {
                abs = Double.POSITIVE_INFINITY;
            }
            double rel = abs == 0 ? 0 : abs / Math.abs(e[i]);
            if (worstAbs < 0 || abs > maxAbs) {
                maxAbs = abs;
                worstAbs = i;
            }
            if (worstRel < 0 || rel > maxRel) {
                maxRel = rel;
                worstRel = i;
            }
            if (!(abs <= atol + rtol * Math.abs(e[i]))) {
                failures++;
                if (firstFailure < 0) {
                    firstFailure = i;
                }
            }
        }
        int[] dims = actual.shape();
        context.out.printf(Locale.ROOT, "output '%s' %s: %d elements, tolerance %.1e + %.1e * |expected|%n", name,
                Inputs.dims(dims), a.length, atol, rtol);
        if (a.length > 0) {
            context.out.printf(Locale.ROOT, "  worst absolute error %.3e at %s: rnn4j %s, expected %s%n", maxAbs,
                    index(dims, worstAbs), a[worstAbs], e[worstAbs]);
            context.out.printf(Locale.ROOT, "  worst relative error %.3e at %s: rnn4j %s, expected %s%n", maxRel,
                    index(dims, worstRel), a[worstRel], e[worstRel]);
        }
        if (failures > 0) {
            context.out.printf(Locale.ROOT, "  %d of %d elements beyond the tolerance, the first at %s%n", failures,
                    a.length, index(dims, firstFailure));
        }
        return failures == 0;
    }

    /** {@code [b][t][j]} of a flat row-major index. */
    static String index(int[] dims, int flat) {
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = dims[d] == 0 ? 0 : flat % dims[d];
            flat = dims[d] == 0 ? 0 : flat / dims[d];
        }
        StringBuilder sb = new StringBuilder();
        for (int i : idx) {
            sb.append('[').append(i).append(']');
        }
        return sb.toString();
    }
}
