package io.github.rnn4j.layers;

import io.github.rnn4j.testing.NaiveRnn;
import io.github.rnn4j.testing.RandomCell;
import io.github.rnn4j.testing.Tolerance;
import io.github.rnn4j.testing.Trials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.github.rnn4j.testing.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of {@link Rnn} and {@link Bidirectional} over hundreds of random cells (every kind, inputSize and units
 * 1 to 7), sequences (1 to 12 steps), masks and initial states each, checked against the naive reference
 * ({@link NaiveRnn}) or against another way of computing the same thing, bit for bit where the computation is the
 * same. Each property asserts how many trials it ran.
 */
class RnnPropertiesTest {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(3);

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    private static boolean[] maybeMask(Random rnd, int timeSteps) {
        return rnd.nextInt(3) == 0 ? null : Trials.mask(rnd, timeSteps, 0.3 + 0.6 * rnd.nextDouble());
    }

    private static void assertSameBits(String what, RnnOutput expected, RnnOutput actual) {
        assertThat(actual.sequence()).as(what + " sequence").isDeepEqualTo(expected.sequence());
        assertThat(actual.last()).as(what + " last").isEqualTo(expected.last());
        assertThat(actual.states()).as(what + " state count").hasSameSizeAs(expected.states());
        for (int s = 0; s < expected.states().size(); s++) {
            assertThat(actual.states().get(s)).as(what + " state " + s).isEqualTo(expected.states().get(s));
        }
    }

    @Test
    void everyOptionMatchesTheNaiveReference() {
        int trials = Trials.forAll("Rnn = naive reference", 400, 1_000, rnd -> {
            RandomCell c = RandomCell.draw(rnd);
            int timeSteps = Trials.between(rnd, 1, 12);
            double[][] x = c.sequence(rnd, timeSteps, 2.0);
            boolean[] mask = maybeMask(rnd, timeSteps);
            double[][] init = rnd.nextBoolean() ? null : c.states(rnd);
            boolean backwards = rnd.nextBoolean();
            boolean zero = rnd.nextBoolean();
            NaiveRnn.Result want = c.reference(x, mask, init, backwards, zero);
            RnnOutput got = Rnn.of(c.cell()).returnSequences(true).returnState(true).goBackwards(backwards)
                    .zeroOutputForMask(zero).forward(x, mask, init == null ? null : List.of(init));
            String what = c.kind() + " " + c.inputSize() + "->" + c.units();
            assertClose(what + " sequence", want.sequence(), got.sequence(), Tolerance.SAME_MATH);
            assertClose(what + " last", want.last(), got.last(), Tolerance.SAME_MATH);
            assertClose(what + " states (h, and c for LSTM)", want.states(), got.states().toArray(new double[0][]),
                    Tolerance.SAME_MATH);
        });
        assertThat(trials).isEqualTo(400);
    }

    @Test
    void aBatchEqualsEachSequenceAloneBitForBit() {
        int trials = Trials.forAll("batch = each sequence", 200, 2_000, rnd -> {
            RandomCell c = RandomCell.draw(rnd);
            int batch = Trials.between(rnd, 1, 6);
            double[][][] inputs = new double[batch][][];
            boolean[][] masks = rnd.nextBoolean() ? null : new boolean[batch][];
            for (int b = 0; b < batch; b++) {
                inputs[b] = c.sequence(rnd, Trials.between(rnd, 1, 10), 1.5);
                if (masks != null) {
                    masks[b] = maybeMask(rnd, inputs[b].length);
                }
            }
            Rnn rnn = Rnn.of(c.cell()).returnSequences(true).returnState(true).goBackwards(rnd.nextBoolean())
                    .zeroOutputForMask(rnd.nextBoolean());
            List<RnnOutput> all = rnd.nextBoolean() ? rnn.forward(inputs, masks)
                    : rnn.forward(inputs, masks, POOL, Trials.between(rnd, 1, 4));
            assertThat(all).hasSize(batch);
            for (int b = 0; b < batch; b++) {
                assertSameBits("sequence " + b, rnn.forward(inputs[b], masks == null ? null : masks[b]), all.get(b));
            }
        });
        assertThat(trials).isEqualTo(200);
    }

