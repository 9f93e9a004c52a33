package io.github.rnn4j.internal;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Conv1D;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.GruCell;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.Padding;
import io.github.rnn4j.layers.SimpleRnnCell;
import io.github.rnn4j.model.Tensor;

/**
 * The loaders' way to the package-private factories that take ownership of weight arrays, so that a weight read from
 * a file is copied at most once on its way into a layer (once from the reader's flat array into rows, or not at all).
 *
 * <p>The public constructors of layers and {@link Tensor#of(int[], double[])} copy what they are given, because a
 * caller keeps its arrays. A loader does not: the array it has just read is referenced nowhere else, so the layer
 * may keep it. The factories check shapes and finiteness exactly as the public constructors do and differ only in
 * not copying. {@code io.github.rnn4j.layers} and {@code io.github.rnn4j.model} register their factories from a
 * static initializer; this package is not exported by the module, so users cannot reach them.
 *
 * <p>Thread-safe: the factories are set once, during class initialization.
 */
public final class Handover {
    private static volatile Layers layers;
    private static volatile Tensors tensors;

    private Handover() {
    }

    /** Layer factories that keep the arrays they are given: the caller must not use them afterwards. */
    public interface Layers {
        /** {@code Dense} owning {@code kernel} {@code [inputSize][units]} and {@code bias} {@code [units]} (or null). */
        Dense dense(double[][] kernel, double[] bias, Activation activation);

        /** {@code Embedding} owning {@code table} {@code [vocabSize][embeddingDim]}. */
        Embedding embedding(double[][] table, boolean maskZero);

        /** {@code Conv1D} owning {@code kernel} {@code [kernelSize][inputChannels/groups][filters]} and {@code bias}. */
        Conv1D conv1D(double[][][] kernel, double[] bias, int strides, Padding padding, int dilationRate, int groups,
                      Activation activation);

        /** {@code SimpleRnnCell} owning its kernels and {@code bias} (or null for none). */
        SimpleRnnCell simpleRnn(double[][] kernel, double[][] recurrentKernel, double[] bias, Activation activation);

        /** {@code LstmCell} owning its kernels and {@code bias} (or null for none). */
        LstmCell lstm(double[][] kernel, double[][] recurrentKernel, double[] bias, Activation activation,
                      Activation recurrentActivation);

        /** A {@code reset_after=True} {@code GruCell} owning its kernels and {@code bias} {@code [2][3·units]} (or null). */
        GruCell gruResetAfter(double[][] kernel, double[][] recurrentKernel, double[][] bias, Activation activation,
                              Activation recurrentActivation);

        /**
         * A {@code reset_after=False} {@code GruCell} owning its kernel, the z and r columns of the recurrent kernel
         * {@code [units][2·units]}, its candidate columns {@code [units][units]}, and {@code bias} (or null).
         */
        GruCell gruResetBefore(double[][] kernel, double[][] recurrentGates, double[][] recurrentCandidate,
                               double[] bias, Activation activation, Activation recurrentActivation);
    }

    /** Tensor access without a copy. */
    public interface Tensors {
        /** A tensor owning {@code data}; checked as {@link Tensor#of(int[], double[])}. */
        Tensor owning(int[] shape, double[] data);

        /** The tensor's own row-major values: the caller must not change them. */
        double[] view(Tensor tensor);
    }

    /** Called once by {@code io.github.rnn4j.layers}. */
    public static void register(Layers factories) {
        layers = factories;
    }

    /** Called once by {@code io.github.rnn4j.model}. */
    public static void register(Tensors access) {
        tensors = access;
    }

    /** The layer factories. */
    public static Layers layers() {
        if (layers == null) {
            initialize("io.github.rnn4j.layers.OwningFactories");
        }
        return layers;
    }

    /** The tensor access. */
    public static Tensors tensors() {
        if (tensors == null) {
            initialize(Tensor.class.getName());
        }
        return tensors;
    }

    private static void initialize(String className) {
        try {
            Class.forName(className, true, Handover.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("rnn4j is incomplete: " + className + " is missing", e);
        }
    }
}
