/**
 * File formats: NumPy {@code .npy}/{@code .npz} ({@link io.github.rnn4j.io.NumPy}), safetensors
 * ({@link io.github.rnn4j.io.Safetensors}), Keras models ({@link io.github.rnn4j.io.KerasModels}: Keras 3
 * {@code .keras} archives, legacy {@code .h5} from Keras 1, 2, tf.keras and 3, and {@code to_json()} plus weights) and
 * PyTorch state dicts ({@link io.github.rnn4j.io.PyTorch}: {@code torch.save} zip archives read by a restricted
 * unpickler that executes nothing, safetensors and {@code .npz}).
 *
 * <p>Loaders turn bytes into {@link io.github.rnn4j.model.Tensor}s, and Keras configurations (one reader per Keras
 * layer class, in the package-private {@code KerasLayers}) into {@link io.github.rnn4j.layers.Layer}s that they hand
 * to {@link io.github.rnn4j.model.Model#builder()}; they never do math. A damaged file raises {@link io.github.rnn4j.io.FileFormatException}, a valid file that uses
 * something rnn4j does not read raises {@link io.github.rnn4j.io.UnsupportedFeatureException}; both are
 * {@link java.io.IOException}s whose message names the file and what was found.
 *
 * <p>Keras files are read by a small pure-Java HDF5 reader (package-private) covering what Keras writes through
 * h5py: superblocks 0-3, object headers 1-2, old-style and compact groups, attributes with fixed- and
 * variable-length strings, contiguous, compact and chunked datasets (deflate, shuffle, fletcher32) of IEEE floats
 * and integers. Dense (fractal-heap) link and attribute storage, extensible-array and B-tree-2 chunk indexes and
 * other filters are reported as unsupported. Zip archives ({@code .npz}, and the {@code .keras} and {@code .pt}
 * archives of the loaders) are read by a strict package-private zip reader that verifies every CRC-32.
 *
 * <p>Untrusted files: every reader takes {@link io.github.rnn4j.io.Limits} (defaults when not given) and proves a
 * size before allocating for it; the checksums a format carries are verified; damage of any kind is a
 * {@code FileFormatException} naming the file, and only the {@link java.io.IOException} family leaves a reader.
 * The readers are fuzzed with Jazzer (docs/fuzzing.md).
 *
 * <p>Out of scope: writing files, TensorFlow SavedModel and general HDF5. Nothing outside this package reads files.
 */
package io.github.rnn4j.io;
