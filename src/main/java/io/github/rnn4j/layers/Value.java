package io.github.rnn4j.layers;

import io.github.rnn4j.internal.Checks;

/**
 * What flows along the edges of a model for one sample: a sequence with its mask, or a vector.
 *
 * <p>A {@link Sequence} is {@code [timeSteps][features]} with an optional Keras mask {@code [timeSteps]}
 * ({@code true} where the step is used); a {@link Vector} is {@code [features]}. Token ids travel as a vector of
 * whole numbers. Values hold their arrays without copying them; layers never change the arrays they are given and
 * always return new ones, so a value can be shared by every layer that reads it. Masks only ever travel with
 * sequences, as in Keras (keras/src/layers/layer.py, {@code compute_mask}).
 */
public sealed interface Value permits Value.Sequence, Value.Vector {

    /**
     * The shape of this value without a batch axis: {@code [timeSteps, features]} or {@code [features]}.
     *
     * @return the shape
     */
    Shape shape();

    /**
     * A sequence {@code [timeSteps][features]} and its mask.
     *
     * @param steps {@code [timeSteps][features]}, not ragged
     * @param mask {@code [timeSteps]}, {@code true} where the step is used, or {@code null} for no mask
     */
    record Sequence(double[][] steps, boolean[] mask) implements Value {
        /**
         * Checks that the sequence is not ragged and that the mask has one entry per step.
         *
         * @param steps {@code [timeSteps][features]}, not ragged
         * @param mask {@code [timeSteps]}, {@code true} where the step is used; {@code null} for no mask
         */
        public Sequence {
            Checks.notNull("steps", steps);
            if (mask != null && mask.length != steps.length) {
                throw Checks.shape("mask", Checks.dims(steps.length), Checks.dims(mask.length));
            }
        }

        /**
         * A sequence without a mask.
         *
         * @param steps {@code [timeSteps][features]}, not ragged
         */
        public Sequence(double[][] steps) {
            this(steps, null);
        }

        /**
         * The number of time steps.
         *
         * @return the step count
         */
        public int timeSteps() {
            return steps.length;
        }

        /**
         * The number of features per step (0 for an empty sequence).
         *
         * @return the feature count
         */
        public int features() {
            return steps.length == 0 ? 0 : steps[0].length;
        }

        @Override
        public Shape shape() {
            return Shape.sequence(steps.length, features());
        }

        @Override
        public String toString() {
            return "Sequence" + Checks.dims(steps.length, features()) + (mask == null ? "" : " with mask");
        }
    }

    /**
     * A vector {@code [features]}.
     *
     * @param values {@code [features]}
     */
    record Vector(double[] values) implements Value {
        /**
         * Checks that the values are there.
         *
         * @param values {@code [features]}, not null
         */
        public Vector {
            Checks.notNull("values", values);
        }

        @Override
        public Shape shape() {
            return Shape.vector(values.length);
        }

        @Override
        public String toString() {
            return "Vector" + Checks.dims(values.length);
        }
    }
}
