package io.github.rnn4j.model;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Bidirectional;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.GruCell;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.Masking;
import io.github.rnn4j.layers.MergeMode;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.Shape;
import io.github.rnn4j.layers.SimpleRnnCell;
import io.github.rnn4j.testing.Approx;
import io.github.rnn4j.testing.NaiveRnn;
import io.github.rnn4j.testing.Tolerance;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The model graph: chains and mask flow, graphs with several inputs and outputs, shared layers, seq2seq through
 * return_state and initial_state, batches and shortcuts. Numbers come from the naive reference in the test tree
 * ({@link NaiveRnn}) and plain loops, never from the graph runner itself; the layers' own numbers are held to
 * PyTorch, TF.js and Keras in the layers tests.
 */
class ModelTest {
    private final Random rnd = new Random(31);
    private final double[][] lstmKernel = NaiveRnn.random(rnd, 4, 12, 0.5);
    private final double[][] lstmRecurrent = NaiveRnn.random(rnd, 3, 12, 0.5);
    private final double[] lstmBias = NaiveRnn.random(rnd, 1, 12, 0.5)[0];
    private final LstmCell lstm = new LstmCell(lstmKernel, lstmRecurrent, lstmBias);
    private final double[][] gruKernel = NaiveRnn.random(rnd, 3, 6, 0.5);
    private final double[][] gruRecurrent = NaiveRnn.random(rnd, 2, 6, 0.5);
    private final double[][] gruBias = NaiveRnn.random(rnd, 2, 6, 0.5);
    private final GruCell gru = new GruCell(gruKernel, gruRecurrent, gruBias);
    private final double[][] table = NaiveRnn.random(rnd, 7, 4, 1.0);
    private final Embedding embedding = new Embedding(table, true);
    private final double[][] denseKernel = NaiveRnn.random(rnd, 2, 3, 1.0);
    private final Dense dense = new Dense(denseKernel, null, Activation.LINEAR);

    private static double[] dense(double[] x, double[][] w) {
        double[] y = new double[w[0].length];
        for (int j = 0; j < y.length; j++) {
            for (int i = 0; i < x.length; i++) {
                y[j] += x[i] * w[i][j];
            }
        }
        return y;
    }

    private double[][] lstmBias2() {
        return new double[][] {lstmBias};
    }

    @Test
    void aChainMatchesTheNaiveReferenceStepByStep() {
        Model model = Model.sequential().add(embedding).add(Rnn.of(lstm).returnSequences(true)).add(Rnn.of(gru))
                .add(dense).build();
        int[] ids = {3, 5, 0, 1, 0};
        boolean[] mask = {true, true, false, true, false};
        double[][] x = new double[ids.length][];
        for (int t = 0; t < ids.length; t++) {
            x[t] = table[ids[t]];
        }
        NaiveRnn.Result first = NaiveRnn.run(NaiveRnn.Kind.LSTM, lstmKernel, lstmRecurrent, lstmBias2(), x, mask,
                null, false, false);
        NaiveRnn.Result second = NaiveRnn.run(NaiveRnn.Kind.GRU_RESET_AFTER, gruKernel, gruRecurrent, gruBias,
                first.sequence(), mask, null, false, false);
        Approx.assertClose("chain", dense(second.last(), denseKernel), model.predict(ids), Tolerance.FLOAT64);
        assertThat(model.takesTokenIds("input")).isTrue();
        assertThat(model.inputNames()).containsExactly("input");
        assertThat(model.outputNames()).containsExactly("dense");
        assertThat(model.layers().keySet()).containsExactly("embedding", "rnn", "rnn_1", "dense");
    }

    @Test
    void paddingIsSkippedWhereTheEmbeddingMasksIt() {
        Model model = Model.sequential().add(embedding).add(Rnn.of(lstm).returnSequences(true)).add(Rnn.of(gru))
                .add(dense).build();
        double[] unpadded = model.predict(new int[] {3, 5, 1});
        assertThat(model.predict(new int[] {3, 5, 1, 0, 0, 0})).isEqualTo(unpadded);
        assertThat(model.predict(new int[] {3, 5, 1, 2})).isNotEqualTo(unpadded);
        Model plain = Model.sequential().add(new Embedding(table, false)).add(Rnn.of(lstm)).build();
        assertThat(plain.predict(new int[] {3, 5, 1, 0})).isNotEqualTo(plain.predict(new int[] {3, 5, 1}));
    }

    @Test
    void maskingSkipsStepsAndZeroOutputForMaskIsHonoured() {
        Model model = Model.sequential().input("x", Shape.sequence(Shape.UNKNOWN, 4)).add(new Masking(0.0))
                .add(Rnn.of(lstm)).build();
        double[][] x = NaiveRnn.random(new Random(2), 3, 4, 1.0);
        double[][] withPadding = {x[0], new double[4], x[1], x[2], new double[4]};
        assertThat(model.predict(withPadding)).isEqualTo(model.predict(x));
        for (boolean zero : new boolean[] {false, true}) {
            Model seq = Model.sequential().input("x", Shape.sequence(Shape.UNKNOWN, 4)).add(new Masking(0.0))
                    .add(Rnn.of(lstm).returnSequences(true).zeroOutputForMask(zero)).build();
            double[][] y = seq.predictSequence(withPadding);
            if (zero) {
                assertThat(y[1]).containsOnly(0.0);
            } else {
                assertThat(y[1]).isEqualTo(y[0]);
            }
        }
    }

