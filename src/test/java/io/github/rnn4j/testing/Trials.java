package io.github.rnn4j.testing;

import java.util.Random;
import java.util.function.Consumer;

/**
 * Property-based checks without a framework: a property runs over many trials, each with its own seeded
 * {@link Random} that draws the shapes, weights and inputs. A failure names the property, the trial and its seed,
 * so that {@code Trials.replay} reproduces it exactly. Fixed seeds keep the suite deterministic, as the conventions
 * ask; a new base seed explores new cases.
 */
public final class Trials {
    private Trials() {
    }

    /**
     * Runs {@code property} for trials {@code 0..count-1} with seeds {@code seed + trial}.
     *
     * @return the number of trials run, for the test to assert
     */
    public static int forAll(String property, int count, long seed, Consumer<Random> body) {
        if (count < 1) {
            throw new IllegalArgumentException("count is " + count + ", expected at least 1");
        }
        for (int trial = 0; trial < count; trial++) {
            long trialSeed = seed + trial;
            try {
                body.accept(new Random(trialSeed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(property + ": trial " + trial + " of " + count + " failed (seed " + trialSeed
                        + ", rerun with Trials.replay): " + e.getMessage(), e);
            }
        }
        return count;
    }

    /** Runs one trial again with the seed a failure reported. */
    public static void replay(long trialSeed, Consumer<Random> body) {
        body.accept(new Random(trialSeed));
    }

    /** A whole number in {@code [from, to]}. */
    public static int between(Random rnd, int from, int to) {
        return from + rnd.nextInt(to - from + 1);
    }

    /** A mask of {@code length} steps, each used with probability {@code used}. */
    public static boolean[] mask(Random rnd, int length, double used) {
        boolean[] m = new boolean[length];
        for (int t = 0; t < length; t++) {
            m[t] = rnd.nextDouble() < used;
        }
        return m;
    }
}
