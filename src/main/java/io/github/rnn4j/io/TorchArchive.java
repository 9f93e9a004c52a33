package io.github.rnn4j.io;

import io.github.rnn4j.io.StateDictPickle.StorageRef;
import io.github.rnn4j.io.StateDictPickle.TensorView;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The zip layout {@code torch.save} writes since PyTorch 1.6 (torch/serialization.py, {@code _save} and
 * {@code _load}): {@code <name>/data.pkl} (the pickled state dict), {@code <name>/data/<key>} (one raw storage per
 * key), {@code <name>/version} and, since PyTorch 2.1, {@code <name>/byteorder} ({@code little} or {@code big};
 * absent means little-endian).
 *
 * <p>Reading happens in three phases so that nothing is allocated before it is proved: the pickle is interpreted
 * ({@link StateDictPickle}; a disallowed global stops everything here), every view is checked against its storage's
 * declared element count and the limits, then each storage record is checked against its declared size, read and
 * CRC-checked, and the views are copied out in row-major order. Not thread-safe: one call reads one archive.
 */
final class TorchArchive {
    private TorchArchive() {
    }

    /** Whether an opened zip archive is a {@code torch.save} archive (it has a {@code <name>/data.pkl}). */
    static String prefix(ZipArchive zip) {
        for (ZipArchive.Entry e : zip.entries()) {
            String n = e.name;
            int slash = n.indexOf('/');
            if (slash > 0 && n.substring(slash).equals("/data.pkl")) {
                return n.substring(0, slash + 1);
            }
        }
        return null;
    }