    @Test
    void goBackwardsEqualsForwardOverTheReversedInputInProcessingOrder() {
        int trials = Trials.forAll("goBackwards = forward(reversed)", 300, 3_000, rnd -> {
            RandomCell c = RandomCell.draw(rnd);
            int timeSteps = Trials.between(rnd, 1, 12);
            double[][] x = c.sequence(rnd, timeSteps, 2.0);
            boolean[] mask = maybeMask(rnd, timeSteps);
            double[][] reversed = new double[timeSteps][];
            boolean[] reversedMask = mask == null ? null : new boolean[timeSteps];
            for (int t = 0; t < timeSteps; t++) {
                reversed[t] = x[timeSteps - 1 - t];
                if (mask != null) {
                    reversedMask[t] = mask[timeSteps - 1 - t];
                }
            }
            boolean zero = rnd.nextBoolean();
            Rnn forward = Rnn.of(c.cell()).returnSequences(true).returnState(true).zeroOutputForMask(zero);
            // Keras keeps the backward output in processing order: row 0 is the output after the last time step.
            assertSameBits("goBackwards", forward.forward(reversed, reversedMask),
                    forward.goBackwards(true).forward(x, mask));
        });
        assertThat(trials).isEqualTo(300);
    }

    @Test
    void anAllTrueMaskEqualsNoMaskBitForBit() {
        int trials = Trials.forAll("all-true mask = no mask", 300, 4_000, rnd -> {
            RandomCell c = RandomCell.draw(rnd);
            int timeSteps = Trials.between(rnd, 1, 12);
            double[][] x = c.sequence(rnd, timeSteps, 2.0);
            boolean[] all = new boolean[timeSteps];
            java.util.Arrays.fill(all, true);
            Rnn rnn = Rnn.of(c.cell()).returnSequences(true).returnState(true).goBackwards(rnd.nextBoolean())
                    .zeroOutputForMask(rnd.nextBoolean());
            List<double[]> init = rnd.nextBoolean() ? null : List.of(c.states(rnd));
            assertSameBits("all-true mask", rnn.forward(x, null, init), rnn.forward(x, all, init));
        });
        assertThat(trials).isEqualTo(300);
    }

    @Test
    void maskedStepsLeaveTheStatesAsTheyWereAndRepeatTheOutput() {
        int trials = Trials.forAll("masked steps change no state", 300, 5_000, rnd -> {
            RandomCell c = RandomCell.draw(rnd);
            int timeSteps = Trials.between(rnd, 1, 12);
            double[][] x = c.sequence(rnd, timeSteps, 2.0);
            boolean[] mask = Trials.mask(rnd, timeSteps, rnd.nextDouble());
            double[][] init = c.states(rnd);
            boolean zero = rnd.nextBoolean();
            RnnOutput got = Rnn.of(c.cell()).returnSequences(true).returnState(true).zeroOutputForMask(zero)
                    .forward(x, mask, List.of(init));
            List<double[]> used = new ArrayList<>();
            for (int t = 0; t < timeSteps; t++) {
                if (mask[t]) {
                    used.add(x[t]);
                }
            }
            double[][] expectedStates = used.isEmpty() ? init : Rnn.of(c.cell()).returnState(true)
                    .forward(used.toArray(new double[0][]), null, List.of(init)).states().toArray(new double[0][]);
            for (int s = 0; s < init.length; s++) {
                assertThat(got.states().get(s)).as("state %d equals that of the unmasked steps alone", s)
                        .isEqualTo(expectedStates[s]);
            }
            double[] previous = new double[c.units()];
            for (int t = 0; t < timeSteps; t++) {
                if (mask[t]) {
                    previous = got.sequence()[t];
                } else {
                    assertThat(got.sequence()[t]).as("output at masked step %d", t)
                            .isEqualTo(zero ? new double[c.units()] : previous);
                }
            }
        });
        assertThat(trials).isEqualTo(300);
    }

