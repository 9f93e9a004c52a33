package io.github.rnn4j.testing;

import io.github.rnn4j.io.TestJson;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Bidirectional;
import io.github.rnn4j.layers.GruCell;
import io.github.rnn4j.layers.LstmCell;
import io.github.rnn4j.layers.MergeMode;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.layers.RnnCell;
import io.github.rnn4j.layers.SimpleRnnCell;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One reference fixture file under {@code src/test/resources/fixtures}, written by a generator in
 * {@code tools/fixtures} (or transcribed from Keras's tests), and the layers its cases describe.
 */
public final class Fixture {
    /** The file's metadata: generator, reference and tolerance text. */
    public final Map<String, Object> header;
    /** The cases in file order. */
    public final List<Case> cases;

    private Fixture(Map<String, Object> header, List<Case> cases) {
        this.header = header;
        this.cases = cases;
    }

    /** Loads {@code /fixtures/<path>} from the test class path. */
    @SuppressWarnings("unchecked")
    public static Fixture load(String path) {
        try (InputStream in = Fixture.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalStateException("fixture /fixtures/" + path + " is missing from the test class path");
            }
            Map<String, Object> doc = (Map<String, Object>) TestJson.parse(new String(in.readAllBytes(),
                    StandardCharsets.UTF_8), path);
            List<Case> cases = new ArrayList<>();
            for (Object c : (List<Object>) doc.get("cases")) {
                cases.add(new Case((Map<String, Object>) c));
            }
            return new Fixture(doc, cases);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One case: a layer configuration, its weights, one input sequence and the reference outputs. */
    public static final class Case {
        public final String name;
        public final String layer;
        public final Map<String, Object> config;
        public final List<Object> weights;
        public final Map<String, Object> raw;

        @SuppressWarnings("unchecked")
        Case(Map<String, Object> raw) {
            this.raw = raw;
            this.name = (String) raw.get("name");
            this.layer = (String) raw.get("layer");
            this.config = (Map<String, Object>) raw.get("config");
            this.weights = (List<Object>) raw.get("weights");
        }

        @Override
        public String toString() {
            return name;
        }

        public double[][] inputs() {
            return matrix(raw.get("inputs"));
        }

        public int[] tokenIds() {
            List<?> l = (List<?>) raw.get("inputs");
            int[] ids = new int[l.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = ((Number) l.get(i)).intValue();
            }
            return ids;
        }

        public boolean[] mask() {
            List<?> l = (List<?>) raw.get("mask");
            if (l == null) {
                return null;
            }
            boolean[] m = new boolean[l.size()];
            for (int i = 0; i < m.length; i++) {
                m[i] = (Boolean) l.get(i);
            }
            return m;
        }

        public List<double[]> initialState() {
            Object s = raw.get("initialState");
            return s == null ? null : List.of(matrix(s));
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> expected() {
            return (Map<String, Object>) raw.get("expected");
        }

        public boolean flag(String key) {
            return Boolean.TRUE.equals(config.get(key));
        }

        /** Builds the {@link Rnn} of a SimpleRNN, LSTM or GRU case. */
        public Rnn rnn() {
            return Rnn.of(cell(layer, config, weights))
                    .returnSequences(flag("returnSequences"))
                    .returnState(flag("returnState"))
                    .goBackwards(flag("goBackwards"))
                    .zeroOutputForMask(flag("zeroOutputForMask"));
        }

        /** Builds the {@link Bidirectional} of a Bidirectional case. */
        @SuppressWarnings("unchecked")
        public Bidirectional bidirectional() {
            Map<String, Object> fw = (Map<String, Object>) config.get("forward");
            Map<String, Object> bw = (Map<String, Object>) config.get("backward");
            String kind = innerKind();
            int n = weights.size() / 2;
            RnnCell f = cell(kind, fw, weights.subList(0, n));
            RnnCell b = cell(kind, bw, weights.subList(n, 2 * n));
            return Bidirectional.of(f, b, MergeMode.valueOf(((String) config.get("mergeMode")).toUpperCase(Locale.ROOT)))
                    .returnSequences(flag("returnSequences"))
                    .returnState(flag("returnState"));
        }

        /** The inner layer type of a Bidirectional case, told by its config keys (GRU has resetAfter, LSTM a recurrent activation). */
        @SuppressWarnings("unchecked")
        private String innerKind() {
            Map<String, Object> fw = (Map<String, Object>) config.get("forward");
            if (fw.containsKey("resetAfter")) {
                return "GRU";
            }
            return fw.containsKey("recurrentActivation") ? "LSTM" : "SimpleRNN";
        }
    }

    /** Builds a cell from a fixture cell config and its Keras weights. */
    public static RnnCell cell(String kind, Map<String, Object> config, List<Object> w) {
        double[][] kernel = matrix(w.get(0));
        double[][] recurrent = matrix(w.get(1));
        boolean useBias = !Boolean.FALSE.equals(config.get("useBias"));
        Activation act = activation((String) config.getOrDefault("activation", "tanh"));
        Activation rec = activation((String) config.getOrDefault("recurrentActivation", "sigmoid"));
        switch (kind) {
            case "SimpleRNN":
                return useBias ? new SimpleRnnCell(kernel, recurrent, vector(w.get(2)), act)
                        : SimpleRnnCell.withoutBias(kernel, recurrent, act);
            case "LSTM":
                return useBias ? new LstmCell(kernel, recurrent, vector(w.get(2)), act, rec)
                        : LstmCell.withoutBias(kernel, recurrent, act, rec);
            case "GRU": {
                boolean resetAfter = Boolean.TRUE.equals(config.get("resetAfter"));
                if (!useBias) {
                    return GruCell.withoutBias(kernel, recurrent, resetAfter, act, rec);
                }
                return resetAfter ? new GruCell(kernel, recurrent, matrix(w.get(2)), act, rec)
                        : new GruCell(kernel, recurrent, vector(w.get(2)), act, rec);
            }
            default:
                throw new IllegalArgumentException("unknown layer " + kind);
        }
    }

    /** Maps a fixture activation name; {@code hard_sigmoid_keras2} is TF.js's slope-0.2 variant. */
    public static Activation activation(String name) {
        if (name.equals("hard_sigmoid_keras2")) {
            return Activation.HARD_SIGMOID_KERAS2;
        }
        return Activation.fromKerasName(name, false);
    }

    public static double[] vector(Object o) {
        List<?> l = (List<?>) o;
        double[] v = new double[l.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Number) l.get(i)).doubleValue();
        }
        return v;
    }

    public static double[][] matrix(Object o) {
        List<?> l = (List<?>) o;
        double[][] m = new double[l.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = vector(l.get(i));
        }
        return m;
    }
}
