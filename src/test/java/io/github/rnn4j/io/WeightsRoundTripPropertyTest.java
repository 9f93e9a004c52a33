package io.github.rnn4j.io;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Rnn;
import io.github.rnn4j.model.Model;
import io.github.rnn4j.model.Tensor;
import io.github.rnn4j.testing.NaiveRnn;
import io.github.rnn4j.testing.RandomCell;
import io.github.rnn4j.testing.Trials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model's weights written by the small writers in this test (an {@code .npz} of {@code <f8} arrays, stored or
 * deflated, and a {@code .safetensors} of {@code F64}) and read back by {@link NumPy} and {@link Safetensors} give a
 * rebuilt model that runs bit for bit as the original. Keras files are not written here: that needs an HDF5 writer;
 * the committed h5py-made fixtures cover the Keras readers.
 */
class WeightsRoundTripPropertyTest {
    /** Values that a careless reader or writer changes: signed zero, subnormals, extremes. */
    private static final double[] AWKWARD = {-0.0, Double.MIN_VALUE, -Double.MIN_NORMAL, 1e300, -1e-300, 0.1};

    @TempDir
    Path dir;

    @Test
    void savedAndLoadedWeightsRunBitForBitAsTheOriginal() {
        int trials = Trials.forAll("save, load, run = run", 200, 20_000, rnd -> {
            RandomCell c = RandomCell.draw(rnd);
            int units = Trials.between(rnd, 1, 5);
            double[][] denseKernel = NaiveRnn.random(rnd, c.units(), units, 1.0);
            double[] denseBias = NaiveRnn.random(rnd, 1, units, 1.0)[0];
            if (rnd.nextBoolean()) {
                denseKernel[0][0] = AWKWARD[rnd.nextInt(AWKWARD.length)];
                denseBias[units - 1] = AWKWARD[rnd.nextInt(AWKWARD.length)];
            }
            Map<String, double[][]> arrays = new LinkedHashMap<>();
            arrays.put("rnn/kernel", c.kernel());
            arrays.put("rnn/recurrent_kernel", c.recurrent());
            arrays.put("rnn/bias", c.bias());
            arrays.put("dense/kernel", denseKernel);
            arrays.put("dense/bias", new double[][] {denseBias});
            Model original = model(c.kind(), arrays);
            double[][] x = c.sequence(rnd, Trials.between(rnd, 1, 10), 2.0);
            double[][] expected = original.predictSequence(x);
            try {
                Path npz = dir.resolve("w" + rnd.nextInt(1_000_000) + ".npz");
                Files.write(npz, npz(arrays, rnd.nextBoolean()));
                Path st = dir.resolve("w" + rnd.nextInt(1_000_000) + ".safetensors");
                Files.write(st, safetensors(arrays));
                for (Map<String, Tensor> loaded : java.util.List.of(NumPy.readNpz(npz), Safetensors.read(st))) {
                    assertThat(loaded.keySet()).containsExactlyElementsOf(arrays.keySet());
                    Map<String, double[][]> back = new LinkedHashMap<>();
                    for (Map.Entry<String, Tensor> e : loaded.entrySet()) {
                        double[][] m = e.getValue().matrix();
                        assertThat(m).as(e.getKey()).isDeepEqualTo(arrays.get(e.getKey()));
                        back.put(e.getKey(), m);
                    }
                    assertThat(model(c.kind(), back).predictSequence(x)).isDeepEqualTo(expected);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(trials).isEqualTo(200);
    }

    private static Model model(NaiveRnn.Kind kind, Map<String, double[][]> w) {
        return Model.sequential()
                .add(Rnn.of(RandomCell.build(kind, w.get("rnn/kernel"), w.get("rnn/recurrent_kernel"), w.get("rnn/bias")))
                        .returnSequences(true))
                .add(new Dense(w.get("dense/kernel"), w.get("dense/bias")[0], Activation.SIGMOID))
                .build();
    }

    /** An {@code .npz}: one {@code .npy} (format 1.0, {@code <f8}, C order) per array in a zip, as numpy.savez. */
    static byte[] npz(Map<String, double[][]> arrays, boolean deflate) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, double[][]> e : arrays.entrySet()) {
                byte[] npy = npy(e.getValue());
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(npy);
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(npy.length);
                    entry.setCompressedSize(npy.length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(npy);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static byte[] npy(double[][] m) {
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + m.length + ", " + m[0].length
                + "), }";
        int unpadded = 10 + header.length() + 1;
        header = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 8 * m.length * m[0].length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (double[] row : m) {
            for (double v : row) {
                b.putDouble(v);
            }
        }
        return b.array();
    }

    /** A {@code .safetensors}: a little-endian u64 header length, the JSON header (padded to 8), then the data. */
    static byte[] safetensors(Map<String, double[][]> arrays) {
        StringBuilder json = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, double[][]> e : arrays.entrySet()) {
            double[][] m = e.getValue();
            long size = 8L * m.length * m[0].length;
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(e.getKey()).append("\":{\"dtype\":\"F64\",\"shape\":[").append(m.length)
                    .append(',').append(m[0].length).append("],\"data_offsets\":[").append(offset).append(',')
                    .append(offset + size).append("]}");
            offset += size;
        }
        json.append('}');
        while (json.length() % 8 != 0) {
            json.append(' ');
        }
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate((int) (8 + header.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        for (double[][] m : arrays.values()) {
            for (double[] row : m) {
                for (double v : row) {
                    b.putDouble(v);
                }
            }
        }
        return b.array();
    }
}
