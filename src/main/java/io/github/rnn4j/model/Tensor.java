package io.github.rnn4j.model;

import io.github.rnn4j.internal.Checks;
import io.github.rnn4j.internal.Handover;

import java.util.Arrays;

/**
 * An immutable n-dimensional array of doubles: the unit in which weights travel from files to layers.
 *
 * <p>{@code shape} is for example {@code [inputSize, units]} for a kernel or {@code [units]} for a bias; data is
 * stored flat in row-major (C) order, as NumPy does. Data is copied on the way in and out. Thread-safe.
 */
public final class Tensor {
    static {
        Handover.register(new Handover.Tensors() {
            @Override
            public Tensor owning(int[] shape, double[] data) {
                return checked(shape, data, false);
            }

            @Override
            public double[] view(Tensor tensor) {
                return tensor.data;
            }
        });
    }

    private final int[] shape;
    private final double[] data;

    private Tensor(int[] shape, double[] data) {
        this.shape = shape;
        this.data = data;
    }

    /**
     * Creates a tensor from a shape and row-major data.
     *
     * @param shape the dimensions, outermost first
     * @param data the values in row-major order, copied
     * @return the tensor
     * @throws IllegalArgumentException when a dimension is negative or {@code data.length} is not the product of the shape
     */
    public static Tensor of(int[] shape, double[] data) {
        return checked(shape, data, true);
    }

    /** Checks as {@link #of(int[], double[])}; copies {@code data} only when {@code copy} (see {@link Handover}). */
    private static Tensor checked(int[] shape, double[] data, boolean copy) {
        Checks.notNull("shape", shape);
        Checks.notNull("data", data);
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("shape[" + i + "] is " + shape[i] + ", expected >= 0");
            }
            size *= shape[i];
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Checks.dims(shape) + " has more than 2^31-1 elements");
            }
        }
        if (size != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " elements, expected " + size
                    + " for shape " + Checks.dims(shape));
        }
        return new Tensor(shape.clone(), copy ? data.clone() : data);
    }

    /**
     * Creates a rank-1 tensor {@code [n]} from a vector.
     *
     * @param vector the values, copied
     * @return a rank-1 tensor
     */
    public static Tensor of(double[] vector) {
        Checks.notNull("vector", vector);
        return new Tensor(new int[] {vector.length}, vector.clone());
    }

    /**
     * Creates a rank-2 tensor {@code [rows, cols]} from a non-ragged matrix.
     *
     * @param matrix the rows, copied
     * @return a rank-2 tensor
     */
    public static Tensor of(double[][] matrix) {
        int cols = Checks.matrixShape("matrix", matrix, -1, -1);
        double[] flat = new double[matrix.length * cols];
        for (int i = 0; i < matrix.length; i++) {
            System.arraycopy(matrix[i], 0, flat, i * cols, cols);
        }
        return new Tensor(new int[] {matrix.length, cols}, flat);
    }

    /**
     * The dimensions of this tensor, outermost first, in a new array.
     *
     * @return a copy of the shape
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The number of dimensions.
     *
     * @return the rank, 0 or more
     */
    public int rank() {
        return shape.length;
    }

    /**
     * The data in row-major order, a new array.
     *
     * @return a copy of the values
     */
    public double[] data() {
        return data.clone();
    }

    /**
     * The values of a rank-1 tensor, a new {@code [n]} array.
     *
     * @return the values
     * @throws IllegalStateException when the rank is not 1
     */
    public double[] vector() {
        if (shape.length != 1) {
            throw new IllegalStateException("tensor of shape " + Checks.dims(shape) + " is not a vector");
        }
        return data.clone();
    }

    /**
     * The values of a rank-2 tensor, a new {@code [rows][cols]} array.
     *
     * @return the rows
     * @throws IllegalStateException when the rank is not 2
     */
    public double[][] matrix() {
        if (shape.length != 2) {
            throw new IllegalStateException("tensor of shape " + Checks.dims(shape) + " is not a matrix");
        }
        double[][] m = new double[shape[0]][];
        for (int i = 0; i < shape[0]; i++) {
            m[i] = Arrays.copyOfRange(data, i * shape[1], (i + 1) * shape[1]);
        }
        return m;
    }

    /** The values without a copy, for this package's code that never changes them. */
    double[] dataView() {
        return data;
    }

    /**
     * Sample {@code b} of a tensor with a leading batch axis: shape {@code shape[1..]}.
     *
     * @param b the batch index, from 0
     * @return a new tensor of rank one less
     * @throws IllegalArgumentException when the rank is 0 or {@code b} is outside the batch
     */
    public Tensor slice(int b) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("a scalar tensor has no batch axis");
        }
        if (b < 0 || b >= shape[0]) {
            throw new IllegalArgumentException("b is " + b + ", expected an index in [0, " + shape[0] + ")");
        }
        int[] inner = Arrays.copyOfRange(shape, 1, shape.length);
        int size = shape[0] == 0 ? 0 : data.length / shape[0];
        return new Tensor(inner, Arrays.copyOfRange(data, b * size, (b + 1) * size));
    }

    /**
     * Stacks tensors of one shape along a new leading batch axis.
     *
     * @param parts the samples, at least one, all of one shape
     * @return a tensor of shape {@code [parts.length, shape...]}
     * @throws IllegalArgumentException when there are none or their shapes differ, naming the first that differs
     */
    public static Tensor stack(Tensor... parts) {
        Checks.notNull("parts", parts);
        if (parts.length == 0) {
            throw new IllegalArgumentException("parts is empty, expected at least one tensor");
        }
        int[] inner = Checks.notNull("parts[0]", parts[0]).shape;
        int size = parts[0].data.length;
        double[] data = new double[Math.multiplyExact(size, parts.length)];
        for (int i = 0; i < parts.length; i++) {
            Checks.notNull("parts[" + i + "]", parts[i]);
            if (!Arrays.equals(parts[i].shape, inner)) {
                throw Checks.shape("parts[" + i + "]", Checks.dims(inner), Checks.dims(parts[i].shape));
            }
            System.arraycopy(parts[i].data, 0, data, i * size, size);
        }
        int[] shape = new int[inner.length + 1];
        shape[0] = parts.length;
        System.arraycopy(inner, 0, shape, 1, inner.length);
        return new Tensor(shape, data);
    }

    @Override
    public String toString() {
        return "Tensor" + Checks.dims(shape);
    }
}
