package io.github.rnn4j.io;

import io.github.rnn4j.layers.Activation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The typed readers of one layer's Keras config: integer ranges with their exact edges, Keras's negative axes,
 * refused options, activation spellings of Keras 2 and 3, and the unknown-key check, each error naming the file,
 * layer, key, value and what was expected.
 */
class KerasLayerTest {
    private static final String WHERE = "f.h5: layer 'l' (LSTM): ";

    private static KerasLayer layer(Object... keyValues) throws FileFormatException {
        Map<String, Object> cfg = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            cfg.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new KerasLayer("l", "LSTM", cfg, new KerasModels.Context("f.h5", "2.13.1", "test"), null);
    }

    @Test
    void positiveIntAcceptsOneToIntMax() throws FileFormatException {
        assertThat(layer("units", 1L).positiveInt("units")).isEqualTo(1);
        assertThat(layer("units", (long) Integer.MAX_VALUE).positiveInt("units")).isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> layer("units", 0L).positiveInt("units")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(WHERE + "units is 0, expected a positive integer");
        assertThatThrownBy(() -> layer("units", Integer.MAX_VALUE + 1L).positiveInt("units"))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(WHERE + "units is 2147483648, expected a positive integer");
        assertThatThrownBy(() -> layer("units", 2.0).positiveInt("units")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(WHERE + "units is 2.0, expected a positive integer");
    }

    @Test
    void integerAcceptsTheIntRangeAndAOneElementList() throws FileFormatException {
        assertThat(layer("axis", (long) Integer.MIN_VALUE).integer("axis", 7)).isEqualTo(Integer.MIN_VALUE);
        assertThat(layer("axis", (long) Integer.MAX_VALUE).integer("axis", 7)).isEqualTo(Integer.MAX_VALUE);
        assertThat(layer("axis", List.of(-1L)).integer("axis", 7)).isEqualTo(-1);
        assertThat(layer().integer("axis", 7)).isEqualTo(7);
        assertThatThrownBy(() -> layer("axis", Integer.MIN_VALUE - 1L).integer("axis", 7))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(WHERE + "axis is -2147483649, expected an integer");
        assertThatThrownBy(() -> layer("axis", Integer.MAX_VALUE + 1L).integer("axis", 7))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(WHERE + "axis is 2147483648, expected an integer");
        assertThatThrownBy(() -> layer("axis", List.of(1L, 2L)).integer("axis", 7))
                .isExactlyInstanceOf(FileFormatException.class).hasMessage(WHERE + "axis is an array, expected an integer");
    }

    @Test
    void intsTakeSixteenValuesNullAsMinusOneAndNegativeAxesDownToMinusThree() throws FileFormatException {
        List<Object> sixteen = new ArrayList<>();
        for (long i = 0; i < 16; i++) {
            sixteen.add(i);
        }
        assertThat(layer("dims", sixteen).ints("dims")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
                14, 15);
        List<Object> mixed = new ArrayList<>(List.of(0L, (long) Integer.MAX_VALUE, -1L, -3L));
        mixed.add(null);
        assertThat(layer("dims", mixed).ints("dims")).containsExactly(0, Integer.MAX_VALUE, -1, -3, -1);
        assertThat(layer("dims", 5L).ints("dims")).containsExactly(5);
        List<Object> seventeen = new ArrayList<>(sixteen);
        seventeen.add(16L);
        assertThatThrownBy(() -> layer("dims", seventeen).ints("dims")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(WHERE + "dims is an array, expected a short list of integers");
        for (long bad : new long[] {-4L, Integer.MAX_VALUE + 1L}) {
            assertThatThrownBy(() -> layer("dims", List.of(1L, bad)).ints("dims"))
                    .as("element %d", bad).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessage(WHERE + "dims is an array, expected a list of integers");
        }
        assertThatThrownBy(() -> layer("dims", "3").ints("dims")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(WHERE + "dims is the string \"3\", expected a list of integers");
    }

    @Test
    void numbersMustBeFinite() throws FileFormatException {
        assertThat(layer("rate", 0.25).number("rate", 9.0)).isEqualTo(0.25);
        assertThat(layer("rate", 3L).number("rate", 9.0)).isEqualTo(3.0);
        assertThat(layer().number("rate", 9.0)).isEqualTo(9.0);
        assertThat(layer().optionalNumber("rate")).isNull();
        assertThat(layer("rate", 0.5).optionalNumber("rate")).isEqualTo(0.5);
        assertThatThrownBy(() -> layer("rate", Double.NaN).number("rate", 0)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(WHERE + "rate is NaN, expected a finite number");
        assertThatThrownBy(() -> layer("rate", true).number("rate", 0)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(WHERE + "rate is true, expected a number");
    }

    @Test
    void refusedOptionsPassOnlyWhenOff() throws FileFormatException {
        layer("stateful", false, "unroll", 0L, "extras", List.of()).refuseSet("stateful", "unroll", "extras", "absent");
        assertThatThrownBy(() -> layer("stateful", true).refuseSet("unroll", "stateful"))
                .isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessage(WHERE + "stateful=true is not supported");
        assertThatThrownBy(() -> layer("unroll", 1L).refuseSet("unroll"))
                .isExactlyInstanceOf(UnsupportedFeatureException.class).hasMessage(WHERE + "unroll=1 is not supported");
        assertThatThrownBy(() -> layer("extras", List.of(1L)).refuseSet("extras"))
                .isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessage(WHERE + "extras=an array is not supported");
        assertThat(layer().unsupported("x", "why")).hasMessage(WHERE + "x is not supported; why");
    }

    @Test
    void activationsAsKeras2NamesAndKeras3Objects() throws java.io.IOException {
        assertThat(layer("activation", "TANH").activation("activation", "linear")).isEqualTo(Activation.TANH);
        assertThat(layer().activation("activation", "sigmoid")).isEqualTo(Activation.SIGMOID);
        // Keras 3 writes a function as {"module": "keras.activations", "class_name": "function", "config": "tanh"}.
        assertThat(layer("activation", Map.of("module", "keras.activations", "class_name", "function", "config",
                "tanh", "registered_name", "function")).activation("activation", "linear")).isEqualTo(Activation.TANH);
        assertThat(layer("activation", Map.of("class_name", "relu", "config", Map.of())).activation("activation",
                "linear")).isEqualTo(Activation.RELU);
        KerasLayer tanh = layer("activation", "tanh");
        tanh.activation("activation", "linear");
        assertThat(tanh.context.notes).as("only hard_sigmoid, whose formula changed in Keras 3, leaves a note").isEmpty();
        KerasLayer hard = layer("activation", "hard_sigmoid");
        hard.activation("activation", "linear");
        assertThat(hard.context.notes).containsExactly("hard_sigmoid is clip(0.2x + 0.5, 0, 1) (Keras < 3,"
                + " keras_version 2.13.1)");
        assertThatThrownBy(() -> layer("activation", 3L).activation("activation", "linear"))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(WHERE + "activation is 3, expected an activation name");
    }

    @Test
    void anInnerLayerMustBeAnObjectWithAConfigObject() {
        assertThatThrownBy(() -> layer("layer", 3L).inner("layer", "forward")).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(WHERE + "layer is 3, expected a layer {\"class_name\": ..., \"config\": {...}}");
        assertThatThrownBy(() -> layer("layer", Map.of("class_name", "GRU", "config", 3L)).inner("layer", "forward"))
                .isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(WHERE + "layer is an object, expected a layer {\"class_name\": ..., \"config\": {...}}");
    }

    @Test
    void shapesMatchExactlyAndMinusOneMeansAnyPositiveSize() throws FileFormatException {
        KerasLayer l = layer();
        l.expectShape("bias", KerasWeight.computed("b", new int[] {0}, new double[0]), 0);
        l.expectShape("kernel", KerasWeight.computed("k", new int[] {1, 4}, new double[4]), -1, 4);
        assertThatThrownBy(() -> l.expectShape("kernel", KerasWeight.computed("k", new int[] {0, 4}, new double[0]), -1,
                4)).isExactlyInstanceOf(FileFormatException.class).hasMessageStartingWith(WHERE + "kernel has shape ");
        assertThatThrownBy(() -> l.expectShape("kernel", KerasWeight.computed("k", new int[] {2, 4}, new double[8]), 2,
                5)).isExactlyInstanceOf(FileFormatException.class).hasMessageStartingWith(WHERE + "kernel has shape ");
        assertThatThrownBy(() -> l.expectShape("kernel", KerasWeight.computed("k", new int[] {8}, new double[8]), 2, 4))
                .isExactlyInstanceOf(FileFormatException.class).hasMessageStartingWith(WHERE + "kernel has shape ");
        assertThat(KerasWeight.computed("kernel", new int[] {2, 4}, new double[8]).path()).isEqualTo("kernel");
    }

    @Test
    void unknownKeysAreNamedInOrderOnceAllKnownOnesAreRead() throws FileFormatException {
        KerasLayer one = layer("units", 4L, "name", "l", "kernel_initializer", "glorot", "zeta", 1L);
        one.positiveInt("units");
        assertThatThrownBy(one::finish).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessage(WHERE + "unknown configuration key 'zeta'; a damaged file or an option rnn4j does not know");
        KerasLayer two = layer("return_sequencez", true, "alpha", 1L, "units", 4L);
        two.positiveInt("units");
        assertThatThrownBy(two::finish).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessage(WHERE + "unknown configuration keys 'alpha', 'return_sequencez'; a damaged file or an"
                        + " option rnn4j does not know");
        // A key that is no Python identifier cannot be a Keras option: one flipped byte, so the file is damaged.
        KerasLayer flipped = layer("{eturn_sequences", true, "alpha", 1L, "units", 4L);
        flipped.positiveInt("units");
        assertThatThrownBy(flipped::finish).isExactlyInstanceOf(FileFormatException.class)
                .hasMessage(WHERE + "damaged configuration keys 'alpha', '{eturn_sequences': '{eturn_sequences' is not"
                        + " an option name");
        // Initializers, regularizers and constraints are listed one by one, not matched by suffix.
        KerasLayer clean = layer("units", 4L, "kernel_initializer", 1L, "bias_regularizer", 1L, "kernel_constraint", 1L);
        clean.positiveInt("units");
        clean.finish();
        KerasLayer suffix = layer("units", 4L, "my_initializer", 1L);
        suffix.positiveInt("units");
        assertThatThrownBy(suffix::finish).isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessage(WHERE + "unknown configuration key 'my_initializer'; a damaged file or an option rnn4j"
                        + " does not know");
    }
}
