package io.github.rnn4j.io;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.internal.Handover;
import io.github.rnn4j.model.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of one PyTorch module inside a state dict: {@code <prefix>.<name>}. Hands out each parameter after
 * checking its shape, then checks that no parameter under the prefix was left over, so every message names the
 * parameter, the shape the module expects and the shape the state dict has. Not thread-safe: one per build.
 */
final class StateDictScope {
    private final Map<String, Tensor> stateDict;
    private final String prefix;
    private final String module;
    private final Set<String> used = new LinkedHashSet<>();

    /**
     * @param prefix the module's name in the state dict ({@code "encoder.lstm"}), or empty for a bare module
     * @param module the module in messages, as its Python constructor call
     */
    StateDictScope(Map<String, Tensor> stateDict, String prefix, String module) {
        this.stateDict = Checks.notNull("stateDict", stateDict);
        Checks.notNull("prefix", prefix);
        if (prefix.endsWith(".")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        this.prefix = prefix;
        this.module = module;
    }

    /** The full name of a parameter of this module. */
    String name(String parameter) {
        return prefix.isEmpty() ? parameter : prefix + "." + parameter;
    }

    /** Whether the module's parameter is in the state dict. */
    boolean has(String parameter) {
        return stateDict.containsKey(name(parameter));
    }

    /** A parameter of exactly this shape; its values in row-major order. */
    Tensor tensor(String parameter, int... shape) {
        String full = name(parameter);
        Tensor t = stateDict.get(full);
        if (t == null) {
            throw new IllegalArgumentException("the state dict has no parameter '" + full + "': " + module
                    + " needs " + parameter + " of shape " + io.github.rnn4j.internal.Checks.dims(shape) + "; " + describeScope());
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException("parameter '" + full + "' has shape " + io.github.rnn4j.internal.Checks.dims(t.shape())
                    + ", expected " + io.github.rnn4j.internal.Checks.dims(shape) + " for " + module);
        }
        used.add(full);
        return t;
    }

    /**
     * A parameter of exactly this shape: the tensor's own row-major values, not a copy, which the caller reads once
     * into the arrays a layer will own (so that a weight is copied once) and never changes.
     */
    double[] values(String parameter, int... shape) {
        return Handover.tensors().view(tensor(parameter, shape));
    }

    /** A rank-2 parameter {@code [rows][cols]} as new rows: the one copy of its values. */
    double[][] matrix(String parameter, int rows, int cols) {
        double[] flat = values(parameter, rows, cols);
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = Arrays.copyOfRange(flat, i * cols, (i + 1) * cols);
        }
        return out;
    }

    /** A rank-1 parameter {@code [length]}, a new array: the one copy of its values. */
    double[] vector(String parameter, int length) {
        return values(parameter, length).clone();
    }

    /**
     * Checks that every parameter under the prefix has been taken.
     *
     * @param hint why an extra parameter matters, for the message
     */
    void checkNoneLeft(String hint) {
        List<String> extra = new ArrayList<>();
        for (String k : stateDict.keySet()) {
            if (inScope(k) && !used.contains(k)) {
                extra.add(k + " " + io.github.rnn4j.internal.Checks.dims(stateDict.get(k).shape()));
            }
        }
        if (!extra.isEmpty()) {
            throw extra(extra, hint);
        }
    }

    /**
     * Checks, before any parameter is taken, that the prefix holds no parameter outside {@code parameters}.
     *
     * @param hint why an extra parameter matters, for the message
     */
    void checkOnly(List<String> parameters, String hint) {
        Set<String> allowed = new LinkedHashSet<>();
        for (String p : parameters) {
            allowed.add(name(p));
        }
        List<String> extra = new ArrayList<>();
        for (String k : stateDict.keySet()) {
            if (inScope(k) && !allowed.contains(k)) {
                extra.add(k + " " + io.github.rnn4j.internal.Checks.dims(stateDict.get(k).shape()));
            }
        }
        if (!extra.isEmpty()) {
            throw extra(extra, hint);
        }
    }

    private static IllegalArgumentException extra(List<String> extra, String hint) {
        return new IllegalArgumentException("extra parameter" + (extra.size() > 1 ? "s " : " ")
                + String.join(", ", extra) + " in the state dict: " + hint);
    }

    /** Whether a key is a direct parameter of this module (not of a submodule). */
    private boolean inScope(String key) {
        if (prefix.isEmpty()) {
            return key.indexOf('.') < 0;
        }
        return key.startsWith(prefix + ".") && key.indexOf('.', prefix.length() + 1) < 0;
    }

    private String describeScope() {
        List<String> names = new ArrayList<>();
        for (String k : stateDict.keySet()) {
            if (inScope(k)) {
                names.add(k);
            }
        }
        if (names.isEmpty()) {
            List<String> some = new ArrayList<>(stateDict.keySet());
            String shown = some.size() > 12 ? String.join(", ", some.subList(0, 12)) + ", ..." : String.join(", ", some);
            return "nothing in the state dict starts with '" + (prefix.isEmpty() ? "" : prefix + ".")
                    + "' (check the prefix); it has " + shown;
        }
        return (prefix.isEmpty() ? "it has " : "under '" + prefix + "' it has ") + String.join(", ", names);
    }
}
