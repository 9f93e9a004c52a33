package io.github.rnn4j.io;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.internal.Handover;
import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.LayerNormalization;
import io.github.rnn4j.model.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PyTorch state dicts: reading them from {@code .pt}/{@code .pth}, safetensors and {@code .npz} files, and turning
 * the parameters of {@code nn.Linear}, {@code nn.Embedding}, {@code nn.LayerNorm}, {@code nn.RNN}, {@code nn.LSTM}
 * and {@code nn.GRU} into rnn4j layers.
 *
 * <p>Reading: {@link #readStateDict(Path)} decides the format by content. {@code torch.save} files (the zip format
 * of PyTorch 1.6 and later, little- or big-endian) are read by a restricted unpickler that executes nothing and
 * accepts only what a state dict holds; strided views, storage offsets and storages shared by several tensors are
 * resolved, so each tensor comes back with the shape PyTorch reports and row-major data whatever its strides.
 *
 * <p>Building: each builder takes the module's hyper-parameters, as its Python constructor does, and the module's
 * prefix in the state dict ({@code "fc"} for {@code self.fc}, {@code "encoder.lstm"} for a nested module). It checks
 * that every parameter is there with the shape those hyper-parameters give, and that no other parameter lives under
 * the prefix; it converts PyTorch's layouts ({@code weight} is {@code [out][in]}, rnn4j's kernels are
 * {@code [in][out]}) and gate orders. Recurrent modules are described by {@link PyTorchRecurrent}
 * ({@link #lstm(int, int)} and friends); whole models by {@link PyTorchChain} ({@link #chain(Map)}), with one call
 * for the common {@code Embedding → LSTM/GRU → Linear} shape ({@link #textModel}).
 *
 * <p>Stateless and thread-safe.
 */
public final class PyTorch {
    private static final byte[] ZIP_LOCAL = {'P', 'K', 3, 4};
    private static final byte[] ZIP_EMPTY = {'P', 'K', 5, 6};
    private static final byte[] NPY = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private PyTorch() {
    }

    // ------------------------------------------------------------------------------------------ reading

    /**
     * Reads a state dict from a {@code .pt}/{@code .pth} file written by {@code torch.save(model.state_dict(), f)},
     * a safetensors file or a {@code .npz} archive, with the default {@link Limits}.
     *
     * @param file the file to read
     * @return an unmodifiable map from parameter name to tensor, in the file's order, with PyTorch's shapes
     * @throws UnsupportedFeatureException when the file holds something other than a state dict (a whole pickled
     *         module, a disallowed global, the legacy pre-1.6 format, an unsupported dtype); the message names it
     * @throws FileFormatException when the file is damaged or exceeds a limit (the message names the file)
     * @throws IOException when the file cannot be read
     */
    public static Map<String, Tensor> readStateDict(Path file) throws IOException {
        return readStateDict(file, Limits.defaults());
    }

    /**
     * Reads a state dict as {@link #readStateDict(Path)} within the given limits: the most each tensor and all of
     * them may take as doubles, and the most a zip archive may inflate to.
     *
     * @param file the file to read
     * @param limits the limits on what the file may make rnn4j allocate
     * @return an unmodifiable map from parameter name to tensor, in the file's order, with PyTorch's shapes
     * @throws IOException when the file cannot be read, is damaged or exceeds a limit ({@link FileFormatException}), or
     *     holds something other than a state dict ({@link UnsupportedFeatureException})
     */
    public static Map<String, Tensor> readStateDict(Path file, Limits limits) throws IOException {
        Checks.notNull("file", file);
        Checks.notNull("limits", limits);
        return tensors(readArrays(file, limits));
    }

    /**
     * The element type each tensor of a state dict file has in the file, read as {@link #readStateDict(Path)} reads
     * it (a {@code torch.save} archive, a {@code .npz} or a safetensors file), named as numpy and PyTorch name it:
     * {@code float32}, {@code bfloat16}, {@code int64}. Values are read as doubles whatever this says; it is for
     * tools that show what a file holds.
     *
     * @param file the file
     * @return an unmodifiable map from tensor name to dtype, in the order {@link #readStateDict(Path)} gives
     * @throws UnsupportedFeatureException as {@link #readStateDict(Path)}
     * @throws FileFormatException when the file is damaged (the message names the file)
     * @throws IOException when the file cannot be read
     */
    public static Map<String, String> dtypes(Path file) throws IOException {
        Checks.notNull("file", file);
        return dtypesOf(readArrays(file, Limits.defaults()));
    }

    /**
     * Reads a state dict once, with the element type each tensor has in the file: the values of
     * {@link #readStateDict(Path)} and the dtypes of {@link #dtypes(Path)} from one read, with the default
     * {@link Limits}.
     *
     * @param file a {@code .pt}/{@code .pth} file written by {@code torch.save}, a safetensors file or a {@code .npz}
     *     archive
     * @return the tensors and their dtypes, keyed by parameter name in the file's order, with PyTorch's shapes
     * @throws UnsupportedFeatureException as {@link #readStateDict(Path)}
     * @throws FileFormatException as {@link #readStateDict(Path)}
     * @throws IOException when the file cannot be read
     */
    public static StoredTensors readStateDictWithDtypes(Path file) throws IOException {
        return readStateDictWithDtypes(file, Limits.defaults());
    }

    /**
     * Reads a state dict once within limits, with the element type each tensor has in the file, as
     * {@link #readStateDict(Path, Limits)} reads it.
     *
     * @param file a {@code .pt}/{@code .pth} file written by {@code torch.save}, a safetensors file or a {@code .npz}
     *     archive
     * @param limits the limits on what the file may make rnn4j allocate
     * @return the tensors and their dtypes, keyed by parameter name in the file's order, with PyTorch's shapes
     * @throws IOException when the file cannot be read, is damaged or exceeds a limit ({@link FileFormatException}), or
     *     holds something other than a state dict ({@link UnsupportedFeatureException})
     */
    public static StoredTensors readStateDictWithDtypes(Path file, Limits limits) throws IOException {
        Checks.notNull("file", file);
        Checks.notNull("limits", limits);
        return StoredTensors.of(readArrays(file, limits));
    }

    /** The dtype of each array, in order. */
    static Map<String, String> dtypesOf(Map<String, ArrayData> arrays) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ArrayData> e : arrays.entrySet()) {
            out.put(e.getKey(), e.getValue().dtype());
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, ArrayData> readArrays(Path file, Limits limits) throws IOException {
        byte[] start = new byte[8];
        int n;
        try (ByteSource in = ByteSource.open(file)) {
            n = in.read(0, ByteBuffer.wrap(start));
        }
        String source = file.toString();
        return switch (detect(start, n, source)) {
            case TORCH_ZIP -> {
                try (ZipArchive zip = ZipArchive.open(file, limits)) {
                    yield readZip(zip, limits);
                }
            }
            case SAFETENSORS -> Safetensors.readArrays(file, limits);
        };
    }

    /**
     * Reads a state dict from a stream as {@link #readStateDict(Path)}; the stream is read to its end, not closed.
     *
     * @param in the bytes of a {@code .pt}/{@code .pth}, safetensors or {@code .npz} file
     * @return an unmodifiable map from parameter name to tensor, in the stream's order, with PyTorch's shapes
     * @throws IOException when the stream cannot be read, or its content is damaged or not a state dict
     */
    public static Map<String, Tensor> readStateDict(InputStream in) throws IOException {
        return readStateDict(in, "<stream>", Limits.defaults());
    }

    /**
     * Reads a state dict from a stream within limits; {@code source} names it in messages. The stream is read to its
     * end (never more than {@link Limits#maxInflatedBytes()} bytes) and not closed.
     *
     * @param in the bytes of a {@code .pt}/{@code .pth}, safetensors or {@code .npz} file
     * @param source what to call the stream in messages, for example a resource name
     * @param limits the limits on what the content may make rnn4j allocate
     * @return an unmodifiable map from parameter name to tensor, in the stream's order, with PyTorch's shapes
     * @throws IOException when the stream cannot be read, or its content is damaged, not a state dict, or exceeds a
     *     limit
     */
    public static Map<String, Tensor> readStateDict(InputStream in, String source, Limits limits) throws IOException {
        Checks.notNull("in", in);
        Checks.notNull("source", source);
        Checks.notNull("limits", limits);
        byte[] data = readAll(in, source, limits);
        return switch (detect(data, data.length, source)) {
            case TORCH_ZIP -> {
                try (ZipArchive zip = ZipArchive.open(data, source, limits)) {
                    yield tensors(readZip(zip, limits));
                }
            }
            case SAFETENSORS -> tensors(Safetensors.readArrays(data, source, limits));
        };
    }

    private enum Format { TORCH_ZIP, SAFETENSORS }

    /** The format by its first bytes; zips are told apart later (torch archive or {@code .npz}). */
    private static Format detect(byte[] start, int n, String source) throws FileFormatException {
        if (startsWith(start, n, ZIP_LOCAL) || startsWith(start, n, ZIP_EMPTY)) {
            return Format.TORCH_ZIP;
        }
        if (n >= 2 && (start[0] & 0xFF) == 0x80 && start[1] >= 2 && start[1] <= 5) {
            throw new UnsupportedFeatureException(source + ": a bare pickle, the legacy format torch.save wrote"
                    + " before PyTorch 1.6 (or with _use_new_zipfile_serialization=False), is not read: it cannot"
                    + " be checked before it is unpickled. Re-save it with a recent PyTorch:"
                    + " torch.save(torch.load(old_path).state_dict() if hasattr(..., 'state_dict') else"
                    + " torch.load(old_path), new_path)");
        }
        if (startsWith(start, n, NPY)) {
            throw new UnsupportedFeatureException(source + ": a single .npy array is not a state dict; save all"
                    + " parameters with np.savez(path, **{k: v.numpy() for k, v in model.state_dict().items()})");
        }
        if (n >= 8) {
            long header = ByteBuffer.wrap(start).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            if (header > 1 && header <= Safetensors.MAX_HEADER) {
                return Format.SAFETENSORS;
            }
        }
        throw new FileFormatException(source + ": not a state dict file: expected a torch.save zip archive"
                + " (PK\\3\\4), a .npz archive or a safetensors file");
    }

    private static boolean startsWith(byte[] data, int n, byte[] prefix) {
        if (n < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, ArrayData> readZip(ZipArchive zip, Limits limits) throws IOException {
        String prefix = TorchArchive.prefix(zip);
        if (prefix != null) {
            return TorchArchive.read(zip, prefix, limits);
        }
        for (ZipArchive.Entry e : zip.entries()) {
            if (!e.isDirectory() && !e.name.endsWith(".npy")) {
                throw new FileFormatException(zip.source() + ": a zip archive that is neither a torch.save archive"
                        + " (no <name>/data.pkl) nor a .npz (entry '" + e.name + "' is not a .npy)");
            }
        }
        return NumPy.readNpzArrays(zip, limits);
    }

    private static byte[] readAll(InputStream in, String source, Limits limits) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        for (int r; (r = in.read(buffer)) > 0; ) {
            total += r;
            if (total > limits.maxInflatedBytes() || total > Integer.MAX_VALUE - 8) {
                throw limits.exceeded(source, "the stream has more than " + (total - r) + " bytes",
                        "maxInflatedBytes", limits.maxInflatedBytes(), "withMaxInflatedBytes");
            }
            out.write(buffer, 0, r);
        }
        return out.toByteArray();
    }

    private static Map<String, Tensor> tensors(Map<String, ArrayData> arrays) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, ArrayData> e : arrays.entrySet()) {
            out.put(e.getKey(), e.getValue().toTensor());
        }
        return Collections.unmodifiableMap(out);
    }

    // ------------------------------------------------------------------------------------------ modules

    /**
     * Describes {@code nn.RNN(input_size, hidden_size)} (tanh; {@code nonlinearity='relu'} is {@link #rnnRelu}).
     *
     * @param inputSize {@code input_size}, at least 1
     * @param hiddenSize {@code hidden_size}, at least 1
     * @return a one-layer, one-direction description with bias
     */
    public static PyTorchRecurrent rnn(int inputSize, int hiddenSize) {
        return PyTorchRecurrent.of(PyTorchRecurrent.Kind.RNN_TANH, inputSize, hiddenSize);
    }

    /**
     * Describes {@code nn.RNN(input_size, hidden_size, nonlinearity='relu')}.
     *
     * @param inputSize {@code input_size}, at least 1
     * @param hiddenSize {@code hidden_size}, at least 1
     * @return a one-layer, one-direction description with bias
     */
    public static PyTorchRecurrent rnnRelu(int inputSize, int hiddenSize) {
        return PyTorchRecurrent.of(PyTorchRecurrent.Kind.RNN_RELU, inputSize, hiddenSize);
    }

    /**
     * Describes {@code nn.LSTM(input_size, hidden_size)}; set the other arguments with its withers.
     *
     * @param inputSize {@code input_size}, at least 1
     * @param hiddenSize {@code hidden_size}, at least 1
     * @return a one-layer, one-direction description with bias
     */
    public static PyTorchRecurrent lstm(int inputSize, int hiddenSize) {
        return PyTorchRecurrent.of(PyTorchRecurrent.Kind.LSTM, inputSize, hiddenSize);
    }

    /**
     * Describes {@code nn.GRU(input_size, hidden_size)}; set the other arguments with its withers.
     *
     * @param inputSize {@code input_size}, at least 1
     * @param hiddenSize {@code hidden_size}, at least 1
     * @return a one-layer, one-direction description with bias
     */
    public static PyTorchRecurrent gru(int inputSize, int hiddenSize) {
        return PyTorchRecurrent.of(PyTorchRecurrent.Kind.GRU, inputSize, hiddenSize);
    }

    /**
     * {@code nn.Linear(in_features, out_features)} as a {@link Dense}: {@code y = x·Wᵀ + b}, {@code weight}
     * {@code [out][in]} transposed to the kernel {@code [in][out]}. Without a {@code bias} parameter the layer has
     * none ({@code bias=False}).
     *
     * @param stateDict the state dict, as {@link #readStateDict} returns it
     * @param prefix the module's name in the state dict, for example {@code "fc"}
     * @param inFeatures {@code in_features}
     * @param outFeatures {@code out_features}
     * @return a linear Dense layer with kernel {@code [inFeatures][outFeatures]}
     * @throws IllegalArgumentException when {@code weight} is missing or has another shape, {@code bias} has another
     *         shape, or another parameter lives under the prefix (the message names it and both shapes)
     */
    public static Dense linear(Map<String, Tensor> stateDict, String prefix, int inFeatures, int outFeatures) {
        StateDictScope scope = new StateDictScope(stateDict, prefix, "nn.Linear(" + inFeatures + ", " + outFeatures
                + ")");
        double[] w = scope.values("weight", outFeatures, inFeatures);
        double[] b = scope.has("bias") ? scope.vector("bias", outFeatures) : null;
        scope.checkNoneLeft("nn.Linear has only weight and bias");
        // The transpose is the one copy of the weight; the layer owns it.
        double[][] kernel = new double[inFeatures][outFeatures];
        for (int o = 0; o < outFeatures; o++) {
            for (int i = 0; i < inFeatures; i++) {
                kernel[i][o] = w[o * inFeatures + i];
            }
        }
        return Handover.layers().dense(kernel, b, Activation.LINEAR);
    }

    /**
     * {@code nn.Embedding(num_embeddings, embedding_dim)} as an {@link Embedding} (the table is used as is).
     *
     * <p>{@code padding_idx} does not mask anything in PyTorch (it only keeps that row at zero during training), so
     * the layer masks nothing unless {@code maskZero} is set: then id 0 is padding and later recurrent layers skip it,
     * which is what {@code pack_padded_sequence} does for a batch padded with id 0 (Keras {@code mask_zero}).
     *
     * @param stateDict the state dict, as {@link #readStateDict} returns it
     * @param prefix the module's name in the state dict, for example {@code "embedding"}
     * @param numEmbeddings {@code num_embeddings}: the vocabulary size
     * @param embeddingDim {@code embedding_dim}
     * @param maskZero whether id 0 is padding that later layers skip
     * @return an embedding with table {@code [numEmbeddings][embeddingDim]}
     * @throws IllegalArgumentException when {@code weight} is missing or has another shape, or another parameter
     *         lives under the prefix
     */
    public static Embedding embedding(Map<String, Tensor> stateDict, String prefix, int numEmbeddings,
                                      int embeddingDim, boolean maskZero) {
        StateDictScope scope = new StateDictScope(stateDict, prefix, "nn.Embedding(" + numEmbeddings + ", "
                + embeddingDim + ")");
        double[][] table = scope.matrix("weight", numEmbeddings, embeddingDim);
        scope.checkNoneLeft("nn.Embedding has only weight");
        return Handover.layers().embedding(table, maskZero);
    }

    /**
     * {@code nn.LayerNorm(normalized_shape, eps)} over the last axis as a {@link LayerNormalization}:
     * {@code y = (x − mean)/√(var + eps)·weight + bias} with the biased variance. Without {@code weight} and
     * {@code bias} parameters it is {@code elementwise_affine=False}. PyTorch's default {@code eps} is 1e-5.
     *
     * @param stateDict the state dict, as {@link #readStateDict} returns it
     * @param prefix the module's name in the state dict, for example {@code "norm"}
     * @param normalizedShape the length of the last axis
     * @param eps added to the variance
     * @return a layer normalising over the last axis
     * @throws IllegalArgumentException when a parameter has another shape or another parameter lives under the
     *         prefix
     */
    public static LayerNormalization layerNorm(Map<String, Tensor> stateDict, String prefix, int normalizedShape,
                                               double eps) {
        StateDictScope scope = new StateDictScope(stateDict, prefix, "nn.LayerNorm(" + normalizedShape + ", eps="
                + eps + ")");
        // Views: the public constructor makes the one copy.
        double[] gamma = scope.has("weight") ? scope.values("weight", normalizedShape) : null;
        double[] beta = scope.has("bias") ? scope.values("bias", normalizedShape) : null;
        scope.checkNoneLeft("nn.LayerNorm has only weight and bias");
        return new LayerNormalization(gamma, beta, normalizedShape, eps);
    }

    /**
     * Starts a chain of modules read from one state dict; see {@link PyTorchChain}.
     *
     * @param stateDict the state dict, as {@link #readStateDict} returns it; every parameter must be used or ignored
     * @return an empty chain
     */
    public static PyTorchChain chain(Map<String, Tensor> stateDict) {
        return new PyTorchChain(stateDict);
    }

    /**
     * One call for the common {@code Embedding → RNN/LSTM/GRU → Linear} classifier or language model, whose Python
     * {@code __init__} is {@code self.embedding = nn.Embedding(V, E)}, {@code self.rnn = nn.LSTM(E, H, ...,
     * batch_first=True)}, {@code self.fc = nn.Linear(D·H, out)} (any attribute names: give them as prefixes).
     *
     * <p>The model takes token ids {@code [timeSteps]} and returns {@code fc} applied to {@code output}
     * ({@link PyTorchRecurrent.Output#SEQUENCE}: a language model or tagger, {@code [timeSteps][out]}),
     * {@code output[:, -1, :]} or the last layer's final hidden state ({@code [out]}). With {@code maskZero}, id 0 is
     * padding as in a {@code pack_padded_sequence} batch padded with 0.
     *
     * @param stateDict the state dict, as {@link #readStateDict} returns it
     * @param embedding the embedding's prefix, for example {@code "embedding"}; its table gives the vocabulary size
     * @param recurrentPrefix the recurrent module's name in the state dict, for example {@code "rnn"}
     * @param recurrent the recurrent module; its {@code inputSize} is the embedding dimension
     * @param linear the linear layer's prefix, for example {@code "fc"}; its weight gives {@code out}
     * @param output which of the recurrent module's results feeds {@code linear}
     * @param maskZero whether id 0 is padding that the recurrent layers skip
     * @return a model with one input of token ids and one output
     * @throws IllegalArgumentException when a parameter is missing, has another shape, or is left over, naming it
     */
    public static io.github.rnn4j.model.Model textModel(Map<String, Tensor> stateDict, String embedding,
                                                        String recurrentPrefix, PyTorchRecurrent recurrent,
                                                        String linear, PyTorchRecurrent.Output output,
                                                        boolean maskZero) {
        Checks.notNull("recurrent", recurrent);
        Checks.notNull("stateDict", stateDict);
        Tensor table = stateDict.get(new StateDictScope(stateDict, embedding, "nn.Embedding").name("weight"));
        Tensor fc = stateDict.get(new StateDictScope(stateDict, linear, "nn.Linear").name("weight"));
        int vocab = table == null || table.rank() != 2 ? 1 : table.shape()[0];
        int out = fc == null || fc.rank() != 2 ? 1 : fc.shape()[0];
        return chain(stateDict)
                .embedding(embedding, vocab, recurrent.inputSize(), maskZero)
                .recurrent(recurrentPrefix, recurrent, output)
                .linear(linear, recurrent.outputSize(), out)
                .build();
    }
}
