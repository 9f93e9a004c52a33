package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Handover;

/**
 * The package-private factories that keep the weight arrays they are given, registered for the loaders in
 * {@code io.github.rnn4j.io} through {@link Handover}: a weight read from a file is then copied once (from the
 * reader's flat array into rows) instead of once more by a public constructor. Each factory checks as the public
 * constructor does. Stateless and thread-safe.
 */
final class OwningFactories implements Handover.Layers {
    static {
        Handover.register(new OwningFactories());
    }

    private OwningFactories() {
    }

    @Override
    public Dense dense(double[][] kernel, double[] bias, Activation activation) {
        return Dense.owning(kernel, bias, activation);
    }

    @Override
    public Embedding embedding(double[][] table, boolean maskZero) {
        return Embedding.owning(table, maskZero);
    }

    @Override
    public Conv1D conv1D(double[][][] kernel, double[] bias, int strides, Padding padding, int dilationRate,
                         int groups, Activation activation) {
        return Conv1D.owning(kernel, bias, strides, padding, dilationRate, groups, activation);
    }

    @Override
    public SimpleRnnCell simpleRnn(double[][] kernel, double[][] recurrentKernel, double[] bias,
                                   Activation activation) {
        return SimpleRnnCell.owning(kernel, recurrentKernel, bias, activation);
    }

    @Override
    public LstmCell lstm(double[][] kernel, double[][] recurrentKernel, double[] bias, Activation activation,
                         Activation recurrentActivation) {
        return LstmCell.owning(kernel, recurrentKernel, bias, activation, recurrentActivation);
    }

    @Override
    public GruCell gruResetAfter(double[][] kernel, double[][] recurrentKernel, double[][] bias,
                                 Activation activation, Activation recurrentActivation) {
        return GruCell.owningResetAfter(kernel, recurrentKernel, bias, activation, recurrentActivation);
    }

    @Override
    public GruCell gruResetBefore(double[][] kernel, double[][] recurrentGates, double[][] recurrentCandidate,
                                  double[] bias, Activation activation, Activation recurrentActivation) {
        return GruCell.owningResetBefore(kernel, recurrentGates, recurrentCandidate, bias, activation,
                recurrentActivation);
    }
}
