package io.github.rnn4j.io;

import io.github.rnn4j.model.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The limits object: defaults, withers, and the readers' refusals that name the file, object and limit. */
class LimitsTest {
    private static final Path NPZ = Resources.fixture("numpy/deflated.npz");
    private static final Path NPY = Resources.fixture("numpy/f8_2d.npy");
    private static final Path H5 = Resources.fixture("hdf5/earliest.h5");

    @Test
    void defaultsAreDocumentedValues() {
        Limits d = Limits.defaults();
        assertThat(d.maxTensorBytes()).isEqualTo(1L << 30);
        assertThat(d.maxTotalTensorBytes()).isEqualTo(2L << 30);
        assertThat(d.maxInflatedBytes()).isEqualTo(2L << 30);
        assertThat(d.maxInflateRatio()).isEqualTo(100);
        assertThat(d.maxJsonBytes()).isEqualTo(64L << 20);
        assertThat(d.maxJsonDepth()).isEqualTo(256);
        assertThat(d.maxJsonEntries()).isEqualTo(1_000_000);
        assertThat(Limits.defaults()).isSameAs(d);
    }

    @Test
    void withersChangeOneLimitAndLeaveTheOriginalAlone() {
        Limits d = Limits.defaults();
        Limits l = d.withMaxTensorBytes(8).withMaxTotalTensorBytes(16).withMaxInflatedBytes(1).withMaxInflateRatio(2)
                .withMaxJsonBytes(3).withMaxJsonDepth(4).withMaxJsonEntries(5);
        assertThat(List.of(l.maxTensorBytes(), l.maxTotalTensorBytes(), l.maxInflatedBytes(), l.maxInflateRatio(),
                l.maxJsonBytes(), (long) l.maxJsonDepth(), l.maxJsonEntries())).containsExactly(8L, 16L, 1L, 2L, 3L,
                4L, 5L);
        assertThat(d).isEqualTo(Limits.defaults()).isNotEqualTo(l);
        assertThat(d.maxTensorBytes()).isEqualTo(1L << 30);
        assertThat(d.withMaxJsonDepth(256)).isEqualTo(d).hasSameHashCodeAs(d);
        assertThat(d).isNotEqualTo("Limits.defaults()").isNotEqualTo(null);
        // usable as a map key: limits that differ in one setting hash apart (Objects.hash of the seven settings)
        assertThat(java.util.stream.Stream.of(d, d.withMaxTensorBytes(8), d.withMaxTotalTensorBytes(16),
                d.withMaxInflatedBytes(1), d.withMaxInflateRatio(2), d.withMaxJsonBytes(3), d.withMaxJsonDepth(4),
                d.withMaxJsonEntries(5)).map(Limits::hashCode).distinct().count()).isEqualTo(8);
        assertThat(l.toString()).contains("maxTensorBytes=8", "maxJsonEntries=5");
    }

