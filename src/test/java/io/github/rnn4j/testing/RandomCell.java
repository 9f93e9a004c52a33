package io.github.rnn4j.testing;

import io.github.rnn4j.layers.GruCell;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.RnnCell;
import io.github.rnn4j.layers.SimpleRnnCell;

import java.util.Random;

/**
 * A recurrent cell of random kind, shape and weights, with the same weights in the layout {@link NaiveRnn} reads.
 *
 * @param kind which cell
 * @param cell the production cell
 * @param kernel {@code [inputSize][gates·units]}
 * @param recurrent {@code [units][gates·units]}
 * @param bias {@code [1][gates·units]}, or {@code [2][3·units]} for GRU with {@code reset_after}
 */
public record RandomCell(NaiveRnn.Kind kind, RnnCell cell, double[][] kernel, double[][] recurrent, double[][] bias) {

    /** A cell of any kind with inputSize and units in {@code [1, 7]} and weights up to 1.2 in size. */
    public static RandomCell draw(Random rnd) {
        NaiveRnn.Kind[] kinds = NaiveRnn.Kind.values();
        return draw(rnd, kinds[rnd.nextInt(kinds.length)], Trials.between(rnd, 1, 7), Trials.between(rnd, 1, 7));
    }

    /** A cell of the given kind and shape with random weights. */
    public static RandomCell draw(Random rnd, NaiveRnn.Kind kind, int inputSize, int units) {
        int gates = kind == NaiveRnn.Kind.LSTM ? 4 : kind == NaiveRnn.Kind.SIMPLE ? 1 : 3;
        double scale = 0.1 + 1.1 * rnd.nextDouble();
        double[][] kernel = NaiveRnn.random(rnd, inputSize, gates * units, scale);
        double[][] recurrent = NaiveRnn.random(rnd, units, gates * units, scale);
        double[][] bias = NaiveRnn.random(rnd, kind == NaiveRnn.Kind.GRU_RESET_AFTER ? 2 : 1, gates * units, scale);
        return new RandomCell(kind, build(kind, kernel, recurrent, bias), kernel, recurrent, bias);
    }

    /** The production cell of {@code kind} with these weights, in the layouts of this record's components. */
    public static RnnCell build(NaiveRnn.Kind kind, double[][] kernel, double[][] recurrent, double[][] bias) {
        switch (kind) {
            case SIMPLE:
                return new SimpleRnnCell(kernel, recurrent, bias[0]);
            case LSTM:
                return new LstmCell(kernel, recurrent, bias[0]);
            case GRU_RESET_BEFORE:
                return new GruCell(kernel, recurrent, bias[0]);
            default:
                return new GruCell(kernel, recurrent, bias);
        }
    }

    /** The cell's inputSize. */
    public int inputSize() {
        return kernel.length;
    }

    /** The cell's units. */
    public int units() {
        return recurrent.length;
    }

    /** A random sequence {@code [timeSteps][inputSize]} with values up to {@code scale}. */
    public double[][] sequence(Random rnd, int timeSteps, double scale) {
        return NaiveRnn.random(rnd, timeSteps, inputSize(), scale);
    }

    /** Random states for this cell: {@code [stateCount][units]}. */
    public double[][] states(Random rnd) {
        return NaiveRnn.random(rnd, cell.stateCount(), units(), 0.9);
    }

    /** The naive reference run of this cell. */
    public NaiveRnn.Result reference(double[][] inputs, boolean[] mask, double[][] init, boolean goBackwards,
                                     boolean zeroOutputForMask) {
        return NaiveRnn.run(kind, kernel, recurrent, bias, inputs, mask, init, goBackwards, zeroOutputForMask);
    }
}