    @Test
    void seq2seqFeedsTheEncoderStatesToTheDecoder() {
        Random r = new Random(5);
        double[][] dk = NaiveRnn.random(r, 2, 12, 0.5);
        double[][] dr = NaiveRnn.random(r, 3, 12, 0.5);
        double[] db = NaiveRnn.random(r, 1, 12, 0.5)[0];
        double[][] outKernel = NaiveRnn.random(r, 3, 5, 1.0);
        Model model = Model.builder()
                .input("encoder_in", Shape.sequence(Shape.UNKNOWN, 4))
                .input("decoder_in", Shape.sequence(Shape.UNKNOWN, 2))
                .add("encoder", Rnn.of(lstm).returnState(true), "encoder_in")
                .add("decoder", Rnn.of(new LstmCell(dk, dr, db)).returnSequences(true), List.of(
                        Model.Port.of("decoder_in"), Model.Port.of("encoder", 0, 1), Model.Port.of("encoder", 0, 2)))
                .add("softmax", new Dense(outKernel, null, Activation.SOFTMAX), "decoder")
                .outputs("softmax").build();
        double[][] source = NaiveRnn.random(r, 6, 4, 1.0);
        double[][] target = NaiveRnn.random(r, 3, 2, 1.0);
        NaiveRnn.Result enc = NaiveRnn.run(NaiveRnn.Kind.LSTM, lstmKernel, lstmRecurrent, lstmBias2(), source, null,
                null, false, false);
        NaiveRnn.Result dec = NaiveRnn.run(NaiveRnn.Kind.LSTM, dk, dr, new double[][] {db}, target, null,
                enc.states(), false, false);
        Map<String, Tensor> out = model.run(Map.of("encoder_in", Tensor.of(source), "decoder_in", Tensor.of(target)));
        assertThat(out.keySet()).containsExactly("softmax");
        double[][] y = out.get("softmax").matrix();
        for (int t = 0; t < y.length; t++) {
            Approx.assertClose("decoder step " + t, Activation.SOFTMAX.apply(dense(dec.sequence()[t], outKernel)),
                    y[t], Tolerance.FLOAT64);
        }
        assertThat(model.summary()).contains("encoder (Rnn)").contains("decoder_in, encoder[0][1], encoder[0][2]");
    }

    @Test
    void aSharedLayerKeepsOneSetOfWeightsAndSeveralOutputsComeInOrder() {
        Model model = Model.builder()
                .input("a", Shape.vector(2)).input("b", Shape.vector(2))
                .add("shared", dense, "a").add("shared", dense, "b")
                .outputs(Model.Port.of("shared", 1, 0), Model.Port.of("shared", 0, 0)).build();
        double[] a = {0.5, -1};
        double[] b = {2, 0.25};
        Map<String, Tensor> out = model.run(Map.of("a", Tensor.of(a), "b", Tensor.of(b)));
        assertThat(model.outputNames()).containsExactly("shared", "shared_1");
        Approx.assertClose("first output (call 1)", dense(b, denseKernel), out.get("shared").vector(),
                Tolerance.FLOAT64);
        Approx.assertClose("second output (call 0)", dense(a, denseKernel), out.get("shared_1").vector(),
                Tolerance.FLOAT64);
        assertThat(model.parameterCount()).isEqualTo(6);
        assertThat(model.layers()).hasSize(1);
    }

