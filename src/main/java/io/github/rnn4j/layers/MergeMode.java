package io.github.rnn4j.layers;

/**
 * How {@link Bidirectional} combines its forward output {@code a} and backward output {@code b}
 * (Keras {@code merge_mode}). Thread-safe: constants.
 */
public enum MergeMode {
    /** {@code [a, b]} joined along the last axis: the output has {@code 2·units} entries. */
    CONCAT,
    /** {@code a + b}. */
    SUM,
    /** {@code a · b}, element-wise. */
    MUL,
    /** {@code (a + b) / 2}. */
    AVE,
    /** No merge: both outputs are kept, reachable through {@link RnnOutput#directions()}. */
    NONE;

    /** The merged output length for direction outputs of {@code units} each. */
    int outputSize(int units) {
        return this == CONCAT ? 2 * units : units;
    }

    /** Writes the merge of {@code a} and {@code b} (each {@code [units]}) into a new array. */
    double[] merge(double[] a, double[] b) {
        int u = a.length;
        double[] out = new double[outputSize(u)];
        switch (this) {
            case CONCAT:
                System.arraycopy(a, 0, out, 0, u);
                System.arraycopy(b, 0, out, u, u);
                break;
            case SUM:
                for (int j = 0; j < u; j++) {
                    out[j] = a[j] + b[j];
                }
                break;
            case MUL:
                for (int j = 0; j < u; j++) {
                    out[j] = a[j] * b[j];
                }
                break;
            case AVE:
                for (int j = 0; j < u; j++) {
                    out[j] = (a[j] + b[j]) / 2.0;
                }
                break;
            default:
                throw new IllegalStateException("merge mode NONE does not merge");
        }
        return out;
    }
}
