package io.github.rnn4j.io;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.layers.Layer;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A chain of PyTorch modules read from one state dict, in the order the model's {@code forward} calls them, built
 * into a {@link Model} (a {@code Model.sequential()} chain): the Java counterpart of the modules a Python
 * {@code __init__} declares.
 *
 * <pre>{@code
 * Model m = PyTorch.chain(stateDict)
 *         .embedding("embedding", 12, 5, false)
 *         .recurrent("encoder.lstm", PyTorch.lstm(5, 4).bidirectional(true), Output.SEQUENCE)
 *         .layerNorm("norm", 8, 1e-5)
 *         .linear("fc", 8, 3)
 *         .build();
 * }</pre>
 *
 * <p>Each call checks its module's parameters (names and shapes); {@link #build()} also checks that every parameter
 * of the state dict was used, so a forgotten module is not silently dropped ({@link #ignore} skips one on purpose).
 * Not thread-safe; the model it builds is.
 */
public final class PyTorchChain {
    private final Map<String, Tensor> stateDict;
    private final Model.Chain chain = Model.sequential();
    private final Set<String> used = new LinkedHashSet<>();
    private final List<String> ignored = new ArrayList<>();

    PyTorchChain(Map<String, Tensor> stateDict) {
        this.stateDict = Checks.notNull("stateDict", stateDict);
        chain.property("source", "PyTorch state dict");
    }

    /**
     * Adds {@code nn.Embedding(num_embeddings, embedding_dim)}; see {@link PyTorch#embedding}.
     *
     * @param prefix the module's name in the state dict
     * @param numEmbeddings {@code num_embeddings}: the vocabulary size
     * @param embeddingDim {@code embedding_dim}
     * @param maskZero whether id 0 is padding that later layers skip
     * @return this chain
     */
    public PyTorchChain embedding(String prefix, int numEmbeddings, int embeddingDim, boolean maskZero) {
        chain.add(name(prefix), PyTorch.embedding(stateDict, prefix, numEmbeddings, embeddingDim, maskZero));
        return use(prefix);
    }

    /**
     * Adds a recurrent module's layers ending in {@code output}; see {@link PyTorchRecurrent#layers}.
     *
     * @param prefix the module's name in the state dict
     * @param module the recurrent module's description
     * @param output which of the module's results the next module reads
     * @return this chain
     */
    public PyTorchChain recurrent(String prefix, PyTorchRecurrent module, PyTorchRecurrent.Output output) {
        Checks.notNull("module", module);
        List<Layer> layers = module.layers(stateDict, prefix, output);
        for (int i = 0; i < layers.size(); i++) {
            chain.add(name(prefix) + (i < module.numLayers() ? "_l" + i : "_last_step"), layers.get(i));
        }
        return use(prefix);
    }

    /**
     * Adds {@code nn.Linear(in_features, out_features)}; see {@link PyTorch#linear}.
     *
     * @param prefix the module's name in the state dict
     * @param inFeatures {@code in_features}
     * @param outFeatures {@code out_features}
     * @return this chain
     */
    public PyTorchChain linear(String prefix, int inFeatures, int outFeatures) {
        chain.add(name(prefix), PyTorch.linear(stateDict, prefix, inFeatures, outFeatures));
        return use(prefix);
    }

    /**
     * Adds {@code nn.LayerNorm(normalized_shape, eps)}; see {@link PyTorch#layerNorm}.
     *
     * @param prefix the module's name in the state dict
     * @param normalizedShape the length of the last axis
     * @param eps added to the variance
     * @return this chain
     */
    public PyTorchChain layerNorm(String prefix, int normalizedShape, double eps) {
        chain.add(name(prefix), PyTorch.layerNorm(stateDict, prefix, normalizedShape, eps));
        return use(prefix);
    }

    /**
     * Adds a layer without parameters in the state dict, for example {@code ActivationLayer.of(Activation.TANH)}.
     *
     * @param layer the layer, fed by the one before
     * @return this chain
     */
    public PyTorchChain add(Layer layer) {
        chain.add(Checks.notNull("layer", layer));
        return this;
    }

    /**
     * Leaves out the parameters under {@code prefix} (a module the computation does not use).
     *
     * @param prefix a module name; every parameter under {@code prefix + "."} is left out
     * @return this chain
     */
    public PyTorchChain ignore(String prefix) {
        ignored.add(Checks.notNull("prefix", prefix));
        return this;
    }

    /**
     * Builds the model from the chained modules, checking that every parameter of the state dict was used.
     *
     * @return an immutable, thread-safe model with input {@code "input"}
     * @throws IllegalStateException when a parameter of the state dict was used by no module, naming it (call
     *         {@link #ignore} for a module left out on purpose)
     * @throws IllegalArgumentException when a module does not fit the output of the one before, naming it
     */
    public Model build() {
        List<String> unused = new ArrayList<>();
        for (String k : stateDict.keySet()) {
            if (!used.contains(k) && !isIgnored(k)) {
                unused.add(k);
            }
        }
        if (!unused.isEmpty()) {
            throw new IllegalStateException("parameter" + (unused.size() > 1 ? "s " : " ") + String.join(", ", unused)
                    + " of the state dict belong to no module of the chain: add their module, or call ignore(prefix)"
                    + " if the computation does not use it");
        }
        return chain.build();
    }

    private boolean isIgnored(String key) {
        for (String p : ignored) {
            if (key.equals(p) || key.startsWith(p.endsWith(".") ? p : p + ".")) {
                return true;
            }
        }
        return false;
    }

    private PyTorchChain use(String prefix) {
        String p = prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
        for (String k : stateDict.keySet()) {
            boolean direct = p.isEmpty() ? k.indexOf('.') < 0
                    : k.startsWith(p + ".") && k.indexOf('.', p.length() + 1) < 0;
            if (direct) {
                used.add(k);
            }
        }
        return this;
    }

    /** The layer name: the module's prefix with dots as underscores ({@code encoder.lstm} → {@code encoder_lstm}). */
    private static String name(String prefix) {
        Checks.notNull("prefix", prefix);
        String n = prefix.replace('.', '_');
        return n.isEmpty() ? "module" : n;
    }
}