    @Test
    void batchesAreBitIdenticalToSingleRunsOnAnyExecutor() throws Exception {
        Model model = Model.sequential().add(embedding).add(Bidirectional.of(lstm, lstm, MergeMode.CONCAT))
                .add(new Dense(NaiveRnn.random(new Random(4), 6, 2, 1.0), new double[2], Activation.SOFTMAX))
                .build();
        int[][] ids = {{1, 2, 3, 0, 0}, {4, 4, 0, 0, 0}, {6, 5, 4, 3, 2}, {1, 0, 0, 0, 0}};
        double[][] single = new double[ids.length][];
        for (int b = 0; b < ids.length; b++) {
            single[b] = model.predict(ids[b]);
        }
        assertThat(model.predictBatch(ids)).isEqualTo(single);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            assertThat(model.predictBatch(ids, pool)).isEqualTo(single);
            double[] flat = new double[20];
            for (int b = 0; b < 4; b++) {
                for (int t = 0; t < 5; t++) {
                    flat[b * 5 + t] = ids[b][t];
                }
            }
            Tensor out = model.runBatch(Map.of("input", Tensor.of(new int[] {4, 5}, flat)), pool).get("dense");
            assertThat(out.shape()).containsExactly(4, 2);
            for (int b = 0; b < 4; b++) {
                assertThat(out.slice(b).vector()).isEqualTo(single[b]);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void shapesAndNamesAreCheckedWhereTheGraphIsBuilt() {
        assertThatThrownBy(() -> Model.sequential().add(Rnn.of(lstm)).add(Rnn.of(gru)).build())
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 'rnn_1' (Rnn): Rnn input 0 has shape [3], expected [timeSteps][3]");
        assertThatThrownBy(() -> Model.sequential().add(Rnn.of(lstm).returnSequences(true)).add(Rnn.of(lstm)).build())
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 'rnn_1' (Rnn): Rnn input 0 has shape [?][3], expected [timeSteps][4]");
        assertThatThrownBy(() -> Model.sequential().build()).isExactlyInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Model.builder().input("x", Shape.vector(2)).add("d", dense, "y"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no input or earlier layer is named 'y'");
        assertThatThrownBy(() -> Model.builder().input("x", Shape.vector(2)).add("d", dense, "x")
                .add("d", new Dense(denseKernel, null, Activation.LINEAR), "x"))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("different layer");
        assertThatThrownBy(() -> Model.builder().input("x", Shape.vector(2)).add("d", dense, "x").build())
                .isExactlyInstanceOf(IllegalStateException.class).hasMessageContaining("no output");
    }

    @Test
    void wrongInputsAreRefusedNamingTheInputAndBothShapes() {
        Model model = Model.sequential().add(Rnn.of(lstm)).build();
        assertThatThrownBy(() -> model.predict(new double[][] {{1, 2, 3}}))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputs has shape [1][3], expected [?][4]");
        assertThatThrownBy(() -> model.run(Map.of("other", Tensor.of(new double[1][4]))))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 'input'");
        assertThatThrownBy(() -> model.run(Map.of("input", Tensor.of(new double[] {1, 2, 3, 4}))))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputs['input'] has shape [4], expected [?][4]");
        assertThatThrownBy(() -> model.predictSequence(new double[][] {{1, 2, 3, 4}}))
                .isExactlyInstanceOf(IllegalStateException.class).hasMessageContaining("call predict");
        assertThatThrownBy(() -> model.predict(new int[] {1}))
                .isExactlyInstanceOf(IllegalStateException.class).hasMessageContaining("double[][]");
        Model ids = Model.sequential().add(embedding).add(Rnn.of(lstm)).build();
        assertThatThrownBy(() -> ids.predict(new int[] {9}))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 'embedding' (Embedding): Embedding input [0] is 9.0, expected a token id: a whole"
                        + " number in [0, 7)");
    }

    @Test
    void theSummaryListsLayersShapesAndParameters() {
        SimpleRnnCell cell = new SimpleRnnCell(new double[5][3], new double[3][3], new double[3]);
        Model model = Model.sequential().add("simple_rnn", Rnn.of(cell).returnSequences(true))
                .add("dense", new Dense(new double[3][5], new double[5], Activation.SOFTMAX))
                .property("format", "test").note("a rule").build();
        String summary = model.summary();
        assertThat(summary).contains("simple_rnn (Rnn)").contains("(None, None, 3)").contains("27")
                .contains("dense (Dense)").contains("(None, None, 5)").contains("20")
                .contains("Total params: 47").contains("format: test").contains("rule: a rule");
        assertThat(model.parameterCount()).isEqualTo(47);
        assertThat(model.toString()).isEqualTo("Model[inputs=[input], outputs=[dense], layers=2, params=47]");
    }

    @Test
    void nanAndInfinityInInputsAreRefusedByPosition() {
        Model model = Model.sequential().add(Rnn.of(lstm)).build();
        double[][] x = new double[3][4];
        x[2][1] = Double.NaN;
        assertThatThrownBy(() -> model.predict(x)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputs[2][1] is NaN, expected a finite number");
        double[] flat = new double[12];
        flat[5] = Double.POSITIVE_INFINITY;
        assertThatThrownBy(() -> model.run(Map.of("input", Tensor.of(new int[] {3, 4}, flat))))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputs['input'][1][1] is Infinity, expected a finite number");
        Model ids = Model.sequential().add(embedding).add(Rnn.of(lstm)).build();
        assertThatThrownBy(() -> ids.run(Map.of("input", Tensor.of(new double[] {1, Double.NaN}))))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputs['input'][1] is NaN, expected a finite number");
        assertThatThrownBy(() -> model.session().step(new double[] {0, Double.NaN, 0, 0}))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("input[1] is NaN, expected a finite number");
    }

    @Test
    void aSessionStaysUsableAfterARefusedStepAndTheRefusedStepChangesNothing() {
        Model model = Model.sequential().add(embedding).add(Rnn.of(lstm).returnSequences(true))
                .add(Rnn.of(gru).returnSequences(true)).add(dense).build();
        int[] ids = {3, 5, 1, 2};
        double[][] whole = model.predictSequence(ids);
        Session session = model.session();
        assertThat(session.step(ids[0])).isEqualTo(whole[0]);
        assertThatThrownBy(() -> session.step(99)).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThat(session.steps()).isEqualTo(1);
        for (int t = 1; t < ids.length; t++) {
            assertThat(session.step(ids[t])).as("step %d", t).isEqualTo(whole[t]);
        }
    }
}