    @Test
    void anySplitIntoChunksCarryingTheStatesEqualsTheWholeSequenceBitForBit() {
        int trials = Trials.forAll("chunks = whole", 300, 6_000, rnd -> {
            RandomCell c = RandomCell.draw(rnd);
            int timeSteps = Trials.between(rnd, 1, 12);
            double[][] x = c.sequence(rnd, timeSteps, 2.0);
            Rnn rnn = Rnn.of(c.cell()).returnSequences(true).returnState(true);
            List<double[]> init = rnd.nextBoolean() ? null : List.of(c.states(rnd));
            RnnOutput whole = rnn.forward(x, null, init);
            List<double[]> states = init;
            int from = 0;
            while (from < timeSteps) {
                int to = Trials.between(rnd, from + 1, timeSteps);
                double[][] chunk = java.util.Arrays.copyOfRange(x, from, to);
                RnnOutput part = rnn.forward(chunk, null, states);
                for (int t = from; t < to; t++) {
                    assertThat(part.sequence()[t - from]).as("step %d (chunk %d..%d)", t, from, to)
                            .isEqualTo(whole.sequence()[t]);
                }
                states = part.states();
                from = to;
            }
            for (int s = 0; s < whole.states().size(); s++) {
                assertThat(states.get(s)).as("final state %d", s).isEqualTo(whole.states().get(s));
            }
        });
        assertThat(trials).isEqualTo(300);
    }

    /**
     * A single sequence projects its inputs {@link Rnn#AHEAD} steps at a time; sequences of up to three blocks (so
     * block ends fall anywhere, going backwards too, masked or not, with some one-hot rows among the dense ones)
     * must give the bits of the same sequence run in a batch, whose inputs are projected step by step, in float64
     * and in float32; and match the naive reference.
     */
    @Test
    void aSingleSequenceProjectedAheadEqualsTheStepByStepProjectionBitForBit() {
        int trials = Trials.forAll("projection ahead = step by step", 60, 9_000, rnd -> {
            NaiveRnn.Kind[] kinds = NaiveRnn.Kind.values();
            RandomCell c = RandomCell.draw(rnd, kinds[rnd.nextInt(kinds.length)], Trials.between(rnd, 1, 40),
                    Trials.between(rnd, 1, 20));
            int timeSteps = Trials.between(rnd, 2, 3 * Rnn.AHEAD + 5);
            double[][] x = c.sequence(rnd, timeSteps, 1.5);
            for (int t = 0; t < timeSteps; t++) {
                if (rnd.nextInt(5) == 0) {
                    java.util.Arrays.fill(x[t], 0.0);
                    x[t][rnd.nextInt(x[t].length)] = 1.0;
                }
            }
            boolean[] mask = maybeMask(rnd, timeSteps);
            boolean backwards = rnd.nextBoolean();
            Rnn rnn = Rnn.of(c.cell()).returnSequences(true).returnState(true).goBackwards(backwards);
            double[][][] pair = {x, c.sequence(rnd, Trials.between(rnd, 1, timeSteps), 1.5)};
            boolean[][] masks = {mask, null};
            String what = c.kind() + " " + c.inputSize() + "->" + c.units() + " T " + timeSteps;
            for (Rnn r : List.of(rnn, rnn.float32())) {
                RnnOutput alone = r.forward(x, mask);
                assertSameBits(what + (r.isFloat32() ? " float32" : " float64"), r.forward(pair, masks).get(0), alone);
                NaiveRnn.Result want = c.reference(x, mask, null, backwards, false);
                assertClose(what + " sequence", want.sequence(), alone.sequence(),
                        r.isFloat32() ? Tolerance.FLOAT32_MODE : Tolerance.SAME_MATH);
            }
        });
        assertThat(trials).isEqualTo(60);
    }

    @Test
    void cellStepsEqualTheLayerBitForBit() {
        int trials = Trials.forAll("cell.step = Rnn", 300, 7_000, rnd -> {
            RandomCell c = RandomCell.draw(rnd);
            int timeSteps = Trials.between(rnd, 1, 8);
            double[][] x = c.sequence(rnd, timeSteps, 2.0);
            RnnOutput whole = Rnn.of(c.cell()).returnSequences(true).returnState(true).forward(x);
            List<double[]> states = c.cell().zeroStates();
            for (int t = 0; t < timeSteps; t++) {
                List<double[]> before = List.of(states.toArray(new double[0][]).clone());
                double[][] snapshot = new double[before.size()][];
                for (int s = 0; s < snapshot.length; s++) {
                    snapshot[s] = before.get(s).clone();
                }
                states = c.cell().step(x[t], before);
                for (int s = 0; s < snapshot.length; s++) {
                    assertThat(before.get(s)).as("step leaves its arguments alone").isEqualTo(snapshot[s]);
                }
                assertThat(states.get(0)).as("h after step %d", t).isEqualTo(whole.sequence()[t]);
            }
            for (int s = 0; s < states.size(); s++) {
                assertThat(states.get(s)).as("state %d", s).isEqualTo(whole.states().get(s));
            }
        });
        assertThat(trials).isEqualTo(300);
    }

