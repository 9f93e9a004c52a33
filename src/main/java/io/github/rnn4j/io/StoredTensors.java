package io.github.rnn4j.io;

import io.github.rnn4j.model.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors of one file read once, each with the element type the file stores it in, named as numpy and PyTorch
 * name it ({@code float32}, {@code bfloat16}, {@code int64}, {@code bool}); the values are doubles whatever that
 * type is. Returned by {@link NumPy#readNpzWithDtypes} and {@link PyTorch#readStateDictWithDtypes}, for
 * tools that show what a file holds without reading it twice.
 *
 * <p>Immutable and thread-safe: both maps are unmodifiable and {@link Tensor} is immutable.
 */
public final class StoredTensors {
    private final Map<String, Tensor> tensors;
    private final Map<String, String> dtypes;

    private StoredTensors(Map<String, Tensor> tensors, Map<String, String> dtypes) {
        this.tensors = tensors;
        this.dtypes = dtypes;
    }

    /** Takes over the arrays a reader just made (no copy of their values), keeping their order. */
    static StoredTensors of(Map<String, ArrayData> arrays) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> dtypes = new LinkedHashMap<>();
        for (Map.Entry<String, ArrayData> e : arrays.entrySet()) {
            dtypes.put(e.getKey(), e.getValue().dtype());
            tensors.put(e.getKey(), e.getValue().toTensor());
        }
        return new StoredTensors(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(dtypes));
    }

    /**
     * The tensors by name, in the file's order.
     *
     * @return an unmodifiable map from tensor name to tensor, as {@link NumPy#readNpz} or
     *     {@link PyTorch#readStateDict} gives it
     */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /**
     * The element type each tensor has in the file, with the same names in the same order as {@link #tensors()}.
     *
     * @return an unmodifiable map from tensor name to dtype, as {@link NumPy#npzDtypes} or
     *     {@link PyTorch#dtypes} gives it
     */
    public Map<String, String> dtypes() {
        return dtypes;
    }
}