    /** Reads the state dict of a {@code torch.save} archive whose records live under {@code prefix}. */
    static Map<String, ArrayData> read(ZipArchive zip, String prefix, Limits limits) throws IOException {
        String pklName = prefix + "data.pkl";
        String where = zip.source() + "[" + pklName + "]";
        ZipArchive.Entry pkl = zip.entry(pklName);
        if (pkl.size > limits.maxJsonBytes()) {
            throw limits.exceeded(where, "the pickle declares " + pkl.size + " bytes", "maxJsonBytes",
                    limits.maxJsonBytes(), "withMaxJsonBytes");
        }
        Map<String, TensorView> views = StateDictPickle.read(zip.read(pkl), where);
        ByteOrder order = byteOrder(zip, prefix);

        // Phase 2: every view against its storage's declared length, and the limits, before any data is read.
        Map<String, StorageRef> storages = new LinkedHashMap<>();
        Limits.Budget budget = limits.budget();
        for (Map.Entry<String, TensorView> e : views.entrySet()) {
            TensorView v = e.getValue();
            String what = zip.source() + ": tensor '" + e.getKey() + "'";
            StorageRef s = v.storage();
            StorageRef known = storages.putIfAbsent(s.key(), s);
            if (known != null && (known.type() != s.type() || known.numel() != s.numel())) {
                throw new FileFormatException(what + ": storage '" + s.key() + "' is declared as " + s.numel() + " "
                        + s.typeName() + " elements here and as " + known.numel() + " " + known.typeName()
                        + " elsewhere");
            }
            long elements = checkView(what, v);
            budget.take(what, io.github.rnn4j.internal.Checks.dims(v.shape()), elements);
        }
        for (StorageRef s : storages.values()) {
            String name = prefix + "data/" + s.key();
            ZipArchive.Entry entry = zip.entry(name);
            if (entry == null) {
                throw new FileFormatException(zip.source() + ": the pickle refers to storage '" + s.key()
                        + "', but the archive has no record " + name);
            }
            if (s.numel() > Integer.MAX_VALUE - 8) {
                throw new FileFormatException(zip.source() + ": storage '" + s.key() + "' declares " + s.numel()
                        + " elements, more than a Java array holds");
            }
            long bytes = s.numel() * s.type().size;
            if (entry.size != bytes) {
                throw new FileFormatException(zip.source() + "[" + name + "]: the record has " + entry.size
                        + " bytes, the pickle declares " + s.numel() + " " + s.typeName() + " elements = " + bytes
                        + " bytes" + (entry.size < bytes ? " (the storage is shorter than declared)" : ""));
            }
            budget.take(zip.source() + "[" + name + "]", "[" + s.numel() + "]", s.numel());
        }

        // Phase 3: read each storage once (shared storages are read once), then copy the views out.
        Map<String, double[]> values = new LinkedHashMap<>();
        for (StorageRef s : storages.values()) {
            byte[] raw = zip.read(prefix + "data/" + s.key());
            double[] decoded = new double[(int) s.numel()];
            s.type().decode(ByteBuffer.wrap(raw).order(order), decoded, 0, decoded.length);
            values.put(s.key(), decoded);
        }
        Map<String, ArrayData> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorView> e : views.entrySet()) {
            TensorView v = e.getValue();
            int[] shape = new int[v.shape().length];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = (int) v.shape()[i];
            }
            out.put(e.getKey(), new ArrayData(zip.source() + ": tensor '" + e.getKey() + "'", shape,
                    gather(values.get(v.storage().key()), v), v.storage().type().dtypeName));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Checks that every element a view reaches lies inside its storage: {@code offset + Σ (size_i − 1)·stride_i <
     * numel} for a non-empty view; returns the number of elements.
     */
    private static long checkView(String what, TensorView v) throws FileFormatException {
        long elements = 1;
        long last = v.offset();
        for (int i = 0; i < v.shape().length; i++) {
            long size = v.shape()[i];
            if (size > Integer.MAX_VALUE) {
                throw new FileFormatException(what + ": dimension " + i + " of size " + io.github.rnn4j.internal.Checks.dims(v.shape())
                        + " is more than 2^31-1");
            }
            elements = size == 0 || elements == 0 ? 0 : multiply(what, elements, size);
            if (size > 0) {
                last = add(what, last, multiply(what, size - 1, v.stride()[i]));
            }
        }
        if (elements > Integer.MAX_VALUE) {
            throw new FileFormatException(what + ": size " + io.github.rnn4j.internal.Checks.dims(v.shape()) + " has more than 2^31-1"
                    + " elements");
        }
        if (elements > 0 && last >= v.storage().numel()) {
            throw new FileFormatException(what + ": size " + io.github.rnn4j.internal.Checks.dims(v.shape()) + ", stride "
                    + io.github.rnn4j.internal.Checks.dims(v.stride()) + " and storage offset " + v.offset() + " reach element " + last
                    + ", but its storage '" + v.storage().key() + "' has " + v.storage().numel() + " elements"
                    + " (the storage is shorter than the tensor)");
        }
        return elements;
    }

    private static long multiply(String what, long a, long b) throws FileFormatException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new FileFormatException(what + ": its size and strides overflow 64 bits");
        }
    }

    private static long add(String what, long a, long b) throws FileFormatException {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new FileFormatException(what + ": its size and strides overflow 64 bits");
        }
    }

    /** Copies a strided view out of its storage in row-major order. */
    private static double[] gather(double[] storage, TensorView v) {
        long[] shape = v.shape();
        long[] stride = v.stride();
        int n = 1;
        for (long s : shape) {
            n *= (int) s;
        }
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        int rank = shape.length;
        int[] index = new int[rank];
        long at = v.offset();
        for (int k = 0; k < n; k++) {
            out[k] = storage[(int) at];
            for (int d = rank - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    at += stride[d];
                    break;
                }
                at -= (shape[d] - 1) * stride[d];
                index[d] = 0;
            }
        }
        return out;
    }

    private static ByteOrder byteOrder(ZipArchive zip, String prefix) throws IOException {
        ZipArchive.Entry e = zip.entry(prefix + "byteorder");
        if (e == null) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        if (e.size > 16) {
            throw new FileFormatException(zip.source() + "[" + e.name + "]: " + e.size + " bytes, expected 'little'"
                    + " or 'big'");
        }
        String text = new String(zip.read(e), StandardCharsets.US_ASCII).trim();
        return switch (text) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new FileFormatException(zip.source() + "[" + e.name + "]: '" + text
                    + "', expected 'little' or 'big'");
        };
    }
}
