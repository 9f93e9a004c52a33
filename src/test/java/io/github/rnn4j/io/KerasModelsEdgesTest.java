package io.github.rnn4j.io;

import io.github.rnn4j.model.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Edges of the Keras graph reader ({@code KerasModels.GraphReader}) that the fixture suites do not reach: model
 * configurations written here by editing the configs of committed fixtures (real Keras 3.15.1 files from
 * {@code fixtures/keras_real}, and the {@code arch_k3}/{@code arch_tfk2} architectures of {@code fixtures/keras_models})
 * and loaded with those fixtures' own weights, through {@link KerasModels#load(Path, Path)} or a {@code .keras} zip
 * rewritten with {@code java.util.zip}. Each edit is one a Keras file can hold (a Sequential without an InputLayer, a
 * Keras 1 {@code input_dim}, dict outputs, tf.keras call arguments, a mask argument) or one a damaged file holds.
 */
class KerasModelsEdgesTest {
    private static final Path K3_JSON = Resources.fixture("keras_models/arch_k3.json");
    private static final Path K3_WEIGHTS = Resources.fixture("keras_models/arch_k3.weights.h5");
    private static final Path TFK2_JSON = Resources.fixture("keras_models/arch_tfk2.json");
    private static final Path TFK2_WEIGHTS = Resources.fixture("keras_models/arch_tfk2_weights.h5");
    private static final Path MASKED = Resources.fixture("keras_real/masked_rnn_embedding.keras");
    private static final Path BIDI_JSON = Resources.fixture("keras_real/bidirectional_masked_classifier.json");
    private static final Path BIDI_WEIGHTS = Resources.fixture("keras_real/bidirectional_masked_classifier.weights.h5");

    @TempDir
    Path tmp;

    // ------------------------------------------------------------------------------------------ model config

