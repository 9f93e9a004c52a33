package io.github.rnn4j.io;

import io.github.rnn4j.model.Tensor;
import io.github.rnn4j.testing.Concurrently;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PyTorch#readStateDict(Path)} against files written by real PyTorch 1.13
 * (tools/fixtures/gen_pytorch_models.py): views, shared storages, dtypes, byte orders, the three formats, and the
 * hostile files.
 */
class PyTorchReadTest {
    private static final String DIR = "pytorch_models/";

    private static Path file(String name) {
        return Resources.fixture(DIR + name);
    }

    @SuppressWarnings("unchecked")
    private static void assertMatchesViewsJson(Map<String, Tensor> sd) {
        Map<String, Object> json = Resources.json(file("views.json"));
        List<String> order = (List<String>) json.get("order");
        assertThat(new ArrayList<>(sd.keySet())).as("file order").containsExactlyElementsOf(order);
        Map<String, Object> tensors = (Map<String, Object>) json.get("tensors");
        for (String name : order) {
            Map<String, Object> e = (Map<String, Object>) tensors.get(name);
            assertThat(sd.get(name).shape()).as(name + " shape").containsExactly(Resources.shape(e));
            assertThat(sd.get(name).data()).as(name + " values, bit for bit").containsExactly(Resources.data(e));
        }
    }

    @Test
    void readsViewsSharedStoragesAndDtypesAsPyTorchReportsThem() throws Exception {
        assertMatchesViewsJson(PyTorch.readStateDict(file("views.pt")));
    }

    @Test
    void readsTheBigEndianLayout() throws Exception {
        assertMatchesViewsJson(PyTorch.readStateDict(file("views_big.pt")));
    }

    @Test
    void readsFromAStream() throws Exception {
        try (InputStream in = Files.newInputStream(file("views.pt"))) {
            assertMatchesViewsJson(PyTorch.readStateDict(in));
        }
    }

    @Test
    void theThreeFormatsGiveTheSameStateDict() throws Exception {
        Map<String, Tensor> pt = PyTorch.readStateDict(file("charlm.pt"));
        Map<String, Tensor> st = PyTorch.readStateDict(file("charlm.safetensors"));
        Map<String, Tensor> npz = PyTorch.readStateDict(file("charlm.npz"));
        assertThat(pt.keySet()).containsExactly("embedding.weight", "lstm.weight_ih_l0", "lstm.weight_hh_l0",
                "lstm.bias_ih_l0", "lstm.bias_hh_l0", "lstm.weight_ih_l1", "lstm.weight_hh_l1", "lstm.bias_ih_l1",
                "lstm.bias_hh_l1", "fc.weight", "fc.bias");
        for (Map<String, Tensor> other : List.of(st, npz)) {
            assertThat(new ArrayList<>(other.keySet())).containsExactlyElementsOf(pt.keySet());
            for (String k : pt.keySet()) {
                assertThat(other.get(k).shape()).as(k).containsExactly(pt.get(k).shape());
                assertThat(other.get(k).data()).as(k).containsExactly(pt.get(k).data());
            }
        }
    }

    @Test
    void aNonContiguousParameterComesBackRowMajor() throws Exception {
        Map<String, Tensor> sd = PyTorch.readStateDict(file("gru_l1.pt"));
        assertThat(sd.get("weight_ih_l0").shape()).containsExactly(12, 3);
    }

    @Test
    void theResultCannotBeChanged() throws Exception {
        Map<String, Tensor> sd = PyTorch.readStateDict(file("lstm_l1.pt"));
        assertThatThrownBy(() -> sd.remove("weight_ih_l0")).isInstanceOf(UnsupportedOperationException.class);
    }

    // ------------------------------------------------------------------ bad input

    private static final String HOSTILE = DIR + "hostile/";

    @Test
    void aPickleThatWouldRunCodeIsRefusedNamingTheGlobal() {
        assertThatThrownBy(() -> PyTorch.readStateDict(Resources.fixture(HOSTILE + "os_system.pt")))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("global posix.system")
                .hasMessageContaining("state_dict()");
    }

