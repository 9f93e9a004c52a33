package io.github.rnn4j.text;

import io.github.rnn4j.internal.Checks;

import java.util.List;

/**
 * Pads and truncates ragged id sequences into one {@code [n][maxlen]} matrix, as Keras's {@code pad_sequences}
 * ({@code keras_preprocessing/sequence.py} 1.1, also {@code keras.utils.pad_sequences}) does.
 *
 * <p>A sequence longer than {@code maxlen} loses its first ({@link Side#PRE}) or last ({@link Side#POST}) ids; a
 * shorter one gets {@code value} before ({@code PRE}) or after ({@code POST}) its ids. Keras's defaults are
 * {@code PRE} for both and {@code value = 0}, which is what an {@code Embedding(mask_zero=True)} model trained on
 * {@code pad_sequences} output expects. Stateless and thread-safe.
 */
public final class Sequences {
    private Sequences() {
    }

    /** Where padding goes, or where truncation cuts: Keras's {@code 'pre'} and {@code 'post'}. */
    public enum Side {
        /** At the start of the sequence ({@code 'pre'}, Keras's default). */
        PRE,
        /** At the end of the sequence ({@code 'post'}). */
        POST
    }

    /**
     * {@code pad_sequences(sequences, maxlen, padding, truncating, value)}: a {@code [n][maxlen]} matrix.
     *
     * @param sequences {@code n} id sequences of any lengths, possibly empty
     * @param maxlen the row length, at least 0
     * @param padding where short rows get {@code value}
     * @param truncating where long rows lose ids
     * @param value the padding id
     * @return a new {@code [n][maxlen]} matrix
     * @throws IllegalArgumentException for a null list, side or sequence (named with its position), a negative
     *         {@code maxlen}, or {@code maxlen = 0} with {@code PRE} truncation of a non-empty sequence, which
     *         {@code keras_preprocessing} refuses too (it slices {@code s[-0:]}, the whole sequence)
     */
    public static int[][] pad(List<int[]> sequences, int maxlen, Side padding, Side truncating, int value) {
        check(sequences);
        Checks.notNull("padding", padding);
        Checks.notNull("truncating", truncating);
        if (maxlen < 0) {
            throw new IllegalArgumentException("maxlen is " + maxlen + ", expected at least 0");
        }
        int n = sequences.size();
        int[][] out = new int[n][maxlen];
        for (int k = 0; k < n; k++) {
            int[] s = sequences.get(k);
            int[] row = out[k];
            if (s.length == 0) {
                java.util.Arrays.fill(row, value);
                continue;
            }
            if (maxlen == 0 && truncating == Side.PRE) {
                throw new IllegalArgumentException("maxlen is 0 with PRE truncation and sequences[" + k + "] has "
                        + s.length + " ids: Keras's pad_sequences fails here too (s[-0:] keeps every id); use"
                        + " maxlen >= 1 or POST truncation");
            }
            int keep = Math.min(s.length, maxlen);
            int from = truncating == Side.PRE ? s.length - keep : 0;
            int to = padding == Side.PRE ? maxlen - keep : 0;
            java.util.Arrays.fill(row, value);
            System.arraycopy(s, from, row, to, keep);
        }
        return out;
    }

    /**
     * {@code pad_sequences(sequences, maxlen)}: {@code PRE} padding and truncation with 0, Keras's defaults.
     *
     * @param sequences id sequences of any lengths
     * @param maxlen the row length, at least 0
     * @return a new {@code [n][maxlen]} matrix
     */
    public static int[][] pad(List<int[]> sequences, int maxlen) {
        return pad(sequences, maxlen, Side.PRE, Side.PRE, 0);
    }

    /**
     * {@code pad_sequences(sequences, maxlen=None, padding=..., value=...)}: rows as long as the longest sequence.
     *
     * @param sequences id sequences, at least one
     * @param padding where short rows get {@code value}
     * @param value the padding id
     * @return a new {@code [n][longest]} matrix
     * @throws IllegalArgumentException for an empty list (Keras fails taking the maximum of no lengths), or a null
     *         list, side or sequence
     */
    public static int[][] padToLongest(List<int[]> sequences, Side padding, int value) {
        check(sequences);
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("sequences is empty, expected at least one sequence when maxlen is"
                    + " not given");
        }
        int longest = 0;
        for (int[] s : sequences) {
            longest = Math.max(longest, s.length);
        }
        return pad(sequences, longest, padding, Side.PRE, value);
    }

    private static void check(List<int[]> sequences) {
        Checks.notNull("sequences", sequences);
        for (int k = 0; k < sequences.size(); k++) {
            if (sequences.get(k) == null) {
                throw new IllegalArgumentException("sequences[" + k + "] is null");
            }
        }
    }
}
