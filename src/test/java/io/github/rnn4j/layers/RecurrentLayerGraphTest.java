package io.github.rnn4j.layers;

import io.github.rnn4j.testing.Approx;
import io.github.rnn4j.testing.NaiveRnn;
import io.github.rnn4j.testing.RandomCell;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The graph entry points of {@link Rnn} and {@link Bidirectional} ({@code apply}, {@code applyBatch},
 * {@code outputShapes}) and their accessors, against {@link NaiveRnn}: written for the mutants that PIT found
 * uncovered or surviving when only the {@code layers} tests run (docs/mutation.md).
 */
class RecurrentLayerGraphTest {
    private static final NaiveRnn.Kind LSTM = NaiveRnn.Kind.LSTM;

    private static double[] vector(List<Value> out, int i) {
        assertThat(out.get(i)).isInstanceOf(Value.Vector.class);
        return ((Value.Vector) out.get(i)).values();
    }

    private static Value.Sequence sequence(List<Value> out, int i) {
        assertThat(out.get(i)).isInstanceOf(Value.Sequence.class);
        return (Value.Sequence) out.get(i);
    }

    private static double[][] reversed(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int t = 0; t < rows.length; t++) {
            out[t] = rows[rows.length - 1 - t];
        }
        return out;
    }

    /** The merge written out from the Keras definitions (keras/src/layers/rnn/bidirectional.py, {@code call}). */
    private static double[] merged(MergeMode mode, double[] a, double[] b) {
        int u = a.length;
        if (mode == MergeMode.CONCAT) {
            double[] out = new double[2 * u];
            for (int j = 0; j < u; j++) {
                out[j] = a[j];
                out[u + j] = b[j];
            }
            return out;
        }
        double[] out = new double[u];
        for (int j = 0; j < u; j++) {
            switch (mode) {
                case SUM:
                    out[j] = a[j] + b[j];
                    break;
                case MUL:
                    out[j] = a[j] * b[j];
                    break;
                default:
                    out[j] = (a[j] + b[j]) / 2.0;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- Rnn

    @Test
    void rnnApplyTakesInitialStatesAndReturnsSequenceMaskAndStatesAsTheReference() {
        Random rnd = new Random(1201);
        RandomCell c = RandomCell.draw(rnd, LSTM, 3, 4);
        double[][] x = NaiveRnn.random(rnd, 5, 3, 1.0);
        boolean[] mask = {true, true, false, true, true};
        double[] h0 = NaiveRnn.random(rnd, 1, 4, 0.5)[0];
        double[] c0 = NaiveRnn.random(rnd, 1, 4, 0.5)[0];
        NaiveRnn.Result ref = NaiveRnn.run(LSTM, c.kernel(), c.recurrent(), c.bias(), x, mask,
                new double[][] {h0, c0}, false, false);

        List<Value> out = Rnn.of(c.cell()).returnSequences(true).returnState(true)
                .apply(List.of(new Value.Sequence(x, mask), new Value.Vector(h0), new Value.Vector(c0)));

        assertThat(out).hasSize(3);
        Approx.assertClose("sequence", ref.sequence(), sequence(out, 0).steps(), Tolerance.FLOAT64);
        assertThat(sequence(out, 0).mask()).containsExactly(mask);
        Approx.assertClose("h", ref.states()[0], vector(out, 1), Tolerance.FLOAT64);
        Approx.assertClose("c", ref.states()[1], vector(out, 2), Tolerance.FLOAT64);
    }

    @Test
    void rnnApplyWithoutStatesReturnsTheLastOutputOnlyAndReadsBackwardsWhenAsked() {
        Random rnd = new Random(1202);
        RandomCell c = RandomCell.draw(rnd, NaiveRnn.Kind.GRU_RESET_AFTER, 2, 3);
        double[][] x = NaiveRnn.random(rnd, 4, 2, 1.0);
        boolean[] mask = {true, false, true, true};

        List<Value> last = Rnn.of(c.cell()).apply(List.of(new Value.Sequence(x, mask)));
        NaiveRnn.Result ref = NaiveRnn.run(c.kind(), c.kernel(), c.recurrent(), c.bias(), x, mask, null, false, false);
        assertThat(last).hasSize(1);
        Approx.assertClose("last", ref.last(), vector(last, 0), Tolerance.FLOAT64);

        List<Value> back = Rnn.of(c.cell()).goBackwards(true).returnSequences(true).zeroOutputForMask(true)
                .apply(List.of(new Value.Sequence(x, mask)));
        NaiveRnn.Result backRef = NaiveRnn.run(c.kind(), c.kernel(), c.recurrent(), c.bias(), x, mask, null, true,
                true);
        assertThat(back).hasSize(1);
        Approx.assertClose("backward sequence", backRef.sequence(), sequence(back, 0).steps(), Tolerance.FLOAT64);
        assertThat(sequence(back, 0).steps()[2]).containsOnly(0.0);
    }

    @Test
    void rnnApplyRefusesAWrongNumberOrKindOfInitialStates() {
        Random rnd = new Random(1203);
        RandomCell c = RandomCell.draw(rnd, LSTM, 3, 4);
        Rnn layer = Rnn.of(c.cell());
        Value.Sequence x = new Value.Sequence(NaiveRnn.random(rnd, 2, 3, 1.0));
        Value.Vector h = new Value.Vector(new double[4]);

        assertThatThrownBy(() -> layer.apply(List.of(x, h))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rnn takes its sequence and 2 initial states, got 1 initial states");
        assertThatThrownBy(() -> layer.apply(List.of(x, h, h, h))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rnn takes 1 to 3 inputs, got 4");
        assertThatThrownBy(() -> layer.apply(List.of(x, h, x))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rnn input 2 has shape [2][3], expected a vector [features]");
        assertThatThrownBy(() -> layer.apply(List.of(x, h, new Value.Vector(new double[5]))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialState");
    }

    @Test
    void rnnApplyBatchEqualsTheReferenceForEachSampleOfDifferentLengths() {
        Random rnd = new Random(1204);
        RandomCell c = RandomCell.draw(rnd, LSTM, 2, 3);
        Rnn layer = Rnn.of(c.cell()).returnSequences(true).returnState(true);
        int[] lengths = {4, 2, 3};
        boolean[][] masks = {{true, false, true, true}, null, {false, true, true}};
        List<List<Value>> samples = new ArrayList<>();
        List<double[][]> xs = new ArrayList<>();
        for (int b = 0; b < lengths.length; b++) {
            double[][] x = NaiveRnn.random(rnd, lengths[b], 2, 1.0);
            xs.add(x);
            samples.add(List.of(new Value.Sequence(x, masks[b])));
        }

        List<List<Value>> out = layer.applyBatch(samples);

        assertThat(out).hasSize(3);
        for (int b = 0; b < lengths.length; b++) {
            NaiveRnn.Result ref = NaiveRnn.run(LSTM, c.kernel(), c.recurrent(), c.bias(), xs.get(b), masks[b], null,
                    false, false);
            List<Value> o = out.get(b);
            assertThat(o).hasSize(3);
            Approx.assertClose("sample " + b, ref.sequence(), sequence(o, 0).steps(), Tolerance.FLOAT64);
            assertThat(sequence(o, 0).mask()).isEqualTo(masks[b]);
            Approx.assertClose("sample " + b + " h", ref.states()[0], vector(o, 1), Tolerance.FLOAT64);
            Approx.assertClose("sample " + b + " c", ref.states()[1], vector(o, 2), Tolerance.FLOAT64);
        }
        List<List<Value>> lastOnly = Rnn.of(c.cell()).applyBatch(samples);
        for (int b = 0; b < lengths.length; b++) {
            NaiveRnn.Result ref = NaiveRnn.run(LSTM, c.kernel(), c.recurrent(), c.bias(), xs.get(b), masks[b], null,
                    false, false);
            assertThat(lastOnly.get(b)).hasSize(1);
            Approx.assertClose("sample " + b + " last", ref.last(), vector(lastOnly.get(b), 0), Tolerance.FLOAT64);
        }
        assertThat(layer.applyBatch(List.of())).isEmpty();
    }

    @Test
    void rnnApplyBatchRefusesInitialStatesAndBadWidths() {
        Random rnd = new Random(1205);
        RandomCell c = RandomCell.draw(rnd, LSTM, 2, 3);
        Rnn layer = Rnn.of(c.cell());
        Value.Sequence good = new Value.Sequence(NaiveRnn.random(rnd, 2, 2, 1.0));
        Value.Sequence wide = new Value.Sequence(NaiveRnn.random(rnd, 2, 3, 1.0));

        assertThatThrownBy(() -> layer.applyBatch(List.of(List.of(good, new Value.Vector(new double[3])))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Rnn takes 1 input, got 2");
        assertThatThrownBy(() -> layer.applyBatch(List.of(List.of(good), List.of(wide))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputs");
        assertThatThrownBy(() -> layer.applyBatch(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("samples");
    }

    @Test
    void rnnForwardRefusesAMaskOfAnotherLength() {
        Random rnd = new Random(1206);
        RandomCell c = RandomCell.draw(rnd, NaiveRnn.Kind.SIMPLE, 2, 3);
        double[][] x = NaiveRnn.random(rnd, 3, 2, 1.0);
        assertThatThrownBy(() -> Rnn.of(c.cell()).forward(x, new boolean[] {true, true, true, true}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mask has shape [4], expected [3] (one entry per time step)");
        assertThatThrownBy(() -> Rnn.of(c.cell()).forward(x, new boolean[] {true, true}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mask has shape [2], expected [3] (one entry per time step)");
    }

    @Test
    void rnnOutputShapesFollowTheConfiguration() {
        RandomCell c = RandomCell.draw(new Random(1207), LSTM, 3, 4);
        Rnn plain = Rnn.of(c.cell());
        Rnn full = plain.returnSequences(true).returnState(true);

        assertThat(plain.outputShapes(List.of(Shape.sequence(5, 3)))).containsExactly(Shape.vector(4));
        assertThat(full.outputShapes(List.of(Shape.sequence(Shape.UNKNOWN, 3))))
                .containsExactly(Shape.sequence(Shape.UNKNOWN, 4), Shape.vector(4), Shape.vector(4));
        assertThat(full.outputShapes(List.of(Shape.sequence(5, 3), Shape.vector(4), Shape.vector(4))))
                .containsExactly(Shape.sequence(5, 4), Shape.vector(4), Shape.vector(4));
        assertThat(plain.returnState(true).outputShapes(List.of(Shape.sequence(5, 3))))
                .containsExactly(Shape.vector(4), Shape.vector(4), Shape.vector(4));

        assertThatThrownBy(() -> full.outputShapes(List.of(Shape.sequence(5, 3), Shape.vector(4))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rnn takes its sequence and 2 initial states, got 1 initial states");
        assertThatThrownBy(() -> full.outputShapes(List.of(Shape.sequence(5, 3), Shape.vector(4), Shape.vector(5))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Rnn input 2 has shape [5], expected [4]");
        assertThatThrownBy(() -> full.outputShapes(List.of(Shape.sequence(5, 3), Shape.vector(3), Shape.vector(4))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Rnn input 1 has shape [3], expected [4]");
        assertThatThrownBy(() -> plain.outputShapes(List.of(Shape.sequence(5, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rnn input 0 has shape [5][2], expected [timeSteps][3]");
    }

    @Test
    void rnnAccessorsReportTheConfiguration() {
        RandomCell c = RandomCell.draw(new Random(1208), LSTM, 3, 4);
        Rnn plain = Rnn.of(c.cell());
        assertThat(plain.returnsSequences()).isFalse();
        assertThat(plain.returnsState()).isFalse();
        assertThat(plain.isGoBackwards()).isFalse();
        assertThat(plain.isZeroOutputForMask()).isFalse();
        Rnn all = plain.returnSequences(true).returnState(true).goBackwards(true).zeroOutputForMask(true);
        assertThat(all.returnsSequences()).isTrue();
        assertThat(all.returnsState()).isTrue();
        assertThat(all.isGoBackwards()).isTrue();
        assertThat(all.isZeroOutputForMask()).isTrue();
        assertThat(plain.inputSize()).isEqualTo(3);
        assertThat(plain.outputSize()).isEqualTo(4);
        // Keras LSTM: 4·units·(inputSize + units + 1) = 4·4·8
        assertThat(plain.parameterCount()).isEqualTo(128L);
        assertThat(plain.streaming()).isEqualTo(Layer.Streaming.RECURRENT);
        assertThat(all.streaming()).isEqualTo(Layer.Streaming.WHOLE_SEQUENCE);

        assertThat(plain.isFloat32()).isFalse();
        Rnn f = plain.float32();
        assertThat(f).isNotSameAs(plain);
        assertThat(f.isFloat32()).isTrue();
        assertThat(f.float32()).isSameAs(f);
        assertThat(plain.toString()).isEqualTo("Rnn[LstmCell, units=4, inputSize=3, returnSequences=false,"
                + " returnState=false, goBackwards=false, zeroOutputForMask=false]");
    }

    // ---------------------------------------------------------------- Bidirectional

    private record Pair(RandomCell forward, RandomCell backward) {
    }

    private static Pair lstmPair(long seed) {
        Random rnd = new Random(seed);
        return new Pair(RandomCell.draw(rnd, LSTM, 3, 4), RandomCell.draw(rnd, LSTM, 3, 4));
    }

    @Test
    void bidirectionalApplyMergesTheTwoReferenceDirectionsInEveryMode() {
        Pair p = lstmPair(1209);
        Random rnd = new Random(12090);
        double[][] x = NaiveRnn.random(rnd, 4, 3, 1.0);
        boolean[] mask = {true, false, true, true};
        double[][] init = NaiveRnn.random(rnd, 4, 4, 0.5);
        NaiveRnn.Result fw = NaiveRnn.run(LSTM, p.forward().kernel(), p.forward().recurrent(), p.forward().bias(),
                x, mask, new double[][] {init[0], init[1]}, false, true);
        NaiveRnn.Result bw = NaiveRnn.run(LSTM, p.backward().kernel(), p.backward().recurrent(),
                p.backward().bias(), x, mask, new double[][] {init[2], init[3]}, true, true);
        double[][] bwInTime = reversed(bw.sequence());
        List<Value> in = List.of(new Value.Sequence(x, mask), new Value.Vector(init[0]), new Value.Vector(init[1]),
                new Value.Vector(init[2]), new Value.Vector(init[3]));

        for (MergeMode mode : new MergeMode[] {MergeMode.CONCAT, MergeMode.SUM, MergeMode.MUL, MergeMode.AVE}) {
            Bidirectional layer = Bidirectional.of(p.forward().cell(), p.backward().cell(), mode)
                    .returnSequences(true).returnState(true);
            List<Value> out = layer.apply(in);
            assertThat(out).as(mode.name()).hasSize(5);
            double[][] expected = new double[4][];
            for (int t = 0; t < 4; t++) {
                expected[t] = merged(mode, fw.sequence()[t], bwInTime[t]);
            }
            Approx.assertClose(mode + " sequence", expected, sequence(out, 0).steps(), Tolerance.FLOAT64);
            assertThat(sequence(out, 0).mask()).containsExactly(mask);
            Approx.assertClose(mode + " forward h", fw.states()[0], vector(out, 1), Tolerance.FLOAT64);
            Approx.assertClose(mode + " forward c", fw.states()[1], vector(out, 2), Tolerance.FLOAT64);
            Approx.assertClose(mode + " backward h", bw.states()[0], vector(out, 3), Tolerance.FLOAT64);
            Approx.assertClose(mode + " backward c", bw.states()[1], vector(out, 4), Tolerance.FLOAT64);

            List<Value> last = Bidirectional.of(p.forward().cell(), p.backward().cell(), mode).apply(in);
            NaiveRnn.Result fwLast = NaiveRnn.run(LSTM, p.forward().kernel(), p.forward().recurrent(),
                    p.forward().bias(), x, mask, new double[][] {init[0], init[1]}, false, false);
            NaiveRnn.Result bwLast = NaiveRnn.run(LSTM, p.backward().kernel(), p.backward().recurrent(),
                    p.backward().bias(), x, mask, new double[][] {init[2], init[3]}, true, false);
            assertThat(last).as(mode.name()).hasSize(1);
            Approx.assertClose(mode + " last", merged(mode, fwLast.last(), bwLast.last()), vector(last, 0),
                    Tolerance.FLOAT64);
        }
    }

    @Test
    void bidirectionalApplyWithoutMergeReturnsBothDirections() {
        Pair p = lstmPair(1210);
        Random rnd = new Random(12100);
        double[][] x = NaiveRnn.random(rnd, 3, 3, 1.0);
        NaiveRnn.Result fw = NaiveRnn.run(LSTM, p.forward().kernel(), p.forward().recurrent(), p.forward().bias(),
                x, null, null, false, true);
        NaiveRnn.Result bw = NaiveRnn.run(LSTM, p.backward().kernel(), p.backward().recurrent(),
                p.backward().bias(), x, null, null, true, true);
        Bidirectional none = Bidirectional.of(p.forward().cell(), p.backward().cell(), MergeMode.NONE);

        List<Value> seqs = none.returnSequences(true).apply(List.of(new Value.Sequence(x)));
        assertThat(seqs).hasSize(2);
        Approx.assertClose("forward", fw.sequence(), sequence(seqs, 0).steps(), Tolerance.FLOAT64);
        Approx.assertClose("backward", reversed(bw.sequence()), sequence(seqs, 1).steps(), Tolerance.FLOAT64);

        List<Value> lasts = none.returnState(true).apply(List.of(new Value.Sequence(x)));
        assertThat(lasts).hasSize(6);
        Approx.assertClose("forward last", fw.last(), vector(lasts, 0), Tolerance.FLOAT64);
        Approx.assertClose("backward last", bw.last(), vector(lasts, 1), Tolerance.FLOAT64);
        Approx.assertClose("forward c", fw.states()[1], vector(lasts, 3), Tolerance.FLOAT64);
        Approx.assertClose("backward c", bw.states()[1], vector(lasts, 5), Tolerance.FLOAT64);
    }

    @Test
    void bidirectionalRefusesAWrongNumberOfInitialStatesAndAMaskOfAnotherLength() {
        Pair p = lstmPair(1211);
        Bidirectional layer = Bidirectional.of(p.forward().cell(), p.backward().cell(), MergeMode.CONCAT);
        double[][] x = NaiveRnn.random(new Random(12110), 3, 3, 1.0);
        Value.Vector h = new Value.Vector(new double[4]);

        assertThatThrownBy(() -> layer.apply(List.of(new Value.Sequence(x), h, h)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Bidirectional takes its sequence and 4 initial states (forward then backward), got 2");
        assertThatThrownBy(() -> layer.apply(List.of(new Value.Sequence(x), h, h, h, h, h)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Bidirectional takes 1 to 5 inputs, got 6");
        assertThatThrownBy(() -> layer.forward(x, new boolean[] {true, true, true, true}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mask has shape [4], expected [3] (one entry per time step)");
    }

    @Test
    void bidirectionalOutputShapesFollowTheMergeModeAndTheConfiguration() {
        Pair p = lstmPair(1212);
        Bidirectional concat = Bidirectional.of(p.forward().cell(), p.backward().cell(), MergeMode.CONCAT);
        Bidirectional sum = Bidirectional.of(p.forward().cell(), p.backward().cell(), MergeMode.SUM);
        Bidirectional none = Bidirectional.of(p.forward().cell(), p.backward().cell(), MergeMode.NONE);
        Shape x = Shape.sequence(5, 3);
        Shape s = Shape.vector(4);

        assertThat(concat.outputShapes(List.of(x))).containsExactly(Shape.vector(8));
        assertThat(concat.returnSequences(true).outputShapes(List.of(x))).containsExactly(Shape.sequence(5, 8));
        assertThat(sum.returnState(true).outputShapes(List.of(x, s, s, s, s))).containsExactly(Shape.vector(4),
                s, s, s, s);
        assertThat(none.returnSequences(true).outputShapes(List.of(x)))
                .containsExactly(Shape.sequence(5, 4), Shape.sequence(5, 4));
        assertThat(none.outputShapes(List.of(x))).containsExactly(Shape.vector(4), Shape.vector(4));

        assertThatThrownBy(() -> concat.outputShapes(List.of(x, s)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Bidirectional takes its sequence and 4 initial states (forward then backward), got 1");
        assertThatThrownBy(() -> concat.outputShapes(List.of(x, s, s, s, Shape.vector(3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Bidirectional input 4 has shape [3], expected [4]");
        assertThatThrownBy(() -> concat.outputShapes(List.of(Shape.sequence(5, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Bidirectional input 0 has shape [5][2], expected [timeSteps][3]");
    }

    @Test
    void bidirectionalAccessorsReportTheConfiguration() {
        Pair p = lstmPair(1213);
        Bidirectional concat = Bidirectional.of(p.forward().cell(), p.backward().cell(), MergeMode.CONCAT);
        Bidirectional ave = Bidirectional.of(p.forward().cell(), p.backward().cell(), MergeMode.AVE);
        Bidirectional none = Bidirectional.of(p.forward().cell(), p.backward().cell(), MergeMode.NONE);

        assertThat(concat.mergeMode()).isEqualTo(MergeMode.CONCAT);
        assertThat(none.mergeMode()).isEqualTo(MergeMode.NONE);
        assertThat(concat.forwardCell()).isSameAs(p.forward().cell());
        assertThat(concat.backwardCell()).isSameAs(p.backward().cell());
        assertThat(concat.returnsSequences()).isFalse();
        assertThat(concat.returnsState()).isFalse();
        assertThat(concat.returnSequences(true).returnsSequences()).isTrue();
        assertThat(concat.returnState(true).returnsState()).isTrue();
        assertThat(concat.inputSize()).isEqualTo(3);
        assertThat(concat.outputSize()).isEqualTo(8);
        assertThat(ave.outputSize()).isEqualTo(4);
        assertThat(none.outputSize()).isEqualTo(8);
        // two Keras LSTMs of 4·4·(3 + 4 + 1) weights each
        assertThat(concat.parameterCount()).isEqualTo(256L);
        assertThat(concat.streaming()).isEqualTo(Layer.Streaming.WHOLE_SEQUENCE);

        Bidirectional f = concat.float32();
        assertThat(f).isNotSameAs(concat);
        assertThat(f.float32()).isSameAs(f);
        assertThat(concat.toString()).isEqualTo("Bidirectional[LstmCell, units=4, inputSize=3, mergeMode=CONCAT,"
                + " returnSequences=false, returnState=false]");
    }
}
