package io.github.rnn4j.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded sequences for the masking GRU model: ragged rows, and rows padded with all-zero steps. */
final class SyntheticSequences {
    static final int FEATURES = 8;
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("features", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType, true), true),
                    true);

    private SyntheticSequences() {
    }

    /**
     * {@code count} sequences of 1 to {@code maxSteps} steps; every third is padded with zero steps to
     * {@code maxSteps} (every sixth at the front), which the model's Masking layer skips.
     */
    static double[][][] make(int count, int maxSteps, long seed) {
        Random random = new Random(seed);
        double[][][] sequences = new double[count][][];
        for (int r = 0; r < count; r++) {
            int steps = 1 + random.nextInt(maxSteps);
            double[][] real = new double[steps][FEATURES];
            for (double[] step : real) {
                for (int j = 0; j < FEATURES; j++) {
                    step[j] = random.nextGaussian();
                }
            }
            if (r % 3 == 0 && steps < maxSteps) {
                double[][] padded = new double[maxSteps][FEATURES];
                int offset = r % 6 == 0 ? maxSteps - steps : 0;
                System.arraycopy(real, 0, padded, offset, steps);
                sequences[r] = padded;
            } else {
                sequences[r] = real;
            }
        }
        return sequences;
    }

    static List<Row> rows(double[][][] sequences) {
        List<Row> rows = new ArrayList<>(sequences.length);
        for (int r = 0; r < sequences.length; r++) {
            rows.add(RowFactory.create((long) r, nested(sequences[r])));
        }
        return rows;
    }

    static List<List<Double>> nested(double[][] sequence) {
        List<List<Double>> steps = new ArrayList<>(sequence.length);
        for (double[] step : sequence) {
            List<Double> values = new ArrayList<>(step.length);
            for (double v : step) {
                values.add(v);
            }
            steps.add(values);
        }
        return steps;
    }
}