    /** The merge written out here, independently of {@link MergeMode}: Keras's bidirectional.py. */
    private static double[] merge(MergeMode mode, double[] a, double[] b) {
        int u = a.length;
        double[] out = new double[mode == MergeMode.CONCAT ? 2 * u : u];
        for (int j = 0; j < u; j++) {
            switch (mode) {
                case CONCAT:
                    out[j] = a[j];
                    out[u + j] = b[j];
                    break;
                case SUM:
                    out[j] = a[j] + b[j];
                    break;
                case MUL:
                    out[j] = a[j] * b[j];
                    break;
                case AVE:
                    out[j] = (a[j] + b[j]) / 2;
                    break;
                default:
                    throw new AssertionError(mode);
            }
        }
        return out;
    }

    @Test
    void bidirectionalEqualsTheMergeOfItsTwoDirections() {
        int trials = Trials.forAll("Bidirectional = merge(forward, backward)", 300, 8_000, rnd -> {
            RandomCell f = RandomCell.draw(rnd);
            RandomCell b = RandomCell.draw(rnd, f.kind(), f.inputSize(), f.units());
            MergeMode mode = MergeMode.values()[rnd.nextInt(MergeMode.values().length)];
            boolean sequences = rnd.nextBoolean();
            int timeSteps = Trials.between(rnd, 1, 10);
            double[][] x = f.sequence(rnd, timeSteps, 2.0);
            boolean[] mask = maybeMask(rnd, timeSteps);
            RnnOutput got = Bidirectional.of(f.cell(), b.cell(), mode).returnSequences(sequences).returnState(true)
                    .forward(x, mask);
            // Keras: both directions output zeros at masked steps when they return sequences.
            RnnOutput fw = Rnn.of(f.cell()).returnSequences(sequences).returnState(true).zeroOutputForMask(sequences)
                    .forward(x, mask);
            RnnOutput bw = Rnn.of(b.cell()).goBackwards(true).returnSequences(sequences).returnState(true)
                    .zeroOutputForMask(sequences).forward(x, mask);
            List<double[]> states = new ArrayList<>(fw.states());
            states.addAll(bw.states());
            assertThat(got.states()).hasSize(states.size());
            for (int s = 0; s < states.size(); s++) {
                assertThat(got.states().get(s)).as("state %d (forward states, then backward)", s)
                        .isEqualTo(states.get(s));
            }
            if (mode == MergeMode.NONE) {
                assertThat(got.directions()).hasSize(2);
                assertThat(got.directions().get(0).last()).isEqualTo(fw.last());
                assertThat(got.directions().get(1).last()).isEqualTo(bw.last());
                if (sequences) {
                    assertThat(got.directions().get(0).sequence()).isDeepEqualTo(fw.sequence());
                    for (int t = 0; t < timeSteps; t++) {
                        assertThat(got.directions().get(1).sequence()[t]).as("backward step %d, in time order", t)
                                .isEqualTo(bw.sequence()[timeSteps - 1 - t]);
                    }
                }
                return;
            }
            assertThat(got.last()).as("last").isEqualTo(merge(mode, fw.last(), bw.last()));
            if (sequences) {
                assertThat(got.sequence()).hasNumberOfRows(timeSteps);
                for (int t = 0; t < timeSteps; t++) {
                    assertThat(got.sequence()[t]).as("%s step %d", mode, t)
                            .isEqualTo(merge(mode, fw.sequence()[t], bw.sequence()[timeSteps - 1 - t]));
                }
            }
        });
        assertThat(trials).isEqualTo(300);
    }
}
