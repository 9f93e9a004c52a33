/**
 * File formats: NumPy {@code .npy}/{@code .npz} ({@link io.github.rnn4j.io.NumPy}), safetensors
 * ({@link io.github.rnn4j.io.Safetensors}) and Keras legacy HDF5 models ({@link io.github.rnn4j.io.KerasModels}).
 *
 * <p>Loaders turn bytes into {@link io.github.rnn4j.model.Tensor}s and Keras configurations into
 * {@link io.github.rnn4j.model.LayerConfig}s, and hand them to {@link io.github.rnn4j.model.SequentialModel}; they
 * never do math. A damaged file raises {@link io.github.rnn4j.io.FileFormatException}, a valid file that uses
 * something rnn4j does not read raises {@link io.github.rnn4j.io.UnsupportedFeatureException}; both are
 * {@link java.io.IOException}s whose message names the file and what was found.
 *
 * <p>Out of scope: writing files, the Keras 3 {@code .keras} zip format, TensorFlow SavedModel, and HDF5 beyond
 * the subset Keras and h5py write (see {@code Hdf5File} for the exact list). Nothing outside this package reads files.
 */
package io.github.rnn4j.io;
