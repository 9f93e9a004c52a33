package io.github.rnn4j.io;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The weight scopes a layer reader takes from, the column blocks of a weight, and the names of nested layers. */
class KerasWeightsScopeTest {
    private static KerasLayer layer(String cls, Map<String, Object> cfg, KerasWeights.Scope weights)
            throws FileFormatException {
        return new KerasLayer("outer", cls, cfg, new KerasModels.Context("f.h5", "2.13.1", "test"), weights);
    }

    @Test
    void aLayerWithoutWeightsMayTakeNoneButNotOne() throws IOException {
        KerasLayer l = layer("Dropout", new LinkedHashMap<>(), KerasWeights.NONE);
        assertThat(KerasWeights.NONE.take(0, l)).isEmpty();
        assertThat(KerasWeights.NONE.child("forward_layer")).isSameAs(KerasWeights.NONE);
        assertThat(KerasWeights.NONE.remaining()).as("the layout does not say").isEqualTo(-1);
        assertThatThrownBy(() -> KerasWeights.NONE.take(1, l)).isExactlyInstanceOf(FileFormatException.class)
                .hasMessageContaining("layer 'outer' (Dropout)")
                .hasMessageContaining("the file has no weights for this layer, expected 1");
    }

    @Test
    void anInnerLayerIsNamedByItsConfigOrElseByItsKey() throws FileFormatException {
        Map<String, Object> named = new LinkedHashMap<>();
        named.put("layer", Map.of("class_name", "GRU", "config", Map.of("name", "gru_fwd", "units", 3L)));
        KerasLayer inner = layer("Bidirectional", named, KerasWeights.NONE).inner("layer", "forward_layer");
        assertThat(inner.name).isEqualTo("gru_fwd");
        assertThat(inner.cls).isEqualTo("GRU");

        Map<String, Object> unnamed = new LinkedHashMap<>();
        unnamed.put("layer", Map.of("class_name", "GRU", "config", Map.of("units", 3L)));
        assertThat(layer("Bidirectional", unnamed, KerasWeights.NONE).inner("layer", "forward_layer").name)
                .isEqualTo("outer/layer");
        Map<String, Object> numberName = new LinkedHashMap<>();
        numberName.put("layer", Map.of("class_name", "GRU", "config", Map.of("name", 7L)));
        assertThat(layer("Bidirectional", numberName, KerasWeights.NONE).inner("layer", "forward_layer").name)
                .as("a name that is not a string is not used").isEqualTo("outer/layer");
    }

    @Test
    void columnBlocksOfAMatrixAndTheirBounds() throws IOException {
        // [[0, 1, 2], [3, 4, 5]]
        KerasWeight w = KerasWeight.computed("k", new int[] {2, 3}, new double[] {0, 1, 2, 3, 4, 5});
        assertThat(w.columns(0, 3)).isDeepEqualTo(new double[][] {{0, 1, 2}, {3, 4, 5}});
        assertThat(w.columns(1, 3)).isDeepEqualTo(new double[][] {{1, 2}, {4, 5}});
        assertThat(w.columns(0, 1)).isDeepEqualTo(new double[][] {{0}, {3}});
        assertThat(w.columns(2, 2)).as("an empty block").isDeepEqualTo(new double[][] {{}, {}});
        for (int[] bad : new int[][] {{-1, 2}, {0, 4}, {2, 1}}) {
            assertThatThrownBy(() -> w.columns(bad[0], bad[1])).isExactlyInstanceOf(FileFormatException.class)
                    .hasMessage("k has shape [2][3], expected a matrix with columns [" + bad[0] + ", " + bad[1] + ")");
        }
        assertThatThrownBy(() -> KerasWeight.computed("b", new int[] {3}, new double[3]).columns(0, 1))
                .isExactlyInstanceOf(FileFormatException.class).hasMessageStartingWith("b has shape [3]");
        assertThat(w.toString()).isEqualTo("k[2][3]");
    }
}
