package io.github.rnn4j.layers;

import io.github.rnn4j.testing.Concurrently;
import io.github.rnn4j.testing.NaiveRnn;
import io.github.rnn4j.testing.NaiveRnn.Kind;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.github.rnn4j.testing.Approx.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fast paths against the naive reference, over masks, go_backwards, initial states and batches. */
class RnnSemanticsTest {
    private static final int IN = 6;
    private static final int UNITS = 5;

    private record Setup(RnnCell cell, double[][] kernel, double[][] recurrent, double[][] bias) {
    }

    private static Setup setup(Kind kind, long seed) {
        Random rnd = new Random(seed);
        int gates = kind == Kind.LSTM ? 4 : kind == Kind.SIMPLE ? 1 : 3;
        double[][] kernel = NaiveRnn.random(rnd, IN, gates * UNITS, 0.8);
        double[][] recurrent = NaiveRnn.random(rnd, UNITS, gates * UNITS, 0.8);
        double[][] bias = NaiveRnn.random(rnd, kind == Kind.GRU_RESET_AFTER ? 2 : 1, gates * UNITS, 0.5);
        RnnCell cell;
        switch (kind) {
            case SIMPLE:
                cell = new SimpleRnnCell(kernel, recurrent, bias[0]);
                break;
            case LSTM:
                cell = new LstmCell(kernel, recurrent, bias[0]);
                break;
            case GRU_RESET_BEFORE:
                cell = new GruCell(kernel, recurrent, bias[0]);
                break;
            default:
                cell = new GruCell(kernel, recurrent, bias);
        }
        return new Setup(cell, kernel, recurrent, bias);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyOptionCombinationMatchesTheNaiveReference(Kind kind) {
        Setup s = setup(kind, 42);
        Random rnd = new Random(7);
        double[][] x = NaiveRnn.random(rnd, 9, IN, 1.5);
        boolean[][] masks = {null, {true, true, false, true, false, false, true, true, false},
            {false, false, true, true, true, true, true, true, true}, {true, true, true, true, true, true, true, false, false}};
        double[][] init = NaiveRnn.random(rnd, s.cell.stateCount(), UNITS, 0.9);
        for (boolean[] mask : masks) {
            for (boolean backwards : new boolean[] {false, true}) {
                for (boolean zero : new boolean[] {false, true}) {
                    for (double[][] start : new double[][][] {null, init}) {
                        NaiveRnn.Result want = NaiveRnn.run(kind, s.kernel, s.recurrent, s.bias, x, mask, start,
                                backwards, zero);
                        RnnOutput got = Rnn.of(s.cell).returnSequences(true).returnState(true).goBackwards(backwards)
                                .zeroOutputForMask(zero).forward(x, mask, start == null ? null : List.of(start));
                        String what = kind + " mask=" + (mask != null) + " backwards=" + backwards + " zero=" + zero
                                + " init=" + (start != null);
                        assertClose(what + " sequence", want.sequence(), got.sequence(), Tolerance.SAME_MATH);
                        assertClose(what + " last", want.last(), got.last(), Tolerance.SAME_MATH);
                        assertClose(what + " states", want.states(), got.states().toArray(new double[0][]),
                                Tolerance.SAME_MATH);
                    }
                }
            }
        }
    }

    @Test
    void maskedStepsRepeatThePreviousOutputAndZerosBeforeTheFirstComputedStep() {
        Setup s = setup(Kind.SIMPLE, 1);
        double[][] x = NaiveRnn.random(new Random(3), 4, IN, 1.0);
        double[][] init = {{0.5, -0.5, 0.25, 0.1, 0.2}};
        RnnOutput out = Rnn.of(s.cell).returnSequences(true).returnState(true)
                .forward(x, new boolean[] {false, true, false, true}, List.of(init[0]));
        double[][] seq = out.sequence();
        assertThat(seq[0]).containsOnly(0.0);
        assertThat(seq[2]).isEqualTo(seq[1]);
        assertThat(seq[3]).isNotEqualTo(seq[1]);
        assertThat(out.states().get(0)).isEqualTo(seq[3]);
    }

    @Test
    void goBackwardsKeepsTheSequenceInProcessingOrder() {
        Setup s = setup(Kind.LSTM, 5);
        double[][] x = NaiveRnn.random(new Random(4), 6, IN, 1.0);
        double[][] reversed = new double[6][];
        for (int t = 0; t < 6; t++) {
            reversed[t] = x[5 - t];
        }
        RnnOutput back = Rnn.of(s.cell).returnSequences(true).returnState(true).goBackwards(true).forward(x);
        RnnOutput forwardOnReversed = Rnn.of(s.cell).returnSequences(true).returnState(true).forward(reversed);
        assertSameBits("goBackwards", forwardOnReversed, back);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void raggedBatchEqualsEachSequenceAlone(Kind kind) {
        Setup s = setup(kind, 11);
        Random rnd = new Random(12);
        int[] lengths = {5, 1, 9, 3, 9};
        double[][][] batch = new double[lengths.length][][];
        boolean[][] masks = new boolean[lengths.length][];
        for (int b = 0; b < lengths.length; b++) {
            batch[b] = NaiveRnn.random(rnd, lengths[b], IN, 1.0);
            masks[b] = new boolean[lengths[b]];
            for (int t = 0; t < lengths[b]; t++) {
                masks[b][t] = rnd.nextInt(4) != 0;
            }
        }
        masks[1] = null;
        for (boolean backwards : new boolean[] {false, true}) {
            Rnn rnn = Rnn.of(s.cell).returnSequences(true).returnState(true).goBackwards(backwards);
            List<RnnOutput> all = rnn.forward(batch, masks);
            assertThat(all).hasSize(lengths.length);
            for (int b = 0; b < lengths.length; b++) {
                assertSameBits(kind + " sequence " + b, rnn.forward(batch[b], masks[b]), all.get(b));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void parallelBatchIsBitIdenticalToOneThread(Kind kind) throws Exception {
        Setup s = setup(kind, 21);
        Random rnd = new Random(22);
        double[][][] batch = new double[13][][];
        boolean[][] masks = new boolean[13][];
        for (int b = 0; b < batch.length; b++) {
            batch[b] = NaiveRnn.random(rnd, 1 + rnd.nextInt(20), IN, 1.0);
            masks[b] = new boolean[batch[b].length];
            for (int t = 0; t < masks[b].length; t++) {
                masks[b][t] = rnd.nextInt(5) != 0;
            }
        }
        Rnn rnn = Rnn.of(s.cell).returnSequences(true).returnState(true);
        List<RnnOutput> one = rnn.forward(batch, masks);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<RnnOutput> many = rnn.forward(batch, masks, pool, 3);
            assertThat(many).hasSize(batch.length);
            for (int b = 0; b < batch.length; b++) {
                assertSameBits(kind + " sequence " + b, one.get(b), many.get(b));
            }
            assertThatThrownBy(() -> rnn.forward(batch, masks, pool, 0)).isInstanceOf(IllegalArgumentException.class).hasMessage("parts is 0, expected at least 1");
            assertThatThrownBy(() -> rnn.forward(new double[][][] {new double[2][IN + 1]}, null, pool, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputs[0] has shape");
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void tokenIdsAreOneHotRowsLookedUp(Kind kind) {
        Setup s = setup(kind, 31);
        int[] ids = {3, 0, 5, 5, 1, 2};
        double[][] oneHot = new double[ids.length][IN];
        for (int t = 0; t < ids.length; t++) {
            oneHot[t][ids[t]] = 1.0;
        }
        boolean[] mask = {true, true, false, true, true, true};
        Rnn rnn = Rnn.of(s.cell).returnSequences(true).returnState(true).goBackwards(true);
        assertSameBits(kind + " ids", rnn.forward(oneHot, mask), rnn.forward(ids, mask));
        assertThatThrownBy(() -> rnn.forward(new int[] {0, IN}, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ids[1] is " + IN + ", expected an id in [0, " + IN + ") (a one-hot index of inputSize)");
        assertThatThrownBy(() -> rnn.forward(new int[0], null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ids has shape [0]");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aCellFusedWithAnEmbeddingEqualsTheEmbeddingThenTheCell(Kind kind) {
        Setup s = setup(kind, 41);
        Embedding embedding = new Embedding(NaiveRnn.random(new Random(42), 9, IN, 1.0));
        int[] ids = {8, 0, 3, 3, 7, 1, 4};
        RnnOutput fused = Rnn.of(s.cell.withEmbedding(embedding)).returnSequences(true).forward(ids, null);
        RnnOutput unfused = Rnn.of(s.cell).returnSequences(true).forward(embedding.forward(ids));
        assertClose(kind + " fused", unfused.sequence(), fused.sequence(), Tolerance.SAME_MATH);
        assertThat(s.cell.withEmbedding(embedding).inputSize()).isEqualTo(9);
        assertThatThrownBy(() -> s.cell.withEmbedding(new Embedding(new double[4][IN + 1]))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("embedding has embeddingDim " + (IN + 1) + ", expected " + IN + " (the cell's inputSize)");
    }

    @Test
    void bidirectionalBatchEqualsEachSequenceAlone() {
        Bidirectional layer = Bidirectional.of(setup(Kind.LSTM, 51).cell, setup(Kind.LSTM, 52).cell, MergeMode.CONCAT)
                .returnSequences(true).returnState(true);
        Random rnd = new Random(53);
        double[][][] batch = {NaiveRnn.random(rnd, 4, IN, 1), NaiveRnn.random(rnd, 9, IN, 1), NaiveRnn.random(rnd, 1, IN, 1)};
        boolean[][] masks = {{true, false, true, true}, null, {true}};
        List<RnnOutput> all = layer.forward(batch, masks);
        assertThat(all).hasSize(batch.length);
        for (int b = 0; b < batch.length; b++) {
            assertThat(all.get(b).states()).as("h and c of both directions").hasSize(4);
            assertSameBits("sequence " + b, layer.forward(batch[b], masks[b]), all.get(b));
        }
    }

    @Test
    void weightsAreCopiedOnTheWayIn() {
        Random rnd = new Random(9);
        double[][] kernel = NaiveRnn.random(rnd, IN, 4 * UNITS, 0.5);
        double[][] recurrent = NaiveRnn.random(rnd, UNITS, 4 * UNITS, 0.5);
        double[] bias = NaiveRnn.random(rnd, 1, 4 * UNITS, 0.5)[0];
        LstmCell cell = new LstmCell(kernel, recurrent, bias);
        double[][] x = NaiveRnn.random(rnd, 5, IN, 1.0);
        double[] before = Rnn.of(cell).forward(x).last();
        kernel[0][0] += 1;
        recurrent[1][1] += 1;
        bias[2] += 1;
        assertThat(Rnn.of(cell).forward(x).last()).isEqualTo(before);
    }

    @Test
    void outputsAreFreshArraysThatCallersMayModify() {
        Setup s = setup(Kind.LSTM, 2);
        Rnn rnn = Rnn.of(s.cell).returnSequences(true).returnState(true);
        double[][] x = NaiveRnn.random(new Random(1), 4, IN, 1.0);
        RnnOutput first = rnn.forward(x);
        double[] expected = first.last().clone();
        first.last()[0] = 99;
        first.sequence()[3][1] = 99;
        first.states().get(1)[0] = 99;
        assertThat(rnn.forward(x).last()).isEqualTo(expected);
    }

    @Test
    void oneModelServesManyThreadsWithTheSingleThreadResults() throws Exception {
        Bidirectional layer = Bidirectional.of(setup(Kind.LSTM, 77).cell, setup(Kind.LSTM, 78).cell, MergeMode.CONCAT)
                .returnSequences(true).returnState(true);
        Rnn gru = Rnn.of(setup(Kind.GRU_RESET_AFTER, 79).cell).returnSequences(true).returnState(true);
        Random rnd = new Random(5);
        List<double[][]> inputs = new ArrayList<>();
        List<boolean[]> masks = new ArrayList<>();
        List<RnnOutput> expectedBi = new ArrayList<>();
        List<RnnOutput> expectedGru = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            double[][] x = NaiveRnn.random(rnd, 3 + rnd.nextInt(30), IN, 1.0);
            boolean[] mask = i % 2 == 0 ? null : io.github.rnn4j.testing.Trials.mask(rnd, x.length, 0.8);
            inputs.add(x);
            masks.add(mask);
            expectedBi.add(layer.forward(x, mask));
            expectedGru.add(gru.forward(x, mask));
        }
        List<Integer> checked = Concurrently.run(8, thread -> () -> {
            int n = 0;
            for (int round = 0; round < 100; round++) {
                int i = (round * 7 + thread) % inputs.size();
                assertSameBits("Bidirectional(LSTM) input " + i, expectedBi.get(i), layer.forward(inputs.get(i),
                        masks.get(i)));
                assertSameBits("GRU input " + i, expectedGru.get(i), gru.forward(inputs.get(i), masks.get(i)));
                n++;
            }
            return n;
        });
        assertThat(checked).as("every thread ran every round").containsOnly(100).hasSize(8);
    }

    /** Sequence, last output and every state (h, and c for LSTM) agree bit for bit. */
    static void assertSameBits(String what, RnnOutput expected, RnnOutput actual) {
        assertThat(actual.sequence()).as(what + " sequence").isDeepEqualTo(expected.sequence());
        assertThat(actual.last()).as(what + " last").isEqualTo(expected.last());
        assertThat(actual.states()).as(what + " states").hasSameSizeAs(expected.states()).isNotEmpty();
        for (int s = 0; s < expected.states().size(); s++) {
            assertThat(actual.states().get(s)).as(what + " state " + s).isEqualTo(expected.states().get(s));
        }
    }
}
