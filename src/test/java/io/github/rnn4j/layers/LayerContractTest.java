package io.github.rnn4j.layers;

import io.github.rnn4j.testing.Concurrently;
import io.github.rnn4j.testing.Fixture;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link Layer} promises: an informative toString and thread-safe calls. */
class LayerContractTest {

    /** Two differently configured samples of every permitted class (one for Flatten, which has no configuration). */
    private static Map<Class<?>, List<Layer>> samples() {
        Map<Class<?>, List<Layer>> m = new LinkedHashMap<>();
        SimpleRnnCell cell = new SimpleRnnCell(new double[2][3], new double[3][3], new double[3]);
        m.put(Rnn.class, List.of(Rnn.of(cell), Rnn.of(cell).returnSequences(true)));
        m.put(Bidirectional.class, List.of(Bidirectional.of(cell, cell, MergeMode.CONCAT),
                Bidirectional.of(cell, cell, MergeMode.SUM)));
        m.put(Dense.class, List.of(new Dense(new double[2][3], null, Activation.TANH),
                new Dense(new double[2][4], null, Activation.TANH)));
        m.put(Embedding.class, List.of(new Embedding(new double[5][2]), new Embedding(new double[5][2], true)));
        m.put(Masking.class, List.of(new Masking(0), new Masking(-1)));
        m.put(Identity.class, List.of(new Identity("Dropout"), new Identity("GaussianNoise")));
        m.put(ActivationLayer.class, List.of(ActivationLayer.of(Activation.GELU), ActivationLayer.of(Activation.ELU),
                ActivationLayer.relu(6, 0, 0), ActivationLayer.leakyRelu(0.3), ActivationLayer.elu(0.5),
                ActivationLayer.softmax(-1), ActivationLayer.softmax(1)));
        m.put(Merge.class, List.of(new Merge(Merge.Kind.ADD), new Merge(Merge.Kind.MINIMUM)));
        m.put(Concatenate.class, List.of(new Concatenate(-1), new Concatenate(1)));
        m.put(Dot.class, List.of(new Dot(new int[] {2, 2}, false), new Dot(new int[] {1, 1}, true)));
        m.put(RepeatVector.class, List.of(new RepeatVector(2), new RepeatVector(3)));
        m.put(TimeDistributed.class, List.of(new TimeDistributed(new Dense(new double[2][3], null, Activation.TANH)),
                new TimeDistributed(ActivationLayer.of(Activation.RELU))));
        m.put(Flatten.class, List.of(new Flatten()));
        m.put(Reshape.class, List.of(new Reshape(2, -1), new Reshape(6)));
        m.put(Permute.class, List.of(new Permute(2, 1), new Permute(1, 2)));
        m.put(GlobalPooling1D.class, List.of(new GlobalPooling1D(GlobalPooling1D.Kind.AVERAGE, false),
                new GlobalPooling1D(GlobalPooling1D.Kind.MAX, true)));
        m.put(BatchNormalization.class, List.of(
                new BatchNormalization(null, null, new double[2], new double[2], 1e-3),
                new BatchNormalization(new double[2], null, new double[2], new double[2], 1e-5)));
        m.put(LayerNormalization.class, List.of(new LayerNormalization(null, null, 2, 1e-3),
                new LayerNormalization(null, new double[3], 3, 1e-3)));
        m.put(Conv1D.class, List.of(new Conv1D(new double[2][1][3], null, 1, Padding.CAUSAL, 2, 1, Activation.RELU),
                new Conv1D(new double[3][1][3], new double[3], 2, Padding.SAME, 1, 1, Activation.LINEAR)));
        m.put(Pooling1D.class, List.of(new Pooling1D(Pooling1D.Kind.MAX, 2, Padding.VALID),
                new Pooling1D(Pooling1D.Kind.AVERAGE, 3, 1, Padding.SAME)));
        return m;
    }

    @Test
    void everyLayerSaysWhatItIsAndHowItIsConfigured() {
        Map<Class<?>, List<Layer>> samples = samples();
        assertThat(samples.keySet()).as("a sample of every permitted Layer class")
                .containsExactlyInAnyOrder(Layer.class.getPermittedSubclasses());
        for (Map.Entry<Class<?>, List<Layer>> e : samples.entrySet()) {
            Set<String> seen = new HashSet<>();
            for (Layer layer : e.getValue()) {
                String s = layer.toString();
                assertThat(s).as(e.getKey().getSimpleName()).matches("[A-Za-z0-9]+\\[.*\\]").doesNotContain("@");
                assertThat(seen.add(s)).as("%s: two configurations print the same %s", e.getKey().getSimpleName(), s)
                        .isTrue();
            }
        }
    }

    @Test
    void layersGiveTheSameBitsFromManyThreadsAtOnce() throws Exception {
        Fixture fixture = Fixture.load("layers/layers_expected.json");
        List<Layer> layers = new ArrayList<>();
        List<List<Value>> inputs = new ArrayList<>();
        for (Fixture.Case c : fixture.cases) {
            if (!c.layer.equals("erf")) {
                layers.add(KerasLayersFixtureTest.build(c));
                inputs.add(KerasLayersFixtureTest.values(c.raw.get("inputs")));
            }
        }
        List<String> alone = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            alone.add(render(layers.get(i).apply(inputs.get(i))));
        }
        assertThat(layers).as("fixture cases").hasSizeGreaterThan(40);
        List<List<String>> runs = Concurrently.run(8, thread -> () -> {
            List<String> out = new ArrayList<>();
            for (int rep = 0; rep < 20; rep++) {
                for (int i = 0; i < layers.size(); i++) {
                    int k = (i + thread * 5 + rep) % layers.size();
                    String s = render(layers.get(k).apply(inputs.get(k)));
                    if (!s.equals(alone.get(k))) {
                        out.add(rep + ": " + layers.get(k) + " gave " + s);
                    }
                }
            }
            return out;
        });
        assertThat(runs).hasSize(8);
        for (List<String> mismatches : runs) {
            assertThat(mismatches).as("calls that differ from the single-threaded result").isEmpty();
        }
    }

    /** The exact bits of a list of values, as text. */
    private static String render(List<Value> values) {
        StringBuilder sb = new StringBuilder();
        for (Value v : values) {
            if (v instanceof Value.Vector) {
                sb.append(Arrays.toString(bits(((Value.Vector) v).values())));
            } else {
                Value.Sequence s = (Value.Sequence) v;
                for (double[] row : s.steps()) {
                    sb.append(Arrays.toString(bits(row)));
                }
                sb.append(Arrays.toString(s.mask()));
            }
            sb.append('|');
        }
        return sb.toString();
    }

    private static long[] bits(double[] v) {
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Double.doubleToRawLongBits(v[i]);
        }
        return b;
    }
}