    @Test
    void aDisallowedGlobalIsRefusedBeforeAnyStorageIsRead() throws Exception {
        // a valid archive whose pickle names os.system, and whose storage records are all missing: the global is
        // met first, so the missing records are never looked at
        byte[] pickle = concat(new byte[] {(byte) 0x80, 2}, "cos\nsystem\nX\u0002\u0000\u0000\u0000lsR.".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> StateDictPickle.read(pickle, "evil.pkl"))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("global os.system");
        byte[] zip = zip("m/data.pkl", pickle, "m/version", "3\n".getBytes());
        assertThatThrownBy(() -> PyTorch.readStateDict(new java.io.ByteArrayInputStream(zip), "evil.pt",
                Limits.defaults()))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("evil.pt[m/data.pkl]")
                .hasMessageContaining("global os.system");
    }

    static byte[] zip(Object... namesAndContents) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                z.putNextEntry(new java.util.zip.ZipEntry((String) namesAndContents[i]));
                z.write((byte[]) namesAndContents[i + 1]);
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aWholePickledModuleIsRefusedWithTheStateDictAdvice() {
        assertThatThrownBy(() -> PyTorch.readStateDict(Resources.fixture(HOSTILE + "whole_module.pt")))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("torch.nn.modules.linear.Linear")
                .hasMessageContaining("whole pickled module")
                .hasMessageContaining("torch.save(model.state_dict(), path)");
    }

    @Test
    void theLegacyFormatIsRefused() {
        assertThatThrownBy(() -> PyTorch.readStateDict(Resources.fixture(HOSTILE + "legacy.pt")))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("legacy")
                .hasMessageContaining("PyTorch 1.6");
    }

    @ParameterizedTest
    @ValueSource(strings = {"int32.pt:torch.IntStorage", "complex.pt:torch.ComplexDoubleStorage"})
    void anUnsupportedDtypeIsRefusedNamingIt(String spec) {
        String[] p = spec.split(":");
        assertThatThrownBy(() -> PyTorch.readStateDict(Resources.fixture(HOSTILE + p[0])))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("storage type " + p[1] + " is not supported")
                .hasMessageContaining("float64 (DoubleStorage)");
    }

    @Test
    @Timeout(60)
    void aTruncatedArchiveIsRefused() {
        assertThatThrownBy(() -> PyTorch.readStateDict(Resources.fixture(HOSTILE + "truncated.pt")))
                .isInstanceOf(FileFormatException.class)
                .hasMessageContaining("truncated.pt");
    }

    @Test
    @Timeout(60)
    void aCorruptedRecordFailsItsCrc() {
        assertThatThrownBy(() -> PyTorch.readStateDict(Resources.fixture(HOSTILE + "corrupted.pt")))
                .isInstanceOf(FileFormatException.class)
                .hasMessageContaining("lstm_l1/data/0")
                .hasMessageContaining("CRC");
    }

    @Test
    void aRecordShorterThanItsStorageIsRefused() {
        assertThatThrownBy(() -> PyTorch.readStateDict(Resources.fixture(HOSTILE + "short_record.pt")))
                .isInstanceOf(FileFormatException.class)
                .hasMessageContaining("[lstm_l1/data/0]: the record has 376 bytes, the pickle declares 48"
                        + " torch.DoubleStorage elements = 384 bytes");
    }

    @Test
    void aStorageShorterThanItsTensorIsRefusedBeforeItIsRead() {
        assertThatThrownBy(() -> PyTorch.readStateDict(Resources.fixture(HOSTILE + "short_storage.pt")))
                .isInstanceOf(FileFormatException.class)
                .hasMessageContaining("tensor 'weight_ih_l0'")
                .hasMessageContaining("size [16][3], stride [3][1] and storage offset 0 reach element 47")
                .hasMessageContaining("has 40 elements");
    }

    @Test
    void aTensorBeyondTheLimitsIsRefusedBeforeItIsRead() {
        assertThatThrownBy(() -> PyTorch.readStateDict(file("lstm_l1.pt"), Limits.defaults().withMaxTensorBytes(64)))
                .isInstanceOf(FileFormatException.class)
                .hasMessageContaining("tensor 'weight_ih_l0'")
                .hasMessageContaining("maxTensorBytes");
    }

