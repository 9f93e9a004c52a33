package io.github.rnn4j.model;

import io.github.rnn4j.layers.Activation;
import io.github.rnn4j.layers.Concatenate;
import io.github.rnn4j.layers.Dense;
import io.github.rnn4j.layers.Embedding;
import io.github.rnn4j.layers.Shape;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Boundary cases of {@link Model} that mutation testing found untested: empty batches and mixed readers of ids. */
class ModelBoundaryCasesTest {
    private static final double[][] TABLE = {{0.5, -1.0}, {2.0, 0.25}, {-0.75, 1.5}, {1.0, 1.0}};

    /** Two vector inputs of 3 features, concatenated: the output is {@code a ++ b}, written out by hand below. */
    private static Model twoInputs() {
        return Model.builder().input("a", Shape.vector(3)).input("b", Shape.vector(3))
                .add("cat", new Concatenate(-1), "a", "b").outputs("cat").build();
    }

    private static Map<String, Tensor> inputs(Tensor a, Tensor b) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        return m;
    }

    @Test
    void anEmptyFirstBatchStillFixesTheBatchSizeOfTheOtherInputs() {
        Model m = twoInputs();
        Tensor empty = Tensor.of(new int[] {0, 3}, new double[0]);
        Tensor two = Tensor.of(new int[] {2, 3}, new double[] {1, 2, 3, 4, 5, 6});
        assertThatThrownBy(() -> m.runBatch(inputs(empty, two))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs['b'] has batch size 2, expected 0 (the batch size of 'a')");
        assertThatThrownBy(() -> m.runBatch(inputs(two, empty))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inputs['b'] has batch size 0, expected 2 (the batch size of 'a')");

        Tensor out = m.runBatch(inputs(empty, empty)).get("cat");
        assertThat(out.shape()).containsExactly(0, 6);
        Tensor both = m.runBatch(inputs(two, Tensor.of(new int[] {2, 3}, new double[] {7, 8, 9, 10, 11, 12})))
                .get("cat");
        assertThat(both.shape()).containsExactly(2, 6);
        assertThat(both.slice(0).vector()).containsExactly(1, 2, 3, 7, 8, 9);
        assertThat(both.slice(1).vector()).containsExactly(4, 5, 6, 10, 11, 12);
    }

    @Test
    void anInputAlsoReadByANonEmbeddingLayerDoesNotTakeTokenIds() {
        // The same rank-1 input of 3 values feeds an Embedding (as ids) and a Dense (as features), in both orders.
        Dense dense = new Dense(new double[][] {{1.0}, {1.0}, {1.0}}, null, Activation.LINEAR);
        Model embeddingFirst = Model.builder().input("x", Shape.of(3))
                .add("embedding", new Embedding(TABLE), "x").add("dense", dense, "x")
                .outputs("embedding", "dense").build();
        Model denseFirst = Model.builder().input("x", Shape.of(3))
                .add("dense", dense, "x").add("embedding", new Embedding(TABLE), "x")
                .outputs("embedding", "dense").build();
        Model embeddingOnly = Model.builder().input("x", Shape.of(3))
                .add("embedding", new Embedding(TABLE), "x").outputs("embedding").build();
        assertThat(embeddingFirst.takesTokenIds("x")).isFalse();
        assertThat(denseFirst.takesTokenIds("x")).isFalse();
        assertThat(embeddingOnly.takesTokenIds("x")).isTrue();
        // Both readers see the same three numbers: ids 1, 3, 0 are rows of the table, and their sum is 4.
        Map<String, Tensor> out = embeddingFirst.run(Map.of("x", Tensor.of(new double[] {1, 3, 0})));
        assertThat(out.get("embedding").matrix()).isDeepEqualTo(new double[][] {TABLE[1], TABLE[3], TABLE[0]});
        assertThat(out.get("dense").vector()).containsExactly(4.0);
    }
}
