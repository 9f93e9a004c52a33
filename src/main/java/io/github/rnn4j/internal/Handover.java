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
        /**
         * A {@code Dense} layer owning {@code kernel} {@code [inputSize][units]} and {@code bias} {@code [units]}.
         *
         * @param kernel the kernel, kept
         * @param bias the bias, kept, or {@code null} for none
         * @param activation the activation after the product
         * @return the layer
         */
        Dense dense(double[][] kernel, double[] bias, Activation activation);

        /**
         * An {@code Embedding} owning {@code table} {@code [vocabSize][embeddingDim]}.
         *
         * @param table the embedding table, kept
         * @param maskZero whether id 0 masks its step
         * @return the layer
         */
        Embedding embedding(double[][] table, boolean maskZero);

        /**
         * A {@code Conv1D} owning {@code kernel} {@code [kernelSize][inputChannels/groups][filters]} and {@code bias}.
         *
         * @param kernel the kernel, kept
         * @param bias the bias {@code [filters]}, kept, or {@code null} for none
         * @param strides the step between windows
         * @param padding the padding mode
         * @param dilationRate the spacing of a window's taps
         * @param groups the number of channel groups
         * @param activation the activation after the convolution
         * @return the layer
         */
        Conv1D conv1D(double[][][] kernel, double[] bias, int strides, Padding padding, int dilationRate, int groups,
                      Activation activation);

        /**
         * A {@code SimpleRnnCell} owning its kernels and {@code bias}.
         *
         * @param kernel the input kernel {@code [inputSize][units]}, kept
         * @param recurrentKernel the recurrent kernel {@code [units][units]}, kept
         * @param bias the bias {@code [units]}, kept, or {@code null} for none
         * @param activation the cell's activation
         * @return the cell
         */
        SimpleRnnCell simpleRnn(double[][] kernel, double[][] recurrentKernel, double[] bias, Activation activation);

        /**
         * An {@code LstmCell} owning its kernels and {@code bias}.
         *
         * @param kernel the input kernel {@code [inputSize][4·units]}, kept
         * @param recurrentKernel the recurrent kernel {@code [units][4·units]}, kept
         * @param bias the bias {@code [4·units]}, kept, or {@code null} for none
         * @param activation the cell and output activation
         * @param recurrentActivation the gate activation
         * @return the cell
         */
        LstmCell lstm(double[][] kernel, double[][] recurrentKernel, double[] bias, Activation activation,
                      Activation recurrentActivation);

        /**
         * A {@code reset_after=True} {@code GruCell} owning its kernels and {@code bias} {@code [2][3·units]}.
         *
         * @param kernel the input kernel {@code [inputSize][3·units]}, kept
         * @param recurrentKernel the recurrent kernel {@code [units][3·units]}, kept
         * @param bias the input and recurrent biases {@code [2][3·units]}, kept, or {@code null} for none
         * @param activation the candidate activation
         * @param recurrentActivation the gate activation
         * @return the cell
         */
        GruCell gruResetAfter(double[][] kernel, double[][] recurrentKernel, double[][] bias, Activation activation,
                              Activation recurrentActivation);

        /**
         * A {@code reset_after=False} {@code GruCell} owning its kernel, the z and r columns of the recurrent kernel
         * {@code [units][2·units]}, its candidate columns {@code [units][units]}, and {@code bias}.
         *
         * @param kernel the input kernel {@code [inputSize][3·units]}, kept
         * @param recurrentGates the z and r columns of the recurrent kernel, kept
         * @param recurrentCandidate the candidate columns of the recurrent kernel, kept
         * @param bias the bias {@code [3·units]}, kept, or {@code null} for none
         * @param activation the candidate activation
         * @param recurrentActivation the gate activation
         * @return the cell
         */
        GruCell gruResetBefore(double[][] kernel, double[][] recurrentGates, double[][] recurrentCandidate,
                               double[] bias, Activation activation, Activation recurrentActivation);
    }

    /** Tensor access without a copy. */
    public interface Tensors {
        /**
         * A tensor owning {@code data}; checked as {@link Tensor#of(int[], double[])}.
         *
         * @param shape the tensor's shape
         * @param data its row-major values, kept
         * @return the tensor
         */
        Tensor owning(int[] shape, double[] data);

        /**
         * The tensor's own row-major values: the caller must not change them.
         *
         * @param tensor the tensor
         * @return its values, not a copy
         */
        double[] view(Tensor tensor);
    }

    /**
     * Called once by {@code io.github.rnn4j.layers}.
     *
     * @param factories the layer factories
     */
    public static void register(Layers factories) {
        layers = factories;
    }

    /**
     * Called once by {@code io.github.rnn4j.model}.
     *
     * @param access the tensor access
     */
    public static void register(Tensors access) {
        tensors = access;
    }

    /**
     * The layer factories, registered on first use.
     *
     * @return the factories of {@code io.github.rnn4j.layers}
     */
    public static Layers layers() {
        if (layers == null) {
            initialize("io.github.rnn4j.layers.OwningFactories");
        }
        return layers;
    }

    /**
     * The tensor access, registered on first use.
     *
     * @return the access of {@code io.github.rnn4j.model}
     */
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
