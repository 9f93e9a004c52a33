package io.github.rnn4j.io;

import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * NumPy writing against numpy itself: the .npy files numpy wrote (tools/fixtures/gen_cli.py, numpy 1.24) are
 * reproduced byte for byte, numpy's .npz is read back, and, when /usr/bin/python3 has numpy, numpy loads what rnn4j
 * wrote (the same script's --check; its committed output is fixtures/numpy_write/check_output.txt).
 */
class NumPyWriteTest {
    static final Path REFERENCES = Path.of("src", "test", "resources", "fixtures", "numpy_write");
    static final Map<String, int[]> SHAPES = new LinkedHashMap<>();

    static {
        SHAPES.put("vector", new int[] {5});
        SHAPES.put("matrix", new int[] {2, 3});
        SHAPES.put("cube", new int[] {2, 3, 4});
        SHAPES.put("empty", new int[] {0, 3});
    }

    @TempDir
    Path tmp;

    /** i * 0.37 - 2.5, as gen_cli.py's values(n). */
    static Tensor values(int[] shape) {
        int n = size(shape);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i * 0.37 - 2.5;
        }
        return Tensor.of(shape, d);
    }

    /** (i - 3) * 1000003 * (1 + i * i), as gen_cli.py's ints(n): negative, and beyond 2^31. */
    static Tensor ints(int[] shape) {
        int n = size(shape);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = (double) ((i - 3) * 1000003L * (1 + (long) i * i));
        }
        return Tensor.of(shape, d);
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    @Test
    void npyIsByteForByteWhatNumpyWrites() throws IOException {
        for (Map.Entry<String, int[]> e : SHAPES.entrySet()) {
            String label = e.getKey();
            assertSameBytes(label + "_f8.npy", values(e.getValue()), NumPy.Dtype.FLOAT64);
            assertSameBytes(label + "_f4.npy", values(e.getValue()), NumPy.Dtype.FLOAT32);
            assertSameBytes(label + "_i8.npy", ints(e.getValue()), NumPy.Dtype.INT64);
        }
    }

    private void assertSameBytes(String reference, Tensor t, NumPy.Dtype dtype) throws IOException {
        Path mine = tmp.resolve(reference);
        NumPy.writeNpy(mine, t, dtype);
        assertThat(Files.readAllBytes(mine)).as(reference).isEqualTo(Files.readAllBytes(REFERENCES.resolve(reference)));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        NumPy.writeNpy(stream, t, dtype);
        assertThat(stream.toByteArray()).as(reference + " to a stream").isEqualTo(Files.readAllBytes(mine));
    }

    @Test
    void writtenFilesReadBackExactly() throws IOException {
        for (Map.Entry<String, int[]> e : SHAPES.entrySet()) {
            Tensor v = values(e.getValue());
            Path f8 = tmp.resolve(e.getKey() + ".npy");
            NumPy.writeNpy(f8, v, NumPy.Dtype.FLOAT64);
            assertThat(NumPy.readNpy(f8).shape()).containsExactly(e.getValue());
            assertThat(NumPy.readNpy(f8).data()).containsExactly(v.data());
            NumPy.writeNpy(f8, v, NumPy.Dtype.FLOAT32);
            double[] back = NumPy.readNpy(f8).data();
            for (int i = 0; i < back.length; i++) {
                assertThat(back[i]).isEqualTo((double) (float) v.data()[i]);
            }
        }
        Map<String, Tensor> several = new LinkedHashMap<>();
        SHAPES.forEach((k, s) -> several.put(k, values(s)));
        Path npz = tmp.resolve("several_f8.npz");
        NumPy.writeNpz(npz, several, NumPy.Dtype.FLOAT64);
        Map<String, Tensor> back = NumPy.readNpz(npz);
        assertThat(back.keySet()).containsExactlyElementsOf(several.keySet());
        for (String k : several.keySet()) {
            assertThat(back.get(k).shape()).containsExactly(several.get(k).shape());
            assertThat(back.get(k).data()).containsExactly(several.get(k).data());
        }
    }

    @Test
    void numpysOwnNpzReadsAsWhatWeWrite() throws IOException {
        Map<String, Tensor> numpy = NumPy.readNpz(REFERENCES.resolve("several_f8.npz"));
        for (Map.Entry<String, int[]> e : SHAPES.entrySet()) {
            assertThat(numpy.get(e.getKey()).data()).containsExactly(values(e.getValue()).data());
        }
    }

    @Test
    void numpyLoadsWhatRnn4jWrote() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "/usr/bin/python3 is absent");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import numpy").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0, "numpy is absent");
        Map<String, Tensor> several = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : SHAPES.entrySet()) {
            NumPy.writeNpy(tmp.resolve(e.getKey() + "_f8.npy"), values(e.getValue()), NumPy.Dtype.FLOAT64);
            NumPy.writeNpy(tmp.resolve(e.getKey() + "_f4.npy"), values(e.getValue()), NumPy.Dtype.FLOAT32);
            NumPy.writeNpy(tmp.resolve(e.getKey() + "_i8.npy"), ints(e.getValue()), NumPy.Dtype.INT64);
            several.put(e.getKey(), values(e.getValue()));
        }
        NumPy.writeNpz(tmp.resolve("several_f8.npz"), several, NumPy.Dtype.FLOAT64);
        Process check = new ProcessBuilder(python.toString(), "tools/fixtures/gen_cli.py", "--check", tmp.toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("OK").doesNotContain("DIFFERENT");
        List<String> committed = Files.readAllLines(REFERENCES.resolve("check_output.txt"));
        assertThat(output.lines().filter(l -> !l.startsWith("numpy "))).containsExactlyElementsOf(
                committed.stream().filter(l -> !l.startsWith("numpy ")).toList());
    }

    @Test
    void int64RefusesFractionsAndOutOfRangeBeforeWriting() {
        Path f = tmp.resolve("x.npy");
        assertThatThrownBy(() -> NumPy.writeNpy(f, Tensor.of(new double[] {1, 2.5}), NumPy.Dtype.INT64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("array element 1 is 2.5");
        assertThatThrownBy(() -> NumPy.writeNpy(f, Tensor.of(new double[] {0x1p63}), NumPy.Dtype.INT64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("int64 range");
        assertThatThrownBy(() -> NumPy.writeNpz(f, Map.of("a", Tensor.of(new double[] {Double.NaN})),
                NumPy.Dtype.INT64)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("arrays['a']");
        assertThat(Files.exists(f)).isFalse();
        assertThatThrownBy(() -> NumPy.writeNpz(f, Map.of("", Tensor.of(new double[] {1})), NumPy.Dtype.FLOAT64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty name");
    }

    /**
     * The header numpy's own {@code format._write_array_header} (what {@code np.save} calls) writes, for ordinary
     * shapes, for a rank-15 shape where numpy's room to grow the first axis takes a second 64-byte block, and for
     * {@code (1,) * k} around its switch from version 1.0 to 2.0 (tools/fixtures/gen_numpy_edges.py, headers.json:
     * version, length and SHA-256 of numpy's bytes).
     */
    @SuppressWarnings("unchecked")
    @Test
    void headerIsWhatNumpyWritesUpToAndPastVersionTwo() throws Exception {
        Path json = Path.of("src", "test", "resources", "fixtures", "numpy_edges", "headers.json");
        Map<String, Object> fixture = Resources.json(json);
        List<Map<String, Object>> headers = (List<Map<String, Object>>) fixture.get("headers");
        assertThat(headers).hasSize(153);
        int lastVersion1 = ((Number) fixture.get("last_version_1_ones")).intValue();
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        int version2 = 0;
        for (Map<String, Object> h : headers) {
            int[] shape;
            if (h.containsKey("ones")) {
                shape = new int[((Number) h.get("ones")).intValue()];
                java.util.Arrays.fill(shape, 1);
                assertThat(((Number) h.get("version")).intValue()).isEqualTo(shape.length <= lastVersion1 ? 1 : 2);
            } else {
                shape = ((List<Object>) h.get("shape")).stream().mapToInt(d -> ((Number) d).intValue()).toArray();
            }
            NumPy.Dtype dtype = java.util.Arrays.stream(NumPy.Dtype.values())
                    .filter(d -> d.descr().equals(h.get("descr"))).findFirst().orElseThrow();
            byte[] mine = NumPy.npyHeader(shape, dtype);
            String label = h.get("descr") + " rank " + shape.length;
            assertThat(mine[6]).as(label).isEqualTo((byte) ((Number) h.get("version")).intValue());
            assertThat(mine.length).as(label).isEqualTo(((Number) h.get("length")).intValue());
            assertThat(java.util.HexFormat.of().formatHex(sha.digest(mine))).as(label).isEqualTo(h.get("sha256"));
            version2 += mine[6] == 2 ? 1 : 0;
        }
        assertThat(version2).as("cases past numpy's switch to version 2.0").isEqualTo(3 * 22);
    }

    @Test
    void aRankFifteenArrayIsByteForByteWhatNumpySaves() throws IOException {
        Path mine = tmp.resolve("rank15.npy");
        int[] shape = new int[15];
        java.util.Arrays.fill(shape, 1);
        shape[0] = 2;
        NumPy.writeNpy(mine, Tensor.of(shape, new double[] {1.5, -2.25}), NumPy.Dtype.FLOAT64);
        Path numpy = Path.of("src", "test", "resources", "fixtures", "numpy_edges", "rank15_f8.npy");
        assertThat(Files.readAllBytes(mine)).isEqualTo(Files.readAllBytes(numpy));
    }

    @Test
    void headerPadsToSixtyFourAndGrowsToVersionTwo() {
        assertThat(NumPy.npyHeader(new int[] {2, 3}, NumPy.Dtype.FLOAT64).length % 64).isZero();
        int[] many = new int[25000];
        java.util.Arrays.fill(many, 1);
        byte[] big = NumPy.npyHeader(many, NumPy.Dtype.FLOAT64);
        assertThat(big[6]).isEqualTo((byte) 2);
        assertThat(big.length % 64).isZero();
    }
}