    @Test
    void anUnknownKeyInTheModelConfigIsRefusedNamingTheModel() throws IOException {
        Map<String, Object> c = json(K3_JSON);
        body(c).put("favourite_colour", "blue");
        Path json = write(c);
        assertThatThrownBy(() -> KerasModels.load(json, K3_WEIGHTS))
                .isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessageStartingWith(json + " + " + K3_WEIGHTS + ": model 'functional' (Functional): unknown"
                        + " configuration key 'favourite_colour'");
        body(c).remove("favourite_colour");
        body(c).put("{ayers", List.of());
        Path damaged = write(c);
        assertThatThrownBy(() -> KerasModels.load(damaged, K3_WEIGHTS)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageContaining("model 'functional' (Functional): damaged configuration key '{ayers'");
    }

    /** Legacy layout: a group that lists more weights than its layer uses is damage (Legacy.finish). */
    @Test
    void aLegacyGroupListingMoreWeightsThanTheLayerUsesIsRefused() throws IOException {
        Map<String, Object> c = json(TFK2_JSON);
        layerConfig(c, "dense").put("use_bias", false);
        Path json = write(c);
        assertThatThrownBy(() -> KerasModels.load(json, TFK2_WEIGHTS)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(json + " + " + TFK2_WEIGHTS + ": layer 'dense' (Dense): group '/dense' lists 2"
                        + " weights [dense/kernel:0, dense/bias:0], the layer uses 1");
    }

    /** Keras 2 Sequential entries carry no top-level name: the refusal takes the name from the layer's config. */
    @Test
    void aRefusedLayerIsNamedFromItsConfig() throws IOException {
        Map<String, Object> lambda = new LinkedHashMap<>();
        lambda.put("class_name", "Lambda");
        lambda.put("config", new LinkedHashMap<>(Map.of("name", "lambda_7", "function", "x")));
        Map<String, Object> c = sequential("2.11.0", inputLayer("in", 4), lambda);
        Path json = write(c);
        assertThatThrownBy(() -> KerasModels.load(json, TFK2_WEIGHTS))
                .isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessage(json + " + " + TFK2_WEIGHTS + ": layer 'lambda_7' (Lambda) is not supported: a Lambda"
                        + " layer holds Python code, which rnn4j never runs");
    }

    // ------------------------------------------------------------------------------------------ Sequential inputs

    @Test
    void aSequentialFirstLayerDeclaresItsInputWithBatchShapeOrBatchInputShape() throws IOException {
        Map<String, Object> lstm = entry(json(K3_JSON), "lstm");
        config(lstm).put("batch_shape", java.util.Arrays.asList(NULL, 5L, 3L));
        Model k3 = KerasModels.load(write(sequential(null, lstm)), K3_WEIGHTS);
        assertThat(k3.inputNames()).containsExactly("lstm_input");
        assertThat(k3.inputShape("lstm_input").toString()).isEqualTo("[5][3]");

        Map<String, Object> legacy = entry(json(TFK2_JSON), "lstm");
        config(legacy).put("batch_input_shape", java.util.Arrays.asList(NULL, 6L, 3L));
        Model tfk2 = KerasModels.load(write(sequential("2.11.0", legacy)), TFK2_WEIGHTS);
        assertThat(tfk2.inputShape("lstm_input").toString()).isEqualTo("[6][3]");
    }

    /** Keras 1 recurrent layers declare their input with input_dim and input_length instead of a batch shape. */
    @Test
    void aKeras1InputDimAndInputLengthDeclareTheInput() throws IOException {
        Map<String, Object> lstm = entry(json(TFK2_JSON), "lstm");
        config(lstm).put("input_dim", 3L);
        config(lstm).put("input_length", 7L);
        Model withLength = KerasModels.load(write(sequential("2.11.0", lstm)), TFK2_WEIGHTS);
        assertThat(withLength.inputShape("lstm_input").toString()).isEqualTo("[7][3]");
        config(lstm).remove("input_length");
        Model withoutLength = KerasModels.load(write(sequential("2.11.0", lstm)), TFK2_WEIGHTS);
        assertThat(withoutLength.inputShape("lstm_input").toString()).isEqualTo("[?][3]");
    }

    /** An Embedding's input_dim is its vocabulary, not a feature size: the input is a vector of token ids. */
    @Test
    void aFirstEmbeddingTakesTokenIdsOfItsInputLength() throws IOException {
        Map<String, Object> embedding = entry(zipConfig(MASKED), "embedding");
        config(embedding).put("input_length", 6L);
        Model withLength = KerasModels.load(rezip(MASKED, sequential(null, embedding)));
        assertThat(withLength.inputShape("embedding_input").toString()).isEqualTo("[6]");
        assertThat(withLength.takesTokenIds("embedding_input")).isTrue();
        config(embedding).remove("input_length");
        Model withoutLength = KerasModels.load(rezip(MASKED, sequential(null, embedding)));
        assertThat(withoutLength.inputShape("embedding_input").toString()).isEqualTo("[?]");
        assertThat(withoutLength.predictSequence(new int[] {1, 2, 0})).hasDimensions(3, 3);
    }

    /** tf.keras writes build_input_shape on a Sequential built without an Input: it declares the input. */
    @Test
    void aSequentialBuildInputShapeDeclaresTheInput() throws IOException {
        Map<String, Object> c = sequential("2.11.0", entry(json(TFK2_JSON), "lstm"));
        body(c).put("build_input_shape", java.util.Arrays.asList(NULL, 9L, 3L));
        Model model = KerasModels.load(write(c), TFK2_WEIGHTS);
        assertThat(model.inputShape("lstm_input").toString()).isEqualTo("[9][3]");
    }

    /** Without any declaration, the first layer's weights give the feature size; the time steps stay open. */
    @Test
    void anUndeclaredInputIsInferredFromTheFirstLayersWeights() throws IOException {
        Model legacyLstm = KerasModels.load(write(sequential("2.11.0", entry(json(TFK2_JSON), "lstm"))),
                TFK2_WEIGHTS);
        assertThat(legacyLstm.inputShape("lstm_input").toString()).isEqualTo("[?][3]");
        assertThat(legacyLstm.predict(new double[][] {{1, 2, 3}, {0, 1, 0}})).hasSize(4);

        Model keras3Lstm = KerasModels.load(write(sequential(null, entry(json(K3_JSON), "lstm"))), K3_WEIGHTS);
        assertThat(keras3Lstm.inputShape("lstm_input").toString()).isEqualTo("[?][3]");

        Model dense = KerasModels.load(write(sequential("2.11.0", entry(json(TFK2_JSON), "dense"))), TFK2_WEIGHTS);
        assertThat(dense.inputShape("dense_input").toString()).isEqualTo("[?][4]");

        Model bidirectional = KerasModels.load(write(sequential(null, entry(json(BIDI_JSON), "bidirectional"))),
                BIDI_WEIGHTS);
        assertThat(bidirectional.inputShape("bidirectional_input").toString()).isEqualTo("[?][4]");
    }

    @Test
    void anUndeclaredInputThatNoWeightTellsIsRefused() throws IOException {
        Map<String, Object> activation = new LinkedHashMap<>();
        activation.put("class_name", "Activation");
        activation.put("config", new LinkedHashMap<>(Map.of("name", "act", "activation", "tanh")));
        Path json = write(sequential("2.11.0", activation));
        assertThatThrownBy(() -> KerasModels.load(json, TFK2_WEIGHTS)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(json + " + " + TFK2_WEIGHTS + ": the Sequential model does not declare its input shape"
                        + " (no InputLayer, batch_input_shape or input_dim on its first layer 'act' (Activation))");
    }

    @Test
    void anInputLayerWithoutAShapeIsRefused() throws IOException {
        Map<String, Object> in = inputLayer("in", 3);
        config(in).remove("batch_input_shape");
        Path json = write(sequential("2.11.0", in, entry(json(TFK2_JSON), "lstm")));
        assertThatThrownBy(() -> KerasModels.load(json, TFK2_WEIGHTS)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(json + " + " + TFK2_WEIGHTS + ": input 'in': batch_shape is null, expected [batch, ...]"
                        + " with at least one dimension per sample");
    }

    /** A flipped byte in an InputLayer's shape key is named as the damage, not reported as a missing shape. */
    @Test
    void aDamagedInputLayerKeyIsNamedBeforeTheMissingShape() throws IOException {
        Map<String, Object> c = json(K3_JSON);
        Map<String, Object> in = layerConfig(c, "in_seq");
        in.put("{atch_shape", in.remove("batch_shape"));
        Path json = write(c);
        assertThatThrownBy(() -> KerasModels.load(json, K3_WEIGHTS)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(json + " + " + K3_WEIGHTS + ": input 'in_seq': damaged configuration key '{atch_shape':"
                        + " '{atch_shape' is not an option name");
    }

    /**
     * Keras refuses only negative dimensions (keras/src/backend/common/variables.py, standardize_shape): 0 and
     * 2^31 - 1 time steps are declared as they are; 2^31 does not fit a Java array and is refused.
     */
    @Test
    void inputDimensionsFromZeroToIntMaxAreKept() throws IOException {
        for (long steps : new long[] {0L, Integer.MAX_VALUE}) {
            Map<String, Object> c = json(K3_JSON);
            layerConfig(c, "in_seq").put("batch_shape", java.util.Arrays.asList(NULL, steps, 3L));
            Model model = KerasModels.load(write(c), K3_WEIGHTS);
            assertThat(model.inputShape("in_seq").toString()).isEqualTo("[" + steps + "][3]");
        }
        for (long steps : new long[] {-1L, Integer.MAX_VALUE + 1L}) {
            Map<String, Object> c = json(K3_JSON);
            layerConfig(c, "in_seq").put("batch_shape", java.util.Arrays.asList(NULL, steps, 3L));
            Path json = write(c);
            assertThatThrownBy(() -> KerasModels.load(json, K3_WEIGHTS))
                    .isExactlyInstanceOf(FileFormatException.class)
                    .hasMessageEndingWith(": input 'in_seq': batch_shape [null, " + steps + ", 3] has dimension "
                            + steps);
        }
    }

    // ------------------------------------------------------------------------------------------ Functional graphs

    /** Keras 3 models with dict inputs and outputs ({"name": [layer, node, tensor]}) keep the keys as names. */
    @Test
    void dictInputsAndOutputsAreReadInOrder() throws IOException {
        Model plain = KerasModels.load(K3_JSON, K3_WEIGHTS);
        Map<String, Object> c = json(K3_JSON);
        Map<String, Object> ins = new LinkedHashMap<>();
        ins.put("in_seq", List.of("in_seq", 0L, 0L));
        ins.put("in_vec", List.of("in_vec", 0L, 0L));
        body(c).put("input_layers", ins);
        body(c).put("output_layers", new LinkedHashMap<>(Map.of("probabilities", List.of("dense_1", 0L, 0L))));
        Model dict = KerasModels.load(write(c), K3_WEIGHTS);
        assertThat(dict.inputNames()).containsExactly("in_seq", "in_vec");
        assertThat(dict.outputNames()).containsExactly("probabilities");
        double[][] seq = {{0.1, -0.2, 0.3}, {0.5, 0.4, -0.1}, {0, 0, 1}, {1, 1, 1}, {-1, 0.5, 0}};
        double[] vec = {0.3, -0.7, 0.2, 1.0};
        Map<String, io.github.rnn4j.model.Tensor> in = Map.of("in_seq", io.github.rnn4j.model.Tensor.of(seq),
                "in_vec", io.github.rnn4j.model.Tensor.of(vec));
        assertThat(dict.run(in).get("probabilities").data()).containsExactly(plain.run(in).get("dense_1").data());

        body(c).put("input_layers", Map.of());
        Path empty = write(c);
        assertThatThrownBy(() -> KerasModels.load(empty, K3_WEIGHTS)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageEndingWith(": input_layers is an object, expected a list of [layer name, node index,"
                        + " tensor index]");
    }

    /** A layer listed before the layers it takes its inputs from waits for them (legacy names, so no Keras 3 key moves). */
    @Test
    void aLayerListedBeforeItsInputsWaitsForThem() throws IOException {
        Model plain = KerasModels.load(TFK2_JSON, TFK2_WEIGHTS);
        Map<String, Object> c = json(TFK2_JSON);
        List<Object> layers = layers(c);
        layers.add(2, layers.remove(layers.size() - 1));   // dense_1 (after concatenate) before lstm
        Model moved = KerasModels.load(write(c), TFK2_WEIGHTS);
        assertThat(moved.layers().keySet()).containsExactlyInAnyOrderElementsOf(plain.layers().keySet());
        double[][] seq = {{0.1, -0.2, 0.3}, {0.5, 0.4, -0.1}, {0, 0, 1}, {1, 1, 1}, {-1, 0.5, 0}};
        double[] vec = {0.3, -0.7, 0.2, 1.0};
        Map<String, io.github.rnn4j.model.Tensor> in = Map.of("in_seq", io.github.rnn4j.model.Tensor.of(seq),
                "in_vec", io.github.rnn4j.model.Tensor.of(vec));
        assertThat(moved.run(in).get("dense_1").data()).containsExactly(plain.run(in).get("dense_1").data());
    }

    /** Layers that are ready together join the model in the file's order. */
    @Test
    void layersJoinTheModelInTheFilesOrder() throws IOException {
        Model model = KerasModels.load(MASKED);
        assertThat(new ArrayList<>(model.layers().keySet())).containsExactly("embedding", "lstm_zero_out",
                "lstm_keep_out", "gru_back_zero", "gru_last", "srnn_seq", "srnn_back_last");
    }

    @Test
    void aTensorIndexPastALayersOutputsIsRefused() throws IOException {
        Map<String, Object> c = json(TFK2_JSON);
        entry(c, "concatenate").put("inbound_nodes", List.of(List.of(List.of("lstm", 0L, 0L, Map.of()),
                List.of("dense", 0L, 1L, Map.of()))));
        Path json = write(c);
        assertThatThrownBy(() -> KerasModels.load(json, TFK2_WEIGHTS)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(json + " + " + TFK2_WEIGHTS + ": layer 'concatenate' takes inputs that no layer produces"
                        + " (a cycle or a missing layer in the functional config)");

        Map<String, Object> out = json(TFK2_JSON);
        body(out).put("output_layers", List.of(List.of("dense_1", 0L, 1L)));
        Path outJson = write(out);
        assertThatThrownBy(() -> KerasModels.load(outJson, TFK2_WEIGHTS))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(outJson + " + " + TFK2_WEIGHTS + ": output [dense_1, 0, 1] is not produced by any layer");
    }

    /** Node and tensor indices up to 1,000,000 are references (here to a node that does not exist); beyond is damage. */
    @Test
    void referenceIndicesAreBoundedInclusively() throws IOException {
        for (List<Object> ref : List.<List<Object>>of(List.of("dense_1", 1_000_000L, 0L),
                List.of("dense_1", 0L, 1_000_000L))) {
            Map<String, Object> c = json(TFK2_JSON);
            body(c).put("output_layers", List.of(ref));
            Path json = write(c);
            assertThatThrownBy(() -> KerasModels.load(json, TFK2_WEIGHTS))
                    .isExactlyInstanceOf(FileFormatException.class)
                    .hasMessageEndingWith(": output " + ref + " is not produced by any layer");
        }
        for (List<Object> ref : List.<List<Object>>of(List.of("dense_1", 1_000_001L, 0L),
                List.of("dense_1", 0L, 1_000_001L))) {
            Map<String, Object> c = json(TFK2_JSON);
            body(c).put("output_layers", List.of(ref));
            Path json = write(c);
            assertThatThrownBy(() -> KerasModels.load(json, TFK2_WEIGHTS))
                    .isExactlyInstanceOf(FileFormatException.class)
                    .hasMessageEndingWith(": output_layers: tensor reference an array, expected [layer name, node"
                            + " index, tensor index]");
        }
    }

    // ------------------------------------------------------------------------------------------ call arguments

    /** tf.keras writes call arguments as the fourth element of an inbound entry; unknown ones are refused. */
    @Test
    void legacyCallArgumentsAreReadAndUnknownOnesRefused() throws IOException {
        Model plain = KerasModels.load(TFK2_JSON, TFK2_WEIGHTS);
        Map<String, Object> training = json(TFK2_JSON);
        entry(training, "dense").put("inbound_nodes", List.of(List.of(List.of("in_vec", 0L, 0L,
                Map.of("training", false)))));
        assertThat(KerasModels.load(write(training), TFK2_WEIGHTS).toString()).isEqualTo(plain.toString());

        Map<String, String> values = new LinkedHashMap<>();
        values.put("null", "'scale'=null");
        values.put("true", "'scale'=true");
        values.put("2", "'scale'=2");
        values.put("\"x\"", "'scale'");
        for (Map.Entry<String, String> v : values.entrySet()) {
            Map<String, Object> c = json(TFK2_JSON);
            Map<String, Object> kwargs = new LinkedHashMap<>();
            kwargs.put("scale", TestJson.parse(v.getKey(), "value"));
            entry(c, "dense").put("inbound_nodes", List.of(List.of(List.of("in_vec", 0L, 0L, kwargs))));
            Path json = write(c);
            assertThatThrownBy(() -> KerasModels.load(json, TFK2_WEIGHTS))
                    .isExactlyInstanceOf(UnsupportedFeatureException.class)
                    .hasMessage(json + " + " + TFK2_WEIGHTS + ": layer 'dense': call argument " + v.getValue()
                            + " is not supported");
        }
    }

    /**
     * tf.keras writes the tensors of {@code initial_state} as {@code [layer, node, tensor]} lists inside the call
     * arguments: they become the layer's extra inputs (here of the wrong size: dense gives 3 values, the LSTM has 4
     * units, which the model builder refuses naming the shapes).
     */
    @Test
    void legacyInitialStateReferencesBecomeInputs() throws IOException {
        Map<String, Object> c = json(TFK2_JSON);
        entry(c, "lstm").put("inbound_nodes", List.of(List.of(List.of("in_seq", 0L, 0L, Map.of("initial_state",
                List.of(List.of("dense", 0L, 0L), List.of("dense", 0L, 0L)))))));
        Path json = write(c);
        assertThatThrownBy(() -> KerasModels.load(json, TFK2_WEIGHTS)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageStartingWith(json + " + " + TFK2_WEIGHTS + ": ")
                .hasMessageContaining("lstm").hasMessageContaining("[3]");
    }

    // ------------------------------------------------------------------------------------------ Keras 3 masks

    @Test
    void keras3MaskArgumentsThatMatchTheCarriedMaskLoadWithANote() throws IOException {
        Model model = KerasModels.load(MASKED);
        assertThat(model.notes()).contains("Keras 3 records masks as not_equal/any operations passed to each layer;"
                + " they are the masks rnn4j's layers carry, checked to be the same");
    }

    /** The not_equal operation listed after the layers that take its mask: they wait for it. */
    @Test
    void aMaskOperationListedAfterItsUsersIsWaitedFor() throws IOException {
        Model plain = KerasModels.load(MASKED);
        Map<String, Object> c = zipConfig(MASKED);
        List<Object> layers = layers(c);
        Object notEqual = entry(c, "not_equal");
        layers.remove(notEqual);
        layers.add(notEqual);
        Model moved = KerasModels.load(rezip(MASKED, c));
        io.github.rnn4j.model.Tensor ids = io.github.rnn4j.model.Tensor.of(new double[] {3, 1, 0, 0, 5, 2});
        for (String out : plain.outputNames()) {
            assertThat(moved.run(Map.of("ids", ids)).get(out).data())
                    .containsExactly(plain.run(Map.of("ids", ids)).get(out).data());
        }
    }

    /** A mask list with {@code null} for an input the layer does not have says "no mask" there: accepted. */
    @Test
    void aNullMaskForAMissingInputIsNoMask() throws IOException {
        Map<String, Object> c = zipConfig(MASKED);
        Map<String, Object> kwargs = kwargs(c, "lstm_zero_out");
        List<Object> masks = new ArrayList<>();
        masks.add(kwargs.get("mask"));
        masks.add(null);
        kwargs.put("mask", masks);
        Model model = KerasModels.load(rezip(MASKED, c));
        assertThat(model.outputNames()).hasSize(6);
    }

    @Test
    void anExplicitMaskForAMissingInputIsRefused() throws IOException {
        Map<String, Object> c = zipConfig(MASKED);
        Map<String, Object> kwargs = kwargs(c, "lstm_zero_out");
        List<Object> masks = new ArrayList<>();
        masks.add(kwargs.get("mask"));
        masks.add(kwargs.get("mask"));
        kwargs.put("mask", masks);
        Path file = rezip(MASKED, c);
        assertThatThrownBy(() -> KerasModels.load(file)).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessage(file + ": layer 'lstm_zero_out' (LSTM): a mask argument other than the mask its input"
                        + " carries is not supported (the graph computes NE(t0,0.0), input 1 carries no mask)");
    }

    @Test
    void aMaskOtherThanTheCarriedOneIsRefused() throws IOException {
        // not_equal(ids, 1): another value than the Embedding's mask_zero.
        Map<String, Object> value = zipConfig(MASKED);
        args(value, "not_equal").set(1, 1L);
        Path file = rezip(MASKED, value);
        assertThatThrownBy(() -> KerasModels.load(file)).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessage(file + ": layer 'lstm_zero_out' (LSTM): a mask argument other than the mask its input"
                        + " carries is not supported (the graph computes NE(t0,1.0), input 0 carries NE(t0,0.0))");
        // not_equal(embedding output, 0): another tensor than the Embedding's input.
        Map<String, Object> tensor = zipConfig(MASKED);
        @SuppressWarnings("unchecked")
        Map<String, Object> history = (Map<String, Object>) ((Map<String, Object>) args(tensor, "not_equal").get(0))
                .get("config");
        history.put("keras_history", List.of("embedding", 0L, 0L));
        Path other = rezip(MASKED, tensor);
        assertThatThrownBy(() -> KerasModels.load(other)).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("(the graph computes NE(t1,0.0), input 0 carries NE(t0,0.0))");
        // no mask at all on the input: mask_zero off.
        Map<String, Object> none = zipConfig(MASKED);
        layerConfig(none, "embedding").put("mask_zero", false);
        Path unmasked = rezip(MASKED, none);
        assertThatThrownBy(() -> KerasModels.load(unmasked)).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("(the graph computes NE(t0,0.0), input 0 carries no mask)");
    }

    /** A layer's output passed as {@code mask=} (not a not_equal/any operation) is an unsupported feature. */
    @Test
    void aMaskComputedByALayerIsUnsupported() throws IOException {
        Map<String, Object> c = zipConfig(MASKED);
        Map<String, Object> kwargs = kwargs(c, "lstm_zero_out");
        @SuppressWarnings("unchecked")
        Map<String, Object> mask = (Map<String, Object>) mutable(kwargs.get("mask"));
        @SuppressWarnings("unchecked")
        Map<String, Object> tensor = (Map<String, Object>) mask.get("config");
        tensor.put("keras_history", List.of("embedding", 0L, 0L));
        kwargs.put("mask", mask);
        Path file = rezip(MASKED, c);
        assertThatThrownBy(() -> KerasModels.load(file)).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessage(file + ": layer 'lstm_zero_out' (LSTM): a mask argument computed by layer 'embedding' is"
                        + " not supported (only the masks that layers carry, such as Embedding's mask_zero or"
                        + " Masking's)");
    }

    /**
     * Keras 3 passes a mask implicitly only to a call with one tensor argument; a masked input called without a
     * mask argument ran unmasked, and rnn4j drops the mask and says so.
     */
    @Test
    void aCallWithoutTheMaskArgumentRunsUnmaskedWithANote() throws IOException {
        Map<String, Object> c = zipConfig(MASKED);
        kwargs(c, "lstm_keep_out").remove("mask");
        Model model = KerasModels.load(rezip(MASKED, c));
        assertThat(model.notes()).contains("layer 'lstm_keep_out' (LSTM) was called with several tensors (for"
                + " example initial_state), so Keras 3 ran it without its input's mask; so does rnn4j");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static final Object NULL = null;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Path file) {
        return (Map<String, Object>) mutable(Resources.json(file));
    }

    /** A deep copy that the tests can edit (the parser's maps and lists are read-only). */
    private static Object mutable(Object v) {
        if (v instanceof Map) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                m.put(String.valueOf(e.getKey()), mutable(e.getValue()));
            }
            return m;
        }
        if (v instanceof List) {
            List<Object> l = new ArrayList<>();
            for (Object e : (List<?>) v) {
                l.add(mutable(e));
            }
            return l;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Map<String, Object> entry) {
        return (Map<String, Object>) entry.get("config");
    }

    private static Map<String, Object> body(Map<String, Object> model) {
        return config(model);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> layers(Map<String, Object> model) {
        return (List<Object>) body(model).get("layers");
    }

    /** The entry of the layer (or operation) of this name in a model's layer list. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> entry(Map<String, Object> model, String name) {
        for (Object o : layers(model)) {
            Map<String, Object> e = (Map<String, Object>) o;
            if (name.equals(config(e).get("name"))) {
                return e;
            }
        }
        throw new IllegalStateException("no layer '" + name + "' in the fixture");
    }

    private static Map<String, Object> layerConfig(Map<String, Object> model, String name) {
        return config(entry(model, name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> kwargs(Map<String, Object> model, String name) {
        List<Object> nodes = (List<Object>) entry(model, name).get("inbound_nodes");
        return (Map<String, Object>) ((Map<String, Object>) nodes.get(0)).get("kwargs");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> args(Map<String, Object> model, String name) {
        List<Object> nodes = (List<Object>) entry(model, name).get("inbound_nodes");
        return (List<Object>) ((Map<String, Object>) nodes.get(0)).get("args");
    }

    @SafeVarargs
    private static Map<String, Object> sequential(String kerasVersion, Map<String, Object>... layers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "sequential");
        body.put("layers", new ArrayList<>(List.of(layers)));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("class_name", "Sequential");
        model.put("config", body);
        if (kerasVersion != null) {
            model.put("keras_version", kerasVersion);
        }
        return model;
    }

    private static Map<String, Object> inputLayer(String name, long features) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("batch_input_shape", java.util.Arrays.asList(NULL, features));
        cfg.put("dtype", "float32");
        cfg.put("name", name);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("class_name", "InputLayer");
        e.put("config", cfg);
        return e;
    }

    private Path write(Map<String, Object> model) throws IOException {
        Path p = Files.createTempFile(tmp, "model", ".json");
        Files.writeString(p, toJson(model), StandardCharsets.UTF_8);
        return p;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> zipConfig(Path keras) throws IOException {
        try (ZipFile zip = new ZipFile(keras.toFile()); InputStream in = zip.getInputStream(zip.getEntry("config.json"))) {
            return (Map<String, Object>) mutable(TestJson.parse(new String(in.readAllBytes(),
                    StandardCharsets.UTF_8), keras + ": config.json"));
        }
    }

    /** The {@code .keras} archive with its {@code config.json} replaced, written by {@code java.util.zip}. */
    private Path rezip(Path keras, Map<String, Object> config) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipFile zip = new ZipFile(keras.toFile()); ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals("config.json")) {
                    out.write(toJson(config).getBytes(StandardCharsets.UTF_8));
                } else {
                    try (InputStream in = zip.getInputStream(e)) {
                        in.transferTo(out);
                    }
                }
                out.closeEntry();
            }
        }
        Path p = Files.createTempFile(tmp, "model", ".keras");
        Files.write(p, bytes.toByteArray());
        return p;
    }

    /** Writes parsed JSON back (objects, arrays, strings, Long and Double numbers, booleans, null). */
    private static String toJson(Object v) {
        StringBuilder b = new StringBuilder();
        append(b, v);
        return b.toString();
    }

    private static void append(StringBuilder b, Object v) {
        if (v instanceof Map) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                b.append(first ? "" : ", ");
                first = false;
                append(b, String.valueOf(e.getKey()));
                b.append(": ");
                append(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof List) {
            b.append('[');
            boolean first = true;
            for (Object e : (List<?>) v) {
                b.append(first ? "" : ", ");
                first = false;
                append(b, e);
            }
            b.append(']');
        } else if (v instanceof String) {
            b.append('"');
            for (char ch : ((String) v).toCharArray()) {
                if (ch == '"' || ch == '\\') {
                    b.append('\\').append(ch);
                } else if (ch < 0x20) {
                    b.append(String.format("\\u%04x", (int) ch));
                } else {
                    b.append(ch);
                }
            }
            b.append('"');
        } else {
            b.append(v);   // null, Boolean, Long, Double (Double.toString is valid JSON for finite values)
        }
    }
}
