package io.github.rnn4j.io;

import io.github.rnn4j.internal.Checks;
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
 * {@code [in][out]}) and gate orders.
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
     */
    public static Map<String, Tensor> readStateDict(Path file, Limits limits) throws IOException {
        Checks.notNull("file", file);
        Checks.notNull("limits", limits);
        byte[] start = new byte[8];
        int n;
        try (ByteSource in = ByteSource.open(file)) {
            n = in.read(0, ByteBuffer.wrap(start));
        }
        String source = file.toString();
        return switch (detect(start, n, source)) {
            case TORCH_ZIP -> {
                try (ZipArchive zip = ZipArchive.open(file, limits)) {
                    yield tensors(readZip(zip, limits));
                }
            }
            case SAFETENSORS -> tensors(Safetensors.readArrays(file, limits));
        };
    }

    /** Reads a state dict from a stream as {@link #readStateDict(Path)}; the stream is read to its end, not closed. */
    public static Map<String, Tensor> readStateDict(InputStream in) throws IOException {
        return readStateDict(in, "<stream>", Limits.defaults());
    }

    /**
     * Reads a state dict from a stream within limits; {@code source} names it in messages. The stream is read to its
     * end (never more than {@link Limits#maxInflatedBytes()} bytes) and not closed.
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
        if (n == 8) {
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
}