    @Test
    void withersRefuseNonsense() {
        assertThatThrownBy(() -> Limits.defaults().withMaxTensorBytes(7))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("bytes is 7, expected at least 8");
        assertThatThrownBy(() -> Limits.defaults().withMaxTotalTensorBytes(0))
                .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limits.defaults().withMaxInflatedBytes(0))
                .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limits.defaults().withMaxInflateRatio(0))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("ratio is 0, expected at least 1");
        assertThatThrownBy(() -> Limits.defaults().withMaxJsonBytes(1))
                .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limits.defaults().withMaxJsonDepth(0))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("depth is 0, expected 1 to 1000");
        assertThatThrownBy(() -> Limits.defaults().withMaxJsonDepth(1_001))
                .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThat(Limits.defaults().withMaxJsonDepth(1_000).maxJsonDepth()).isEqualTo(1_000);
        assertThatThrownBy(() -> Limits.defaults().withMaxJsonEntries(0))
                .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NumPy.readNpy(NPY, null)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limits");
    }

    @Test
    void aTensorOverItsLimitIsRefusedNamingFileTensorLimitAndWither() {
        // f8_2d.npy is 3x4: 96 bytes as doubles.
        assertThatThrownBy(() -> NumPy.readNpy(NPY, Limits.defaults().withMaxTensorBytes(95)))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(NPY + ": shape (3, 4) takes 96 bytes as doubles, more than Limits.maxTensorBytes() = 95;"
                        + " if the file is trusted, raise the limit with Limits.defaults().withMaxTensorBytes(...)"
                        + " and pass it to the reader");
        assertThatThrownBy(() -> NumPy.readNpz(NPZ, Limits.defaults().withMaxTensorBytes(64)))
                .isExactlyInstanceOf(FileFormatException.class).hasMessageStartingWith(NPZ + "[")
                .hasMessageContaining("Limits.maxTensorBytes() = 64");
        assertThatThrownBy(() -> NumPy.readNpz(NPZ, Limits.defaults().withMaxTotalTensorBytes(100)))
                .isExactlyInstanceOf(FileFormatException.class).hasMessageStartingWith(NPZ + "[")
                .hasMessageContaining("Limits.maxTotalTensorBytes() = 100").hasMessageContaining("withMaxTotalTensorBytes");
        assertThatThrownBy(() -> NumPy.readNpz(NPZ, Limits.defaults().withMaxInflatedBytes(300)))
                .isExactlyInstanceOf(FileFormatException.class).hasMessageStartingWith(NPZ + "[")
                .hasMessageContaining("Limits.maxInflatedBytes() = 300");
    }

    @Test
    void hdf5DatasetsCountAgainstTheFilesLimits() throws IOException {
        try (Hdf5File h5 = Hdf5File.open(H5, Limits.defaults().withMaxTensorBytes(8 * 99))) {
            assertThat(h5.node("chunked/plain").readTensor().shape()).containsExactly(9, 11);
            assertThatThrownBy(() -> h5.node("chunked/gzip_shuffle").readTensor())
                    .isExactlyInstanceOf(FileFormatException.class)
                    .hasMessageStartingWith(H5 + ": dataset '/chunked/gzip_shuffle': shape [20][6] takes 960 bytes");
        }
        try (Hdf5File h5 = Hdf5File.open(H5, Limits.defaults().withMaxTotalTensorBytes(8 * 100))) {
            h5.node("chunked/plain").readTensor();
            assertThatThrownBy(() -> h5.node("chunked/rank3").readTensor())
                    .isExactlyInstanceOf(FileFormatException.class)
                    .hasMessageContaining("brings the file's tensors to 1032 bytes")
                    .hasMessageContaining("Limits.maxTotalTensorBytes() = 800");
        }
    }

    /** One Limits shared by threads that read concurrently: same results as one thread. */
    @Test
    void oneInstanceServesManyReadingThreads() throws Exception {
        Limits shared = Limits.defaults().withMaxTensorBytes(1 << 20);
        Map<String, Tensor> expected = NumPy.readNpz(NPZ, shared);
        assertThat(expected).hasSize(4);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 50; i++) {
                        Map<String, Tensor> got = NumPy.readNpz(NPZ, shared);
                        for (String k : expected.keySet()) {
                            if (!java.util.Arrays.equals(got.get(k).data(), expected.get(k).data())) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            start.countDown();
            assertThat(results).hasSize(threads);
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Limits are inclusive: a tensor of exactly the limit, or a file of exactly the total, is read. */
    @Test
    void aTensorOrTotalOfExactlyTheLimitIsAccepted() throws IOException {
        // f8_2d.npy is 3x4: 96 bytes as doubles.
        assertThat(NumPy.readNpy(NPY, Limits.defaults().withMaxTensorBytes(96)).shape()).containsExactly(3, 4);
        assertThat(NumPy.readNpy(NPY, Limits.defaults().withMaxTotalTensorBytes(96)).shape()).containsExactly(3, 4);
        assertThatThrownBy(() -> NumPy.readNpy(NPY, Limits.defaults().withMaxTotalTensorBytes(95)))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(NPY + ": shape (3, 4) brings the file's tensors to 96 bytes as doubles, more than"
                        + " Limits.maxTotalTensorBytes() = 95; if the file is trusted, raise the limit with"
                        + " Limits.defaults().withMaxTotalTensorBytes(...) and pass it to the reader");
    }

    /** A budget adds up the tensors of one file: 8 bytes an element, up to and including the total. */
    @Test
    void aBudgetAddsUpEveryTensorOfAFile() throws FileFormatException {
        Limits.Budget budget = Limits.defaults().withMaxTensorBytes(80).withMaxTotalTensorBytes(200).budget();
        budget.take("f[a]", "(10,)", 10);
        budget.take("f[b]", "(5, 2)", 10);
        budget.take("f[c]", "(0,)", 0);
        budget.take("f[d]", "(5,)", 5);
        assertThatThrownBy(() -> budget.take("f[e]", "(1,)", 1)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith("f[e]: shape (1,) brings the file's tensors to 208 bytes as doubles, more"
                        + " than Limits.maxTotalTensorBytes() = 200");
        assertThat(Limits.defaults().checkTensor("t", "(3,)", 3, 40)).isEqualTo(64);
    }

    /** Element counts whose byte size overflows a long saturate instead of wrapping to a small number. */
    @Test
    void byteCountsSaturateInsteadOfOverflowing() {
        long largest = Long.MAX_VALUE / 8;
        assertThatThrownBy(() -> Limits.defaults().checkTensor("t", "(huge,)", largest, 0))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith("t: shape (huge,) takes " + (largest * 8) + " bytes as doubles");
        assertThatThrownBy(() -> Limits.defaults().checkTensor("t", "(huge,)", largest + 1, 0))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith("t: shape (huge,) takes " + Long.MAX_VALUE + " bytes as doubles");
        assertThatThrownBy(() -> Limits.defaults().checkTensor("t", "(huge,)", Long.MAX_VALUE / 4 + 1, 0))
                .as("a count whose 8-fold wraps to 0").isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith("t: shape (huge,) takes " + Long.MAX_VALUE + " bytes as doubles");
    }
}