    @Test
    void somethingElseIsRefused() throws Exception {
        Path tmp = Files.createTempFile("notes", ".pt");
        try {
            Files.writeString(tmp, "hello, this is not a model");
            assertThatThrownBy(() -> PyTorch.readStateDict(tmp))
                    .isInstanceOf(FileFormatException.class)
                    .hasMessageContaining("not a state dict file");
        } finally {
            Files.delete(tmp);
        }
    }

    /** The records of a torch archive, in order, so that tests can rebuild it with one record changed. */
    private static Map<String, byte[]> records(Path file) throws java.io.IOException {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        try (ZipArchive zip = ZipArchive.open(file, Limits.defaults())) {
            for (ZipArchive.Entry e : zip.entries()) {
                out.put(e.name, zip.read(e));
            }
        }
        return out;
    }

    private static byte[] rebuild(Map<String, byte[]> records) throws java.io.IOException {
        List<Object> args = new ArrayList<>();
        records.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return zip(args.toArray());
    }

    private static void readOrRefuse(byte[] archive, String what) {
        try {
            PyTorch.readStateDict(new java.io.ByteArrayInputStream(archive), what, Limits.defaults());
        } catch (FileFormatException expected) {
            // refused with a message: fine
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError(what + ": " + e, e);
        }
    }

    @Test
    @Timeout(60)
    void everyTruncationOfThePickleIsReadOrRefusedCleanly() throws Exception {
        Map<String, byte[]> records = records(file("views.pt"));
        String pkl = "views/data.pkl";
        byte[] pickle = records.get(pkl);
        for (int n = 0; n < pickle.length; n++) {
            Map<String, byte[]> cut = new java.util.LinkedHashMap<>(records);
            cut.put(pkl, Arrays.copyOf(pickle, n));
            byte[] archive = rebuild(cut);
            int length = n;
            assertThatThrownBy(() -> PyTorch.readStateDict(new java.io.ByteArrayInputStream(archive), "cut",
                    Limits.defaults())).as("pickle cut at %d", length).isInstanceOf(FileFormatException.class);
        }
    }

    @Test
    @Timeout(60)
    void randomlyDamagedPicklesAreReadOrRefusedCleanly() throws Exception {
        Map<String, byte[]> records = records(file("views.pt"));
        String pkl = "views/data.pkl";
        java.util.Random random = new java.util.Random(20261130L);
        for (int round = 0; round < 400; round++) {
            byte[] pickle = records.get(pkl).clone();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                pickle[random.nextInt(pickle.length)] = (byte) random.nextInt(256);
            }
            Map<String, byte[]> damaged = new java.util.LinkedHashMap<>(records);
            damaged.put(pkl, pickle);
            readOrRefuse(rebuild(damaged), "round " + round);
        }
    }

    @Test
    void aDictThatHoldsItselfAsAKeyIsRefused() {
        // PROTO 2, EMPTY_DICT, BINPUT 0, BINGET 0, BINGET 0, SETITEM, STOP
        byte[] pickle = {(byte) 0x80, 2, '}', 'q', 0, 'h', 0, 'h', 0, 's', '.'};
        assertThatThrownBy(() -> StateDictPickle.read(pickle, "self.pkl"))
                .isInstanceOf(FileFormatException.class)
                .hasMessageContaining("a dict key at byte 9 is a dict");
    }

    @Test
    void readingFromManyThreadsGivesTheSameTensors() throws Exception {
        Map<String, Tensor> reference = PyTorch.readStateDict(file("lstm_l2_bi.pt"));
        assertThat(reference).isNotEmpty();
        List<Integer> rounds = Concurrently.run(8, thread -> () -> {
            for (int round = 0; round < 2; round++) {
                Map<String, Tensor> sd = PyTorch.readStateDict(file("lstm_l2_bi.pt"));
                assertThat(sd.keySet()).containsExactlyElementsOf(reference.keySet());
                for (String k : sd.keySet()) {
                    assertThat(sd.get(k).shape()).isEqualTo(reference.get(k).shape());
                    assertThat(sd.get(k).data()).containsExactly(reference.get(k).data());
                }
            }
            return 2;
        });
        assertThat(rounds).hasSize(8).containsOnly(2);
    }
}
